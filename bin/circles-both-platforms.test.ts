import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeSlackText, unescapeSlackText } from "../adapters/slack/slack-text.js";
import type { MemberId } from "../src/platform/chat-platform.js";
import type { FakeUser } from "../test/fakes/fake-discord.js";
import { BothPlatforms, textOf } from "../test/helpers/both-platforms.js";
import { waitFor } from "../test/helpers/poll.js";

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
const WAIT = { timeoutMs: 10_000 };
const WORKING_WEEK = "days:mon-fri hours:09:00-17:00";

const both = new BothPlatforms({ name: "circles-both", team: TEAM, waitMs: WAIT.timeoutMs });
const {
  slackCommand,
  slackJoins,
  slackWrites,
  slackSees,
  slackGroupsOf,
  discordAnswers,
  discordCommand,
  discordJoins,
  discordSees,
  settled,
} = both;

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
  const { slackFake, discordFake } = await both.startFakes();
  slackFake.addUser({ id: ANA, name: "ana", realName: "Ana Example", displayName: "Ana" });
  slackFake.addUser({ id: BEN, name: "ben", realName: "Ben Example", displayName: "Ben" });
  slackFake.addUser({ id: ELI, name: "eli", realName: "Eli Example", displayName: "Eli" });
  cal = discordFake.user("cal");
  dee = discordFake.user("dee");
  cora = discordFake.user("cora");
  await both.startApp({ COORDINATORS: discordMember(cora) });
}, 30_000);

afterAll(() => both.stop());

// ---- the story -------------------------------------------------------------------------------------

/** Where the circle is, once the round has opened it. */
let groupDm: string;
let thread: string;

