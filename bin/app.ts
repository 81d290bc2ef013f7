import { Redis } from "ioredis";
import { ProcessHeartbeat } from "../scheduler/heartbeat.js";
import type { Pace } from "../scheduler/outbound-queue.js";
import { PacedSends } from "../scheduler/paced-sends.js";
import { Scheduler } from "../scheduler/scheduler.js";
import { type Bot, createBot } from "../src/bot/bot.js";
import type { Feature } from "../src/bot/feature.js";
import type { Config } from "../src/config/config.js";
import { RecordCipher } from "../src/crypto/record-cipher.js";
import { DeliveryService } from "../src/delivery/delivery-service.js";
import { Outbox, createOutboxFeature } from "../src/delivery/outbox.js";
import type { ScheduledKind } from "../src/delivery/scheduled-kind.js";
import { BotError } from "../src/errors.js";
import { createCheckinsFeature } from "../src/features/checkins/index.js";
import { createCirclesFeature } from "../src/features/circles/index.js";
import { createDataRightsFeature } from "../src/features/data-rights/index.js";
import { createSafetyFeature } from "../src/features/safety/index.js";
import type { Logger } from "../src/logging/logger.js";
import type { ChatPlatform } from "../src/platform/chat-platform.js";
import { PlatformRouter } from "../src/platform/platform-router.js";
import { QuestionBankSource } from "../src/reflection/custom-questions.js";
import { createReflectionFeature } from "../src/reflection/reflection-feature.js";
import type { Metrics } from "../src/runtime/metrics.js";
import { Planner } from "../src/schedule/planner.js";
import { createSchedulingFeature } from "../src/schedule/scheduling-feature.js";
import { RedisAskedQuestions } from "../src/store/redis-asked.js";
import { RedisCheckinStore } from "../src/store/redis-checkins.js";
import { RedisCircleStore } from "../src/store/redis-circles.js";
import { RedisCustomQuestions } from "../src/store/redis-custom-questions.js";
import { RedisDeliveryMarkers } from "../src/store/redis-delivery-markers.js";
import { RedisHandleStore } from "../src/store/redis-handles.js";
import { RedisHolidayStore } from "../src/store/redis-holiday-store.js";
import { RedisJournalStore } from "../src/store/redis-journal-store.js";
import { RedisKeys } from "../src/store/redis-keys.js";
import { RedisMemberCache } from "../src/store/redis-member-cache.js";
import { RedisMemberStore } from "../src/store/redis-member-store.js";
import { RedisOutboxStore } from "../src/store/redis-outbox.js";
import { RedisPendingConsents } from "../src/store/redis-pending-consents.js";
import { RedisPendingEntryStore } from "../src/store/redis-pending-entry.js";
import { RedisReflectionState } from "../src/store/redis-reflection-state.js";
import { RedisScheduleStore, processKeyPrefix } from "../src/store/redis-schedule-store.js";
import { type Clock, systemClock } from "../src/time/clock.js";
import { within } from "../src/time/within.js";
import { countRepliesStored } from "./count-replies.js";

/** How long each platform may take to close at stop. */
const PLATFORM_STOP_MS = 1_000;

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
  /** Posts through the paced outbound queue (what features send to groups on their own). */
  readonly outbox: Outbox;
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
  readonly checkins: RedisCheckinStore;
  readonly circles: RedisCircleStore;
}

