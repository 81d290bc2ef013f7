import type { Bot } from "../../src/bot/bot.js";
import type { Feature } from "../../src/bot/feature.js";
import type { Logger } from "../../src/logging/logger.js";
import {
  type ConversationRef,
  type InboundEvent,
  type MemberId,
  dmWith,
} from "../../src/platform/chat-platform.js";
import { FixedClock } from "../fakes/fixed-clock.js";
import { RecordingPlatform } from "../fakes/recording-platform.js";
import { RecordingResponder } from "../fakes/recording-responder.js";
import { createTestApp } from "./test-app.js";
import type { TestRedis } from "./test-redis.js";

/** An inbound event as a test writes it: in the member's DM unless it says otherwise. */
export type TestEvent = InboundEvent extends infer E
  ? E extends InboundEvent
    ? Omit<E, "conversation"> & { conversation?: ConversationRef }
    : never
  : never;

export const VALID_JOIN =
  'join region:"Wide Bay" tz:Australia/Brisbane days:mon-wed hours:09:00-15:00 solo:yes';

/**
 * The real core, every standard feature, on a real Redis (no scheduler, clock
 * fixed), with helpers to talk to it as a member. Posts outside a reply (a
 * question sent into the member's DM) land on `platform`.
 */
export function createTestBot(
  testRedis: TestRedis,
  options: { coordinators?: MemberId[]; features?: Feature[]; logger?: Logger } = {},
) {
  const clock = new FixedClock("2026-11-23T00:00:00Z");
  const platform = new RecordingPlatform("local");
  const app = createTestApp(testRedis, [platform], {
    clock,
    scheduler: false,
    env: { COORDINATORS: (options.coordinators ?? []).join(",") },
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.features ? { extraFeatures: options.features } : {}),
  });
  const bot: Bot = app.bot;

  async function send(event: TestEvent, withForms = false): Promise<RecordingResponder> {
    const responder = new RecordingResponder(withForms);
    const full = { conversation: dmWith(event.member), ...event } as InboundEvent;
    await bot.handle(full, responder.responder);
    return responder;
  }

  return {
    app,
    bot,
    clock,
    platform,
    keys: app.stores.keys,
    members: app.stores.members,
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
    /** Closes the app's Redis connection (the test's own connection is closed by its cleanup). */
    stop: () => app.stop(),
  };
}
