import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemberUnreachableError, RateLimitedError } from "../../src/errors.js";
import { silentLogger } from "../../src/logging/logger.js";
import type { ConversationRef, InboundEvent, InboundHandler } from "../../src/platform/chat-platform.js";
import { RedisKeys } from "../../src/store/redis-keys.js";
import { RedisMemberCache } from "../../src/store/redis-member-cache.js";
import { FakeDiscord, type FakeUser, INTENTS, type Invocation } from "../../test/fakes/fake-discord.js";
import { waitFor } from "../../test/helpers/discord-harness.js";
import { type TestRedis, createTestRedis } from "../../test/helpers/test-redis.js";
import { type DiscordAdapter, createDiscordAdapter } from "./discord-adapter.js";

/**
 * Groups on Discord: private threads in the groups channel, with real
 * discord.js against the fake Discord on loopback and a scripted handler in
 * place of the core.
 */
let fake: FakeDiscord;
let testRedis: TestRedis;
let adapter: DiscordAdapter;
const received: InboundEvent[] = [];
const handler: InboundHandler = async (event, responder) => {
  received.push(event);
  if (event.kind === "message" && event.text.startsWith("reply"))
    await responder.reply({ text: "only for you" });
  if (event.kind === "button" || event.kind === "command")
    await responder.reply({ text: "noted, privately" });
};

