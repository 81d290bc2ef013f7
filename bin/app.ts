import { Redis } from "ioredis";
import { type Bot, createBot } from "../src/bot/bot.js";
import type { Config } from "../src/config/config.js";
import type { Logger } from "../src/logging/logger.js";
import { PendingConsents } from "../src/members/pending-consents.js";
import type { ChatPlatform } from "../src/platform/chat-platform.js";
import { PlatformRouter } from "../src/platform/platform-router.js";
import { RedisKeys } from "../src/store/redis-keys.js";
import { RedisMemberStore } from "../src/store/redis-member-store.js";
import { type Clock, systemClock } from "../src/time/clock.js";

/**
 * The composition root: wires config, Redis, the core and the platforms.
 * `bin/start.ts` calls it for `npm start`; tests call it to run the whole bot
 * in-process.
 */
export interface App {
  readonly bot: Bot;
  readonly redis: Redis;
  readonly router: PlatformRouter;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface AppOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly platforms: readonly ChatPlatform[];
  readonly clock?: Clock;
}

export function createApp(options: AppOptions): App {
  const { config, logger, platforms } = options;
  const clock = options.clock ?? systemClock;
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  redis.on("error", (error) =>
    logger.warn({ code: "REDIS_UNAVAILABLE", err: error.message }, "redis connection error"),
  );
  const keys = new RedisKeys(config.redis.prefix);
  const members = new RedisMemberStore(redis, keys);
  const bot = createBot({
    members,
    dataSections: [members],
    consents: new PendingConsents(clock),
    clock,
    logger,
    coordinators: new Set(config.coordinators),
  });
  const router = new PlatformRouter(platforms);

  return {
    bot,
    redis,
    router,
    async start() {
      for (const platform of platforms) await platform.start(bot.handle);
      logger.info({ platforms: platforms.map((p) => p.name) }, "peer-bot started");
    },
    async stop() {
      for (const platform of platforms) await platform.stop();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