describe("peer circles across Slack and Discord in one bot", () => {
  it("members join on their own platform and opt in to circles; the coordinator joins on Discord", async () => {
    const joinSlack = async (user: string, zone: string, region: string) => {
      await slackJoins(user, `region:"${region}" tz:${zone} ${WORKING_WEEK} solo:no`);
      // Nothing scheduled of their own, so the queue carries only the circle's words.
      await slackCommand(user, "set tips off", "self-care tips");
      await slackCommand(user, "set prompts off", "reflective prompts");
    };
    const joinDiscord = async (user: FakeUser, zone: string, region: string) => {
      await discordJoins(user, `region:"${region}" tz:${zone} ${WORKING_WEEK} solo:no`);
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
    const groups = both.slackFake
      .callsTo("conversations.open")
      .filter((c) => String(c.args.users).includes(","));
    expect(groups.map((c) => String(c.args.users).split(",").sort())).toEqual([[ANA, BEN, ELI]]);
    const opened = slackGroupsOf(ANA);
    expect(opened).toHaveLength(1);
    groupDm = opened[0]?.id ?? "";
    expect([...(both.slackFake.conversation(groupDm)?.members ?? [])].sort()).toEqual([ANA, BEN, ELI]);
    // ...and one private thread in the groups channel, only the bot adding people, with the two on Discord.
    const threads = both.discordFake.threads();
    expect(threads).toHaveLength(1);
    thread = threads[0]?.id ?? "";
    expect(threads[0]).toMatchObject({
      parentId: both.discordFake.groupsChannelId,
      type: 12,
      invitable: false,
    });
    expect(threads[0]?.members.filter((id) => id !== both.discordFake.botUser.id).sort()).toEqual(
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
        both.slackFake.seenPrivatelyBy(user).filter((m) => m.text.includes("Welcome to your peer circle")),
      ).toEqual([]);
    }
    for (const user of [cal, dee]) {
      expect(
        discordSees(both.discordFake.dmChannelFor(user.id)).filter((m) =>
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

    const edited = both.slackFake.personEdits(
      ANA,
      groupDm,
      ts,
      escapeSlackText("Hello from Wide Bay — Tuesdays & Thursdays suit me"),
    );
    expect((await both.slack.event(edited.body)).status).toBe(200);
    await waitFor(() => textOf(both.discordFake.message(copy.id) ?? copy).includes("Thursdays"), {
      ...WAIT,
      what: "the edit to reach the Discord copy",
    });
    expect(textOf(both.discordFake.message(copy.id) ?? copy)).toBe(
      "Ana (on Slack): Hello from Wide Bay — Tuesdays & Thursdays suit me",
    );
    // The copy was changed, not posted again.
    expect(discordSees(thread).filter((m) => textOf(m).includes("suit me"))).toHaveLength(1);

    const deleted = both.slackFake.personDeletes(ANA, groupDm, ts);
    expect((await both.slack.event(deleted.body)).status).toBe(200);
    await waitFor(() => both.discordFake.message(copy.id) === undefined, {
      ...WAIT,
      what: "the deletion to reach the Discord copy",
    });
    expect(discordSees(thread).filter((m) => textOf(m).includes("suit me"))).toEqual([]);
  });

  it("relays Discord → Slack, and the author's edit and deletion follow the copy", async () => {
    const { id } = both.discordFake.guildMessage(cal, thread, "Kia ora, Tuesday works <3");
    const copy = await waitFor(() => slackSees(groupDm).find((m) => m.text.includes("Tuesday works")), {
      ...WAIT,
      what: "Cal's words in the Slack group DM",
    });
    expect(copy.text).toBe("Cal (on Discord): Kia ora, Tuesday works <3");
    expect(discordSees(thread).filter((m) => textOf(m).includes("Tuesday works"))).toEqual([]);

    both.discordFake.editMessage(cal, id, "Kia ora, Tuesday and Thursday work <3");
    await waitFor(() => slackSees(groupDm).find((m) => m.ts === copy.ts && m.text.includes("Thursday")), {
      ...WAIT,
      what: "the edit to reach the Slack copy",
    });
    const now = slackSees(groupDm).filter((m) => m.text.includes("Kia ora"));
    expect(now.map((m) => [m.ts, m.text, m.edits])).toEqual([
      [copy.ts, "Cal (on Discord): Kia ora, Tuesday and Thursday work <3", 1],
    ]);

    both.discordFake.deleteMessage(cal, id);
    await waitFor(() => !slackSees(groupDm).some((m) => m.ts === copy.ts), {
      ...WAIT,
      what: "the deletion to reach the Slack copy",
    });
    expect(slackSees(groupDm).filter((m) => m.text.includes("Kia ora"))).toEqual([]);
  });

  it("a member who leaves gets nothing more; the others carry on, on both platforms", async () => {
    await settled();
    const benSawBefore = both.slackFake.seenPrivatelyBy(BEN).length;
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
    both.discordFake.guildMessage(dee, thread, "Welcome to the new week, all");
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
    const benIsIn = both.slackFake.conversationsOf(BEN).map((c) => c.id);
    expect(benIsIn).toContain(groupDm);
    expect(benIsIn).not.toContain(fresh.id);
    expect(slackSees(groupDm)).toHaveLength(inOldGroupBefore);
    for (const channel of benIsIn) {
      const texts = slackSees(channel).map((m) => m.text);
      expect(texts.filter((text) => /new week|see you Tuesday|has left/.test(text))).toEqual([]);
    }
    const benSawSince = both.slackFake.seenPrivatelyBy(BEN).slice(benSawBefore);
    expect(benSawSince.map((m) => unescapeSlackText(m.text))).toEqual([reply]);
  });

  it("logged no error and none of the members' words", () => {
    expect(both.logger.lines.filter((line) => line.level === "error")).toEqual([]);
    for (const words of [
      "Tuesdays suit me",
      "Tuesday works",
      "new week",
      "see you Tuesday",
      "anyone still here",
    ]) {
      expect(both.logger.text()).not.toContain(words);
    }
    // Nothing either platform refused.
    expect(both.slackFake.calls.filter((call) => call.status !== 200)).toEqual([]);
    expect(both.discordFake.calls.filter((call) => call.status >= 400)).toEqual([]);
  });
});
