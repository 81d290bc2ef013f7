import { randomUUID } from "node:crypto";
import type { ChatPort } from "../../commands/context.js";
import type { Outbox } from "../../delivery/outbox.js";
import type { Logger } from "../../logging/logger.js";
import type { MemberStore } from "../../members/member-store.js";
import type { Member } from "../../members/member.js";
import {
  type ConversationRef,
  type MemberId,
  type OutboundMessage,
  dmWith,
  platformOf,
} from "../../platform/chat-platform.js";
import type { QuestionBankSource } from "../../reflection/custom-questions.js";
import type { JournalStore } from "../../reflection/journal.js";
import { RETURNING_THEME, SOLE_WORKER_THEME } from "../../reflection/question-bank.js";
import type { ScheduleStore } from "../../schedule/schedule-store.js";
import type { Clock } from "../../time/clock.js";
import type { CircleStore } from "../circles/circle-store.js";
import { firstName } from "../circles/circle-words.js";
import { openSpaces } from "../spaces.js";
import { calendarFile } from "./calendar-file.js";
import type { CheckinStore } from "./checkin-store.js";
import {
  INVITE_BUTTONS,
  invitationText,
  names,
  seriesTitle,
  shortWhen,
  tallyText,
  when,
} from "./checkin-words.js";
import { nextOccurrence, occurrenceAt, occurrencesBetween } from "./recurrence.js";
import type { Answer, Occurrence, Rsvp, Series, SeriesRule } from "./series.js";
import { type Timing, nextTiming } from "./session-times.js";

