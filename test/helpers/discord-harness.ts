import { type DiscordAdapter, createDiscordAdapter } from "../../adapters/discord/discord-adapter.js";
import type { App } from "../../bin/app.js";
import { type Logger, silentLogger } from "../../src/logging/logger.js";
import { type InboundHandler, type MemberId, dmWith } from "../../src/platform/chat-platform.js";
import type { SendGate } from "../../src/platform/send-gate.js";
import { RedisKeys } from "../../src/store/redis-keys.js";
import { RedisMemberCache } from "../../src/store/redis-member-cache.js";
import { FakeDiscord, type Invocation, type Json, type SentMessage } from "../fakes/fake-discord.js";
import { FixedClock } from "../fakes/fixed-clock.js";
import { RecordingResponder } from "../fakes/recording-responder.js";
import { createTestApp } from "./test-app.js";
import { VALID_JOIN } from "./test-bot.js";
import { type TestRedis, createTestRedis } from "./test-redis.js";

/** Polls `check` until it returns something other than undefined/false, or fails after the deadline. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The real Discord adapter (real discord.js) connected to the fake Discord,
 * driving the whole real core (bin/app.ts, scheduler off, clock fixed at
 * 2026-11-23) on real Redis under a prefix of its own. With `handler`, the
 * adapter drives that instead of the core. With `scheduler`, the app runs on
 * the real clock with its scheduler (dispatcher and BullMQ outbound queue) on.
 */
export async function startDiscordHarness(
  name: string,
  options: {
    coordinators?: MemberId[];
    handler?: InboundHandler;
    formDeadlineMs?: number;
    /** Real clock and the scheduler running, for scheduled sends through the paced queue. */
    scheduler?: boolean;
    /** The adapter's `maxRateLimitWaitMs`: longer 429 waits surface as RateLimitedError. */
    maxRateLimitWaitMs?: number;
    /** The logger for the app and the adapter (silent by default). */
    logger?: Logger;
    /** Give the adapter the fake's groups channel (`groupsChannelId`), so it can open groups. */
    groups?: boolean;
    /** The adapter's pacing, made with the harness's Redis and prefix (unpaced without it). */
    gate?: (redis: TestRedis) => SendGate;
  } = {},
) {
  const fake = await FakeDiscord.start();
  const testRedis = createTestRedis(name);
  const keys = new RedisKeys(testRedis.prefix);
  const cache = new RedisMemberCache(testRedis.redis, keys);
  const adapter: DiscordAdapter = createDiscordAdapter({
    token: fake.token,
    applicationId: fake.applicationId,
    guildId: fake.guildId,
    apiUrl: fake.apiUrl,
    memberCache: cache,
    logger: options.logger ?? silentLogger,
    ...(options.formDeadlineMs === undefined ? {} : { formDeadlineMs: options.formDeadlineMs }),
    ...(options.maxRateLimitWaitMs === undefined ? {} : { maxRateLimitWaitMs: options.maxRateLimitWaitMs }),
    ...(options.groups ? { groupsChannelId: fake.groupsChannelId } : {}),
    ...(options.gate ? { gate: options.gate(testRedis) } : {}),
  });
  let app: App | undefined;
  if (options.handler) {
    await adapter.start(options.handler);
  } else {
    app = createTestApp(testRedis, [adapter], {
      ...(options.scheduler
        ? { scheduler: true }
        : { clock: new FixedClock("2026-11-23T00:00:00Z"), scheduler: false }),
      env: { COORDINATORS: (options.coordinators ?? []).join(",") },
      ...(options.logger ? { logger: options.logger } : {}),
    });
    await app.start();
  }

  /** The messages the bot sent in answer to one interaction. */
  const answers = (invocation: Invocation): SentMessage[] =>
    fake.sent.filter((sent) => sent.token === invocation.token);

  return {
    fake,
    testRedis,
    keys,
    cache,
    adapter,
    answers,
    /** The running app; absent when a handler stands in for the core. */
    get app(): App {
      if (!app) throw new Error("this harness drives a handler, not the app");
      return app;
    },
    /** Joins and consents through the core directly, for tests about something else. */
    async join(member: MemberId, text = VALID_JOIN): Promise<void> {
      const quiet = new RecordingResponder().responder;
      const conversation = dmWith(member);
      await this.app.bot.handle({ kind: "command", member, conversation, text }, quiet);
      await this.app.bot.handle({ kind: "button", member, conversation, actionId: "join:consent" }, quiet);
    },
    /** Waits for an answer to the interaction whose text contains `text`. */
    answer(invocation: Invocation, text: string): Promise<SentMessage> {
      return waitFor(
        () => answers(invocation).find((sent) => String(sent.message.content).includes(text)),
        `an answer containing "${text}"`,
      );
    },
    /**
     * The messages the bot posted itself (not interaction replies) in this user's DM, oldest first,
     * e.g. the question `/peer reflect` sends there when asked in the server.
     */
    dmPosts(userId: string): SentMessage[] {
      const channelId = fake.dmChannelFor(userId);
      return fake.sent.filter((sent) => sent.via === "channel" && sent.message.channel_id === channelId);
    },
    /** Waits for a message the bot posted in this user's DM containing `text`, after the first `after` posts there. */
    postedInDm(userId: string, text: string, after = 0): Promise<SentMessage> {
      return waitFor(
        () =>
          this.dmPosts(userId)
            .slice(after)
            .find((sent) => String(sent.message.content).includes(text)),
        `a post in the DM containing "${text}"`,
      );
    },
    /** The body of the interaction callback (its first response). */
    callback(invocation: Invocation): Promise<Json> {
      return waitFor(
        () =>
          fake.callsTo("POST", `/interactions/${invocation.id}/${invocation.token}/callback`)[0]
            ?.body as Json,
        "the interaction callback",
      );
    },
    async stop(): Promise<void> {
      if (app) await app.stop();
      else await adapter.stop();
      await fake.close();
      await testRedis.cleanup();
    },
  };
}

export type DiscordHarness = Awaited<ReturnType<typeof startDiscordHarness>>;
