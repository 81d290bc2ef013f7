import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{src,adapters,scheduler,bin,test}/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
