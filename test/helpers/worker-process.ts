/**
 * A bot process for crash tests: the real app and scheduler, sending to a
 * FakeChatServer. Settings come from the test through the environment.
 */
import { createApp } from "../../bin/app.js";
import { parseConfig } from "../../src/config/config.js";
import { silentLogger } from "../../src/logging/logger.js";
import { HttpChatPlatform } from "../fakes/http-chat-platform.js";

const env = process.env;
const platform = env.PLATFORM ?? "local";
const config = {
  ...parseConfig({ REDIS_URL: env.REDIS_URL, REDIS_PREFIX: env.REDIS_PREFIX }),
  encryptionKey: Buffer.from(env.TEST_KEY ?? "", "base64"),
};
const app = createApp({
  config,
  logger: silentLogger,
  // PLATFORM names the one platform this process runs (default "local"): processes that run
  // different platforms share the schedule, each sending only its own platform's items.
  platforms: () => [new HttpChatPlatform(platform, env.FAKE_CHAT_URL ?? "", env.SENDER ?? "")],
  // Short BullMQ locks and claims by default (the older crash test's settings); the fault tests
  // pass the production values, so only the heartbeat can bring the work back quickly.
  schedulerTuning: {
    lockDurationMs: Number(env.LOCK_DURATION_MS ?? 1_000),
    claimTtlMs: Number(env.CLAIM_TTL_MS ?? 2_000),
    leaseMs: Number(env.LEASE_MS ?? 120_000),
    pacing: { [platform]: { perSecond: Number(env.PACE_PER_SECOND ?? 40) } },
  },
});
await app.start();
process.stdout.write("ready\n");
process.once("SIGTERM", () => {
  process.stdout.write("stopping\n");
  void app.stop().then(() => process.exit(0));
});
