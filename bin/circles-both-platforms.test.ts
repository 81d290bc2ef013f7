import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SlackAdapter } from "../adapters/slack/slack-adapter.js";
import { escapeSlackText, unescapeSlackText } from "../adapters/slack/slack-text.js";
import { parseConfig } from "../src/config/config.js";
import type { ChatPlatform, MemberId } from "../src/platform/chat-platform.js";
import { peerOptions } from "../test/contract/discord-platform-harness.js";
import {
  FakeDiscord,
  type FakeUser,
  type Invocation,
  type StoredMessage,
} from "../test/fakes/fake-discord.js";
import { type FakeSlackApi, type FakeSlackMessage, startFakeSlackApi } from "../test/fakes/fake-slack-api.js";
import { freePort } from "../test/helpers/free-port.js";
import { waitFor } from "../test/helpers/poll.js";
import { recordingLogger } from "../test/helpers/recording-logger.js";
import { SlackRequester, blockActionsPayload, commandPayload } from "../test/helpers/slack-requests.js";
import { TEST_REDIS_URL, createTestRedis } from "../test/helpers/test-redis.js";
import { type App, createApp } from "./app.js";
import { chatPlatforms } from "./platforms.js";

/**
 * Peer circles end to end, across Slack and Discord in ONE bot: the app as
 * `npm start` composes it (`createApp` with `chatPlatforms`, from one
 * environment with both sets of credentials and DISCORD_GROUPS_CHANNEL_ID),
 * the real Bolt and discord.js adapters against the fake Slack Web API and
 * the fake Discord on loopback, real Redis, and the scheduler's paced
 * outbound queue on the real clock.
 *
 * People act only as the platforms would make them: signed slash commands,
 * button presses and Events API requests on Slack (writing, editing and
 * deleting their own messages through the fake); slash commands, presses and
 * messages through the fake's gateway on Discord. What they see is read back
 * from the fakes: group DMs, private threads, DMs and private replies.
 *
 * Three members on Slack, two on Discord, and a coordinator on Discord who
 * runs the round: one circle of five, a Slack group DM and a Discord private
 * thread, the relay both ways with edits and deletions following, and a Slack
 * member who leaves (the others carry on in a new group DM without them).
 */

const TEAM = "T0CIRCLE";
const SLACK_BOT_TOKEN = "xoxb-circles-both-token";
const SIGNING_SECRET = "circles-both-signing-secret-0123";
const WAIT = { timeoutMs: 10_000 };
const WORKING_WEEK = "days:mon-fri hours:09:00-17:00";

const testRedis = createTestRedis("circles-both");
const logger = recordingLogger();

let slackFake: FakeSlackApi;
let discordFake: FakeDiscord;
let slack: SlackRequester;
let app: App;
let platforms: readonly ChatPlatform[] = [];

// Slack users, by their Slack ids; Discord users are made by the fake once it runs.
const ANA = "UANA";
const BEN = "UBEN";
const ELI = "UELI";
const slackMember = (user: string): MemberId => `slack:${TEAM}:${user}`;
let cal: FakeUser;
let dee: FakeUser;
let cora: FakeUser;
const discordMember = (user: FakeUser): MemberId => `discord:${user.id}`;

beforeAll(async () => {
  slackFake = await startFakeSlackApi({ botToken: SLACK_BOT_TOKEN, teamId: TEAM });
  slackFake.addUser({ id: ANA, name: "ana", realName: "Ana Example", displayName: "Ana" });
  slackFake.addUser({ id: BEN, name: "ben", realName: "Ben Example", displayName: "Ben" });
  slackFake.addUser({ id: ELI, name: "eli", realName: "Eli Example", displayName: "Eli" });
  discordFake = await FakeDiscord.start();
  cal = discordFake.user("cal");
  dee = discordFake.user("dee");
  cora = discordFake.user("cora");
  const port = await freePort();
  slack = new SlackRequester(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET);

  // The environment npm start would read, with both platforms' credentials.
  const config = parseConfig({
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: testRedis.prefix,
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    COORDINATORS: discordMember(cora),
    PORT: String(port),
    SLACK_BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slackFake.apiUrl,
    DISCORD_TOKEN: discordFake.token,
    DISCORD_APPLICATION_ID: discordFake.applicationId,
    DISCORD_API_URL: discordFake.apiUrl,
    DISCORD_GROUPS_CHANNEL_ID: discordFake.groupsChannelId,
  });
  app = createApp({
    config,
    logger,
    platforms: (stores, redis) => {
      platforms = chatPlatforms(config, logger, stores, redis);
      return platforms;
    },
  });
  await app.start();
  expect(platforms.map((p) => p.name)).toEqual(["slack", "discord"]);
}, 30_000);