export interface CheckinsDeps {
  readonly store: CheckinStore;
  readonly circles: CircleStore;
  readonly members: MemberStore;
  readonly chat: ChatPort;
  readonly outbox: Outbox;
  readonly schedule: ScheduleStore;
  readonly questions: QuestionBankSource;
  readonly journal: JournalStore;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Scheduled kinds sent to one member (subject `<member>#checkin:<series>`). */
export const MEMBER_KINDS = {
  "checkin-day-before": "day-before",
  "checkin-soon": "soon",
  "checkin-after": "after",
} as const satisfies Record<string, Timing>;
/** Scheduled kinds done for the whole series (subject `<platform>:checkin:<series>`). */
export const SERIES_KINDS = {
  "checkin-tally": "tally",
  "checkin-agenda": "agenda",
} as const satisfies Record<string, Timing>;

const DAY = 24 * 60 * 60_000;
const CALENDAR_MONTHS = 6;

export function memberSubject(member: MemberId, seriesId: string): string {
  return `${member}#checkin:${seriesId}`;
}

export function parseMemberSubject(subject: string): { member: MemberId; seriesId: string } | null {
  const at = subject.lastIndexOf("#checkin:");
  if (at <= 0) return null;
  return { member: subject.slice(0, at), seriesId: subject.slice(at + "#checkin:".length) };
}

export function seriesSubject(series: Pick<Series, "id" | "proposedBy">): string {
  return `${platformOf(series.proposedBy) || "local"}:checkin:${series.id}`;
}

export function seriesIdOf(subject: string): string {
  return subject.slice(subject.lastIndexOf(":") + 1);
}

export const accepted = (series: Series): MemberId[] =>
  Object.entries(series.people)
    .filter(([, answer]) => answer === "accepted")
    .map(([id]) => id);

/** The co-supervision check-ins' behaviour over their store, the schedule and the chat. */
export function createCheckins(deps: CheckinsDeps) {
  const { store } = deps;
  const now = () => deps.clock.now().getTime();

  async function membersOf(ids: readonly MemberId[]): Promise<Member[]> {
    return (await deps.members.getMany(ids)).filter((m): m is Member => m !== null);
  }

  function firstSession(series: Series): Occurrence | null {
    return nextOccurrence(series.rule, series.moves, now());
  }

  /** A new series (not yet sent): the proposer takes part unless they are a coordinator naming others. */
  async function draft(
    proposer: Member,
    invitees: readonly Member[],
    rule: SeriesRule,
    circleId?: string,
  ): Promise<Series> {
    const people: Record<MemberId, Answer> = {};
    for (const member of invitees) people[member.id] = member.id === proposer.id ? "accepted" : "invited";
    const series: Series = {
      id: randomUUID().slice(0, 12),
      proposedBy: proposer.id,
      createdAt: deps.clock.now().toISOString(),
      rule,
      moves: {},
      people,
      ...(circleId ? { circleId } : {}),
      state: "proposed",
      spaces: [],
      spaceMembers: [],
      sequence: 0,
      calendars: [],
      facilitated: {},
    };
    await store.createSeries(series);
    return series;
  }

  /** Asks everyone who hasn't answered, in their DM, through the paced queue. */
  async function invite(series: Series, suggestedBy?: MemberId): Promise<void> {
    const everyone = await membersOf(Object.keys(series.people));
    const proposer = everyone.find((m) => m.id === (suggestedBy ?? series.proposedBy)) ?? everyone[0];
    const first = firstSession(series);
    if (!proposer || !first) return;
    for (const member of everyone) {
      if (series.people[member.id] !== "invited") continue;
      await deps.outbox.post(dmWith(member.id), {
        text: invitationText(proposer, everyone, series.rule, first.start, member, suggestedBy !== undefined),
        buttons: INVITE_BUTTONS(series.id),
      });
    }
  }

  /** Schedules (or re-schedules, after a change) everything due from now for a running series. */
  async function scheduleAll(series: Series): Promise<void> {
    const from = now();
    const running = series.state === "running";
    for (const [kind, timing] of Object.entries(SERIES_KINDS)) {
      const next = running ? nextTiming(series.rule, series.moves, timing, from) : null;
      await deps.schedule.set(seriesSubject(series), kind, next?.at ?? null);
    }
    const people = await membersOf(Object.keys(series.people));
    for (const member of people) await scheduleMember(series, member, from);
  }

  async function scheduleMember(series: Series, member: Member, from = now()): Promise<void> {
    const on = series.state === "running" && series.people[member.id] === "accepted";
    for (const [kind, timing] of Object.entries(MEMBER_KINDS)) {
      const next = on ? nextTiming(series.rule, series.moves, timing, from, member) : null;
      await deps.schedule.set(memberSubject(member.id, series.id), kind, next?.at ?? null);
    }
  }

  async function unscheduleMember(seriesId: string, member: MemberId): Promise<void> {
    await deps.schedule.removeSubject(memberSubject(member, seriesId), Object.keys(MEMBER_KINDS));
  }

  /** A member's answer to the invitation. Starts the series once two have accepted. */
  async function answer(
    member: Member,
    seriesId: string,
    reply: Exclude<Answer, "invited">,
  ): Promise<{ series: Series | null; started: boolean }> {
    let started = false;
    const series = await store.updateSeries(seriesId, (s) => {
      if (s.state === "ended" || !(member.id in s.people)) return null;
      const people = { ...s.people, [member.id]: reply };
      const yes = Object.values(people).filter((a) => a === "accepted").length;
      const open = Object.values(people).filter((a) => a !== "declined").length;
      started = s.state === "proposed" && yes >= 2;
      const state = started ? "running" : open < 2 ? "ended" : s.state;
      return { ...s, people, state };
    });
    if (!series) return { series: null, started: false };
    if (series.state === "ended") await end(series, null);
    else if (started) {
      await scheduleAll(series);
      await announceStart(series);
    } else await scheduleMember(series, member);
    return { series, started };
  }

  async function announceStart(series: Series): Promise<void> {
    const people = await membersOf(accepted(series));
    const first = firstSession(series);
    if (!first) return;
    for (const member of people) {
      const others = people.filter((m) => m.id !== member.id);
      await deps.outbox.post(dmWith(member.id), {
        text: `Your co-supervision check-ins with ${names(others)} are on. The first is ${when(first.start, member.timeZone)} your time. I'll remind you on your working day before, and 15 minutes before. If you'd like it in your calendar, /peer checkin calendar sends you a file to open.`,
      });
    }
  }

  /** Stops a series: nothing more is scheduled; those still in it are told (not `except`). */
  async function end(series: Series, except: MemberId | null): Promise<void> {
    await deps.schedule.removeSubject(seriesSubject(series), Object.keys(SERIES_KINDS));
    for (const id of Object.keys(series.people)) await unscheduleMember(series.id, id);
    for (const id of accepted(series)) {
      if (id === except) continue;
      await deps.outbox.post(dmWith(id), {
        text: "The co-supervision check-ins you said yes to won't go ahead now: there aren't two of you left to meet. You can always start another with /peer checkin new.",
      });
    }
  }

  /** Leaves a series (no reason asked). The others are told only that the series carries on or stops. */
  async function leave(member: MemberId, seriesId: string): Promise<Series | null> {
    const series = await store.updateSeries(seriesId, (s) => {
      if (!(member in s.people) || s.people[member] === "declined") return null;
      const people = { ...s.people, [member]: "declined" as const };
      const yes = Object.values(people).filter((a) => a === "accepted").length;
      const open = Object.values(people).filter((a) => a !== "declined").length;
      const state = s.state === "running" ? (yes < 2 ? "ended" : "running") : open < 2 ? "ended" : s.state;
      return { ...s, people, state, calendars: s.calendars.filter((m) => m !== member) };
    });
    if (!series) return null;
    await unscheduleMember(seriesId, member);
    if (series.state === "ended") await end(series, member);
    return series;
  }

  /** The spaces sessions happen in, opened (again) when who is in the series changed. */
  async function ensureSpaces(series: Series): Promise<Series> {
    const people = accepted(series);
    if (series.circleId) {
      const circle = await deps.circles.circle(series.circleId);
      if (circle && people.every((id) => circle.members.includes(id))) {
        return (
          (await store.updateSeries(series.id, (s) => ({
            ...s,
            spaces: circle.spaces,
            spaceMembers: circle.members,
          }))) ?? series
        );
      }
    }
    const same =
      people.length === series.spaceMembers.length && people.every((id) => series.spaceMembers.includes(id));
    if (same && series.spaces.length > 0) return series;
    const members = await membersOf(people);
    const spaces = await openSpaces(deps.chat, members, seriesTitle(members));
    return (
      (await store.updateSeries(series.id, (s) => ({ ...s, spaces, spaceMembers: people }))) ?? {
        ...series,
        spaces,
        spaceMembers: people,
      }
    );
  }

  /** Who is coming, who can't, who hasn't said, how many are away: for the tally and the agenda. */
  async function attendanceView(series: Series, original: number) {
    const [people, rsvps] = await Promise.all([
      membersOf(accepted(series)),
      store.rsvps(series.id, original),
    ]);
    const away = people.filter((m) => m.status.state === "paused");
    const here = people.filter((m) => m.status.state !== "paused");
    return {
      coming: here.filter((m) => rsvps[m.id] === "coming"),
      notComing: here.filter((m) => rsvps[m.id] === "not-coming"),
      unanswered: here.filter((m) => rsvps[m.id] === undefined),
      away: away.length,
      present: here.filter((m) => rsvps[m.id] !== "not-coming"),
    };
  }

  async function tallyFor(series: Series, occurrence: Occurrence): Promise<string> {
    const view = await attendanceView(series, occurrence.original);
    return tallyText({
      ...view,
      start: occurrence.start,
      timeZone: series.rule.timeZone,
      lengthMinutes: series.rule.lengthMinutes,
    });
  }

  /** Posts the "who's coming" message in each space (a day before), to be edited as answers come. */
  async function postTally(series: Series, occurrence: Occurrence): Promise<void> {
    const ready = await ensureSpaces(series);
    const text = await tallyFor(ready, occurrence);
    const ids: string[] = [];
    for (const space of ready.spaces) ids.push(await deps.outbox.post(space, { text }));
    await store.noteSession(series.id, occurrence.original, { tallyPosts: ids });
  }

  /** Edits the tally in place (or rewords it while it is still on its way). */
  async function refreshTally(series: Series, occurrence: Occurrence): Promise<void> {
    const note = await store.sessionNote(series.id, occurrence.original);
    if (!note.tallyPosts?.length) return;
    const text = await tallyFor(series, occurrence);
    for (const id of note.tallyPosts) {
      const posted = await deps.outbox.sent(id);
      if (posted) await deps.chat.edit(posted, { text });
      else await deps.outbox.replace(id, { text });
    }
  }

  async function rsvp(
    member: Member,
    series: Series,
    original: number,
    answer: Rsvp,
  ): Promise<Occurrence | null> {
    const occurrence = occurrenceAt(series.rule, series.moves, original);
    if (!occurrence) return null;
    await store.setRsvp(series.id, original, member.id, answer);
    await refreshTally(series, occurrence);
    return occurrence;
  }

  /** Moves one session; everyone in it is told in their own time, and calendars are updated. */
  async function move(by: Member, seriesId: string, original: number, start: number): Promise<Series | null> {
    const series = await store.updateSeries(seriesId, (s) => {
      const current = occurrenceAt(s.rule, s.moves, original);
      if (!current || current.start === start || s.state !== "running") return null;
      return { ...s, moves: { ...s.moves, [String(original)]: start }, sequence: s.sequence + 1 };
    });
    if (!series) return null;
    // A new time: everyone is asked again (their reminders go out for the new time).
    await store.clearRsvps(series.id, original);
    await scheduleAll(series);
    const occurrence = occurrenceAt(series.rule, series.moves, original);
    if (occurrence) await refreshTally(series, occurrence);
    for (const member of await membersOf(accepted(series))) {
      await deps.outbox.post(dmWith(member.id), {
        text: `${member.id === by.id ? "Done: you moved" : `${firstName(by)} moved`} the check-in from ${when(original, member.timeZone)} to ${when(start, member.timeZone)} your time. Everything else stays as it was.`,
      });
    }
    await sendCalendars(series, true);
    return series;
  }

  function calendarFor(series: Series, people: readonly Member[]) {
    const from = now();
    const sessions = occurrencesBetween(series.rule, series.moves, from, from + CALENDAR_MONTHS * 31 * DAY);
    return calendarFile({
      seriesId: series.id,
      title: "Peer co-supervision check-in",
      description: "Peer co-supervision. The agenda is posted in your group when it starts.",
      lengthMinutes: series.rule.lengthMinutes,
      sessions,
      sequence: series.sequence,
      attendees: people.map((m) => ({ name: firstName(m) })),
      method: "PUBLISH",
    });
  }

  /** Sends a member the series as a calendar file, and remembers to send an updated one on a change. */
  async function sendCalendar(member: Member, series: Series): Promise<void> {
    const people = await membersOf(accepted(series));
    const updated = await store.updateSeries(series.id, (s) =>
      s.calendars.includes(member.id) ? null : { ...s, calendars: [...s.calendars, member.id] },
    );
    await deps.chat.post(dmWith(member.id), {
      text: `Here are the next ${CALENDAR_MONTHS} months of check-ins with ${names(people.filter((m) => m.id !== member.id))}, to open in your calendar. If a time changes, I'll send you an updated file.`,
      files: [
        {
          name: "co-supervision.ics",
          contentType: "text/calendar",
          content: calendarFor(updated ?? series, people),
        },
      ],
    });
  }

  async function sendCalendars(series: Series, changed: boolean): Promise<void> {
    if (series.calendars.length === 0) return;
    const people = await membersOf(accepted(series));
    const content = calendarFor(series, people);
    for (const id of series.calendars) {
      if (!people.some((m) => m.id === id)) continue;
      await deps.outbox.post(dmWith(id), {
        text: changed
          ? "A check-in time changed, so here's the updated calendar file. Opening it replaces the earlier entries."
          : "Your check-ins, for your calendar.",
        files: [{ name: "co-supervision.ics", contentType: "text/calendar", content }],
      });
    }
  }

  /**
   * One or two questions for a session: from a theme the participants
   * reflected on privately in the last fortnight (what they wrote is never
   * read out or shown; only the bank's theme of the question they answered),
   * else from the bank at large.
   */
  async function agendaQuestions(people: readonly Member[]): Promise<string[]> {
    const bank = await deps.questions.bank();
    const since = now() - 14 * DAY;
    const counts = new Map<string, number>();
    for (const member of people) {
      for (const entry of await deps.journal.list(member.id, 20)) {
        if (Date.parse(entry.createdAt) < since || !entry.questionId) continue;
        const theme = bank.get(entry.questionId)?.theme;
        if (theme) counts.set(theme, (counts.get(theme) ?? 0) + 1);
      }
    }
    const usable = bank.questions.filter(
      (q) => q.theme !== RETURNING_THEME && q.theme !== SOLE_WORKER_THEME && q.theme !== "diary",
    );
    const favoured = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([theme]) => theme);
    const picked: string[] = [];
    for (const theme of [...favoured, "connection", "self-care"]) {
      const pool = usable.filter((q) => q.theme === theme && !picked.includes(q.text));
      const question = pool[Math.floor(Math.random() * pool.length)];
      if (question) picked.push(question.text);
      if (picked.length === 2) break;
    }
    return picked;
  }

  /**
   * Fair turns: whoever of those present has facilitated least; among them,
   * the first in the order they were invited. Someone away catches up on
   * their turn when they are back.
   */
  function nextFacilitator(series: Series, present: readonly Member[]): Member | undefined {
    const order = Object.keys(series.people);
    const fewest = Math.min(...present.map((m) => series.facilitated[m.id] ?? 0));
    return present
      .filter((m) => (series.facilitated[m.id] ?? 0) === fewest)
      .sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id))[0];
  }

  /** Posts into a session's space (or DM) through the paced, exactly-once queue. */
  const post = (to: ConversationRef, message: OutboundMessage, at?: number) =>
    deps.outbox.post(to, message, at);

  return {
    post,
    draft,
    invite,
    answer,
    leave,
    end,
    scheduleAll,
    scheduleMember,
    unscheduleMember,
    ensureSpaces,
    attendanceView,
    postTally,
    refreshTally,
    rsvp,
    move,
    sendCalendar,
    sendCalendars,
    agendaQuestions,
    nextFacilitator,
    membersOf,
    firstSession,
    shortWhen,
  };
}

export type Checkins = ReturnType<typeof createCheckins>;
