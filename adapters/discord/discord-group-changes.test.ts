import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemberUnreachableError, RateLimitedError } from "../../src/errors.js";
import { silentLogger } from "../../src/logging/logger.js";
import {
  type ConversationRef,
  type InboundEvent,
  type InboundHandler,
  type MessageRef,
  dmWith,
} from "../../src/platform/chat-platform.js";
import { RedisKeys } from "../../src/store/redis-keys.js";
import { RedisMemberCache } from "../../src/store/redis-member-cache.js";
import { FakeDiscord, type FakeUser, snowflake } from "../../test/fakes/fake-discord.js";
import { waitFor } from "../../test/helpers/discord-harness.js";
import { type TestRedis, createTestRedis } from "../../test/helpers/test-redis.js";
import { type DiscordAdapter, createDiscordAdapter } from "./discord-adapter.js";

/**
 * Members' edits and deletions of their messages in group threads, and the
 * bot deleting its own posts: real discord.js against the fake Discord on
 * loopback, with a scripted handler in place of the core.
 */
let fake: FakeDiscord;
let testRedis: TestRedis;
let adapter: DiscordAdapter;
const received: InboundEvent[] = [];
const handler: InboundHandler = async (event, responder) => {
  received.push(event);
  if (event.kind === "message-edited" && event.text.startsWith("reply"))
    await responder.reply({ text: "seen your edit" });
};

function adapterWith(): DiscordAdapter {
  return createDiscordAdapter({
    token: fake.token,
    applicationId: fake.applicationId,
    apiUrl: fake.apiUrl,
    memberCache: new RedisMemberCache(testRedis.redis, new RedisKeys(testRedis.prefix)),
    logger: silentLogger,
    // Above discord.js's own global limit (50 requests a second), which these tests reach.
    maxRateLimitWaitMs: 2000,
    groupsChannelId: fake.groupsChannelId,
  });
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  testRedis = createTestRedis("discord-group-changes");
  adapter = adapterWith();
  await adapter.start(handler);
});
afterAll(async () => {
  await adapter.stop();
  await fake.close();
  await testRedis.cleanup();
});

const member = (user: FakeUser) => `discord:${user.id}`;
const threadIdOf = (group: ConversationRef) => group.id.replace(/^discord:/, "");

async function opened(...names: string[]) {
  const users = names.map((name) => fake.user(name));
  const group = await adapter.openGroup(users.map(member), "Circle");
  return { users, group };
}

/** Writes in a thread and resolves with the reference the handler was given. */
async function writeIn(user: FakeUser, group: ConversationRef, text: string): Promise<MessageRef> {
  fake.guildMessage(user, threadIdOf(group), text);
  const event = await waitFor(
    () => received.find((e) => e.kind === "message" && e.text === text),
    `"${text}"`,
  );
  if (event.kind !== "message" || !event.message) throw new Error("the message has no reference");
  return event.message;
}

let sentinels = 0;

/**
 * The events after `from` the core was handed, once everything dispatched
 * before has been handled: a DM sent after it comes through the gateway
 * behind it, and is left out.
 */
async function since(from: number): Promise<InboundEvent[]> {
  sentinels += 1;
  const text = `sentinel ${sentinels}`;
  fake.directMessage(fake.user(`sentinel${sentinels}`), text);
  await waitFor(() => received.find((e) => e.kind === "message" && e.text === text), "the sentinel");
  await adapter.idle();
  return received.slice(from).filter((e) => !(e.kind === "message" && e.text === text));
}

