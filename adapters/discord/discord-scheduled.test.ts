import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutboundQueue } from "../../scheduler/outbound-queue.js";
import type { FakeUser, RecordedCall } from "../../test/fakes/fake-discord.js";
import { type DiscordHarness, startDiscordHarness, waitFor } from "../../test/helpers/discord-harness.js";
import { dumpRedis } from "../../test/helpers/redis-dump.js";

/**
 * Scheduled prompts to Discord members, end to end: the real scheduler
 * (dispatcher, BullMQ paced outbound queue, delivery service) on the real
 * clock and real Redis, the real Discord adapter and discord.js, the fake
 * Discord on loopback.
 *
 * The adapter sits out rate-limit waits up to MAX_WAIT_MS inside discord.js
 * REST; longer ones surface as RateLimitedError for the queue to hold sends.
 */
const MAX_WAIT_MS = 1500;

let h: DiscordHarness;
let queue: OutboundQueue;
beforeAll(async () => {
  h = await startDiscordHarness("discord-scheduled", { scheduler: true, maxRateLimitWaitMs: MAX_WAIT_MS });
  const found = h.app.scheduler?.queues.get("discord");
  if (!found) throw new Error("the app runs a Discord outbound queue");
  queue = found;
});
afterAll(() => h.stop());

/**
 * A member joined through /peer join and its consent button, always inside working hours
 * (UTC, every day, all day), with tips off and nothing scheduled until a test says so.
 */
async function joined(name: string): Promise<{ user: FakeUser; member: string; channelId: string }> {
  const user = h.fake.user(name);
  const member = `discord:${user.id}`;
  const option = (optionName: string, value: string) => ({ name: optionName, type: 3, value });
  const join = h.fake.command(user, [
    {
      name: "join",
      type: 1,
      options: [
        option("region", "Anywhere"),
        option("tz", "UTC"),
        option("days", "mon-sun"),
        option("hours", "00:00-24:00"),
      ],
    },
  ]);
  await h.answer(join, "Before I store anything");
  await h.answer(h.fake.press(user, "join:consent"), "Welcome to the network");
  const tips = h.fake.command(user, [
    { name: "set", type: 1, options: [option("field", "tips"), option("value", "off")] },
  ]);
  await h.answer(tips, "tips");
  expect(await h.app.stores.schedule.get(member, "tip")).toBeNull();
  await h.app.stores.schedule.set(member, "prompt", null);
  return { user, member, channelId: h.fake.dmChannelFor(user.id) };
}

/** Makes a prompt due now and wakes the dispatcher; returns its due time. */
async function promptDueNow(member: string): Promise<number> {
  const due = Date.now();
  await h.app.stores.schedule.set(member, "prompt", due);
  h.app.scheduler?.dispatcher.poke();
  return due;
}

/** Waits until the item due at `due` has completed (its next slot is planned) and the queue is empty. */
async function completed(member: string, due: number): Promise<number> {
  return waitFor(
    async () => {
      const next = await h.app.stores.schedule.get(member, "prompt");
      return next !== null && next > due && (await queue.pending()) === 0 && next;
    },
    "the scheduled prompt to complete and the queue to drain",
    10_000,
  );
}

/** The scheduled prompts posted into a DM channel. */
const promptsIn = (channelId: string) =>
  h.fake.sent.filter(
    (s) =>
      s.via === "channel" &&
      s.message.channel_id === channelId &&
      String(s.message.content).includes("here's a question for your week"),
  );

const describeCall = (call: RecordedCall) => `${call.method} ${call.route} ${call.status}`;

