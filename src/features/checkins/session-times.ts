import { DateTime } from "luxon";
import { WEEKDAYS } from "../../members/member.js";
import { toMinutes } from "../../schedule/preferences.js";
import { occurrencesBetween } from "./recurrence.js";
import type { Availability, Moves, Occurrence, SeriesRule } from "./series.js";

/** The moments around a session when the bot does something. */
export type Timing = "day-before" | "soon" | "tally" | "agenda" | "after";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
export const SOON_MINUTES = 15;
export const AFTER_MINUTES = 15;

/**
 * A day before, in the member's working hours: their working day before the
 * session's day (going back over days they don't work), at the session's
 * local time moved inside their hours (and early enough to read it).
 */
export function dayBeforeAt(start: number, person: Availability): number {
  const local = DateTime.fromMillis(start, { zone: person.timeZone });
  const open = toMinutes(person.workingHours.start);
  const close = Math.max(open, toMinutes(person.workingHours.end) - 30);
  const minute = Math.min(Math.max(local.hour * 60 + local.minute, open), close);
  let day = local.startOf("day").minus({ days: 1 });
  for (let back = 0; back < 7; back++) {
    const weekday = WEEKDAYS[day.weekday - 1];
    if (weekday && person.workingDays.includes(weekday)) break;
    day = day.minus({ days: 1 });
  }
  return day.plus({ minutes: minute }).toMillis();
}

/** When the bot does `timing` for one session (for a member, where it is theirs). */
export function timeFor(timing: Timing, occurrence: Occurrence, person?: Availability): number {
  switch (timing) {
    case "day-before":
      return person ? dayBeforeAt(occurrence.start, person) : occurrence.start - DAY;
    case "tally":
      return occurrence.start - DAY;
    case "soon":
      return occurrence.start - SOON_MINUTES * MINUTE;
    case "agenda":
      return occurrence.start;
    case "after":
      return occurrence.end + AFTER_MINUTES * MINUTE;
  }
}

/** Sessions from a little before `from` for long enough to hold the next few (moves included). */
function around(rule: SeriesRule, moves: Moves, from: number, weeks: number): Occurrence[] {
  return occurrencesBetween(rule, moves, from - 8 * DAY, from + weeks * 7 * DAY);
}

/** The first time after `after` that `timing` is due, with its session; null when the series has none. */
export function nextTiming(
  rule: SeriesRule,
  moves: Moves,
  timing: Timing,
  after: number,
  person?: Availability,
): { at: number; occurrence: Occurrence } | null {
  for (const weeks of [rule.everyWeeks * 2 + 2, 60]) {
    let best: { at: number; occurrence: Occurrence } | null = null;
    for (const occurrence of around(rule, moves, after, weeks)) {
      const at = timeFor(timing, occurrence, person);
      if (at > after && (!best || at < best.at)) best = { at, occurrence };
    }
    if (best) return best;
  }
  return null;
}

/** The session a scheduled `timing` at `due` belongs to; null when none does any more (it moved). */
export function sessionFor(
  rule: SeriesRule,
  moves: Moves,
  timing: Timing,
  due: number,
  person?: Availability,
): Occurrence | null {
  return around(rule, moves, due, 3).find((o) => timeFor(timing, o, person) === due) ?? null;
}
