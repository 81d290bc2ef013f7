import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../../test/fakes/fixed-clock.js";
import { type Delivered, RecordingPlatform } from "../../../test/fakes/recording-platform.js";
import { deliverDueUntil } from "../../../test/helpers/deliver-due.js";
import { dumpRedis } from "../../../test/helpers/redis-dump.js";
import { createTestApp } from "../../../test/helpers/test-app.js";
import { createTestRedis } from "../../../test/helpers/test-redis.js";
import type { Button, ConversationRef, OutboundMessage } from "../../platform/chat-platform.js";
import { memberSubject } from "./checkins.js";

/**
 * Co-supervision check-ins through the whole app (real Redis, the real
 * delivery service and outbox) on two recording platforms standing in for
 * Slack and Discord, with the clock moved by hand: a trio across Perth,
 * Adelaide and Auckland meeting on Mondays across the April 2027
 * daylight-saving change in Adelaide and Auckland.
 */
const testRedis = createTestRedis("checkins");
const slack = new RecordingPlatform("slack");
const discord = new RecordingPlatform("discord");
// Monday 22 March 2027, 09:00 in Perth.
const clock = new FixedClock("2027-03-22T01:00:00Z");
const COORD = "slack:T1:UCOORD";
const app = createTestApp(testRedis, [slack, discord], {
  clock,
  scheduler: false,
  env: { COORDINATORS: COORD },
});

const PIA = "slack:T1:UPIA"; // Perth (no daylight saving)
const ADA = "discord:2001"; // Adelaide (daylight saving ends Sunday 4 April 2027)
const ARI = "slack:T1:UARI"; // Auckland (daylight saving ends the same night)
const platformOf = (id: string) => (id.startsWith("slack") ? slack : discord);

/** Everything the queue sent, with the (test) time it went. */
const sent: Array<{ at: number; to: ConversationRef; message: OutboundMessage }> = [];

async function join(member: string, zone: string, region: string, name: string) {
  const p = platformOf(member);
  await p.inbound({
    kind: "command",
    member,
    displayName: name,
    text: `join region:"${region}" tz:${zone} days:mon-fri hours:09:00-17:00 solo:yes`,
  });
  await p.inbound({ kind: "button", member, actionId: "join:consent" });
  await p.inbound({ kind: "command", member, text: "set tips off" });
  await p.inbound({ kind: "command", member, text: "set prompts off" });
}
const command = async (member: string, text: string) =>
  (await platformOf(member).inbound({ kind: "command", member, text })).map((m) => m.text).join("\n");
const press = (member: string, button: Button) =>
  platformOf(member).inbound({
    kind: "button",
    member,
    actionId: button.id,
    ...(button.value ? { value: button.value } : {}),
  });
const say = (member: string, text: string) => platformOf(member).inbound({ kind: "message", member, text });

/** The latest message to this member's DM that has a button labelled so; and the button. */
function button(member: string, label: string | RegExp): Button {
  const dms = platformOf(member).sent.filter((d) => d.conversation.kind === "dm" && d.member === member);
  for (const d of [...dms].reverse()) {
    const found = d.message.buttons?.find((b) =>
      typeof label === "string" ? b.label === label : label.test(b.label),
    );
    if (found) return found;
  }
  throw new Error(`no "${label}" button for ${member}`);
}
const dmsTo = (member: string): Delivered[] =>
  platformOf(member).sent.filter((d) => d.conversation.kind === "dm" && d.member === member);
const lastDm = (member: string) => dmsTo(member).at(-1)?.message.text ?? "";

/** Moves the clock to each due time up to `iso` in turn and delivers what fell due there. */
const runUntil = (iso: string) =>
  deliverDueUntil(app, clock, iso, async (to, message) => {
    sent.push({ at: clock.now().getTime(), to, message });
    return platformOf(to.id).post(to, message);
  });