describe("Discord: scheduled prompts through the paced outbound queue", () => {
  it("delivers a due prompt as a DM with its three buttons, and opens the question", async () => {
    const { member, channelId } = await joined("ana");
    const due = await promptDueNow(member);
    await completed(member, due);

    const [prompt] = promptsIn(channelId);
    expect(promptsIn(channelId)).toHaveLength(1);
    expect(prompt?.message.content).toContain("Hi Ana");
    const open = await h.app.stores.reflection.getOpen(member);
    expect(open).toMatchObject({ step: 0, askedAt: due });
    const rows = prompt?.message.components as Array<{ components: Array<{ custom_id: string }> }>;
    expect(rows.flatMap((row) => row.components.map((button) => button.custom_id))).toEqual([
      `prompt:form|${open?.questionId}`,
      `prompt:later|${open?.questionId}`,
      `prompt:skip|${open?.questionId}`,
    ]);
  });

  it("a 429 longer than the adapter sits out holds the queue for Retry-After, then sends the DM once", async () => {
    const { user, member, channelId } = await joined("ben");
    // He has written to the bot before, so his DM channel is cached with his data.
    h.fake.directMessage(user, "hello");
    await waitFor(
      () => h.fake.sent.some((s) => s.message.channel_id === channelId),
      "the reply to his DM, which caches his channel",
    );
    expect(await h.cache.get(member, "dm-channel")).toBe(channelId);

    const retryAfterSeconds = 2;
    expect(retryAfterSeconds * 1000).toBeGreaterThan(MAX_WAIT_MS);
    h.fake.rateLimit("POST", `/channels/${channelId}/messages`, 1, retryAfterSeconds);
    const heldBefore = queue.rateLimited;
    const from = h.fake.calls.length;
    const due = await promptDueNow(member);
    await completed(member, due);

    // The queue was told (RateLimitedError), not discord.js alone.
    expect(queue.rateLimited).toBe(heldBefore + 1);
    // Exactly two calls at send time: the refused post and the retried one. No DM channel was opened.
    const calls = h.fake.calls.slice(from);
    expect(calls.map(describeCall)).toEqual([
      `POST /channels/${channelId}/messages 429`,
      `POST /channels/${channelId}/messages 200`,
    ]);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(retryAfterSeconds * 1000);
    expect(promptsIn(channelId)).toHaveLength(1);
    expect(await h.app.stores.reflection.getOpen(member)).toMatchObject({ step: 0, askedAt: due });
  });

  it("a 429 short enough is sat out inside discord.js: the DM goes once, after Retry-After, and the queue never knew", async () => {
    const { member, channelId } = await joined("cai");
    await h.cache.set(member, "dm-channel", channelId);

    const retryAfterSeconds = 1;
    expect(retryAfterSeconds * 1000).toBeLessThan(MAX_WAIT_MS);
    h.fake.rateLimit("POST", `/channels/${channelId}/messages`, 1, retryAfterSeconds);
    const heldBefore = queue.rateLimited;
    const from = h.fake.calls.length;
    const due = await promptDueNow(member);
    await completed(member, due);

    expect(queue.rateLimited).toBe(heldBefore);
    const calls = h.fake.calls.slice(from);
    expect(calls.map(describeCall)).toEqual([
      `POST /channels/${channelId}/messages 429`,
      `POST /channels/${channelId}/messages 200`,
    ]);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(retryAfterSeconds * 1000);
    expect(promptsIn(channelId)).toHaveLength(1);
  });

  it("a member with closed DMs (50007) is marked unreachable, the item completes, and the next send makes no call", async () => {
    const { user, member, channelId } = await joined("dee");
    // Every post to her would be refused, so a retry would show up as another call.
    h.fake.failWith(
      "POST",
      `/channels/${channelId}/messages`,
      { status: 403, code: 50007, message: "Cannot send messages to this user" },
      5,
    );
    const from = h.fake.calls.length;
    const due = await promptDueNow(member);
    const next = await completed(member, due);
    expect(next).toBeGreaterThan(Date.now());

    expect(h.fake.calls.slice(from).map(describeCall)).toEqual([
      "POST /users/@me/channels 200",
      `POST /channels/${channelId}/messages 403`,
    ]);
    expect(h.fake.callsTo("POST", "/users/@me/channels").at(-1)?.body).toEqual({ recipient_id: user.id });
    expect(await h.cache.get(member, "unreachable")).not.toBeNull();
    // Not sent, so no question is left open; nothing of hers is still leased.
    expect(await h.app.stores.reflection.getOpen(member)).toBeNull();
    const leased = await h.testRedis.redis.zrange(`${h.testRedis.prefix}schedule:leased`, 0, -1);
    expect(leased.filter((entry) => entry.includes(member))).toEqual([]);

    const again = h.fake.calls.length;
    const due2 = await promptDueNow(member);
    await completed(member, due2);
    expect(h.fake.calls.slice(again)).toEqual([]);
    expect(await queue.pending()).toBe(0);
  });

  it("/peer forget after a scheduled send removes her from the schedule, its markers and her cache", async () => {
    const { user, member, channelId } = await joined("eve");
    const due = await promptDueNow(member);
    await completed(member, due);
    expect(promptsIn(channelId)).toHaveLength(1);
    const sentMarker = `${h.testRedis.prefix}member:${member}:sent:prompt:${due}`;
    expect(await h.testRedis.redis.get(sentMarker)).toBe("sent");
    expect(await h.cache.get(member, "dm-channel")).toBe(channelId);

    const forget = h.fake.command(user, [{ name: "forget", type: 1 }]);
    await h.answer(forget, "Delete it all?");
    await h.answer(h.fake.press(user, "forget:confirm"), "everything I kept about you has been deleted");

    // Every key, BullMQ's included: finished jobs are not kept, so no job data names her.
    const keys = await h.testRedis.keys();
    expect(keys.length).toBeGreaterThan(0);
    const stored = (await Promise.all(keys.map((key) => dumpRedis(h.testRedis.redis, key)))).flat();
    expect(stored.filter((text) => text.includes(user.id))).toEqual([]);
    expect(await h.testRedis.redis.exists(sentMarker)).toBe(0);
    expect(await h.app.stores.schedule.get(member, "prompt")).toBeNull();
  });
});
