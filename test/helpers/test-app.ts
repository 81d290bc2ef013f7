import { randomBytes } from "node:crypto";
import { type App, type AppOptions, createApp } from "../../bin/app.js";
import { type Config, parseConfig } from "../../src/config/config.js";
import { type Logger, silentLogger } from "../../src/logging/logger.js";
import type { ChatPlatform } from "../../src/platform/chat-platform.js";
import type { Clock } from "../../src/time/clock.js";
import { TEST_REDIS_URL, type TestRedis } from "./test-redis.js";

export const TEST_KEY = randomBytes(32);

export function testConfig(testRedis: TestRedis, env: Record<string, string> = {}): Config {
  return {
    ...parseConfig({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: testRedis.prefix, ...env }),
    encryptionKey: TEST_KEY,
  };
}

/** The whole app (core, stores, scheduler) on real Redis under the test's prefix. */
export function createTestApp(
  testRedis: TestRedis,
  platforms: readonly ChatPlatform[],
  options: {
    clock?: Clock;
    scheduler?: boolean;
    env?: Record<string, string>;
    tuning?: AppOptions["schedulerTuning"];
    logger?: Logger;
    extraFeatures?: AppOptions["extraFeatures"];
    metrics?: AppOptions["metrics"];
  } = {},
): App {
  return createApp({
    config: testConfig(testRedis, options.env),
    logger: options.logger ?? silentLogger,
    platforms: () => platforms,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.extraFeatures ? { extraFeatures: options.extraFeatures } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.scheduler === undefined ? {} : { scheduler: options.scheduler }),
    schedulerTuning: { leaseMs: 60_000, ...options.tuning },
  });
}

/** A member whose working week covers every hour of every day, in UTC: anything due now may be sent. */
export const ALWAYS_WORKING = "region:Anywhere tz:UTC days:mon-sun hours:00:00-24:00";
