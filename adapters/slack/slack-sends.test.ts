import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BotError, MemberUnreachableError, RateLimitedError } from "../../src/errors.js";
import { silentLogger } from "../../src/logging/logger.js";
import { dmWith } from "../../src/platform/chat-platform.js";
import { RedisMemberCache } from "../../src/store/redis-member-cache.js";
import type { FakeSlackCall } from "../../test/fakes/fake-slack-api.js";
import {
  BOT_TOKEN,
  type SlackHarness,
  TEAM_ID,
  startSlackHarness,
  waitFor,
} from "../../test/helpers/slack-harness.js";
import { blockActionsPayload, commandPayload, messageImEvent } from "../../test/helpers/slack-requests.js";
import { VALID_JOIN } from "../../test/helpers/test-bot.js";
import { slackMemberId } from "./member-ids.js";
import { createSlackAdapter } from "./slack-adapter.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-sends");
});
afterEach(() => h.adapter.idle());
afterAll(() => h.stop());

function person(userId: string) {
  h.fake.addUser({ id: userId, name: userId.toLowerCase(), displayName: userId });
  return { teamId: TEAM_ID, userId, member: slackMemberId(TEAM_ID, userId) };
}

function callsSince(mark: number, method?: string): FakeSlackCall[] {
  return h.fake.calls.slice(mark).filter((call) => method === undefined || call.method === method);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("Slack sends", () => {
  it("sends to a member whose DM channel is cached with chat.postMessage alone, even from a fresh process", async () => {
    const pat = person("U0PAT");
    await h.slack.command(commandPayload(pat, VALID_JOIN, h.fake.responseUrl("pat-join")));
    await waitFor(
      () => h.fake.callsTo("response_url").find((c) => c.responseUrlName === "pat-join"),
      "consent",
    );
    await h.slack.interaction(
      blockActionsPayload(pat, { actionId: "join:consent" }, h.fake.responseUrl("pat-2")),
    );
    await waitFor(() => h.members.get(pat.member), "the member to be stored");
    await h.adapter.idle();
    await h.slack.event(messageImEvent(pat, "hello", { channel: "D0PATDM" }));
    await waitFor(
      () => h.fake.callsTo("chat.postMessage").some((call) => call.args.channel === "D0PATDM"),
      "the DM reply",
    );
    await h.adapter.idle();
    expect(await h.testRedis.redis.hget(h.keys.memberPart(pat.member, "cache"), "slackDm")).toBe("D0PATDM");

    const mark = h.fake.calls.length;
    await h.adapter.post(dmWith(pat.member), { text: "Time for a check-in?" });
    // A scheduler process has a new adapter and an empty in-memory cache: Redis still has the channel.
    const scheduler = createSlackAdapter({
      botToken: BOT_TOKEN,
      signingSecret: "unused",
      apiUrl: h.fake.apiUrl,
      redis: h.testRedis.redis,
      keyPrefix: h.testRedis.prefix,
      memberCache: new RedisMemberCache(h.testRedis.redis, h.keys),
      logger: silentLogger,
      retryConfig: { retries: 0 },
    });
    await scheduler.post(dmWith(pat.member), { text: "A reflective prompt" });

    expect(callsSince(mark).map((call) => [call.method, call.args.channel])).toEqual([
      ["chat.postMessage", "D0PATDM"],
      ["chat.postMessage", "D0PATDM"],
    ]);
  });

  it("opens a DM once when none is cached, then reuses it", async () => {
    const quinn = person("U0QUINN");
    const mark = h.fake.calls.length;
    await h.adapter.post(dmWith(quinn.member), { text: "first" });
    await h.adapter.post(dmWith(quinn.member), { text: "second" });
    expect(callsSince(mark).map((call) => call.method)).toEqual([
      "conversations.open",
      "chat.postMessage",
      "chat.postMessage",
    ]);
    expect(callsSince(mark, "chat.postMessage").map((call) => call.args.channel)).toEqual([
      "DU0QUINN",
      "DU0QUINN",
    ]);
  });

  it("surfaces a 429 from chat.postMessage as RateLimitedError with Retry-After in ms, without retrying", async () => {
    const rae = person("U0RAE");
    await h.adapter.post(dmWith(rae.member), { text: "warm the cache" });
    h.fake.rateLimitNext("chat.postMessage", 1, 7);
    const mark = h.fake.calls.length;

    const error = await rejection(h.adapter.post(dmWith(rae.member), { text: "rate limited" }));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ code: "RATE_LIMITED", retryAfterMs: 7000 });
    expect(callsSince(mark).map((call) => [call.method, call.status])).toEqual([["chat.postMessage", 429]]);

    await h.adapter.post(dmWith(rae.member), { text: "later" });
    expect(callsSince(mark).map((call) => call.status)).toEqual([429, 200]);
  });

  it("turns deactivated or unknown members into MemberUnreachableError, other failures into PLATFORM_FAILED", async () => {
    const sol = person("U0SOL");
    await h.adapter.post(dmWith(sol.member), { text: "warm the cache" });

    h.fake.failNext("chat.postMessage", "account_inactive");
    expect(await rejection(h.adapter.post(dmWith(sol.member), { text: "x" }))).toBeInstanceOf(
      MemberUnreachableError,
    );

    const ghost = slackMemberId(TEAM_ID, "U0GHOST");
    const unknown = await rejection(h.adapter.post(dmWith(ghost), { text: "x" }));
    expect(unknown).toBeInstanceOf(MemberUnreachableError);
    expect(unknown).toMatchObject({ code: "MEMBER_UNREACHABLE" });

    h.fake.failNext("chat.postMessage", "internal_error");
    const failed = await rejection(h.adapter.post(dmWith(sol.member), { text: "x" }));
    expect(failed).toBeInstanceOf(BotError);
    expect(failed).not.toBeInstanceOf(MemberUnreachableError);
    expect(failed).toMatchObject({
      code: "PLATFORM_FAILED",
      message: "slack chat.postMessage failed: internal_error",
    });
    expect((failed as BotError).cause).toBeInstanceOf(Error);

    expect(await rejection(h.adapter.post(dmWith("discord:123456789"), { text: "x" }))).toMatchObject({
      code: "PLATFORM_FAILED",
    });
  });

  it("splits a long text into section blocks of at most 3000 characters and keeps the whole text as fallback", async () => {
    const tay = person("U0TAY");
    const paragraph = `${"Notes from today's circle. ".repeat(40)}\n`;
    const text = paragraph.repeat(7).trim();
    expect(text.length).toBeGreaterThan(7000);
    const mark = h.fake.calls.length;
    await h.adapter.post(dmWith(tay.member), {
      text,
      buttons: [{ id: "reflect:start", label: "Start", style: "primary", value: "prompt-12" }],
    });

    const [sent] = callsSince(mark, "chat.postMessage");
    const blocks = sent?.args.blocks as Array<{
      type: string;
      text?: { text: string };
      elements?: unknown[];
    }>;
    const sections = blocks.filter((block) => block.type === "section");
    expect(sections.length).toBeGreaterThanOrEqual(3);
    for (const section of sections) expect(section.text?.text.length).toBeLessThanOrEqual(3000);
    expect(sections.map((section) => section.text?.text).join("\n")).toBe(text);
    expect(sent?.args.text).toBe(text);
    expect(blocks.at(-1)).toEqual({
      type: "actions",
      block_id: "peer-buttons",
      elements: [
        {
          type: "button",
          action_id: "reflect:start",
          text: { type: "plain_text", text: "Start" },
          style: "primary",
          value: "prompt-12",
        },
      ],
    });
  });

  it("sends a text too long for one Slack message as several, in order, with the buttons on the last", async () => {
    const uri = person("U0URI");
    const text = `${"A long export line of member data. ".repeat(80)}\n`.repeat(40);
    expect(text.length).toBeGreaterThan(100_000);
    const mark = h.fake.calls.length;
    await h.adapter.post(dmWith(uri.member), { text, buttons: [{ id: "x:ok", label: "OK" }] });

    const posts = callsSince(mark, "chat.postMessage");
    expect(posts.length).toBeGreaterThan(2);
    expect(posts.every((post) => post.status === 200)).toBe(true);
    const types = posts.map((post) =>
      (post.args.blocks as Array<{ type: string }>).map((block) => block.type),
    );
    expect(types.slice(0, -1).flat()).not.toContain("actions");
    expect(types.at(-1)?.at(-1)).toBe("actions");
    expect(posts.map((post) => post.args.text).join("\n")).toBe(text);
  });

  it("posts to a shared channel by its reference, and into one of its threads", async () => {
    const circle = { kind: "channel", id: `slack:${TEAM_ID}:C0CIRCLE` } as const;
    const mark = h.fake.calls.length;
    const ref = await h.adapter.post(circle, { text: "This week's circle is on Thursday." });
    expect(ref.conversation).toEqual(circle);
    await h.adapter.post({ ...circle, thread: ref.id }, { text: "Bring a friend." });
    expect(
      callsSince(mark).map((call) => [call.method, call.args.channel, call.args.text, call.args.thread_ts]),
    ).toEqual([
      ["chat.postMessage", "C0CIRCLE", "This week's circle is on Thursday.", undefined],
      ["chat.postMessage", "C0CIRCLE", "Bring a friend.", ref.id],
    ]);
    h.fake.rateLimitNext("chat.postMessage", 1, 2);
    expect(await rejection(h.adapter.post(circle, { text: "x" }))).toMatchObject({
      retryAfterMs: 2000,
    });
    expect(
      await rejection(h.adapter.post({ kind: "channel", id: "discord:123456789" }, { text: "x" })),
    ).toMatchObject({ code: "PLATFORM_FAILED" });
  });
});
