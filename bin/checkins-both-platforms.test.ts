import ICAL from "ical.js";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberSubject } from "../src/features/checkins/checkins.js";
import type { MemberId } from "../src/platform/chat-platform.js";
import type { FakeUser, StoredMessage } from "../test/fakes/fake-discord.js";
import type { FakeSlackMessage } from "../test/fakes/fake-slack-api.js";
import { BothPlatforms, discordButtonsOf, slackButtonsOf, textOf } from "../test/helpers/both-platforms.js";
import { waitFor } from "../test/helpers/poll.js";
import { dumpRedis } from "../test/helpers/redis-dump.js";

/**
 * Co-supervision check-ins end to end, across Slack and Discord in ONE bot:
 * the app as `npm start` composes it (`createApp` with `chatPlatforms`, from
 * one environment with both sets of credentials and DISCORD_GROUPS_CHANNEL_ID),
 * the real Bolt and discord.js adapters against the fake Slack Web API and the
 * fake Discord on loopback, real Redis, the real scheduler and paced outbound
 * queue, on a clock moved forward with the local demo's time travel (each
 * thing due on the way is delivered at its own time).
 *
 * A trio across Perth, Adelaide and Auckland: Pia and Ari on Slack, Ada on
 * Discord. Pia proposes weekly check-ins; invitations, acceptances, the
 * calendar file, reminders with RSVP, the "who's coming" post edited in place
 * in the Slack group DM and in Ada's Discord DM, the agenda, the questions
 * afterwards and the supervision record, all as people see them on their own
 * platform.
 */

const TEAM = "T0CHECKIN";
const WAIT = { timeoutMs: 15_000 };
const WORKING_WEEK = "days:mon-fri hours:09:00-17:00";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const PERTH = "Australia/Perth";
const ADELAIDE = "Australia/Adelaide";
const AUCKLAND = "Pacific/Auckland";

const both = new BothPlatforms({
  name: "checkins-both",
  team: TEAM,
  waitMs: WAIT.timeoutMs,
  timeTravel: true,
});
const {
  slackCommandSent,
  slackCommand,
  slackPressOnMessage,
  slackJoins,
  slackWrites,
  slackSees,
  slackDm,
  slackDmMessage,
  slackGroupsOf,
  discordAnswers,
  discordCommand,
  discordPressOnMessage,
  discordJoins,
  discordFilesInDm,
  settled,
  travelTo,
} = both;

const PIA = "UPIA";
const ARI = "UARI";
const slackMember = (user: string): MemberId => `slack:${TEAM}:${user}`;
let ada: FakeUser;
const discordMember = (user: FakeUser): MemberId => `discord:${user.id}`;

/**
 * The series meets at 11:30 in Adelaide on a Tuesday to Friday three to eight
 * days from now, so the working day before it is a weekday for all three
 * (and still ahead). In Australian summer time: 09:00 in Perth, 14:00 in Auckland.
 */
function firstSessionFrom(now: number): { day: string; start: number } {
  const today = DateTime.fromMillis(now, { zone: ADELAIDE }).startOf("day");
  for (let k = 3; k <= 8; k++) {
    const date = today.plus({ days: k });
    if (date.weekday >= 2 && date.weekday <= 5) {
      return {
        day: date.toFormat("ccc").toLowerCase(),
        start: date.set({ hour: 11, minute: 30 }).toMillis(),
      };
    }
  }
  throw new Error("no Tuesday to Friday in three to eight days");
}

/** A moment as the bot words it in someone's own zone: "Tuesday 1 December, 11:30". */
const whenIn = (at: number, zone: string) => DateTime.fromMillis(at, { zone }).toFormat("cccc d LLLL, HH:mm");
const timeIn = (at: number, zone: string) => DateTime.fromMillis(at, { zone }).toFormat("HH:mm");

beforeAll(async () => {
  const { slackFake, discordFake } = await both.startFakes();
  slackFake.addUser({ id: PIA, name: "pia", realName: "Pia Example", displayName: "Pia" });
  slackFake.addUser({ id: ARI, name: "ari", realName: "Ari Example", displayName: "Ari" });
  ada = discordFake.user("ada");
  await both.startApp();
}, 30_000);

afterAll(() => both.stop());

/** What the bot has posted in Ada's Discord DM. */
const adaDm = () => both.discordDm(ada);
const adaDmMessage = (text: string, what: string) => both.discordDmMessage(ada, text, what);

// ---- the story -------------------------------------------------------------------------------------