const sentTo = (member: string, pattern: RegExp) =>
  sent.filter((s) => s.to.kind === "dm" && s.to.id === member && pattern.test(s.message.text));

let seriesId = "";
let acceptedReply: OutboundMessage[] = [];

beforeAll(async () => {
  await app.start();
  await join(PIA, "Australia/Perth", "Pilbara", "Pia");
  await join(ADA, "Australia/Adelaide", "Riverland", "Ada");
  await join(ARI, "Pacific/Auckland", "Waikato", "Ari");
  await join(COORD, "Australia/Brisbane", "Brisbane", "Cora");
  for (const [id, handle] of [
    [PIA, "pia"],
    [ADA, "ada"],
    [ARI, "ari"],
  ] as const) {
    expect(await command(id, `set handle ${handle}`)).not.toContain("isn't");
  }
}, 30_000);
afterAll(async () => {
  await app.stop();
  await testRedis.cleanup();
});

describe("setting up a series", () => {
  it("a time outside someone's working hours is not sent: the bot says whose, and offers times that suit everyone", async () => {
    // Monday 15:30 in Adelaide is 18:00 in Auckland.
    const [reply] = await platformOf(PIA).inbound({
      kind: "command",
      member: PIA,
      text: "checkin new @ada @ari every 1w mon 15:30 tz:Australia/Adelaide length:60",
    });
    expect(reply?.text).toContain("outside someone's working hours");
    expect(reply?.text).toContain("• Ari: Mon 22 Mar 18:00 their time");
    expect(reply?.text).not.toMatch(/Pia:|Ada:/);
    await runUntil("2027-03-22T01:00:00Z");
    expect(dmsTo(ADA)).toEqual([]);
    expect(dmsTo(ARI)).toEqual([]);
    // Each offered time suits all three in their own zones (the slot-fit tests check every week of it).
    const offered = (reply?.buttons ?? []).filter((b) => b.id === "checkin:use-time");
    expect(offered.length).toBeGreaterThan(0);
    expect(reply?.buttons?.map((b) => b.label)).toContain("Send my time anyway");
    const draft = (await app.stores.checkins.allSeries()).find((s) => s.state === "draft");
    expect(draft?.id).toBe(offered[0]?.value?.split("|")[0]);
  });

  it("a time that suits everyone goes out as an invitation in each person's own time; nothing is scheduled before two accept", async () => {
    const reply = await command(
      PIA,
      "checkin new @ada @ari every 1w mon 11:30 tz:Australia/Adelaide length:60",
    );
    expect(reply).toContain("Invitations are on their way to Ada and Ari");
    await runUntil("2027-03-22T01:00:00Z");
    expect(lastDm(ADA)).toContain("Pia would like to meet for peer co-supervision with you and Ari");
    expect(lastDm(ADA)).toContain("at 11:30 your time (Australia/Adelaide)");
    expect(lastDm(ARI)).toContain("at 14:00 your time (Pacific/Auckland)");
    const series = (await app.stores.checkins.allSeries()).find((s) => s.state === "proposed");
    seriesId = series?.id ?? "";
    expect(seriesId).not.toBe("");
    for (const member of [PIA, ADA, ARI]) {
      expect(
        await app.stores.schedule.upcoming(memberSubject(member, seriesId), ["checkin-day-before"]),
      ).toEqual([]);
    }
  });

  it("starts once two have said yes, and schedules only those who did", async () => {
    await press(ADA, button(ADA, "Accept"));
    expect(lastDm(ADA)).toBe(lastDm(ADA)); // the reply goes to the responder
    const series = await app.stores.checkins.series(seriesId);
    expect(series?.state).toBe("running");
    expect(await app.stores.schedule.get(memberSubject(ADA, seriesId), "checkin-day-before")).not.toBeNull();
    expect(await app.stores.schedule.get(memberSubject(ARI, seriesId), "checkin-day-before")).toBeNull();
    acceptedReply = await press(ARI, button(ARI, "Accept"));
    expect(acceptedReply[0]?.text).toContain(
      "The first one for you is Monday 29 March, 14:00 your time, with Pia and Ada",
    );
    expect(await app.stores.schedule.get(memberSubject(ARI, seriesId), "checkin-day-before")).not.toBeNull();
    await runUntil("2027-03-22T01:00:00Z");
    expect(lastDm(PIA)).toContain("Your co-supervision check-ins with Ada are on");
  });
});

