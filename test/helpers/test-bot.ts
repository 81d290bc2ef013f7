import { type Bot, createBot } from "../../src/bot/bot.js";
import type { Feature } from "../../src/bot/feature.js";
import { createSafetyFeature } from "../../src/features/safety/index.js";
import { type Logger, silentLogger } from "../../src/logging/logger.js";
import { PendingConsents } from "../../src/members/pending-consents.js";
import type { InboundEvent, MemberId } from "../../src/platform/chat-platform.js";
import { RedisKeys } from "../../src/store/redis-keys.js";
import { RedisMemberStore } from "../../src/store/redis-member-store.js";
import { FixedClock } from "../fakes/fixed-clock.js";
import { RecordingResponder } from "../fakes/recording-responder.js";
import type { TestRedis } from "./test-redis.js";

export const VALID_JOIN =
  'join region:"Wide Bay" tz:Australia/Brisbane days:mon-wed hours:09:00-15:00 solo:yes';

/** The real core on a real Redis, with helpers to talk to it as a member. */
export function createTestBot(
  testRedis: TestRedis,
  options: { coordinators?: MemberId[]; features?: Feature[]; logger?: Logger } = {},
) {
  const clock = new FixedClock("2026-11-23T00:00:00Z");
  const keys = new RedisKeys(testRedis.prefix);
  const members = new RedisMemberStore(testRedis.redis, keys);
  const bot: Bot = createBot(
    {
      members,
      dataSections: [members],
      consents: new PendingConsents(clock),
      clock,
      logger: options.logger ?? silentLogger,
      coordinators: new Set(options.coordinators ?? []),
    },
    [createSafetyFeature(), ...(options.features ?? [])],
  );

  async function send(event: InboundEvent, withForms = false): Promise<RecordingResponder> {
    const responder = new RecordingResponder(withForms);
    await bot.handle(event, responder.responder);
    return responder;
  }

  return {
    bot,
    clock,
    keys,
    members,
    /** `/peer <text>` as `member`; returns the text of the last reply. */
    async command(member: MemberId, text: string): Promise<string> {
      return (await send({ kind: "command", member, text })).last.text;
    },
    async press(member: MemberId, actionId: string): Promise<string> {
      return (await send({ kind: "button", member, actionId })).last.text;
    },
    async message(member: MemberId, text: string): Promise<string> {
      return (await send({ kind: "message", member, text })).last.text;
    },
    send,
    /** Joins and consents. */
    async join(member: MemberId, text = VALID_JOIN): Promise<void> {
      await send({ kind: "command", member, text });
      await send({ kind: "button", member, actionId: "join:consent" });
    },
  };
}
