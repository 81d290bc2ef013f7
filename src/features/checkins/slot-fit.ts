/**
 * Whether a check-in time suits everyone, and which nearby times do: pure
 * date work, no store, no chat.
 *
 * A time suits a person when the whole session, in their own zone, is on one
 * of their working days and inside their working hours (start and end
 * included). A session that crosses their midnight never suits.
 */
import { DateTime } from "luxon";
import { WEEKDAYS, type Weekday } from "../../members/member.js";
import type { MemberId } from "../../platform/chat-platform.js";
import { fromMinutes, toMinutes } from "../../schedule/preferences.js";
import { firstDateFrom, sessionsFrom } from "./recurrence.js";
import type { Availability, SeriesRule } from "./series.js";

const MINUTE = 60_000;
const WEEK_MINUTES = 7 * 24 * 60;
const GRID_MINUTES = 30;
/** Every zone offset in use is a whole number of quarter hours (Eucla +8:45, Chatham +12:45, Nepal +5:45). */
const QUARTER_HOUR = 15 * MINUTE;

function suits(person: Availability, start: number, lengthMinutes: number): boolean {
  const from = DateTime.fromMillis(start, { zone: person.timeZone });
  if (!from.isValid) return false;
  const day = WEEKDAYS[from.weekday - 1];
  if (!day || !person.workingDays.includes(day)) return false;
  const to = DateTime.fromMillis(start + lengthMinutes * MINUTE, { zone: person.timeZone });
  const startMinutes = from.hour * 60 + from.minute + from.second / 60 + from.millisecond / MINUTE;
  let endMinutes = to.hour * 60 + to.minute + to.second / 60 + to.millisecond / MINUTE;
  if (!to.hasSame(from, "day")) {
    // Ending exactly at their midnight is ending at 24:00 that day; anything later crosses it.
    const midnight = from.plus({ days: 1 }).startOf("day");
    if (to.toMillis() !== midnight.toMillis()) return false;
    endMinutes = 24 * 60;
  }
  return (
    startMinutes >= toMinutes(person.workingHours.start) && endMinutes <= toMinutes(person.workingHours.end)
  );
}

/** Those for whom [start, start+lengthMinutes) is not inside their working hours on one of their working days, in their own zone. */
export function whoCannot(people: readonly Availability[], start: number, lengthMinutes: number): MemberId[] {
  return people.filter((person) => !suits(person, start, lengthMinutes)).map((person) => person.id);
}

/**
 * For a rule, over its next `count` (default 8) sessions from `from`: which people it doesn't suit, with the first such session (ms). Empty when it suits everyone.
 * The sessions are the rule's own (no moves), starting at or after `from`; people keep their given order.
 */
export function misfits(
  rule: SeriesRule,
  people: readonly Availability[],
  from: number,
  count = 8,
): Array<{ member: MemberId; start: number }> {
  const sessions = sessionsFrom(rule, {}, from, count);
  const out: Array<{ member: MemberId; start: number }> = [];
  for (const person of people) {
    const first = sessions.find((s) => !suits(person, s.start, rule.lengthMinutes));
    if (first) out.push({ member: person.id, start: first.start });
  }
  return out;
}

/** Whether a weekly time suits everyone for its next `count` sessions from `from`. */
function suitsAll(rule: SeriesRule, people: readonly Availability[], from: number, count: number): boolean {
  const sessions = sessionsFrom(rule, {}, from, count);
  return (
    sessions.length === count &&
    sessions.every((s) => people.every((person) => suits(person, s.start, rule.lengthMinutes)))
  );
}

/**
 * Weekly times (in rule.timeZone, same everyWeeks and length) that suit everyone for all of the next `count` sessions (DST changes included),
 * nearest first to the rule's own day+time (distance around the week, in minutes), on a 30-minute grid. At most `limit` (default 3).
 *
 * Each candidate starts on `firstDate` = the first such day+time strictly after `from`, and every one of its next `count` sessions
 * must suit everyone. Ties in distance: the later time first (e.g. 11:00 before 09:00 around a 10:00 rule). The rule's own time is
 * included (distance 0) when it is on the grid and suits everyone.
 */
