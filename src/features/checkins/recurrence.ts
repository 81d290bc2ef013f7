/**
 * The sessions of a check-in series: pure date work, no store, no chat.
 *
 * Local wall-clock time is what recurs. A 10:00 Australia/Adelaide series
 * stays at 10:00 in Adelaide through the April and October changes, so its
 * UTC instant moves by an hour. To get that right, `rrule` runs in "floating"
 * time: the local wall-clock is written as if it were UTC (10:00 local →
 * `Date.UTC(…, 10, 0)`), rrule repeats it weekly with no zone at all, and
 * each floating result is turned into the real instant with luxon in the
 * series' zone.
 *
 * Two edge cases at a daylight-saving change, as luxon resolves them:
 * - a wall time that does not exist that night (02:30 on the spring-forward
 *   night in Adelaide, when clocks go 02:00 → 03:00) is moved forward by the
 *   gap: that one session is at 03:30 local;
 * - a wall time that happens twice (02:30 on the fall-back night) is the
 *   first of the two (the daylight-saving one).
 * Check-ins are in working hours, so neither comes up in practice.
 *
 * Windows are bounded: rrule is started at a whole number of intervals
 * before the window (so it never walks from the first date through years of
 * weeks) and asked only for the window's floating range, padded by two days
 * on each side to cover any zone offset.
 */
import { DateTime, IANAZone } from "luxon";
import rrule from "rrule";
import { BotError } from "../../errors.js";
import { WEEKDAYS, type Weekday } from "../../members/member.js";
import { toMinutes } from "../../schedule/preferences.js";
import type { Moves, Occurrence, SeriesRule } from "./series.js";

const { RRule } = rrule;

const MINUTE = 60_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Padding around a floating window: more than any zone offset plus any gap. */
const PAD = 2 * DAY;

const RRULE_DAYS = [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA, RRule.SU] as const;

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A rule checked once and reduced to the numbers the helpers need. */
interface Compiled {
  readonly zone: string;
  /** The first session's local date and time, written as if UTC. */
  readonly dtstart: number;
  readonly everyWeeks: number;
  readonly intervalMs: number;
  readonly weekday: (typeof RRULE_DAYS)[number];
  readonly lengthMs: number;
}

function invalid(problem: string): never {
  throw new BotError("INTERNAL", `check-in rule: ${problem}`);
}

function checkZone(timeZone: string): void {
  if (!IANAZone.isValidZone(timeZone)) invalid(`unknown time zone ${JSON.stringify(timeZone)}`);
}

function checkTime(time: string): void {
  if (!TIME.test(time)) invalid(`time must be HH:MM, not ${JSON.stringify(time)}`);
}

function weekdayIndex(day: Weekday): number {
  const index = WEEKDAYS.indexOf(day);
  if (index < 0) invalid(`unknown weekday ${JSON.stringify(day)}`);
  return index;
}

function compile(rule: SeriesRule): Compiled {
  checkZone(rule.timeZone);
  checkTime(rule.time);
  if (!Number.isInteger(rule.everyWeeks) || rule.everyWeeks < 1) invalid("everyWeeks must be 1 or more");
  if (!Number.isFinite(rule.lengthMinutes) || rule.lengthMinutes <= 0) invalid("lengthMinutes must be > 0");
  const date = DATE.exec(rule.firstDate);
  if (!date) invalid(`firstDate must be YYYY-MM-DD, not ${JSON.stringify(rule.firstDate)}`);
  const minutes = toMinutes(rule.time);
  const dtstart = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]), 0, minutes);
  if (Number.isNaN(dtstart)) invalid(`firstDate ${rule.firstDate} is not a date`);
  const weekday = RRULE_DAYS[weekdayIndex(rule.day)];
  if (!weekday) invalid(`unknown weekday ${rule.day}`);
  return {
    zone: rule.timeZone,
    dtstart,
    everyWeeks: rule.everyWeeks,
    intervalMs: rule.everyWeeks * WEEK,
    weekday,
    lengthMs: rule.lengthMinutes * MINUTE,
  };
}

/** The local wall-clock of an instant in `zone`, written as if UTC. */
function floatingOf(ms: number, zone: string): number {
  const d = DateTime.fromMillis(ms, { zone });
  return Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second, d.millisecond);
}

/** The real instant of a floating wall-clock time in `zone` (gaps move forward, repeats take the first). */
function instantOf(floating: number, zone: string): number {
  const f = new Date(floating);
  return DateTime.fromObject(
    {
      year: f.getUTCFullYear(),
      month: f.getUTCMonth() + 1,
      day: f.getUTCDate(),
      hour: f.getUTCHours(),
      minute: f.getUTCMinutes(),
    },
    { zone },
  ).toMillis();
}

/**
 * The rule's floating starts in [lo, hi] (floating ms), in order. rrule is
 * started a whole number of intervals after the first date, one interval
 * before `lo`, which gives the same sessions without walking the years between.
 */
function floatingBetween(c: Compiled, lo: number, hi: number): number[] {
  if (hi < c.dtstart) return [];
  const skip = Math.max(0, Math.floor((lo - c.dtstart) / c.intervalMs) - 1);
  const rule = new RRule({
    freq: RRule.WEEKLY,
    interval: c.everyWeeks,
    byweekday: [c.weekday],
    dtstart: new Date(c.dtstart + skip * c.intervalMs),
  });
  return rule.between(new Date(Math.max(lo, c.dtstart)), new Date(hi), true).map((d) => d.getTime());
}