describe("calendar invites", () => {
  it("sends the series as an .ics file that parses back to the sessions, in UTC, across the DST change", async () => {
    const calendarButton = acceptedReply[0]?.buttons?.find((b) => b.label === "Add to my calendar");
    const replies = await press(ARI, calendarButton as Button);
    expect(replies).toEqual([]);
    const file = slack.filesTo(ARI).at(-1);
    expect(file?.name).toMatch(/\.ics$/);
    const calendar = new ICAL.Component(ICAL.parse(file?.content ?? ""));
    const events = calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    const starts = events.map((e) => e.startDate.toJSDate().toISOString());
    // 11:30 in Adelaide: 01:00 UTC while daylight saving lasts, 02:00 UTC after 4 April.
    expect(starts.slice(0, 3)).toEqual([
      "2027-03-29T01:00:00.000Z",
      "2027-04-05T02:00:00.000Z",
      "2027-04-12T02:00:00.000Z",
    ]);
    expect(events[0]?.endDate.toJSDate().toISOString()).toBe("2027-03-29T02:00:00.000Z");
    expect(events.length).toBeGreaterThan(20);
  });
});

/** The "who's coming" post in a space: there must be exactly one. */
function tallyIn(p: RecordingPlatform, conversation: string): Delivered {
  const posts = p.sent.filter(
    (d) => d.conversation.id === conversation && d.message.text.startsWith("Next check-in"),
  );
  expect(posts).toHaveLength(1);
  return posts[0] as Delivered;
}