function adapterWith(options: { groups?: boolean } = {}): DiscordAdapter {
  return createDiscordAdapter({
    token: fake.token,
    applicationId: fake.applicationId,
    apiUrl: fake.apiUrl,
    memberCache: new RedisMemberCache(testRedis.redis, new RedisKeys(testRedis.prefix)),
    logger: silentLogger,
    maxRateLimitWaitMs: 500,
    ...(options.groups === false ? {} : { groupsChannelId: fake.groupsChannelId }),
  });
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  testRedis = createTestRedis("discord-groups");
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

/** Writes in a thread and waits until the handler has the message. */
async function writeIn(user: FakeUser, group: ConversationRef, text: string): Promise<InboundEvent> {
  fake.guildMessage(user, threadIdOf(group), text);
  return waitFor(() => received.find((e) => e.kind === "message" && e.text === text), `"${text}"`);
}

async function opened(title: string, ...names: string[]) {
  const users = names.map((name) => fake.user(name));
  const group = await adapter.openGroup(users.map(member), title);
  return { users, group };
}

describe("Discord groups: private threads in the groups channel", () => {
  it("asks the gateway for guild messages and their text only when it has a groups channel", async () => {
    // Guilds (1) | DirectMessages (4096) | GuildMessages (512) | Message Content (32768).
    expect(fake.identifies.map((identify) => identify.intents)).toEqual([1 | 4096 | 512 | 32768]);
  });

  it("opens a private, non-invitable thread named with the title, adds each member, and returns its reference", async () => {
    const before = fake.calls.length;
    const { users, group } = await opened("Peer circle: Tuesdays", "ana", "ben");
    const threadId = threadIdOf(group);
    expect(group).toEqual({ kind: "group", id: `discord:${threadId}` });
    const calls = fake.calls.slice(before);
    expect(calls.map((call) => `${call.method} ${call.route} ${call.status}`)).toEqual([
      `POST /channels/${fake.groupsChannelId}/threads 201`,
      `PUT /channels/${threadId}/thread-members/${users[0]?.id} 204`,
      `PUT /channels/${threadId}/thread-members/${users[1]?.id} 204`,
    ]);
    expect(calls[0]?.body).toEqual({
      name: "Peer circle: Tuesdays",
      type: 12,
      invitable: false,
      auto_archive_duration: 10080,
    });
    expect(fake.thread(threadId)).toMatchObject({
      parentId: fake.groupsChannelId,
      ownerId: fake.botUser.id,
      type: 12,
      invitable: false,
      members: [fake.botUser.id, users[0]?.id, users[1]?.id],
    });
  });

  it("keeps a title to Discord's 100 characters, and names an untitled group", async () => {
    const { group } = await opened("x".repeat(150), "cai");
    expect(fake.thread(threadIdOf(group))?.name).toBe("x".repeat(100));
    const { group: untitled } = await opened("  ", "cat");
    expect(fake.thread(threadIdOf(untitled))?.name).toBe("Peer group");
  });

  it("delivers members' messages with the group as the conversation, and answers them in their DM", async () => {
    const { users, group } = await opened("Peer circle", "dee", "dan");
    const [dee, dan] = users as [FakeUser, FakeUser];
    const inThread = () =>
      fake.messages().filter((m) => m.channelId === threadIdOf(group) && m.source !== "system");
    const event = await writeIn(dee, group, "reply: this week was a lot");
    expect(event).toMatchObject({
      kind: "message",
      member: member(dee),
      displayName: "Dee",
      conversation: group,
    });
    await waitFor(
      () => fake.messages().find((m) => m.channelId === fake.dmChannelFor(dee.id) && m.source === "bot"),
      "the answer in her DM",
    );
    await adapter.idle();
    // In the thread there is only what she wrote; nothing reached Dan.
    expect(inThread().map((m) => m.source)).toEqual(["person"]);
    expect(fake.messages().filter((m) => m.channelId === fake.dmChannelFor(dan.id))).toEqual([]);
  });

  it("drops bots, Discord's notices, other channels and threads it did not open, unread", async () => {
    const { users, group } = await opened("Peer circle", "eve", "eli");
    const [eve] = users as [FakeUser];
    const from = received.length;
    // Discord's "added … to the thread" notices were already dispatched, and the bot's own posts echo back.
    await adapter.post(group, { text: "Welcome, both of you" });
    fake.guildMessage(eve, fake.guildChannelId, "in general");
    fake.guildMessage({ ...fake.user("robot"), bot: true }, fake.guildChannelId, "beep");
    const theirs = fake.personThread(eve, fake.groupsChannelId, "Eve's own thread");
    fake.guildMessage(eve, theirs, "in a thread Eve opened");
    const publicThread = fake.personThread(eve, fake.groupsChannelId, "A public one", 11);
    fake.guildMessage(eve, publicThread, "in a public thread");
    await writeIn(eve, group, "the one that counts");
    await adapter.idle();
    expect(received.slice(from).map((e) => (e.kind === "message" ? e.text : e.kind))).toEqual([
      "the one that counts",
    ]);
  });

  it("a press on a group post carries the post's reference and is answered only to the presser", async () => {
    const { users, group } = await opened("RSVP", "fay", "fin");
    const [fay] = users as [FakeUser];
    const post = await adapter.post(group, {
      text: "Who can make Tuesday?",
      buttons: [{ id: "rsvp:yes", label: "I can come", value: "tue" }],
    });
    const press = fake.pressOn(fay, post.id, "rsvp:yes|tue");
    const event = await waitFor(
      () => received.find((e) => e.kind === "button" && e.member === member(fay)),
      "the press",
    );
    expect(event).toMatchObject({ actionId: "rsvp:yes", value: "tue", conversation: group, message: post });
    await answered(press, "noted, privately");
    const answer = fake.messages().find((m) => m.token === press.token);
    expect(answer).toMatchObject({ channelId: threadIdOf(group), object: { flags: 64 } });
    expect(
      fake.messages().filter((m) => m.channelId === threadIdOf(group) && m.source === "bot"),
    ).toHaveLength(1);
  });

  it("/peer typed in a group thread has the group as its conversation and an ephemeral answer", async () => {
    const { users, group } = await opened("Circle", "gus", "gil");
    const [gus] = users as [FakeUser];
    const help = fake.command(gus, [{ name: "help", type: 1 }], { channelId: threadIdOf(group) });
    const event = await waitFor(
      () => received.find((e) => e.kind === "command" && e.member === member(gus)),
      "the command",
    );
    expect(event.conversation).toEqual(group);
    await answered(help, "noted, privately");
    expect(fake.messages().find((m) => m.token === help.token)?.object.flags).toBe(64);
  });

  it("edits a group post's text and buttons, removing buttons when the replacement has none", async () => {
    const { group } = await opened("Edits", "hal", "hana");
    const post = await adapter.post(group, { text: "0 coming", buttons: [{ id: "rsvp:yes", label: "Yes" }] });
    await adapter.edit(post, { text: "1 coming" });
    expect(fake.message(post.id)?.object).toMatchObject({ content: "1 coming", components: [] });
    expect(fake.callsTo("PATCH", `/channels/${threadIdOf(group)}/messages/${post.id}`)).toHaveLength(1);
  });

  it("a member who is not in the server can't be added: MemberUnreachableError, and the thread is removed", async () => {
    const ivy = fake.user("ivy");
    const stranger = "discord:1000000000000000077";
    const error = await adapter.openGroup([member(ivy), stranger], "Circle").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MemberUnreachableError);
    expect((error as Error).message).toContain(stranger);
    const [created] = fake.callsTo("POST", `/channels/${fake.groupsChannelId}/threads`).slice(-1);
    const threadId = String((fake.threads().at(-1) as { id: string }).id);
    expect(created?.status).toBe(201);
    expect(fake.thread(threadId)?.deleted).toBe(true);
    // An id that is not Discord's is refused before anything is created.
    const calls = fake.calls.length;
    await expect(adapter.openGroup([member(ivy), "slack:T1:U2"], "Circle")).rejects.toBeInstanceOf(
      MemberUnreachableError,
    );
    expect(fake.calls.length).toBe(calls);
  });

  it("a long rate limit on opening a group is a RateLimitedError", async () => {
    fake.rateLimit("POST", `/channels/${fake.groupsChannelId}/threads`, 1, 30);
    const error = await adapter.openGroup([member(fake.user("jo"))], "Circle").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThanOrEqual(30_000);
  });

  it("without a groups channel, openGroup says which setting is missing and what it should hold", async () => {
    const plain = adapterWith({ groups: false });
    const calls = fake.calls.length;
    const error = await plain.openGroup([member(fake.user("kim"))], "Circle").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "CONFIG_INVALID" });
    expect((error as Error).message).toMatch(/DISCORD_GROUPS_CHANNEL_ID.*id of a text channel/);
    expect(fake.calls.length).toBe(calls);
    await plain.stop();
  });

  it("made no call Discord would refuse, apart from the ones the tests forced", () => {
    const refused = fake.calls.filter((call) => call.status >= 400 && call.status !== 429);
    expect(refused.map((call) => `${call.method} ${call.route} ${call.status}`)).toEqual([
      expect.stringMatching(/^PUT \/channels\/\d+\/thread-members\/1000000000000000077 404$/),
    ]);
  });
});