afterAll(async () => {
  await app?.stop();
  await slackFake?.stop();
  await discordFake?.close();
  await testRedis.cleanup();
});

// ---- Slack: signed requests in; what people see, from the fake ------------------------------------

let slackRequests = 0;

/** `/peer <text>` typed by a Slack user in their DM with the bot; waits for the private reply containing `expected`. */
async function slackCommand(user: string, text: string, expected: string): Promise<string> {
  const name = `${user}-command-${++slackRequests}`;
  const response = await slack.command(
    commandPayload({ teamId: TEAM, userId: user }, escapeSlackText(text), slackFake.responseUrl(name, user), {
      channelId: slackFake.imChannel(user),
      channelName: "directmessage",
      triggerId: slackFake.trigger(user),
    }),
  );
  expect(response.status).toBe(200);
  return waitFor(
    () => {
      const all = slackFake
        .callsTo("response_url")
        .filter((call) => call.responseUrlName === name)
        .map((call) => unescapeSlackText(String(call.args.text ?? "")))
        .join("\n");
      return all.includes(expected) ? all : undefined;
    },
    { ...WAIT, what: `Slack's reply to ${user}'s /peer ${text} containing "${expected}"` },
  );
}

/** A Slack user presses a button on the bot's private (ephemeral) reply in their DM. */
async function slackPress(user: string, actionId: string): Promise<void> {
  const name = `${user}-press-${++slackRequests}`;
  const response = await slack.interaction(
    blockActionsPayload({ teamId: TEAM, userId: user }, { actionId }, slackFake.responseUrl(name, user), {
      channelId: slackFake.imChannel(user),
      channelName: "directmessage",
      triggerId: slackFake.trigger(user),
    }),
  );
  expect(response.status).toBe(200);
}

/** The Slack adapter, to wait until it has handled everything that reached it. */
function slackAdapter(): SlackAdapter {
  const adapter = platforms.find((p) => p.name === "slack");
  if (!adapter) throw new Error("no Slack adapter is running");
  return adapter as SlackAdapter;
}

/** A person writes in a Slack conversation; resolves once the adapter has handled the event. */
async function slackWrites(user: string, channel: string, text: string): Promise<string> {
  const written = slackFake.personWrites(user, channel, escapeSlackText(text));
  expect((await slack.event(written.body)).status).toBe(200);
  await slackAdapter().idle();
  return written.ts;
}

/** The bot's messages in a Slack conversation as its members read them (edits applied, deletions gone). */
function slackSees(channel: string): FakeSlackMessage[] {
  return slackFake.messagesIn(channel).map((m) => ({ ...m, text: unescapeSlackText(m.text) }));
}

/** The group DMs this Slack user is in. */
function slackGroupsOf(user: string) {
  return slackFake.conversationsOf(user).filter((c) => c.kind === "mpim");
}

// ---- Discord: interactions and messages through the fake gateway ---------------------------------

function discordAnswers(invocation: Invocation): string {
  return discordFake.sent
    .filter((sent) => sent.token === invocation.token)
    .map((sent) => String(sent.message.content ?? ""))
    .join("\n");
}

/** `/peer <text>` from a Discord user in the server, with the options Discord's registered command offers. */
async function discordCommand(user: FakeUser, text: string, expected: string): Promise<Invocation> {
  const invocation = discordFake.command(user, peerOptions(text));
  await waitFor(() => discordAnswers(invocation).includes(expected), {
    ...WAIT,
    what: `Discord's answer to ${user.username}'s /peer ${text} containing "${expected}"`,
  });
  return invocation;
}

/** A Discord user presses a button on one of the answers to their interaction. */
async function discordPress(
  user: FakeUser,
  on: Invocation,
  customId: string,
  expected: string,
): Promise<void> {
  const message = discordFake.sent.findLast(
    (sent) =>
      sent.token === on.token && JSON.stringify(sent.message.components ?? []).includes(`"${customId}"`),
  );
  if (!message) throw new Error(`no answer to ${user.username} has a ${customId} button`);
  const press = discordFake.pressOn(user, String(message.message.id), customId);
  await waitFor(() => discordAnswers(press).includes(expected), {
    ...WAIT,
    what: `Discord's answer to ${user.username}'s press of ${customId} containing "${expected}"`,
  });
}