describe("reminders with RSVP", () => {
  it("the day before, each in their own working hours", async () => {
    await runUntil("2027-03-26T01:00:00Z");
    // Monday 29 March's session: the working day before is Friday 26 March, at the session's local time.
    for (const member of [PIA, ADA, ARI]) {
      const [reminder] = sentTo(member, /^Coming up/);
      expect(new Date(reminder?.at ?? 0).toISOString()).toBe("2027-03-26T01:00:00.000Z");
    }
    expect(sentTo(PIA, /^Coming up/)[0]?.message.text).toContain("Monday 29 March, 09:00 your time");
    expect(sentTo(ADA, /^Coming up/)[0]?.message.text).toContain("Monday 29 March, 11:30 your time");
    expect(sentTo(ARI, /^Coming up/)[0]?.message.text).toContain("Monday 29 March, 14:00 your time");
  });

  it("the session message in the group shows who is coming, edited in place as answers arrive", async () => {
    expect((await press(PIA, button(PIA, "I'll be there")))[0]?.text).toContain("see you there");
    await runUntil("2027-03-28T01:00:00Z");
    // Pia and Ari share Slack: a group DM; Ada is alone on Discord: her DM is the session's space there.
    expect(slack.opened.map((g) => [...g.members].sort())).toEqual([[PIA, ARI].sort()]);
    const group = slack.opened[0]?.id ?? "";
    const first = tallyIn(slack, group);
    expect(first.message.text).toContain("Coming: Pia");
    expect(first.message.text).toContain("Not answered yet: Ada, Ari");
    expect(tallyIn(discord, ADA).message.text).toContain("Coming: Pia");

    await press(ADA, button(ADA, "I'll be there"));
    const edited = tallyIn(slack, group);
    expect(edited.id).toBe(first.id);
    expect(edited.message.text).toContain("Coming: Pia, Ada");
    expect(tallyIn(discord, ADA).message.text).toContain("Coming: Pia, Ada");
  });

  it("“Can't make it”: the tally says so, the others are told and offered the next time that suits everyone", async () => {
    const [reply] = await press(ARI, button(ARI, "Can't make it"));
    expect(reply?.text).toContain("I'll tell the others");
    expect(tallyIn(slack, slack.opened[0]?.id ?? "").message.text).toContain("Can't make it: Ari");
    await runUntil("2027-03-28T01:00:00Z");
    // 02:00 UTC on Monday 29 March: 10:00 in Perth, 12:30 in Adelaide, 15:00 in Auckland — inside everyone's hours.
    expect(lastDm(PIA)).toContain("Ari can't make the check-in on Monday 29 March, 09:00");
    expect(lastDm(PIA)).toContain("The next time that suits everyone is Monday 29 March, 10:00 your time");
    expect(lastDm(ADA)).toContain("Monday 29 March, 12:30 your time");
    expect(lastDm(ARI)).toContain("Monday 29 March, 15:00 your time. Move this one to then?");
  });

  it("moving the session tells everyone, asks again, and sends an updated calendar file with the same entry", async () => {
    const before = slack.filesTo(ARI).length;
    await press(ADA, button(ADA, /^Move to/));
    await runUntil("2027-03-28T01:00:00Z");
    expect(lastDm(PIA)).toContain(
      "Ada moved the check-in from Monday 29 March, 09:00 to Monday 29 March, 10:00 your time",
    );
    expect(sentTo(ARI, /updated calendar file/)).toHaveLength(1);
    expect(slack.filesTo(ARI).length).toBe(before + 1);
    const events = new ICAL.Component(ICAL.parse(slack.filesTo(ARI).at(-1)?.content ?? ""))
      .getAllSubcomponents("vevent")
      .map((v) => new ICAL.Event(v));
    const earlier = new ICAL.Component(ICAL.parse(slack.filesTo(ARI).at(-2)?.content ?? ""))
      .getAllSubcomponents("vevent")
      .map((v) => new ICAL.Event(v));
    expect(events[0]?.startDate.toJSDate().toISOString()).toBe("2027-03-29T02:00:00.000Z");
    expect(events[0]?.uid).toBe(earlier[0]?.uid);
    expect(events[0]?.sequence).toBeGreaterThan(earlier[0]?.sequence ?? 0);
    const tally = tallyIn(slack, slack.opened[0]?.id ?? "").message.text;
    expect(tally).toContain("Monday 29 March, 12:30 (Australia/Adelaide)");
    expect(tally).toContain("Not answered yet: Pia, Ada, Ari");
  });

  it("15 minutes before the new time, with the RSVP buttons", async () => {
    await runUntil("2027-03-29T01:45:00Z");
    for (const member of [PIA, ADA, ARI]) {
      const soon = sentTo(member, /starts in 15 minutes/);
      expect(soon.map((s) => new Date(s.at).toISOString())).toEqual(["2027-03-29T01:45:00.000Z"]);
      expect(soon[0]?.message.buttons?.map((b) => b.label)).toEqual([
        "I'll be there",
        "Can't make it",
        "Reschedule",
      ]);
    }
    await press(ARI, button(ARI, "I'll be there"));
  });
});

