import { randomBytes } from "node:crypto";
import { type SlackAdapter, createSlackAdapter } from "../../adapters/slack/slack-adapter.js";
import { type App, type AppOptions, createApp } from "../../bin/app.js";
import { type Config, parseConfig } from "../../src/config/config.js";
import type { LogContext, Logger } from "../../src/logging/logger.js";
import type { InboundHandler } from "../../src/platform/chat-platform.js";
import type { SendGate } from "../../src/platform/send-gate.js";
import { RedisKeys } from "../../src/store/redis-keys.js";
import { RedisMemberCache } from "../../src/store/redis-member-cache.js";
import { RedisMemberStore } from "../../src/store/redis-member-store.js";
import { type FakeSlackApi, startFakeSlackApi } from "../fakes/fake-slack-api.js";
import { freePort } from "./free-port.js";
import { SlackRequester } from "./slack-requests.js";
import { type TestRedis, createTestRedis } from "./test-redis.js";

export const BOT_TOKEN = "xoxb-test-bot-token";
export const APP_TOKEN = "xapp-test-app-token";
export const SIGNING_SECRET = "test-signing-secret-0123456789";
export const TEAM_ID = "T0TEST";

export interface LogEntry {
  readonly level: string;
  readonly context: LogContext;
  readonly message: string;
}

/** A Logger that keeps every entry, to check what was (and wasn't) logged. */
export class RecordingLogger implements Logger {
  constructor(
    readonly entries: LogEntry[] = [],
    private readonly bindings: LogContext = {},
  ) {}

  debug(context: LogContext, message: string): void {
    this.entries.push({ level: "debug", context: { ...this.bindings, ...context }, message });
  }
  info(context: LogContext, message: string): void {
    this.entries.push({ level: "info", context: { ...this.bindings, ...context }, message });
  }
  warn(context: LogContext, message: string): void {
    this.entries.push({ level: "warn", context: { ...this.bindings, ...context }, message });
  }
  error(context: LogContext, message: string): void {
    this.entries.push({ level: "error", context: { ...this.bindings, ...context }, message });
  }
  child(bindings: LogContext): Logger {
    return new RecordingLogger(this.entries, { ...this.bindings, ...bindings });
  }
}

/** Polls `check` until it returns something other than undefined, null or false, or fails at the deadline. */
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined && result !== null && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface SlackHarness {
  readonly fake: FakeSlackApi;
  readonly adapter: SlackAdapter;
  readonly app: App;
  readonly config: Config;
  readonly testRedis: TestRedis;
  readonly keys: RedisKeys;
  readonly members: RedisMemberStore;
  readonly logger: RecordingLogger;
  /** Signed requests to the adapter's HTTP receiver (undefined in Socket Mode). */
  readonly slack: SlackRequester;
  stop(): Promise<void>;
}

/**
 * The whole bot as `bin/app.ts` composes it (config from an environment, real
 * Redis under a unique prefix, the real core) with the Slack adapter talking
 * to a fake Slack Web API on loopback.
 */
export async function startSlackHarness(
  name: string,
  options: {
    socketMode?: boolean;
    /** Run the scheduler (dispatcher and paced outbound queue); off unless asked for. */
    scheduler?: boolean;
    schedulerTuning?: AppOptions["schedulerTuning"];
    /** A Redis other than the shared one, e.g. one the test pauses. */
    redisUrl?: string;
    /** What the app counts (nothing by default). */
    metrics?: AppOptions["metrics"];
  } = {},
): Promise<SlackHarness> {
  const fake = await startFakeSlackApi({
    botToken: BOT_TOKEN,
    teamId: TEAM_ID,
    ...(options.socketMode ? { appToken: APP_TOKEN } : {}),
  });
  const testRedis = createTestRedis(name, options.redisUrl);
  const port = await freePort();
  const config = parseConfig({
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    REDIS_PREFIX: testRedis.prefix,
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    PORT: String(port),
    SLACK_BOT_TOKEN: BOT_TOKEN,
    ...(options.socketMode ? { SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    SLACK_API_URL: fake.apiUrl,
  });
  const slackConfig = config.slack;
  if (!slackConfig) throw new Error("the test config has no Slack settings");
  const logger = new RecordingLogger();
  const keys = new RedisKeys(config.redis.prefix);
  let adapter: SlackAdapter | undefined;
  // The wiring bin/start.ts uses: the app's Redis client and member cache.
  const app = createApp({
    config,
    logger,
    // The scheduler's timed sends are another component's tests; here they would only add
    // noise, unless a test of scheduled sends through Slack asks for them.
    scheduler: options.scheduler === true,
    ...(options.schedulerTuning ? { schedulerTuning: options.schedulerTuning } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    platforms: (stores, redis) => {
      adapter = createSlackAdapter({
        ...slackConfig,
        port: config.port,
        host: "127.0.0.1",
        redis,
        keyPrefix: config.redis.prefix,
        memberCache: stores.memberCache,
        logger: logger.child({ platform: "slack" }),
        retryConfig: { retries: 0 },
      });
      return [adapter];
    },
  });
  if (!adapter) throw new Error("createApp did not build the platforms");
  await app.start();
  return {
    fake,
    adapter,
    app,
    config,
    testRedis,
    keys,
    members: new RedisMemberStore(testRedis.redis, keys),
    logger,
    slack: new SlackRequester(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET),
    async stop() {
      await app.stop();
      await fake.stop();
      await testRedis.cleanup();
    },
  };
}

export interface BareSlackAdapter {
  readonly fake: FakeSlackApi;
  readonly adapter: SlackAdapter;
  readonly testRedis: TestRedis;
  readonly logger: RecordingLogger;
  /** Signed requests to the adapter's HTTP receiver. */
  readonly slack: SlackRequester;
  stop(): Promise<void>;
}

/**
 * The Slack adapter alone, with no core: `handler` is what the core would do
 * with each event. Real Redis under a unique prefix, the fake Slack Web API on
 * loopback, the HTTP transport.
 */
export async function startBareSlackAdapter(
  name: string,
  handler: InboundHandler,
  /** The adapter's pacing, made with this adapter's Redis and prefix (unpaced without it). */
  gate?: (redis: TestRedis) => SendGate,
): Promise<BareSlackAdapter> {
  const fake = await startFakeSlackApi({ botToken: BOT_TOKEN, teamId: TEAM_ID });
  const testRedis = createTestRedis(name);
  const port = await freePort();
  const logger = new RecordingLogger();
  const adapter = createSlackAdapter({
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    apiUrl: fake.apiUrl,
    port,
    host: "127.0.0.1",
    redis: testRedis.redis,
    keyPrefix: testRedis.prefix,
    memberCache: new RedisMemberCache(testRedis.redis, new RedisKeys(testRedis.prefix)),
    logger,
    retryConfig: { retries: 0 },
    ...(gate ? { gate: gate(testRedis) } : {}),
  });
  await adapter.start(handler);
  return {
    fake,
    adapter,
    testRedis,
    logger,
    slack: new SlackRequester(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET),
    async stop() {
      await adapter.stop();
      await fake.stop();
      await testRedis.cleanup();
    },
  };
}