/** What the bot has posted in a Discord channel or thread, as people see it now. */
function discordSees(channelId: string): StoredMessage[] {
  return discordFake.messages().filter((m) => m.channelId === channelId && m.source === "bot");
}

const textOf = (message: StoredMessage) => String(message.object.content ?? "");

// ---- the app ---------------------------------------------------------------------------------------

/** The outbound queue has sent everything it was given: nothing in flight, nothing due soon. */
function settled(): Promise<boolean> {
  return waitFor(
    async () => {
      const { earliestDue, inFlight } = await app.stores.schedule.state();
      return inFlight === 0 && (earliestDue === null || earliestDue > Date.now() + 60_000);
    },
    { ...WAIT, what: "the outbound queue to settle" },
  );
}

// ---- the story -------------------------------------------------------------------------------------

/** Where the circle is, once the round has opened it. */
let groupDm: string;
let thread: string;

describe("peer circles across Slack and Discord in one bot", () => {
  it("members join on their own platform and opt in to circles; the coordinator joins on Discord", async () => {
    const joinSlack = async (user: string, zone: string, region: string) => {
      await slackCommand(
        user,
        `join region:"${region}" tz:${zone} ${WORKING_WEEK} solo:no`,
        "Before I store anything",
      );
      await slackPress(user, "join:consent");
      await waitFor(
        () => slackFake.seenPrivatelyBy(user).find((m) => m.text.includes("Welcome to the network")),
        { ...WAIT, what: `the welcome in ${user}'s DM` },
      );
      // Nothing scheduled of their own, so the queue carries only the circle's words.
      await slackCommand(user, "set tips off", "self-care tips");
      await slackCommand(user, "set prompts off", "reflective prompts");
    };
    const joinDiscord = async (user: FakeUser, zone: string, region: string) => {
      const join = await discordCommand(
        user,
        `join region:"${region}" tz:${zone} ${WORKING_WEEK} solo:no`,
        "Before I store anything",
      );
      await discordPress(user, join, "join:consent", "Welcome to the network");
      await discordCommand(user, "set tips off", "self-care tips");
      await discordCommand(user, "set prompts off", "reflective prompts");
    };
    await Promise.all([
      joinSlack(ANA, "Australia/Brisbane", "Wide Bay"),
      joinSlack(BEN, "Australia/Perth", "Pilbara"),
      joinSlack(ELI, "Australia/Adelaide", "Riverland"),
      joinDiscord(cal, "Pacific/Auckland", "Waikato"),
      joinDiscord(dee, "Australia/Sydney", "Riverina"),
      joinDiscord(cora, "Australia/Hobart", "Huon Valley"),
    ]);

    for (const user of [ANA, BEN, ELI]) await slackCommand(user, "circle join size:5", "You're in");
    for (const user of [cal, dee]) await discordCommand(user, "circle join size:5", "You're in");
  });

  it("the coordinator runs the round: one circle, a Slack group DM and a Discord private thread, each introduced", async () => {
    const report = await discordCommand(cora, "circles run", "The round has run");
    const said = discordAnswers(report);
    expect(said).toContain("New circles: 1, with 5 people");
    expect(said).not.toMatch(/Ana|Ben|Eli|Cal|Dee/);

    // One group DM with the three on Slack (and the bot)...
    const groups = slackFake.callsTo("conversations.open").filter((c) => String(c.args.users).includes(","));
    expect(groups.map((c) => String(c.args.users).split(",").sort())).toEqual([[ANA, BEN, ELI]]);
    const opened = slackGroupsOf(ANA);
    expect(opened).toHaveLength(1);
    groupDm = opened[0]?.id ?? "";
    expect([...(slackFake.conversation(groupDm)?.members ?? [])].sort()).toEqual([ANA, BEN, ELI]);
    // ...and one private thread in the groups channel, only the bot adding people, with the two on Discord.
    const threads = discordFake.threads();
    expect(threads).toHaveLength(1);
    thread = threads[0]?.id ?? "";
    expect(threads[0]).toMatchObject({ parentId: discordFake.groupsChannelId, type: 12, invitable: false });
    expect(threads[0]?.members.filter((id) => id !== discordFake.botUser.id).sort()).toEqual(
      [cal.id, dee.id].sort(),
    );
    // The coordinator, not in for circles, is in neither.
    expect(threads[0]?.members).not.toContain(cora.id);

    const [onSlack, onDiscord] = await Promise.all([
      waitFor(() => slackSees(groupDm).find((m) => m.text.includes("Welcome to your peer circle")), {
        ...WAIT,
        what: "the introduction in the Slack group DM",
      }),
      waitFor(() => discordSees(thread).find((m) => textOf(m).includes("Welcome to your peer circle")), {
        ...WAIT,
        what: "the introduction in the Discord thread",
      }),
    ]);
    for (const intro of [onSlack.text, textOf(onDiscord)]) {
      for (const who of [
        "Ana (Wide Bay, on Slack)",
        "Ben (Pilbara, on Slack)",
        "Eli (Riverland, on Slack)",
        "Cal (Waikato, on Discord)",
        "Dee (Riverina, on Discord)",
      ]) {
        expect(intro).toContain(who);
      }
      expect(intro).toContain("What you write here reaches everyone in the circle");
      expect(intro).not.toContain("Cora");
    }
    // Slack shows group DMs no name: the circle's title heads it, before the introduction.
    expect(slackSees(groupDm)[0]?.text).toContain("Peer circle:");
    expect(threads[0]?.name).toMatch(/^Peer circle: /);
    await settled();
    // Everyone is in a group on their platform: no one gets the circle in a DM.
    for (const user of [ANA, BEN, ELI]) {
      expect(
        slackFake.seenPrivatelyBy(user).filter((m) => m.text.includes("Welcome to your peer circle")),
      ).toEqual([]);
    }
    for (const user of [cal, dee]) {
      expect(
        discordSees(discordFake.dmChannelFor(user.id)).filter((m) =>
          textOf(m).includes("Welcome to your peer circle"),
        ),
      ).toEqual([]);
    }
  });

  it("relays Slack → Discord, and the author's edit and deletion follow the copy", async () => {
    const ts = await slackWrites(ANA, groupDm, "Hello from Wide Bay — Tuesdays suit me");
    const copy = await waitFor(
      () => discordSees(thread).find((m) => textOf(m).includes("Tuesdays suit me")),
      { ...WAIT, what: "Ana's words in the Discord thread" },
    );
    expect(textOf(copy)).toBe("Ana (on Slack): Hello from Wide Bay — Tuesdays suit me");
    // Not echoed back where it was written.
    expect(slackSees(groupDm).filter((m) => m.text.includes("Tuesdays suit me"))).toEqual([]);

    const edited = slackFake.personEdits(
      ANA,
      groupDm,
      ts,
      escapeSlackText("Hello from Wide Bay — Tuesdays & Thursdays suit me"),
    );
    expect((await slack.event(edited.body)).status).toBe(200);
    await waitFor(() => textOf(discordFake.message(copy.id) ?? copy).includes("Thursdays"), {
      ...WAIT,
      what: "the edit to reach the Discord copy",
    });
    expect(textOf(discordFake.message(copy.id) ?? copy)).toBe(
      "Ana (on Slack): Hello from Wide Bay — Tuesdays & Thursdays suit me",
    );
    // The copy was changed, not posted again.
    expect(discordSees(thread).filter((m) => textOf(m).includes("suit me"))).toHaveLength(1);

    const deleted = slackFake.personDeletes(ANA, groupDm, ts);
    expect((await slack.event(deleted.body)).status).toBe(200);
    await waitFor(() => discordFake.message(copy.id) === undefined, {
      ...WAIT,
      what: "the deletion to reach the Discord copy",
    });
    expect(discordSees(thread).filter((m) => textOf(m).includes("suit me"))).toEqual([]);
  });

  it("relays Discord → Slack, and the author's edit and deletion follow the copy", async () => {
    const { id } = discordFake.guildMessage(cal, thread, "Kia ora, Tuesday works <3");
    const copy = await waitFor(() => slackSees(groupDm).find((m) => m.text.includes("Tuesday works")), {
      ...WAIT,
      what: "Cal's words in the Slack group DM",
    });
    expect(copy.text).toBe("Cal (on Discord): Kia ora, Tuesday works <3");
    expect(discordSees(thread).filter((m) => textOf(m).includes("Tuesday works"))).toEqual([]);

    discordFake.editMessage(cal, id, "Kia ora, Tuesday and Thursday work <3");
    await waitFor(() => slackSees(groupDm).find((m) => m.ts === copy.ts && m.text.includes("Thursday")), {
      ...WAIT,
      what: "the edit to reach the Slack copy",
    });
    const now = slackSees(groupDm).filter((m) => m.text.includes("Kia ora"));
    expect(now.map((m) => [m.ts, m.text, m.edits])).toEqual([
      [copy.ts, "Cal (on Discord): Kia ora, Tuesday and Thursday work <3", 1],
    ]);

    discordFake.deleteMessage(cal, id);
    await waitFor(() => !slackSees(groupDm).some((m) => m.ts === copy.ts), {
      ...WAIT,
      what: "the deletion to reach the Slack copy",
    });
    expect(slackSees(groupDm).filter((m) => m.text.includes("Kia ora"))).toEqual([]);
  });

  it("a member who leaves gets nothing more; the others carry on, on both platforms", async () => {
    await settled();
    const benSawBefore = slackFake.seenPrivatelyBy(BEN).length;
    const inOldGroupBefore = slackSees(groupDm).length;

    const reply = await slackCommand(BEN, "circle leave", "nothing more from the circle will reach you");
    expect(reply).toContain("you're out of peer circles");

    // A Slack group DM can't drop one person: Ana and Eli carry on in a new one, without Ben.
    const fresh = await waitFor(() => slackGroupsOf(ANA).find((c) => c.id !== groupDm), {
      ...WAIT,
      what: "a new group DM for those still in on Slack",
    });
    expect([...fresh.members].sort()).toEqual([ANA, ELI]);
    await waitFor(() => slackSees(fresh.id).some((m) => m.text.includes("Ben has left the circle")), {
      ...WAIT,
      what: "word of Ben leaving in the new group DM",
    });
    await waitFor(() => discordSees(thread).some((m) => textOf(m).includes("Ben has left the circle")), {
      ...WAIT,
      what: "word of Ben leaving in the Discord thread",
    });

    // What the others write afterwards reaches the others, on both platforms...
    discordFake.guildMessage(dee, thread, "Welcome to the new week, all");
    await waitFor(
      () => slackSees(fresh.id).find((m) => m.text === "Dee (on Discord): Welcome to the new week, all"),
      { ...WAIT, what: "Dee's words in the new group DM" },
    );
    await slackWrites(ELI, fresh.id, "Thanks Dee, see you Tuesday");
    await waitFor(
      () => discordSees(thread).find((m) => textOf(m) === "Eli (on Slack): Thanks Dee, see you Tuesday"),
      { ...WAIT, what: "Eli's words in the Discord thread" },
    );
    // ...and what Ben writes in the old group DM, still open to him, goes nowhere.
    await slackWrites(BEN, groupDm, "Is anyone still here?");
    await settled();
    expect(discordSees(thread).filter((m) => textOf(m).includes("anyone still here"))).toEqual([]);
    expect(slackSees(fresh.id).filter((m) => m.text.includes("anyone still here"))).toEqual([]);

    // Ben: no conversation he is in got anything more from the bot, and privately only the confirmation.
    const benIsIn = slackFake.conversationsOf(BEN).map((c) => c.id);
    expect(benIsIn).toContain(groupDm);
    expect(benIsIn).not.toContain(fresh.id);
    expect(slackSees(groupDm)).toHaveLength(inOldGroupBefore);
    for (const channel of benIsIn) {
      const texts = slackSees(channel).map((m) => m.text);
      expect(texts.filter((text) => /new week|see you Tuesday|has left/.test(text))).toEqual([]);
    }
    const benSawSince = slackFake.seenPrivatelyBy(BEN).slice(benSawBefore);
    expect(benSawSince.map((m) => unescapeSlackText(m.text))).toEqual([reply]);
  });

  it("logged no error and none of the members' words", () => {
    expect(logger.lines.filter((line) => line.level === "error")).toEqual([]);
    for (const words of [
      "Tuesdays suit me",
      "Tuesday works",
      "new week",
      "see you Tuesday",
      "anyone still here",
    ]) {
      expect(logger.text()).not.toContain(words);
    }
    // Nothing either platform refused.
    expect(slackFake.calls.filter((call) => call.status !== 200)).toEqual([]);
    expect(discordFake.calls.filter((call) => call.status >= 400)).toEqual([]);
  });
});
