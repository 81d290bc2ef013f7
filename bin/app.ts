import { Redis } from "ioredis";
import type { Pace } from "../scheduler/outbound-queue.js";
import { Scheduler } from "../scheduler/scheduler.js";
import { type Bot, createBot } from "../src/bot/bot.js";
import type { Config } from "../src/config/config.js";
import { RecordCipher } from "../src/crypto/record-cipher.js";
import { DeliveryService } from "../src/delivery/delivery-service.js";
import { BotError } from "../src/errors.js";
import { createSafetyFeature } from "../src/features/safety/index.js";
import type { Logger } from "../src/logging/logger.js";
import { PendingConsents } from "../src/members/pending-consents.js";
import type { ChatPlatform } from "../src/platform/chat-platform.js";
import { PlatformRouter } from "../src/platform/platform-router.js";
import { QuestionBankSource } from "../src/reflection/custom-questions.js";
import { createReflectionFeature } from "../src/reflection/reflection-feature.js";
import { Planner } from "../src/schedule/planner.js";
import { createSchedulingFeature } from "../src/schedule/scheduling-feature.js";
import { RedisCustomQuestions } from "../src/store/redis-custom-questions.js";
import { RedisDeliveryMarkers } from "../src/store/redis-delivery-markers.js";
import { RedisHolidayStore } from "../src/store/redis-holiday-store.js";
import { RedisJournalStore } from "../src/store/redis-journal-store.js";
import { RedisKeys } from "../src/store/redis-keys.js";
import { RedisMemberCache } from "../src/store/redis-member-cache.js";
import { RedisMemberStore } from "../src/store/redis-member-store.js";
import { RedisPendingEntryStore } from "../src/store/redis-pending-entry.js";
import { RedisReflectionState } from "../src/store/redis-reflection-state.js";
import { RedisScheduleStore } from "../src/store/redis-schedule-store.js";
import { type Clock, systemClock } from "../src/time/clock.js";

/**
 * The composition root: wires config, Redis, the core, the scheduler and the
 * platforms. `bin/start.ts` calls it for `npm start`; tests call it to run the
 * whole bot in-process.
 */
export interface App {
  readonly bot: Bot;
  readonly redis: Redis;
  readonly router: PlatformRouter;
  readonly scheduler: Scheduler | undefined;
  readonly delivery: DeliveryService;
  readonly stores: AppStores;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface AppStores {
  readonly keys: RedisKeys;
  readonly members: RedisMemberStore;
  readonly memberCache: RedisMemberCache;
  readonly schedule: RedisScheduleStore;
  readonly journal: RedisJournalStore;
  readonly reflection: RedisReflectionState;
  readonly holidays: RedisHolidayStore;
  readonly pending: RedisPendingEntryStore;
  readonly planner: Planner;
}

export interface AppOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** Built by the caller, given the stores (adapters need the member cache). */
  readonly platforms: (stores: AppStores, redis: Redis) => readonly ChatPlatform[];
  readonly clock?: Clock;
  /** Run the scheduler (default true). */
  readonly scheduler?: boolean;
  /** Scheduler tuning, for tests and the benchmark. */
  readonly schedulerTuning?: {
    concurrency?: number;
    leaseMs?: number;
    lockDurationMs?: number;
    /** How long a send's claim lasts before another attempt may take it (default 10 minutes). */
    claimTtlMs?: number;
    /** Pacing per platform name, replacing the configured defaults. */
    pacing?: Record<string, Pace>;
  };
}

export function createApp(options: AppOptions): App {
  const { config, logger } = options;
  if (!config.encryptionKey) throw new BotError("CONFIG_INVALID", "ENCRYPTION_KEY is required");
  const clock = options.clock ?? systemClock;
  const connect = () => {
    const client = new Redis(config.redis.url, { maxRetriesPerRequest: null, enableAutoPipelining: true });
    client.on("error", (error) =>
      logger.warn({ code: "REDIS_UNAVAILABLE", err: error.message }, "redis connection error"),
    );
    return client;
  };
  const redis = connect();
  const keys = new RedisKeys(config.redis.prefix);
  const members = new RedisMemberStore(redis, keys);
  const schedule = new RedisScheduleStore(redis, keys);
  const holidays = new RedisHolidayStore(redis, keys);
  const reflection = new RedisReflectionState(redis, keys);
  const cipher = new RecordCipher(config.encryptionKey);
  const journal = new RedisJournalStore(redis, keys, cipher);
  const pending = new RedisPendingEntryStore(redis, keys, cipher);
  const planner = new Planner(schedule, holidays, clock);
  const questions = new QuestionBankSource(new RedisCustomQuestions(redis, keys), clock);
  const stores: AppStores = {
    keys,
    members,
    memberCache: new RedisMemberCache(redis, keys),
    schedule,
    journal,
    reflection,
    holidays,
    pending,
    planner,
  };
  const platforms = options.platforms(stores, redis);
  const router = new PlatformRouter(platforms);

  const scheduling = createSchedulingFeature({
    planner,
    schedule,
    holidays,
    customQuestions: new RedisCustomQuestions(redis, keys),
    questions,
    reflection,
    clock,
  });
  const delivery = new DeliveryService({
    members,
    schedule,
    planner,
    markers: new RedisDeliveryMarkers(redis, keys, options.schedulerTuning?.claimTtlMs),
    reflection,
    questions,
    clock,
    logger: logger.child({ component: "delivery" }),
    hasForms: (member) => {
      try {
        return router.platformFor(member).capabilities.forms;
      } catch {
        return false;
      }
    },
  });
  const scheduler =
    options.scheduler === false
      ? undefined
      : new Scheduler({
          redis,
          connection: () => new Redis(config.redis.url, { maxRetriesPerRequest: null }),
          keyPrefix: config.redis.prefix,
          platforms,
          pacing: options.schedulerTuning?.pacing ?? {
            slack: { perSecond: config.pacing.slackPerMinute / 60, perConversationPerSecond: 1 },
            discord: { perSecond: config.pacing.discordPerSecond },
          },
          schedule,
          planner,
          members,
          delivery,
          logger,
          ...(options.schedulerTuning?.concurrency
            ? { concurrency: options.schedulerTuning.concurrency }
            : {}),
          ...(options.schedulerTuning?.leaseMs ? { leaseMs: options.schedulerTuning.leaseMs } : {}),
          ...(options.schedulerTuning?.lockDurationMs
            ? { lockDurationMs: options.schedulerTuning.lockDurationMs }
            : {}),
        });

  const bot = createBot(
    {
      members,
      dataSections: [members, schedule, reflection, journal, pending],
      consents: new PendingConsents(clock),
      clock,
      logger,
      coordinators: new Set(config.coordinators),
      onMemberChanged: async (id, member, change) => {
        await scheduling.onMemberChanged(id, member, change);
        scheduler?.dispatcher.poke();
      },
    },
    [
      createSafetyFeature(),
      createReflectionFeature({ reflection, journal, questions, schedule, planner, pending }),
      scheduling.feature,
    ],
  );

  return {
    bot,
    redis,
    router,
    scheduler,
    delivery,
    stores,
    async start() {
      for (const platform of platforms) await platform.start(bot.handle);
      await scheduler?.start();
      logger.info({ platforms: platforms.map((p) => p.name) }, "peer-bot started");
    },
    async stop() {
      await scheduler?.stop();
      for (const platform of platforms) await platform.stop();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
