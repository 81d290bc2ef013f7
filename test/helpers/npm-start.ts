import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join } from "node:path";
import { TEST_REDIS_URL } from "./test-redis.js";

/**
 * `npm start` as a newcomer runs it, with no chat credentials (so the terminal chat opens), on the
 * test's Redis prefix and data folder. Chat settings are set empty so a developer's own .env can't
 * switch on Slack or Discord here.
 */
export function spawnNpmStart(redisPrefix: string, dataDir: string): ChildProcessWithoutNullStreams {
  return spawn("npm", ["start", "--silent"], {
    cwd: join(import.meta.dirname, "../.."),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: redisPrefix,
      DATA_DIR: dataDir,
      SLACK_BOT_TOKEN: "",
      SLACK_SIGNING_SECRET: "",
      SLACK_APP_TOKEN: "",
      DISCORD_TOKEN: "",
      DISCORD_APPLICATION_ID: "",
      ENCRYPTION_KEY: "",
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
}
