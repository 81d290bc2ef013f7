import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemberUnreachableError, RateLimitedError } from "../../src/errors.js";
import { silentLogger } from "../../src/logging/logger.js";
import { dmWith } from "../../src/platform/chat-platform.js";
import type { FakeUser } from "../../test/fakes/fake-discord.js";
import { type DiscordHarness, startDiscordHarness, waitFor } from "../../test/helpers/discord-harness.js";
import { createDiscordAdapter } from "./discord-adapter.js";

let h: DiscordHarness;
beforeAll(async () => {
  h = await startDiscordHarness("discord-dms");
});
afterAll(() => h.stop());

/** The messages the bot posted into a channel with this text. */
const postsIn = (channelId: string, text: string) =>
  h.fake.sent.filter(
    (s) =>
      s.via === "channel" && s.message.channel_id === channelId && String(s.message.content).includes(text),
  );

async function joined(name: string): Promise<{ user: FakeUser; member: string }> {
  const user = h.fake.user(name);
  const member = `discord:${user.id}`;
  await h.join(member);
  return { user, member };
}

describe("Discord adapter: direct messages", () => {
  it("hands a DM to the core and sends the reply back into the DM", async () => {
    const ana = h.fake.user("ana");
    const { channelId } = h.fake.directMessage(ana, "hello there");
    await waitFor(() => postsIn(channelId, "Hi, I'm the peer network bot")[0], "the reply in the DM");
    // The DM channel was known from the message: nothing was opened.
    expect(h.fake.callsTo("POST", "/users/@me/channels")).toEqual([]);
  });

  it("ignores direct messages from bots", async () => {
    const before = h.fake.sent.length;
    h.fake.directMessage({ ...h.fake.user("robot"), bot: true }, "beep");
    const ana = h.fake.user("ana2");
    const { channelId } = h.fake.directMessage(ana, "hello");
    await waitFor(() => postsIn(channelId, "Hi, I'm")[0], "the reply to the person");
    expect(h.fake.sent.length).toBe(before + 1);
  });

  it("sends a DM with buttons as an action row, and a press in the DM reaches the core", async () => {
    const { user, member } = await joined("ben");
    await h.adapter.post(dmWith(member), {
      text: "Delete your data?",
      buttons: [
        { id: "forget:confirm", label: "Delete", style: "danger" },
        { id: "forget:cancel", label: "Keep it", value: "from-dm" },
        { id: "join:consent", label: "Agree", style: "primary" },
      ],
    });
    const [sent] = postsIn(h.fake.dmChannelFor(user.id), "Delete your data?");
    expect(sent?.message.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, custom_id: "forget:confirm", label: "Delete", style: 4 },
          { type: 2, custom_id: "forget:cancel|from-dm", label: "Keep it", style: 2 },
          { type: 2, custom_id: "join:consent", label: "Agree", style: 1 },
        ],
      },
    ]);
    const press = h.fake.press(user, "forget:cancel|from-dm");
    expect(await h.callback(press)).toEqual({ type: 6 });
    expect(await h.answer(press, "I've left everything as it is")).toMatchObject({
      via: "followup",
      message: { flags: 64, channel_id: h.fake.dmChannelFor(user.id) },
    });
  });

  it("opens a DM channel once and caches it with the member, so later sends skip that call", async () => {
    const { user, member } = await joined("cai");
    const opens = () => h.fake.callsTo("POST", "/users/@me/channels").length;
    const before = opens();
    await h.adapter.post(dmWith(member), { text: "First check-in" });
    expect(opens()).toBe(before + 1);
    // Kept in Redis with the member's own data, so a restart or another process finds it too.
    expect(await h.testRedis.redis.hget(h.keys.memberPart(member, "cache"), "dm-channel")).toBe(
      h.fake.dmChannelFor(user.id),
    );
    await h.adapter.post(dmWith(member), { text: "Second check-in" });
    expect(opens()).toBe(before + 1);
    expect(postsIn(h.fake.dmChannelFor(user.id), "check-in")).toHaveLength(2);
  });

  it("sends to a member who has DMed the bot without opening a channel", async () => {
    const { user, member } = await joined("dee");
    const { channelId } = h.fake.directMessage(user, "hi");
    await waitFor(() => postsIn(channelId, "Thanks for your message")[0], "the reply");
    const opens = h.fake.callsTo("POST", "/users/@me/channels").length;
    await h.adapter.post(dmWith(member), { text: "A reflection prompt" });
    expect(h.fake.callsTo("POST", "/users/@me/channels").length).toBe(opens);
    expect(postsIn(channelId, "A reflection prompt")).toHaveLength(1);
  });

  it("opens a fresh DM channel once when the cached one no longer exists", async () => {
    const { user, member } = await joined("ida");
    await h.cache.set(member, "dm-channel", "1000000000000000042");
    h.fake.failWith("POST", "/channels/1000000000000000042/messages", {
      status: 404,
      code: 10003,
      message: "Unknown Channel",
    });
    await h.adapter.post(dmWith(member), { text: "After the channel moved" });
    expect(postsIn(h.fake.dmChannelFor(user.id), "After the channel moved")).toHaveLength(1);
    expect(await h.cache.get(member, "dm-channel")).toBe(h.fake.dmChannelFor(user.id));
  });

  it("sits out a 429 with Retry-After and sends the DM exactly once, later", async () => {
    const { user, member } = await joined("eve");
    const channelId = h.fake.dmChannelFor(user.id);
    await h.cache.set(member, "dm-channel", channelId);
    h.fake.rateLimit("POST", `/channels/${channelId}/messages`, 1, 1);
    const started = Date.now();
    await h.adapter.post(dmWith(member), { text: "Rate limited hello" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(h.fake.callsTo("POST", `/channels/${channelId}/messages`).map((call) => call.status)).toEqual([
      429, 200,
    ]);
    expect(postsIn(channelId, "Rate limited hello")).toHaveLength(1);
  });

  it("hands a long rate-limit wait back as RateLimitedError, for the queue to retry", async () => {
    const { user, member } = await joined("fay");
    const channelId = h.fake.dmChannelFor(user.id);
    await h.cache.set(member, "dm-channel", channelId);
    h.fake.rateLimit("POST", `/channels/${channelId}/messages`, 1, 60);
    const error = await h.adapter.post(dmWith(member), { text: "Not now" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThanOrEqual(60_000);
    expect(postsIn(channelId, "Not now")).toEqual([]);
  });

  it("marks a member with closed DMs unreachable, makes no call until they interact, then sends again", async () => {
    const { user, member } = await joined("gus");
    const channelId = h.fake.dmChannelFor(user.id);
    h.fake.failWith("POST", `/channels/${channelId}/messages`, {
      status: 403,
      code: 50007,
      message: "Cannot send messages to this user",
    });
    await expect(h.adapter.post(dmWith(member), { text: "Check-in 1" })).rejects.toBeInstanceOf(
      MemberUnreachableError,
    );
    expect(await h.cache.get(member, "unreachable")).not.toBeNull();

    const callsBefore = h.fake.calls.length;
    await expect(h.adapter.post(dmWith(member), { text: "Check-in 2" })).rejects.toBeInstanceOf(
      MemberUnreachableError,
    );
    expect(h.fake.calls.length).toBe(callsBefore);

    // Any interaction clears the mark: here, /peer help in the server.
    await h.answer(h.fake.command(user, [{ name: "help", type: 1 }]), "What you can ask me");
    expect(await h.cache.get(member, "unreachable")).toBeNull();
    await h.adapter.post(dmWith(member), { text: "Check-in 3" });
    expect(postsIn(channelId, "Check-in 3")).toHaveLength(1);
  });

  it("returns a reference to what it posted in a DM, and edits that message in place", async () => {
    const { user, member } = await joined("hal");
    const ref = await h.adapter.post(dmWith(member), {
      text: "Who can make Tuesday?",
      buttons: [{ id: "rsvp:yes", label: "I can come" }],
    });
    const [posted] = postsIn(h.fake.dmChannelFor(user.id), "Who can make Tuesday?");
    expect(ref).toEqual({ conversation: dmWith(member), id: posted?.message.id });

    await h.adapter.edit(ref, { text: "Tuesday is on: 3 coming" });
    expect(h.fake.callsTo("PATCH", `/channels/${h.fake.dmChannelFor(user.id)}/messages/${ref.id}`)).toEqual([
      expect.objectContaining({
        status: 200,
        body: { content: "Tuesday is on: 3 coming", components: [], allowed_mentions: { parse: [] } },
      }),
    ]);
    expect(h.fake.message(ref.id)?.object).toMatchObject({
      content: "Tuesday is on: 3 coming",
      components: [],
    });
  });

  it("refers to the last part of a long message, the one with the buttons", async () => {
    const { member } = await joined("ivy");
    const ref = await h.adapter.post(dmWith(member), {
      text: `${"a line of the export\n".repeat(150)}the end`,
      buttons: [{ id: "export:done", label: "Done" }],
    });
    expect(h.fake.message(ref.id)?.object).toMatchObject({
      content: expect.stringMatching(/the end$/),
      components: [expect.anything()],
    });
    // An edit replaces one message, so its text must fit in one.
    await expect(h.adapter.edit(ref, { text: "x".repeat(2001) })).rejects.toMatchObject({
      code: "PLATFORM_FAILED",
    });
  });

  it("posts into a shared channel, or a thread in it, by reference", async () => {
    const channel = { kind: "channel" as const, id: `discord:${h.fake.guildChannelId}` };
    const ref = await h.adapter.post(channel, { text: "Welcome to the circle" });
    expect(ref.conversation).toEqual(channel);
    expect(postsIn(h.fake.guildChannelId, "Welcome to the circle").map((s) => s.message.id)).toEqual([
      ref.id,
    ]);
    await h.adapter.edit(ref, { text: "Welcome to the circle, everyone" });
    expect(h.fake.message(ref.id)?.object.content).toBe("Welcome to the circle, everyone");
    await expect(h.adapter.post({ kind: "group", id: "slack:C123" }, { text: "x" })).rejects.toMatchObject({
      code: "PLATFORM_FAILED",
    });
  });

  it("refuses to start with a clear error when Discord rejects the token", async () => {
    const wrong = createDiscordAdapter({
      token: "not-the-token",
      applicationId: h.fake.applicationId,
      apiUrl: h.fake.apiUrl,
      memberCache: h.cache,
      logger: silentLogger,
    });
    await expect(wrong.start(async () => {})).rejects.toMatchObject({ code: "PLATFORM_FAILED" });
    await wrong.stop();
  });
});