let first: { day: string; start: number };
let seriesId = "";
/** Where the session happens: the Slack group DM for Pia and Ari; Ada's Discord DM. */
let groupDm = "";

describe("co-supervision check-ins across Slack and Discord in one bot", () => {
  it("Pia and Ari join on Slack, Ada on Discord, each with their own zone and a handle", async () => {
    const joinSlack = async (user: string, zone: string, region: string, handle: string) => {
      await slackJoins(user, `region:"${region}" tz:${zone} ${WORKING_WEEK} solo:no`);
      // Nothing scheduled of their own, so only the check-ins' messages arrive.
      await slackCommand(user, "set tips off", "self-care tips");
      await slackCommand(user, "set prompts off", "reflective prompts");
      await slackCommand(user, `set handle ${handle}`, `@${handle}`);
    };
    const joinDiscord = async (user: FakeUser, zone: string, region: string, handle: string) => {
      await discordJoins(user, `region:"${region}" tz:${zone} ${WORKING_WEEK} solo:no`);
      await discordCommand(user, "set tips off", "self-care tips");
      await discordCommand(user, "set prompts off", "reflective prompts");
      await discordCommand(user, `set handle ${handle}`, `@${handle}`);
    };
    await Promise.all([
      joinSlack(PIA, PERTH, "Pilbara", "pia"),
      joinSlack(ARI, AUCKLAND, "Waikato", "ari"),
      joinDiscord(ada, ADELAIDE, "Riverland", "ada"),
    ]);
    await settled();
    // Nothing of their own is waiting for any of them.
    const { earliestDue } = await both.app.stores.schedule.state();
    expect(earliestDue).toBeNull();
  });

  it("Pia proposes on Slack; Ada's invitation on Discord and Ari's on Slack show the time in their own zone", async () => {
    first = firstSessionFrom(both.clock.now().getTime());
    // Inside everyone's working hours.
    for (const zone of [PERTH, ADELAIDE, AUCKLAND]) {
      const local = timeIn(first.start, zone);
      expect(local >= "09:00" && local <= "16:00").toBe(true);
    }
    const reply = await slackCommand(
      PIA,
      `checkin new @ada @ari every 1w ${first.day} 11:30 tz:${ADELAIDE} length:60`,
      "Invitations are on their way",
    );
    const dayName = DateTime.fromMillis(first.start, { zone: ADELAIDE }).toFormat("cccc");
    expect(reply).toContain(
      `Invitations are on their way to Ada and Ari: every week on ${dayName} at 11:30 (${ADELAIDE}), for 60 minutes.`,
    );
    expect(reply).toContain("Each person sees it in their own time");
    const series = (await both.app.stores.checkins.allSeries()).find((s) => s.state === "proposed");
    seriesId = series?.id ?? "";
    expect(seriesId).not.toBe("");

    await settled();
    const [forAda, forAri] = await Promise.all([
      adaDmMessage("would like to meet for peer co-supervision", "Ada's invitation in her Discord DM"),
      slackDmMessage(ARI, "would like to meet for peer co-supervision", "Ari's invitation in his Slack DM"),
    ]);
    const firstOn = (zone: string) => DateTime.fromMillis(first.start, { zone }).toFormat("cccc d LLLL");
    expect(textOf(forAda)).toContain("Pia would like to meet for peer co-supervision with you and Ari");
    expect(textOf(forAda)).toContain(
      `at ${timeIn(first.start, ADELAIDE)} your time (${ADELAIDE}), for 60 minutes — the first on ${firstOn(ADELAIDE)}`,
    );
    expect(forAri.text).toContain("Pia would like to meet for peer co-supervision with you and Ada");
    expect(forAri.text).toContain(
      `at ${timeIn(first.start, AUCKLAND)} your time (${AUCKLAND}), for 60 minutes — the first on ${firstOn(AUCKLAND)}`,
    );
    for (const buttons of [
      discordButtonsOf(forAda).map((b) => String(b.label)),
      slackButtonsOf(forAri).map((b) => b.text.text),
    ]) {
      expect(buttons).toEqual(["Accept", "Decline", "Suggest another time"]);
    }
    // Pia is not invited to her own series; nothing is scheduled before two have said yes.
    expect(slackDm(PIA).filter((m) => m.text.includes("would like to meet"))).toEqual([]);
    for (const member of [slackMember(PIA), slackMember(ARI), discordMember(ada)]) {
      expect(
        await both.app.stores.schedule.get(memberSubject(member, seriesId), "checkin-day-before"),
      ).toBeNull();
    }
  });

  it("Ada accepts on Discord and Ari on Slack; Ari's calendar file arrives in his Slack DM", async () => {
    const invitation = await adaDmMessage("would like to meet", "Ada's invitation");
    const adaSaid = await discordPressOnMessage(ada, invitation, "Accept", "You're in");
    expect(adaSaid).toContain("You're in, and with that the check-ins are on.");
    expect(adaSaid).toContain(
      `The first one for you is ${whenIn(first.start, ADELAIDE)} your time, with Pia.`,
    );
    expect((await both.app.stores.checkins.series(seriesId))?.state).toBe("running");

    const forAri = await slackDmMessage(ARI, "would like to meet", "Ari's invitation");
    const accepted = await slackPressOnMessage(ARI, forAri, "Accept", "You're in");
    expect(accepted?.text).toContain(
      `The first one for you is ${whenIn(first.start, AUCKLAND)} your time, with Pia and Ada.`,
    );
    // Pia hears the series is on, in her own time.
    await settled();
    const onForPia = await slackDmMessage(PIA, "are on", "word to Pia that the check-ins are on");
    expect(onForPia.text).toContain(`The first is ${whenIn(first.start, PERTH)} your time.`);

    // Each is scheduled for the working day before, at the session's time in their own zone.
    for (const [member, zone] of [
      [slackMember(PIA), PERTH],
      [discordMember(ada), ADELAIDE],
      [slackMember(ARI), AUCKLAND],
    ] as const) {
      const expected = DateTime.fromMillis(first.start, { zone }).minus({ days: 1 }).toMillis();
      expect(await both.app.stores.schedule.get(memberSubject(member, seriesId), "checkin-day-before")).toBe(
        expected,
      );
    }

    // "Add to my calendar", on the accept reply in his DM: the .ics is shared into that DM.
    expect(both.slackFake.filesSeenPrivatelyBy(ARI)).toEqual([]);
    await slackPressOnMessage(ARI, accepted as FakeSlackMessage, "Add to my calendar");
    const file = await waitFor(() => both.slackFake.filesSeenPrivatelyBy(ARI).at(-1), {
      ...WAIT,
      what: "the calendar file in Ari's Slack DM",
    });
    expect(file.filename).toBe("co-supervision.ics");
    const calendar = new ICAL.Component(ICAL.parse(file.content));
    const events = calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(events[0]?.startDate.toJSDate().getTime()).toBe(first.start);
    expect(events[0]?.endDate.toJSDate().getTime()).toBe(first.start + HOUR);
    expect(events[1]?.startDate.toJSDate().getTime()).toBe(
      DateTime.fromMillis(first.start, { zone: ADELAIDE }).plus({ weeks: 1 }).toMillis(),
    );
    // With the words that introduce it, in his DM.
    expect(slackDm(ARI).at(-1)?.text).toContain("to open in your calendar");
  });

  it("the day before, each reminder arrives in the person's own DM in their own time; the tally goes up in both spaces", async () => {
    // The working day before, at the session's time in each one's zone (and the tally a day before the start).
    const due = [PERTH, ADELAIDE, AUCKLAND].map((zone) =>
      DateTime.fromMillis(first.start, { zone }).minus({ days: 1 }).toMillis(),
    );
    // Just before: nothing yet.
    await travelTo(Math.min(...due, first.start - DAY) - 5 * MINUTE);
    expect(slackDm(PIA).filter((m) => m.text.startsWith("Coming up"))).toEqual([]);
    expect(slackDm(ARI).filter((m) => m.text.startsWith("Coming up"))).toEqual([]);
    expect(adaDm().filter((m) => textOf(m).startsWith("Coming up"))).toEqual([]);
    expect(slackGroupsOf(PIA)).toEqual([]);

    await travelTo(Math.max(...due, first.start - DAY) + MINUTE);
    const [pia, ari, adaReminder] = await Promise.all([
      slackDmMessage(PIA, "Coming up", "Pia's reminder"),
      slackDmMessage(ARI, "Coming up", "Ari's reminder"),
      adaDmMessage("Coming up", "Ada's reminder"),
    ]);
    expect(pia.text).toContain(
      `with Ada and Ari is on ${whenIn(first.start, PERTH)} your time, for 60 minutes`,
    );
    expect(ari.text).toContain(`with Pia and Ada is on ${whenIn(first.start, AUCKLAND)} your time`);
    expect(textOf(adaReminder)).toContain(
      `with Pia and Ari is on ${whenIn(first.start, ADELAIDE)} your time`,
    );
    for (const labels of [
      slackButtonsOf(pia).map((b) => b.text.text),
      slackButtonsOf(ari).map((b) => b.text.text),
      discordButtonsOf(adaReminder).map((b) => String(b.label)),
    ]) {
      expect(labels).toEqual(["I'll be there", "Can't make it", "Reschedule"]);
    }

    // The "who's coming" post: a Slack group DM for Pia and Ari, and Ada's DM on Discord (she's alone there).
    const groups = slackGroupsOf(PIA);
    expect(groups).toHaveLength(1);
    groupDm = groups[0]?.id ?? "";
    expect([...(groups[0]?.members ?? [])].sort()).toEqual([ARI, PIA].sort());
    expect(both.discordFake.threads()).toEqual([]);
    const slackTally = slackSees(groupDm).filter((m) => m.text.startsWith("Next check-in"));
    const discordTally = adaDm().filter((m) => textOf(m).startsWith("Next check-in"));
    expect(slackTally).toHaveLength(1);
    expect(discordTally).toHaveLength(1);
    for (const text of [slackTally[0]?.text ?? "", textOf(discordTally[0] as StoredMessage)]) {
      expect(text).toContain(`Next check-in: ${whenIn(first.start, ADELAIDE)} (${ADELAIDE}), 60 minutes.`);
      expect(text).toContain("Coming: —");
      expect(text).toContain("Not answered yet: Pia, Ada, Ari");
    }
  });

  it("RSVPs pressed on Slack and Discord edit the tally in place on both platforms; the others are offered another time", async () => {
    const slackTally = slackSees(groupDm).find((m) => m.text.startsWith("Next check-in")) as FakeSlackMessage;
    const discordTally = adaDm().find((m) => textOf(m).startsWith("Next check-in")) as StoredMessage;

    const reminder = await slackDmMessage(PIA, "Coming up", "Pia's reminder");
    await slackPressOnMessage(PIA, reminder, "I'll be there", "see you there");
    await waitFor(
      () =>
        slackSees(groupDm).some((m) => m.ts === slackTally.ts && m.text.includes("Coming: Pia")) &&
        textOf(both.discordFake.message(discordTally.id) ?? discordTally).includes("Coming: Pia"),
      { ...WAIT, what: "Pia's answer in the tally on both platforms" },
    );

    const adaReminder = await adaDmMessage("Coming up", "Ada's reminder");
    const adaSaid = await discordPressOnMessage(
      ada,
      adaReminder,
      "Can't make it",
      "Thanks for letting me know",
    );
    expect(adaSaid).toContain("I'll tell the others you can't make this one");
    await waitFor(
      () =>
        slackSees(groupDm).some((m) => m.ts === slackTally.ts && m.text.includes("Can't make it: Ada")) &&
        textOf(both.discordFake.message(discordTally.id) ?? discordTally).includes("Can't make it: Ada"),
      { ...WAIT, what: "Ada's answer in the tally on both platforms" },
    );

    // Edited, not posted again: one tally in each space, the same message, changed twice.
    const slackNow = slackSees(groupDm).filter((m) => m.text.startsWith("Next check-in"));
    expect(slackNow.map((m) => [m.ts, m.edits])).toEqual([[slackTally.ts, 2]]);
    expect(slackNow[0]?.text).toContain("Coming: Pia\nCan't make it: Ada\nNot answered yet: Ari");
    expect(both.slackFake.callsTo("chat.update").filter((c) => c.args.ts === slackTally.ts)).toHaveLength(2);
    const discordNow = adaDm().filter((m) => textOf(m).startsWith("Next check-in"));
    expect(discordNow.map((m) => m.id)).toEqual([discordTally.id]);
    expect(textOf(discordNow[0] as StoredMessage)).toContain(
      "Coming: Pia\nCan't make it: Ada\nNot answered yet: Ari",
    );
    expect(
      both.discordFake
        .callsTo("PATCH", `/channels/${both.discordFake.dmChannelFor(ada.id)}/messages/${discordTally.id}`)
        .filter((c) => c.status === 200),
    ).toHaveLength(2);

    // The others hear only that Ada can't make it, and are offered the next time that suits everyone.
    await settled();
    const [toPia, toAri, toAda] = await Promise.all([
      slackDmMessage(PIA, "Move this one to then?", "the offer of another time to Pia"),
      slackDmMessage(ARI, "Move this one to then?", "the offer of another time to Ari"),
      adaDmMessage("Move this one to then?", "the offer of another time to Ada"),
    ]);
    const move = slackButtonsOf(toPia).find((b) => b.action_id === "checkin:move");
    const slot = Number(move?.value?.split("|")[2]);
    expect(slot).toBeGreaterThan(first.start);
    expect(toPia.text).toBe(
      `Ada can't make the check-in on ${whenIn(first.start, PERTH)}. The next time that suits everyone is ${whenIn(slot, PERTH)} your time. Move this one to then?`,
    );
    expect(toAri.text).toContain(`Ada can't make the check-in on ${whenIn(first.start, AUCKLAND)}.`);
    expect(toAri.text).toContain(`${whenIn(slot, AUCKLAND)} your time`);
    expect(textOf(toAda)).toBe(
      `The next time that suits everyone is ${whenIn(slot, ADELAIDE)} your time. Move this one to then?`,
    );
    for (const labels of [
      slackButtonsOf(toPia).map((b) => b.text.text),
      slackButtonsOf(toAri).map((b) => b.text.text),
      discordButtonsOf(toAda).map((b) => String(b.label)),
    ]) {
      expect(labels).toHaveLength(2);
      expect(labels[0]).toMatch(/^Move to /);
      expect(labels[1]).toBe("Keep it as it is");
    }
    // Ari keeps it as planned (no move): the session stays where it was.
    await slackPressOnMessage(ARI, toAri, "Keep it as it is", "it stays as planned");
    expect((await both.app.stores.checkins.series(seriesId))?.moves).toEqual({});
  });

  it("15 minutes before, only those who may come are reminded; at the start the agenda is posted in both spaces", async () => {
    await travelTo(first.start - 15 * MINUTE + MINUTE);
    await Promise.all([
      slackDmMessage(PIA, "starts in 15 minutes", "Pia's 15-minute reminder"),
      slackDmMessage(ARI, "starts in 15 minutes", "Ari's 15-minute reminder"),
    ]);
    // Ada said she can't make it: no reminder for her.
    expect(adaDm().filter((m) => textOf(m).includes("starts in 15 minutes"))).toEqual([]);
    expect(slackDm(PIA).findLast((m) => m.text.includes("starts in 15 minutes"))?.text).toContain(
      `(${whenIn(first.start, PERTH)} your time)`,
    );

    await travelTo(first.start + MINUTE);
    const [onSlack, onDiscord] = await Promise.all([
      waitFor(() => slackSees(groupDm).find((m) => m.text.startsWith("Check-in time")), {
        ...WAIT,
        what: "the agenda in the Slack group DM",
      }),
      adaDmMessage("Check-in time", "the agenda in Ada's Discord DM"),
    ]);
    for (const agenda of [onSlack.text, textOf(onDiscord)]) {
      expect(agenda).toContain("Facilitating today: Pia");
      expect(agenda).toMatch(/1\. Arriving[\s\S]*2\. [\s\S]*Closing/);
      expect(agenda).toContain("What's said here stays with the people here.");
    }
    expect(slackSees(groupDm).filter((m) => m.text.startsWith("Check-in time"))).toHaveLength(1);
    expect(adaDm().filter((m) => textOf(m).startsWith("Check-in time"))).toHaveLength(1);
  });

  it("afterwards Pia and Ari are asked whether it happened; Pia's answers and typed take-away go to her record, sealed", async () => {
    const after = first.start + HOUR + 15 * MINUTE;
    await travelTo(after - 5 * MINUTE);
    expect(slackDm(PIA).filter((m) => m.text.includes("did it happen?"))).toEqual([]);

    await travelTo(after + MINUTE);
    const [question] = await Promise.all([
      slackDmMessage(PIA, "did it happen?", "the question to Pia"),
      slackDmMessage(ARI, "did it happen?", "the question to Ari"),
    ]);
    expect(question.text).toBe(`How did the check-in on ${whenIn(first.start, PERTH)} go — did it happen?`);
    expect(slackButtonsOf(question).map((b) => b.text.text)).toEqual(["Yes", "Partly", "No"]);
    // Ada wasn't coming: she isn't asked.
    expect(adaDm().filter((m) => textOf(m).includes("did it happen?"))).toEqual([]);

    const howLong = await slackPressOnMessage(PIA, question, "Yes", "How long did it run?");
    const takeaway = await slackPressOnMessage(
      PIA,
      howLong as FakeSlackMessage,
      "45 min",
      "what you take away",
    );
    expect(slackButtonsOf(takeaway as FakeSlackMessage).map((b) => b.text.text)).toEqual(["Skip"]);

    const words = "Naming my limits out loud with peers helped more than I expected";
    const before = slackDm(PIA).length;
    await slackWrites(PIA, both.slackFake.imChannel(PIA), words);
    const kept = await waitFor(
      () =>
        slackDm(PIA)
          .slice(before)
          .find((m) => m.text.includes("Kept, encrypted")),
      {
        ...WAIT,
        what: "the bot keeping Pia's take-away",
      },
    );
    expect(kept.text).toContain("it's in your supervision record");

    const [record] = await both.app.stores.checkins.attendance(slackMember(PIA));
    expect(record).toMatchObject({ happened: "yes", minutes: 45, facilitated: true, takeaway: words });
    expect(record?.with).toEqual([slackMember(ARI)]);
    // Her words are nowhere in Redis as written (sealed), nor in the logs.
    const dump = (await dumpRedis(both.testRedis.redis, `${both.testRedis.prefix}*`)).join("\n");
    expect(dump.length).toBeGreaterThan(0);
    expect(dump).not.toContain("Naming my limits");
    expect(dump).not.toContain("out loud with peers");
    expect(both.logger.text()).not.toContain("Naming my limits");
  });

  it("/peer supervision log: Pia's CSV and page arrive in her Slack DM; Ada's (empty) record in her Discord DM", async () => {
    await slackCommandSent(PIA, "supervision log");
    const files = await waitFor(
      () => {
        const shared = both.slackFake.filesSeenPrivatelyBy(PIA);
        return shared.length >= 2 ? shared : undefined;
      },
      { ...WAIT, what: "Pia's record files in her Slack DM" },
    );
    expect(files.map((f) => f.filename)).toEqual(["co-supervision-record.csv", "co-supervision-record.html"]);
    const message = await slackDmMessage(PIA, "Your co-supervision record", "the words with Pia's record");
    expect(message.text).toContain("1 session held, 0.75 hours, 1 facilitated by you");
    const csv = files[0]?.content ?? "";
    const html = files[1]?.content ?? "";
    const date = DateTime.fromMillis(first.start, { zone: PERTH }).toISODate() ?? "";
    const row = csv.split("\r\n").find((line) => line.startsWith(date));
    expect(row).toBeDefined();
    expect(row).toContain(`${date},${timeIn(first.start, PERTH)},Yes,45,Yes,Ari,`);
    expect(row).toContain("Naming my limits out loud");
    expect(html.trimStart()).toMatch(/^<!DOCTYPE html>/);
    expect(html.trimEnd()).toMatch(/<\/html>$/);
    expect(html).toContain("Naming my limits out loud");
    // Not one word of it in the Slack group DM or with anyone else.
    expect(both.slackFake.filesIn(groupDm)).toEqual([]);
    expect(both.slackFake.filesSeenPrivatelyBy(ARI).map((f) => f.filename)).toEqual(["co-supervision.ics"]);

    // Ada, who couldn't come, asks on Discord: a friendly word that there's nothing yet, and the files still come.
    const asked = await discordCommand(ada, "supervision log", "I've sent your record to your DM");
    expect(discordAnswers(asked)).not.toContain("Naming");
    const said = await adaDmMessage("Your co-supervision record", "the words with Ada's record");
    expect(textOf(said)).toContain("has no sessions yet");
    const adaFiles = await discordFilesInDm(ada);
    expect(adaFiles.map((f) => f.name)).toEqual(["co-supervision-record.csv", "co-supervision-record.html"]);
    expect(adaFiles[0]?.content).toContain("Date,");
    expect(adaFiles[0]?.content).not.toContain(
      DateTime.fromMillis(first.start, { zone: ADELAIDE }).toISODate(),
    );
    expect(adaFiles[1]?.content).toMatch(/^\s*<!DOCTYPE html>/);
    expect(adaFiles[1]?.content).not.toContain("Naming");
  });

  it("logged no error and none of the members' words; neither platform refused anything", () => {
    expect(both.logger.lines.filter((line) => line.level === "error")).toEqual([]);
    expect(both.logger.text()).not.toContain("Naming my limits");
    expect(both.slackFake.calls.filter((call) => call.status !== 200)).toEqual([]);
    expect(both.discordFake.calls.filter((call) => call.status >= 400)).toEqual([]);
  });
});
