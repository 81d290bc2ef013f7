/**
 * A bot process for crash tests: the real app and scheduler, sending to a
 * FakeChatServer. Settings come from the test through the environment.
 */
import { createApp } from "../../bin/app.js";
import { parseConfig } from "../../src/config/config.js";
import { silentLogger } from "../../src/logging/logger.js";
import { HttpChatPlatform } from "../fakes/http-chat-platform.js";

const env = process.env;
const config = {
  ...parseConfig({ REDIS_URL: env.REDIS_URL, REDIS_PREFIX: env.REDIS_PREFIX }),
  encryptionKey: Buffer.from(env.TEST_KEY ?? "", "base64"),
};
const app = createApp({
  config,
  logger: silentLogger,
  platforms: () => [new HttpChatPlatform("local", env.FAKE_CHAT_URL ?? "", env.SENDER ?? "")],
  schedulerTuning: {
    lockDurationMs: 1_000,
    claimTtlMs: 2_000,
    leaseMs: 120_000,
    pacing: { local: { perSecond: Number(env.PACE_PER_SECOND ?? 40) } },
  },
});
await app.start();
process.stdout.write("ready\n");
process.once("SIGTERM", () => {
  void app.stop().then(() => process.exit(0));
});