describe("the agenda and afterwards", () => {
  it("posts the agenda at the start in every space, with a facilitator", async () => {
    await runUntil("2027-03-29T02:00:00Z");
    const agenda = slack.sent.filter(
      (d) => d.conversation.kind === "group" && d.message.text.startsWith("Check-in time"),
    );
    expect(agenda).toHaveLength(1);
    expect(agenda[0]?.message.text).toContain("Facilitating today: Pia");
    expect(agenda[0]?.message.text).toMatch(/1\. Arriving[\s\S]*2\. [\s\S]*Closing/);
    expect(discord.to(ADA).some((d) => d.message.text.includes("Facilitating today: Pia"))).toBe(true);
  });

  it("asks each one afterwards whether it happened and how long it ran, and keeps their take-away sealed", async () => {
    await runUntil("2027-03-29T03:15:00Z");
    for (const member of [PIA, ADA, ARI]) {
      expect(sentTo(member, /did it happen\?/)).toHaveLength(1);
      expect(new Date(sentTo(member, /did it happen\?/)[0]?.at ?? 0).toISOString()).toBe(
        "2027-03-29T03:15:00.000Z",
      );
    }
    const [minutes] = await press(PIA, button(PIA, "Yes"));
    expect(minutes?.text).toContain("How long did it run?");
    const [takeaway] = await say(PIA, "50");
    expect(takeaway?.text).toContain("what you take away");
    const words = "=cmd|' /C calc'!A0 naming my limits out loud helped";
    expect((await say(PIA, words))[0]?.text).toContain("Kept, encrypted");
    const [howLong] = await press(ADA, button(ADA, "Partly"));
    const [optional] = await press(ADA, howLong?.buttons?.find((b) => b.label === "45 min") as Button);
    await press(ADA, optional?.buttons?.find((b) => b.label === "Skip") as Button);
    await press(ARI, button(ARI, "No"));
    const dump = (await dumpRedis(testRedis.redis, `${testRedis.prefix}*`)).join("\n");
    expect(dump).not.toContain("naming my limits");
    const [pia] = await app.stores.checkins.attendance(PIA);
    expect(pia).toMatchObject({ happened: "yes", minutes: 50, facilitated: true, takeaway: words });
    expect([...(pia?.with ?? [])].sort()).toEqual([ADA, ARI].sort());
    expect((await app.stores.checkins.attendance(ADA))[0]).toMatchObject({
      happened: "partly",
      minutes: 45,
      facilitated: false,
    });
    expect((await app.stores.checkins.attendance(ARI))[0]).toMatchObject({ happened: "no", minutes: 0 });
  });

  it("the next session's facilitator is someone who hasn't had a turn", async () => {
    await runUntil("2027-04-05T02:00:00Z");
    const agendas = slack.sent.filter(
      (d) => d.conversation.kind === "group" && d.message.text.startsWith("Check-in time"),
    );
    expect(agendas.at(-1)?.message.text).toContain("Facilitating today: Ada");
  });

  it("a member on leave is skipped without a reason shown; the session goes ahead for the others", async () => {
    expect(await command(ADA, "pause until 2027-04-20")).toContain("I won't send you anything");
    const before = dmsTo(ADA).length;
    const mark = { slack: slack.sent.length, discord: discord.sent.length };
    await runUntil("2027-04-12T02:00:00Z");
    // No reminders to Ada while she is away (the group post still reaches her Discord space).
    const toAda = dmsTo(ADA)
      .slice(before)
      .filter((d) => /Coming up|starts in 15|did it happen/.test(d.message.text));
    expect(toAda).toEqual([]);
    const group = slack.opened[0]?.id ?? "";
    const latestTally = slack.sent
      .filter((d) => d.conversation.id === group && d.message.text.startsWith("Next check-in"))
      .at(-1);
    expect(latestTally?.message.text).toContain("One member is away this time.");
    expect(latestTally?.message.text).not.toContain("Ada");
    const agenda = slack.sent
      .filter((d) => d.conversation.id === group && d.message.text.startsWith("Check-in time"))
      .at(-1);
    expect(agenda?.message.text).toContain("Facilitating today: Ari");
    expect(agenda?.message.text).toContain("One member is away this time.");
    for (const d of [...slack.sent.slice(mark.slack), ...discord.sent.slice(mark.discord)]) {
      if (d.member === ADA) continue;
      expect(d.message.text).not.toMatch(/paus|holiday|leave|unwell/i);
    }
  });
});