/** Whether `original` is a start the rule gives (before any moves). */
function isOriginal(c: Compiled, original: number): boolean {
  if (!Number.isFinite(original)) return false;
  const f = floatingOf(original, c.zone);
  return floatingBetween(c, f - PAD, f + PAD).some((x) => instantOf(x, c.zone) === original);
}

function occurrence(c: Compiled, original: number, start: number): Occurrence {
  return { original, start, end: start + c.lengthMs };
}

function byStart(a: Occurrence, b: Occurrence): number {
  return a.start - b.start || a.original - b.original;
}

function between(c: Compiled, moves: Moves, from: number, to: number): Occurrence[] {
  if (!(to > from)) return [];
  const out: Occurrence[] = [];
  const seen = new Set<string>();
  const lo = floatingOf(from, c.zone) - PAD;
  const hi = floatingOf(to, c.zone) + PAD;
  for (const floating of floatingBetween(c, lo, hi)) {
    const original = instantOf(floating, c.zone);
    const key = String(original);
    seen.add(key);
    const moved = moves[key];
    if (moved === null) continue;
    const start = moved ?? original;
    if (start >= from && start < to) out.push(occurrence(c, original, start));
  }
  // Sessions moved into the window from outside it.
  for (const [key, moved] of Object.entries(moves)) {
    if (typeof moved !== "number" || moved < from || moved >= to || seen.has(key)) continue;
    const original = Number(key);
    if (String(original) === key && isOriginal(c, original)) out.push(occurrence(c, original, moved));
  }
  return out.sort(byStart);
}

/** The sessions whose start is in [from, to), in order, with moves applied (a moved session appears at its new time; a called-off one (null) not at all). */
export function occurrencesBetween(rule: SeriesRule, moves: Moves, from: number, to: number): Occurrence[] {
  return between(compile(rule), moves, from, to);
}

/**
 * The latest instant after which every interval of the rule has an unmoved
 * session: past the first date and past everything the moves name.
 */
function settledAfter(c: Compiled, moves: Moves): number {
  let last = instantOf(c.dtstart, c.zone);
  for (const [key, moved] of Object.entries(moves)) {
    const original = Number(key);
    if (Number.isFinite(original)) last = Math.max(last, original);
    if (typeof moved === "number") last = Math.max(last, moved);
  }
  return last + 2 * c.intervalMs + PAD;
}

/**
 * The first `count` sessions starting at or after `from` (moves applied), in
 * order. Looks in growing windows, so a far-off first date costs only a few steps.
 */
export function sessionsFrom(rule: SeriesRule, moves: Moves, from: number, count: number): Occurrence[] {
  const c = compile(rule);
  if (count <= 0) return [];
  const out: Occurrence[] = [];
  const settled = settledAfter(c, moves);
  // Nothing can start before the first session except a session moved there.
  let lo = Math.max(from, instantOf(c.dtstart, c.zone) - PAD);
  for (const moved of Object.values(moves))
    if (typeof moved === "number" && moved >= from) lo = Math.min(lo, moved);
  let span = (count + 1) * c.intervalMs;
  for (let step = 0; step < 64 && out.length < count; step++) {
    const hi = lo + span;
    out.push(...between(c, moves, lo, hi));
    if (out.length >= count || lo > settled + (count + 1) * c.intervalMs) break;
    lo = hi;
    span *= 2;
  }
  return out.slice(0, count);
}

/** The first session starting strictly after `after` (moves applied), or null. */
export function nextOccurrence(rule: SeriesRule, moves: Moves, after: number): Occurrence | null {
  return sessionsFrom(rule, moves, after + 1, 1)[0] ?? null;
}

/** The session named by its original start (moves applied: start is where it is now), or null if the rule has no such session or it was called off. */
export function occurrenceAt(rule: SeriesRule, moves: Moves, original: number): Occurrence | null {
  const c = compile(rule);
  if (!isOriginal(c, original)) return null;
  const moved = moves[String(original)];
  if (moved === null) return null;
  return occurrence(c, original, moved ?? original);
}

/**
 * The local date (YYYY-MM-DD in rule's zone) of the first session on or after `from` on `day` at `time` that is strictly after `from`.
 * (A wall time skipped by a daylight-saving change counts as the moved-forward time luxon gives it.)
 */
export function firstDateFrom(day: Weekday, time: string, timeZone: string, from: number): string {
  checkZone(timeZone);
  checkTime(time);
  const minutes = toMinutes(time);
  const now = DateTime.fromMillis(from, { zone: timeZone });
  // The first `day` on or after today's local date (luxon: 1 = Monday), as a floating midnight; else the week after.
  const ahead = (weekdayIndex(day) + 1 - now.weekday + 7) % 7;
  const midnight = Date.UTC(now.year, now.month - 1, now.day + ahead);
  for (const date of [midnight, midnight + WEEK]) {
    if (instantOf(date + minutes * MINUTE, timeZone) > from) return new Date(date).toISOString().slice(0, 10);
  }
  return invalid("no date found"); // unreachable: a week later is always after `from`
}