export interface AppOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** Built by the caller, given the stores (adapters need the member cache). */
  readonly platforms: (
    stores: AppStores,
    redis: Redis,
    /**
     * Each platform's pacing, to give its adapter as `gate`: its replies then take turns from
     * the same pacer as its scheduled sends (replies first), shared through Redis by every process.
     */
    pacing: (platform: string) => PacedSends,
  ) => readonly ChatPlatform[];
  readonly clock?: Clock;
  /** Features added after the standard ones (tests use it to plug in a probe). */
  readonly extraFeatures?: readonly Feature[];
  /** What the bot counts, for /metrics (bin/prom-metrics.ts); nothing is counted without it. */
  readonly metrics?: Metrics;
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
  const storeLog = logger.child({ component: "store" });
  const handles = new RedisHandleStore(redis, keys);
  const members = new RedisMemberStore(redis, keys, storeLog);
  const schedule = new RedisScheduleStore(redis, keys);
  const holidays = new RedisHolidayStore(redis, keys, storeLog);
  const reflection = new RedisReflectionState(redis, keys, storeLog);
  const cipher = new RecordCipher(config.encryptionKey);
  const journal = new RedisJournalStore(redis, keys, cipher, storeLog);
  const pending = new RedisPendingEntryStore(redis, keys, cipher, storeLog);
  const planner = new Planner(schedule, holidays, clock);
  const customQuestions = new RedisCustomQuestions(redis, keys, storeLog);
  const questions = new QuestionBankSource(customQuestions, clock);
  const stores: AppStores = {
    keys,
    members,
    memberCache: new RedisMemberCache(redis, keys, storeLog),
    schedule,
    journal,
    reflection,
    holidays,
    pending,
    planner,
    checkins: new RedisCheckinStore(redis, keys, cipher, storeLog),
    circles: new RedisCircleStore(redis, keys, storeLog),
  };
  if (options.metrics) countRepliesStored(stores, options.metrics);
  // One pacer per platform, for its adapter's replies and its outbound queue alike.
  const pacing: Record<string, Pace> = options.schedulerTuning?.pacing ?? {
    slack: { perSecond: config.pacing.slackPerMinute / 60, perConversationPerSecond: 1 },
    discord: { perSecond: config.pacing.discordPerSecond },
  };
  const paced = new Map<string, PacedSends>();
  const pacedSends = (platform: string): PacedSends => {
    let sends = paced.get(platform);
    if (!sends) {
      sends = new PacedSends({
        redis,
        keyPrefix: config.redis.prefix,
        platform,
        perSecond: pacing[platform]?.perSecond,
        clock,
        logger: logger.child({ component: "pacing" }),
        ...(options.metrics ? { metrics: options.metrics } : {}),
      });
      paced.set(platform, sends);
    }
    return sends;
  };
  const platforms = options.platforms(stores, redis, pacedSends);
  const router = new PlatformRouter(platforms);
  const slotDeps = {
    members,
    planner,
    clock,
    hasForms: (member: string) => {
      try {
        return router.platformFor(member).capabilities.forms;
      } catch {
        return false;
      }
    },
  };

  // The features, in the order they see messages. Each brings its commands, buttons, forms,
  // scheduled kinds and data sections; nothing below names one.
  let kinds: readonly ScheduledKind[] = [];
  const outboxStore = new RedisOutboxStore(redis, keys, cipher, logger);
  const outbox = new Outbox(outboxStore, schedule, clock, () => late.scheduler?.dispatcher.poke());
  const circleStore = stores.circles;
  const features = [
    createOutboxFeature(outboxStore, router),
    createSafetyFeature(),
    createDataRightsFeature({ sections: [members, handles] }),
    createSchedulingFeature({
      ...slotDeps,
      schedule,
      holidays,
      customQuestions,
      questions,
      reflection,
      kinds: () => kinds,
    }),
    // Before reflection: a typed answer to "how long did it run?" or the take-away is claimed here first.
    createCheckinsFeature({
      store: stores.checkins,
      circles: circleStore,
      members,
      chat: router,
      outbox,
      schedule,
      questions,
      journal,
      clock,
      logger: logger.child({ component: "checkins" }),
      platforms: () => platforms.map((p) => p.name),
    }),
    createReflectionFeature({
      ...slotDeps,
      reflection,
      reflectionData: reflection,
      journal,
      questions,
      schedule,
      pending,
    }),
    createCirclesFeature({
      store: circleStore,
      members,
      chat: router,
      outbox,
      schedule,
      questions,
      clock,
      logger: logger.child({ component: "circles" }),
      platforms: () => platforms.map((p) => p.name),
    }),
    ...(options.extraFeatures ?? []),
  ];

  // Built below; a member change (join, pause…) wakes it to look at the schedule at once.
  const late: { scheduler?: Scheduler } = {};
  const bot = createBot(
    {
      members,
      dataSections: [],
      consents: new RedisPendingConsents(redis, keys, clock, logger),
      chat: router,
      asked: new RedisAskedQuestions(redis, keys),
      handles,
      outbox,
      clock,
      logger,
      coordinators: new Set(config.coordinators),
      onMemberChanged: async () => late.scheduler?.dispatcher.poke(),
      // Away once a connection was lost and not yet back (not while first connecting at start-up).
      storeAvailable: () => !["reconnecting", "close", "end"].includes(redis.status),
    },
    features,
  );
  kinds = [...bot.kinds.values()];

  const heartbeat =
    options.scheduler === false ? undefined : new ProcessHeartbeat(redis, processKeyPrefix(keys), logger);
  const delivery = new DeliveryService({
    kinds: bot.kinds,
    schedule,
    // The wording is kept sealed with the claim; a claim names this process while its heartbeat runs.
    markers: new RedisDeliveryMarkers(redis, keys, {
      cipher,
      ...(heartbeat ? { owner: heartbeat.id } : {}),
      ...(options.schedulerTuning?.claimTtlMs ? { claimTtlMs: options.schedulerTuning.claimTtlMs } : {}),
    }),
    clock,
    logger: logger.child({ component: "delivery" }),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  const scheduler =
    options.scheduler === false
      ? undefined
      : new Scheduler({
          redis,
          connection: () => new Redis(config.redis.url, { maxRetriesPerRequest: null }),
          keyPrefix: config.redis.prefix,
          platforms,
          pacing,
          sends: pacedSends,
          schedule,
          planner,
          members,
          delivery,
          clock,
          logger,
          ...(heartbeat ? { heartbeat } : {}),
          ...(options.metrics ? { metrics: options.metrics } : {}),
          ...(options.schedulerTuning?.concurrency
            ? { concurrency: options.schedulerTuning.concurrency }
            : {}),
          ...(options.schedulerTuning?.leaseMs ? { leaseMs: options.schedulerTuning.leaseMs } : {}),
          ...(options.schedulerTuning?.lockDurationMs
            ? { lockDurationMs: options.schedulerTuning.lockDurationMs }
            : {}),
        });

  if (scheduler) late.scheduler = scheduler;

  return {
    bot,
    redis,
    router,
    scheduler,
    delivery,
    outbox,
    stores,
    async start() {
      for (const platform of platforms) await platform.start(bot.handle);
      await scheduler?.start();
      logger.info({ platforms: platforms.map((p) => p.name) }, "peer-bot started");
    },
    async stop() {
      await scheduler?.stop();
      // Each platform gets a second to close its connection; a hang there mustn't hold the exit.
      await Promise.all(platforms.map((platform) => within(platform.stop(), PLATFORM_STOP_MS)));
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