describe("the member's record", () => {
  it("/peer supervision log sends the member their record as CSV and a printable page", async () => {
    await runUntil("2027-04-12T03:15:00Z");
    const [howLong] = await press(PIA, button(PIA, "Yes"));
    const [optional] = await press(PIA, howLong?.buttons?.find((b) => /as planned/.test(b.label)) as Button);
    await press(PIA, optional?.buttons?.find((b) => b.label === "Skip") as Button);
    const reply = await command(PIA, "supervision log");
    expect(reply).toBe("");
    const message = dmsTo(PIA).at(-1)?.message;
    expect(message?.text).toContain("2 sessions held, 1.83 hours, 1 facilitated by you");
    const csv = message?.files?.find((f) => f.name.endsWith(".csv"))?.content ?? "";
    const html = message?.files?.find((f) => f.name.endsWith(".html"))?.content ?? "";
    expect(csv).toContain("2027-03-29");
    expect(csv).toContain("10:00");
    expect(csv).toContain("'=cmd|");
    expect(csv).not.toMatch(/(^|,)=cmd/m);
    expect(csv).toMatch(/Ada.*Ari|Ari.*Ada/);
    expect(html).toContain("<!DOCTYPE html>");
    expect(html).toContain("naming my limits out loud helped");
    expect(html).not.toContain("<script");
    await command(PIA, "supervision log from 2027-04-01 to 2027-04-30");
    expect(dmsTo(PIA).at(-1)?.message.text).toContain("1 session held, 1 hour,");
    expect(await command(PIA, "supervision log from 2027-13-01")).toContain("isn't a date");
    expect(await command(PIA, "supervision log from 2027-05-01 to 2027-04-01")).toContain(
      "starts (2027-05-01) after it ends",
    );
  });

  it("coordinators see the series without names or words, and no count below five", async () => {
    const list = await command(COORD, "checkin list");
    expect(list).toContain("every week on Monday at 11:30 (Australia/Adelaide)");
    expect(list).toContain("on Discord and Slack");
    expect(list).toContain("People meeting in check-ins: fewer than 5");
    expect(list).not.toMatch(/Pia|Ada|Ari|limits/);
    expect(await command(PIA, "checkin list")).toContain("Only network coordinators");
  });

  it("bad input names the problem and shows the right form", async () => {
    expect(await command(PIA, "checkin new @ada every 2 mon 10:00")).toContain(
      "every starts with how many weeks",
    );
    expect(await command(PIA, "checkin new @ada every 1w funday 10:00")).toContain("isn't a weekday");
    expect(await command(PIA, "checkin new @ada every 1w mon 9am")).toContain("isn't a time of day");
    expect(await command(PIA, "checkin new @ada every 1w mon 10:00 length:5")).toContain(
      "length takes minutes from 15 to 180",
    );
    expect(await command(PIA, "checkin new @nobody every 1w mon 10:00")).toContain(
      "I don't know anyone with the handle",
    );
    expect(await command(PIA, "checkin new every 1w mon 10:00")).toContain("For example: /peer checkin new");
  });

  it("forgetting a member takes them out of the series and out of the others' records", async () => {
    const [ask] = await platformOf(ARI).inbound({ kind: "command", member: ARI, text: "forget" });
    const [done] = await press(
      ARI,
      ask?.buttons?.find((b) => b.label === "Yes, delete everything") as Button,
    );
    expect(done?.text).toContain("deleted");
    const series = await app.stores.checkins.series(seriesId);
    expect(Object.keys(series?.people ?? {})).not.toContain(ARI);
    expect(series?.state).toBe("running");
    expect(
      await app.stores.schedule.upcoming(memberSubject(ARI, seriesId), [
        "checkin-day-before",
        "checkin-soon",
        "checkin-after",
      ]),
    ).toEqual([]);
    for (const line of await app.stores.checkins.attendance(PIA)) expect(line.with).not.toContain(ARI);
    const dump = (await dumpRedis(testRedis.redis, `${testRedis.prefix}*`)).join("\n");
    expect(dump).not.toContain("UARI");
  });
});