export function nearestSeriesSlots(
  rule: SeriesRule,
  people: readonly Availability[],
  from: number,
  options: { limit?: number; count?: number } = {},
): Array<{ day: Weekday; time: string; firstDate: string }> {
  const limit = options.limit ?? 3;
  const count = options.count ?? 8;
  if (limit <= 0) return [];
  const own = WEEKDAYS.indexOf(rule.day) * 24 * 60 + toMinutes(rule.time);
  const candidates: Array<{ day: Weekday; minutes: number; distance: number; later: boolean; at: number }> =
    [];
  WEEKDAYS.forEach((day, index) => {
    for (let minutes = 0; minutes < 24 * 60; minutes += GRID_MINUTES) {
      const at = index * 24 * 60 + minutes;
      const forward = (((at - own) % WEEK_MINUTES) + WEEK_MINUTES) % WEEK_MINUTES;
      const distance = Math.min(forward, WEEK_MINUTES - forward);
      candidates.push({ day, minutes, distance, later: forward <= WEEK_MINUTES - forward, at });
    }
  });
  candidates.sort((a, b) => a.distance - b.distance || Number(b.later) - Number(a.later) || a.at - b.at);

  // Most candidates fail on their first session: check that cheaply before asking for all of them.
  const zone = rule.timeZone;
  const today = DateTime.fromMillis(from, { zone }).startOf("day");
  const dates = WEEKDAYS.map((_, index) => {
    const date = today.plus({ days: (index + 1 - today.weekday + 7) % 7 });
    return [date, date.plus({ days: 7 })] as const;
  });
  const firstStart = (index: number, minutes: number): number => {
    const at = (d: DateTime) =>
      DateTime.fromObject(
        { year: d.year, month: d.month, day: d.day, hour: Math.floor(minutes / 60), minute: minutes % 60 },
        { zone },
      ).toMillis();
    const [date, weekLater] = dates[index] ?? [today, today];
    const start = at(date);
    return start > from ? start : at(weekLater);
  };

  const out: Array<{ day: Weekday; time: string; firstDate: string }> = [];
  for (const candidate of candidates) {
    const first = firstStart(WEEKDAYS.indexOf(candidate.day), candidate.minutes);
    if (!people.every((person) => suits(person, first, rule.lengthMinutes))) continue;
    const time = fromMinutes(candidate.minutes);
    const firstDate = firstDateFrom(candidate.day, time, zone, from);
    const weekly: SeriesRule = { ...rule, day: candidate.day, time, firstDate };
    if (!suitsAll(weekly, people, from, count)) continue;
    out.push({ day: candidate.day, time, firstDate });
    if (out.length >= limit) break;
  }
  return out;
}

/** Whether `start` is on the hour or half hour in at least one person's own zone. */
function onSomeonesHalfHour(people: readonly Availability[], start: number): boolean {
  return people.some((person) => {
    const local = DateTime.fromMillis(start, { zone: person.timeZone });
    return local.minute % GRID_MINUTES === 0 && local.second === 0 && local.millisecond === 0;
  });
}

type Range = readonly [number, number];

/** More than any daylight-saving shift (an hour; Lord Howe's is half an hour). */
const MARGIN = 3 * 60 * MINUTE;

/**
 * Where a person's possible starts lie, roughly: for each of their working days around the window, from their day's start to
 * its end less the session's length, widened by MARGIN on both sides, as UTC ranges in order. Every start that suits them is
 * inside one (the day's wall-clock to UTC conversion is off by at most a DST shift); not every start inside one suits them.
 */
function roughStarts(person: Availability, lengthMinutes: number, after: number, before: number): Range[] {
  const zone = person.timeZone;
  const open = toMinutes(person.workingHours.start);
  const close = toMinutes(person.workingHours.end);
  if (close - open < lengthMinutes) return [];
  let day = DateTime.fromMillis(after, { zone }).startOf("day").minus({ days: 1 });
  const last = DateTime.fromMillis(before, { zone }).startOf("day").plus({ days: 1 });
  if (!day.isValid || !last.isValid) return [];
  const out: Range[] = [];
  for (; day <= last; day = day.plus({ days: 1 })) {
    const weekday = WEEKDAYS[day.weekday - 1];
    if (!weekday || !person.workingDays.includes(weekday)) continue;
    const midnight = day.toMillis();
    const lo = midnight + open * MINUTE - MARGIN;
    const hi = midnight + (close - lengthMinutes) * MINUTE + MARGIN;
    const previous = out[out.length - 1];
    if (previous && lo <= previous[1]) out[out.length - 1] = [previous[0], Math.max(previous[1], hi)];
    else out.push([lo, hi]);
  }
  return out;
}

/** The overlap of two ordered lists of disjoint ranges. */
function intersect(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Range;
    const y = b[j] as Range;
    const lo = Math.max(x[0], y[0]);
    const hi = Math.min(x[1], y[1]);
    if (lo <= hi) out.push([lo, hi]);
    if (x[1] < y[1]) i++;
    else j++;
  }
  return out;
}

/**
 * The earliest start in (after, before] at which [start, start+length) suits everyone; null when none. Used to offer "the next slot that suits everyone" when one person can't make a session.
 *
 * The grid: starts that are on the hour or half hour in at least one person's own zone. For zones on whole or half-hour offsets
 * that is the UTC half hours; with someone in Australia/Eucla (+8:45) or Pacific/Chatham (+12:45) their own :00 and :30 are
 * tried too, so a group of Eucla people is offered 09:00 their time rather than 09:15. Every candidate is tested for each
 * person in their own zone. Only the quarter hours where everyone's working day could hold the session are tried, so a
 * window of weeks costs a few milliseconds.
 */
export function nextSlotForAll(
  people: readonly Availability[],
  lengthMinutes: number,
  after: number,
  before: number,
): number | null {
  if (people.length === 0 || !(before > after) || !(lengthMinutes > 0)) return null;
  let shared: Range[] = [[after, before]];
  for (const person of people) {
    shared = intersect(shared, roughStarts(person, lengthMinutes, after, before));
    if (shared.length === 0) return null;
  }
  for (const [lo, hi] of shared) {
    const first = Math.ceil(Math.max(lo, after + 1) / QUARTER_HOUR) * QUARTER_HOUR;
    for (let start = first; start <= Math.min(hi, before); start += QUARTER_HOUR) {
      if (!onSomeonesHalfHour(people, start)) continue;
      if (people.every((person) => suits(person, start, lengthMinutes))) return start;
    }
  }
  return null;
}