describe("Discord groups: members' edits and deletions", () => {
  it("gives a member's group message its reference, and delivers their edit and deletion with it", async () => {
    const { users, group } = await opened("ada", "abe");
    const [ada] = users as [FakeUser];
    const ref = await writeIn(ada, group, "Tuesday suits me");
    expect(ref).toEqual({ conversation: group, id: expect.stringMatching(/^\d+$/) });
    expect(fake.message(ref.id)?.object.content).toBe("Tuesday suits me");

    fake.editMessage(ada, ref.id, "Thursday suits me");
    const edited = await waitFor(() => received.find((e) => e.kind === "message-edited"), "the edit");
    expect(edited).toMatchObject({
      kind: "message-edited",
      member: member(ada),
      displayName: "Ada",
      conversation: group,
      message: ref,
      text: "Thursday suits me",
    });

    fake.deleteMessage(ada, ref.id);
    const deleted = await waitFor(() => received.find((e) => e.kind === "message-deleted"), "the deletion");
    expect(deleted).toMatchObject({ kind: "message-deleted", member: member(ada), conversation: group });
    expect(deleted.kind === "message-deleted" && deleted.message).toEqual(ref);
    expect(fake.message(ref.id)).toBeUndefined();
  });

  it("gives a direct message its reference too", async () => {
    const bea = fake.user("bea");
    const { id } = fake.directMessage(bea, "hello there");
    const event = await waitFor(
      () => received.find((e) => e.kind === "message" && e.text === "hello there"),
      "the DM",
    );
    expect(event).toMatchObject({
      conversation: dmWith(member(bea)),
      message: { conversation: dmWith(member(bea)), id },
    });
  });

  it("answers a member's edit in their DM, never in the thread", async () => {
    const { users, group } = await opened("cal", "cy");
    const [cal] = users as [FakeUser];
    const ref = await writeIn(cal, group, "first go");
    fake.editMessage(cal, ref.id, "reply to this");
    await waitFor(
      () =>
        fake
          .messages()
          .find((m) => m.channelId === fake.dmChannelFor(cal.id) && m.object.content === "seen your edit"),
      "the answer in his DM",
    );
    expect(fake.messages().filter((m) => m.channelId === threadIdOf(group) && m.source === "bot")).toEqual(
      [],
    );
  });

  it("drops updates that leave the text as it was, and edits that take all the words away", async () => {
    const { users, group } = await opened("dot", "del");
    const [dot] = users as [FakeUser];
    const ref = await writeIn(dot, group, "see https://example.org");
    const from = received.length;
    // A link preview arriving: the same message, the text unchanged.
    const now = fake.message(ref.id)?.object ?? {};
    fake.dispatch("MESSAGE_UPDATE", {
      ...now,
      guild_id: fake.guildId,
      embeds: [{ type: "link", url: "https://example.org" }],
    });
    fake.editMessage(dot, ref.id, "");
    // A message with no words (an attachment alone) was never handed on, nor is its deletion.
    const wordless = fake.guildMessage(dot, threadIdOf(group), "");
    fake.deleteMessage(dot, wordless.id);
    expect(await since(from)).toEqual([]);
    // The message whose words were taken away was handed on, so its deletion is too.
    const later = received.length;
    fake.deleteMessage(dot, ref.id);
    expect(await since(later)).toMatchObject([
      { kind: "message-deleted", member: member(dot), message: ref },
    ]);
  });

  it("ignores the bot's own edits and deletions, and anything outside the threads it opened", async () => {
    const { users, group } = await opened("eva", "eli");
    const [eva] = users as [FakeUser];
    const from = received.length;
    const post = await adapter.post(group, { text: "Welcome" });
    await adapter.edit(post, { text: "Welcome, both" });
    await adapter.delete(post);
    const inGeneral = fake.guildMessage(eva, fake.guildChannelId, "in general");
    fake.editMessage(eva, inGeneral.id, "in general, edited");
    fake.deleteMessage(eva, inGeneral.id);
    const theirs = fake.personThread(eva, fake.groupsChannelId, "Eva's own thread");
    const inTheirs = fake.guildMessage(eva, theirs, "in her own thread");
    fake.editMessage(eva, inTheirs.id, "in her own thread, edited");
    fake.deleteMessage(eva, inTheirs.id);
    const dm = fake.directMessage(eva, "a DM");
    fake.editMessage(eva, dm.id, "a DM, edited");
    fake.deleteMessage(eva, dm.id);
    expect((await since(from)).map((e) => [e.kind, "text" in e ? e.text : undefined])).toEqual([
      ["message", "a DM"],
    ]);
  });

  it("drops the deletion of a message it never saw arrive: Discord does not say whose it was", async () => {
    const { group } = await opened("fay", "fin");
    const from = received.length;
    fake.dispatch("MESSAGE_DELETE", {
      id: snowflake(),
      channel_id: threadIdOf(group),
      guild_id: fake.guildId,
    });
    expect(await since(from)).toEqual([]);
  });

  it("delivers each member message a moderator bulk-deletes, by its author", async () => {
    const { users, group } = await opened("gus", "gwen");
    const [gus, gwen] = users as [FakeUser, FakeUser];
    const one = await writeIn(gus, group, "one from Gus");
    const two = await writeIn(gwen, group, "one from Gwen");
    const post = await adapter.post(group, { text: "the bot's" });
    const from = received.length;
    fake.dispatch("MESSAGE_DELETE_BULK", {
      ids: [one.id, two.id, post.id, snowflake()],
      channel_id: threadIdOf(group),
      guild_id: fake.guildId,
    });
    const deletions = await since(from);
    expect(
      deletions.map((e) => [e.kind, e.member, e.kind === "message-deleted" ? e.message : undefined]),
    ).toEqual(
      expect.arrayContaining([
        ["message-deleted", member(gus), one],
        ["message-deleted", member(gwen), two],
      ]),
    );
    expect(deletions).toHaveLength(2);
  });
});

