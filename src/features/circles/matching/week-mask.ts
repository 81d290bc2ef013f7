/**
 * A member's working time in one week as a bit set of UTC half-hours.
 *
 * Bit k (word k >>> 5, bit k & 31) is the half-hour starting `weekStartUtc + k × 30 min`, for k in [0, 336).
 * A half-hour counts only when the roster covers all of it, so zones with a :15 or :45 offset (Chatham,
 * Eucla, Nepal) never overstate shared time. Local working times are turned into instants with the member's
 * IANA zone for each calendar day, so a week that crosses a daylight-saving change gets the right UTC hours
 * on each side of it. A shift whose end is not after its start ends the next day (overnight rosters).
 */
import { DateTime } from "luxon";

/** A member's working time in one week, in UTC half-hours (336 bits), computed with their zone through DST for the week starting `weekStartUtc` (a Monday 00:00 UTC). */
export type WeekMask = Uint32Array; // 11 words

export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

export interface Roster {
  readonly timeZone: string;
  readonly workingDays: readonly Weekday[];
  readonly workingHours: { readonly start: string; readonly end: string };
}

export const SLOTS_PER_WEEK = 336;
export const MASK_WORDS = 11;
const SLOT_MS = 30 * 60 * 1000;
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const WEEKDAY_NUMBER: Readonly<Record<Weekday, number>> = {
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
  sun: 7,
};
const CACHE_LIMIT = 20_000;
/** Masks are pure functions of their key; a network shares few distinct rosters, so this saves most zone maths. */
const cache = new Map<string, WeekMask>();
/** Local wall-clock times as instants, by zone, date and minute: the only zone maths a mask needs. */
const instants = new Map<string, number>();
const validZones = new Set<string>();
const DAY_MS = 24 * 60 * 60 * 1000;

function parseClock(text: string, what: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) {
    throw new RangeError(
      `workingHours.${what} must be "HH:MM" (00:00 to 24:00), not ${JSON.stringify(text)}`,
    );
  }
  return hours * 60 + minutes;
}

/** The bit set of UTC half-hours that a roster works in the week starting `weekStartUtc`. */
export function weekMask(roster: Roster, weekStartUtc: Date): WeekMask {
  const weekStart = weekStartUtc.getTime();
  if (
    !Number.isFinite(weekStart) ||
    weekStartUtc.getUTCDay() !== 1 ||
    weekStart % (24 * 60 * 60 * 1000) !== 0
  ) {
    throw new RangeError(`weekStartUtc must be a Monday 00:00 UTC, not ${weekStartUtc.toISOString()}`);
  }
  const start = parseClock(roster.workingHours.start, "start");
  const end = parseClock(roster.workingHours.end, "end");
  const days = new Set<number>();
  for (const day of roster.workingDays) {
    const number = WEEKDAY_NUMBER[day];
    if (number === undefined) throw new RangeError(`unknown working day ${JSON.stringify(day)}`);
    days.add(number);
  }
  if (!validZones.has(roster.timeZone)) {
    if (!DateTime.fromMillis(weekStart, { zone: roster.timeZone }).isValid) {
      throw new RangeError(`unknown time zone ${JSON.stringify(roster.timeZone)}`);
    }
    validZones.add(roster.timeZone);
  }
  const key = `${roster.timeZone}|${[...days].sort().join("")}|${start}|${end}|${weekStart}`;
  const cached = cache.get(key);
  if (cached) return cached.slice();

  const mask: WeekMask = new Uint32Array(MASK_WORDS);
  const weekEnd = weekStart + WEEK_MS;
  // Local calendar days that can reach into the UTC week: two before it starts to the day after it ends.
  // Both ends are wall-clock times on their own calendar day, so a shift through a DST change is an hour
  // shorter or longer in real time, as it is for the worker.
  const endsNextDay = end <= start;
  for (let offset = -2; offset <= 8; offset++) {
    const date = new Date(weekStart + offset * DAY_MS);
    if (!days.has(date.getUTCDay() === 0 ? 7 : date.getUTCDay())) continue;
    const from = wallClock(roster.timeZone, date, start);
    const to = wallClock(roster.timeZone, endsNextDay ? new Date(date.getTime() + DAY_MS) : date, end);
    markSlots(mask, Math.max(from, weekStart), Math.min(to, weekEnd), weekStart);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, mask.slice());
  return mask;
}

/** The instant of a local wall-clock time (minutes after midnight, 1440 = the next midnight) on a UTC date. */
function wallClock(zone: string, date: Date, minutes: number): number {
  const key = `${zone}|${date.getTime()}|${minutes}`;
  const cached = instants.get(key);
  if (cached !== undefined) return cached;
  const day = minutes === 24 * 60 ? new Date(date.getTime() + DAY_MS) : date;
  const minute = minutes === 24 * 60 ? 0 : minutes;
  const local = DateTime.fromObject(
    {
      year: day.getUTCFullYear(),
      month: day.getUTCMonth() + 1,
      day: day.getUTCDate(),
      hour: Math.floor(minute / 60),
      minute: minute % 60,
    },
    { zone },
  );
  const instant = local.toMillis();
  if (instants.size >= CACHE_LIMIT) instants.clear();
  instants.set(key, instant);
  return instant;
}

function markSlots(mask: WeekMask, fromMs: number, toMs: number, weekStart: number): void {
  const first = Math.ceil((fromMs - weekStart) / SLOT_MS);
  const last = Math.floor((toMs - weekStart) / SLOT_MS);
  for (let slot = Math.max(0, first); slot < Math.min(SLOTS_PER_WEEK, last); slot++) {
    mask[slot >>> 5] = (mask[slot >>> 5] ?? 0) | (1 << (slot & 31));
  }
}

/** Set bits in a 32-bit word. */
export function popcount32(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Hours a week that ALL the masks share (0 for no masks). */
export function overlapHours(masks: readonly WeekMask[]): number {
  if (masks.length === 0) return 0;
  let slots = 0;
  for (let word = 0; word < MASK_WORDS; word++) {
    let shared = 0xffffffff;
    for (const mask of masks) shared &= mask[word] ?? 0;
    slots += popcount32(shared);
  }
  return slots / 2;
}

/** Whether a slot (0–335) is set. */
export function hasSlot(mask: WeekMask, slot: number): boolean {
  return (((mask[slot >>> 5] ?? 0) >>> (slot & 31)) & 1) === 1;
}
