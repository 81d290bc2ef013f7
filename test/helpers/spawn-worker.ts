import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { TEST_KEY } from "./test-app.js";
import { TEST_REDIS_URL } from "./test-redis.js";

/** A separate bot process (`worker-process.ts`) on the test's Redis prefix, sending to a FakeChatServer. */
export function spawnWorker(
  prefix: string,
  fakeChatUrl: string,
  env: Record<string, string> = {},
): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "worker-process.ts")], {
    cwd: join(import.meta.dirname, "../.."),
    env: {
      PATH: process.env.PATH,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      TEST_KEY: TEST_KEY.toString("base64"),
      FAKE_CHAT_URL: fakeChatUrl,
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
}

/** Spawns a worker (see `spawnWorker`) and resolves once it prints `ready`; rejects if it exits first. */
export function startWorkerReady(
  prefix: string,
  fakeChatUrl: string,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawnWorker(prefix, fakeChatUrl, env);
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`worker ${env.SENDER ?? ""} exited with ${code}`)));
  });
}