describe("Discord: the bot deleting its own posts", () => {
  it("deletes a group post, and a post already gone resolves quietly", async () => {
    const { group } = await opened("hal", "hana");
    const post = await adapter.post(group, { text: "to take back" });
    await adapter.delete(post);
    expect(fake.message(post.id)).toBeUndefined();
    const route = `/channels/${threadIdOf(group)}/messages/${post.id}`;
    expect(fake.callsTo("DELETE", route).map((call) => call.status)).toEqual([204]);
    await expect(adapter.delete(post)).resolves.toBeUndefined();
    expect(fake.callsTo("DELETE", route).map((call) => call.status)).toEqual([204, 404]);
  });

  it("deletes a post in a member's DM", async () => {
    const ivy = fake.user("ivy");
    const post = await adapter.post(dmWith(member(ivy)), { text: "a DM to take back" });
    await adapter.delete(post);
    expect(fake.message(post.id)).toBeUndefined();
    expect(fake.callsTo("DELETE", `/channels/${fake.dmChannelFor(ivy.id)}/messages/${post.id}`)).toHaveLength(
      1,
    );
  });

  it("deletes every part of a post too long for one message", async () => {
    const { group } = await opened("jay", "jen");
    const before = fake.messages().length;
    const post = await adapter.post(group, { text: ["a", "b", "c"].map((c) => c.repeat(1990)).join("\n") });
    const parts = fake
      .messages()
      .slice(before)
      .filter((m) => m.channelId === threadIdOf(group));
    expect(parts).toHaveLength(3);
    await adapter.delete(post);
    expect(parts.map((m) => fake.message(m.id))).toEqual([undefined, undefined, undefined]);
  });

  it("a long rate limit is a RateLimitedError, and the delete can be tried again", async () => {
    const { group } = await opened("kai", "kim");
    const post = await adapter.post(group, { text: "rate limited" });
    fake.rateLimit("DELETE", `/channels/${threadIdOf(group)}/messages/${post.id}`, 1, 30);
    const error = await adapter.delete(post).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThanOrEqual(30_000);
    await adapter.delete(post);
    expect(fake.message(post.id)).toBeUndefined();
  });

  it("closed DMs are MemberUnreachableError; other refusals are PLATFORM_FAILED", async () => {
    const lou = fake.user("lou");
    const post = await adapter.post(dmWith(member(lou)), { text: "hello" });
    fake.failWith("DELETE", `/channels/${fake.dmChannelFor(lou.id)}/messages/${post.id}`, {
      status: 403,
      code: 50007,
      message: "Cannot send messages to this user",
    });
    await expect(adapter.delete(post)).rejects.toBeInstanceOf(MemberUnreachableError);

    const { users, group } = await opened("mo", "mia");
    const [mo] = users as [FakeUser];
    const theirs = await writeIn(mo, group, "not the bot's to delete");
    const error = await adapter.delete(theirs).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "PLATFORM_FAILED" });
    expect((error as Error).message).toContain("Discord code 50013");
    expect(fake.message(theirs.id)).toBeDefined();
  });
});

describe("Discord group changes after a restart", () => {
  it("follows an edit of a message from before the restart (Discord sends its author), but not a bare deletion", async () => {
    const { users, group } = await opened("ned", "nia");
    const [ned] = users as [FakeUser];
    const kept = await writeIn(ned, group, "written before the restart");
    const gone = await writeIn(ned, group, "deleted after the restart");

    await adapter.stop();
    adapter = adapterWith();
    await adapter.start(handler);

    const from = received.length;
    fake.deleteMessage(ned, gone.id);
    fake.editMessage(ned, kept.id, "edited after the restart");
    await waitFor(() => received.slice(from).find((e) => e.kind === "message-edited"), "the edit");
    // The edit brought the whole message, author and all, so its deletion now has an author too.
    fake.deleteMessage(ned, kept.id);
    await waitFor(() => received.slice(from).find((e) => e.kind === "message-deleted"), "the deletion");
    expect(
      (await since(from)).map((e) => [e.kind, e.member, "message" in e ? e.message : undefined]),
    ).toEqual([
      ["message-edited", member(ned), kept],
      ["message-deleted", member(ned), kept],
    ]);
  });
});