describe("Discord groups after a restart", () => {
  it("knows its threads again from the gateway, archived ones too once a member writes", async () => {
    const { users, group } = await opened("Before the restart", "lee", "lou");
    const [, lou] = users as [FakeUser, FakeUser];
    const { users: quietUsers, group: quiet } = await opened("Gone quiet", "max", "mia");
    const [max] = quietUsers as [FakeUser];

    await adapter.stop();
    fake.archiveThread(threadIdOf(quiet));
    adapter = adapterWith();
    await adapter.start(handler);

    const event = await writeIn(lou, group, "still here after the restart");
    expect(event.conversation).toEqual(group);
    // The archived thread was not among the active ones; the message brings it back and the bot knows it.
    const again = await writeIn(max, quiet, "is anyone still here?");
    expect(again.conversation).toEqual(quiet);
    expect(fake.thread(threadIdOf(quiet))?.archived).toBe(false);
  });

  it("refuses to start, naming the fix, when Discord does not allow the Message Content intent", async () => {
    const allowed = fake.privilegedIntents;
    fake.privilegedIntents = allowed & ~INTENTS.messageContent;
    const refused = adapterWith();
    try {
      const error = await refused.start(handler).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "CONFIG_INVALID" });
      expect((error as Error).message).toMatch(/Message Content Intent.*DISCORD_GROUPS_CHANNEL_ID/);
    } finally {
      await refused.stop();
      fake.privilegedIntents = allowed;
    }
  });
});

/** Waits for an answer to the interaction containing `text`. */
function answered(invocation: Invocation, text: string) {
  return waitFor(
    () =>
      fake.messages().find((m) => m.token === invocation.token && String(m.object.content).includes(text)),
    `an answer containing "${text}"`,
  );
}
