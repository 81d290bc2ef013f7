import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The guard in a process of its own, as `bin/start.ts` installs it: an
 * uncaught exception is logged by code and code location only (never the
 * message, which could quote a member), the ordinary SIGTERM shutdown runs,
 * and the process exits with code 1 for its supervisor to restart it.
 */
function runChild(script: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: join(import.meta.dirname, "../.."),
      env: { PATH: process.env.PATH },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout }));
  });
}

describe("the process guard", () => {
  it("logs an uncaught exception without its message, runs the shutdown and exits with code 1", async () => {
    const { code, stdout } = await runChild(`
      import { installProcessGuard } from "./src/runtime/process-guard.ts";
      const logger = {
        error: (context, message) => process.stdout.write(JSON.stringify({ level: "error", ...context, message }) + "\\n"),
        warn() {}, info() {}, debug() {}, child() { return logger; },
      };
      installProcessGuard({ logger, exitAfterMs: 5000 });
      process.once("SIGTERM", () => { process.stdout.write(JSON.stringify({ shutdown: true }) + "\\n", () => process.exit()); });
      setTimeout(() => { throw new Error("member words: I feel awful today"); }, 10);
      setInterval(() => {}, 1000);
    `);
    expect(code).toBe(1);
    expect(stdout).toContain('"escaped":"uncaughtException"');
    expect(stdout).toContain('"shutdown":true');
    expect(stdout).not.toContain("I feel awful");
  });

  it("logs an unhandled rejection and keeps serving", async () => {
    const { code, stdout } = await runChild(`
      import { installProcessGuard } from "./src/runtime/process-guard.ts";
      const logger = {
        error: (context, message) => process.stdout.write(JSON.stringify({ level: "error", ...context, message }) + "\\n"),
        warn() {}, info() {}, debug() {}, child() { return logger; },
      };
      const guard = installProcessGuard({ logger });
      Promise.reject(new Error("member words: private"));
      setTimeout(() => { process.stdout.write(JSON.stringify({ stillServing: guard.counts.rejections }) + "\\n", () => process.exit(0)); }, 200);
    `);
    expect(code).toBe(0);
    expect(stdout).toContain('"escaped":"unhandledRejection"');
    expect(stdout).toContain('"stillServing":1');
    expect(stdout).not.toContain("private");
  });
});
