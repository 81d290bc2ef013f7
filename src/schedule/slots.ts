import { DateTime } from "luxon";
import type { Member, Weekday } from "../members/member.js";
import { preferencesOf, promptMinutes, tipMinutes, toMinutes } from "./preferences.js";

/**
 * What the scheduler sends on its own:
 * - `prompt`: a reflective question, at the member's cadence;
 * - `tip`: a self-care tip, weekly on the first working day;
 * - `welcome`: the welcome back on the first working day of a pause's end date;
 * - `snooze`: a question someone said "not now" to, asked again on their next working day.
 */
export const SLOT_KINDS = ["prompt", "tip", "welcome", "snooze"] as const;
export type SlotKind = (typeof SLOT_KINDS)[number];

/** Whether a local date (YYYY-MM-DD) is a holiday in a region. */
export type HolidayCheck = (localDate: string, region: string) => boolean;

export const noHolidays: HolidayCheck = () => false;

const DAY_MS = 24 * 60 * 60 * 1000;
/** Monday 5 January 1970, as a calendar day. */
const MONDAY_EPOCH = Date.UTC(1970, 0, 5);
const SEARCH_DAYS = 120;
/** getUTCDay() → our weekday names. */
const BY_UTC_DAY: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

// Calendar days are handled as UTC midnights of the member's local dates: plain arithmetic, no zone
// work in the loop. Only the chosen slot is turned into an instant in the member's zone.
const weekdayOf = (day: number): Weekday => BY_UTC_DAY[new Date(day).getUTCDay()] as Weekday;
const isoDate = (day: number): string => new Date(day).toISOString().slice(0, 10);

/** Fortnightly prompts go out in even-numbered weeks counted from a fixed Monday. */
const isEvenWeek = (day: number): boolean => Math.floor((day - MONDAY_EPOCH) / (7 * DAY_MS)) % 2 === 0;

export interface SlotOptions {
  readonly holidays?: HolidayCheck;
  /** The next slot must not be earlier than this (spacing after a slot that moved). */
  readonly notBefore?: Date;
}

/**
 * The first slot of `kind` strictly after `after`, in the member's own zone:
 * on a working day, inside working hours. A slot whose day is a holiday moves
 * to the next working day. Slots are computed from local dates and clock
 * times, so daylight-saving changes neither shift nor repeat them.
 * Returns null when the member gets nothing of this kind.
 */
export function nextSlot(
  member: Member,
  kind: SlotKind,
  after: Date,
  options: SlotOptions = {},
): Date | null {
  const preferences = preferencesOf(member);
  if (kind === "prompt" && preferences.prompts === "off") return null;
  if (kind === "tip" && preferences.tips === "off") return null;
  if (kind === "welcome" && (member.status.state !== "paused" || !member.status.until)) return null;
  if (member.workingDays.length === 0) return null;

  const holidays = options.holidays ?? (() => false);
  const zone = member.timeZone;
  const working = new Set(member.workingDays);
  const isWorking = (day: number) => working.has(weekdayOf(day)) && !holidays(isoDate(day), member.region);
  const firstDay = member.workingDays[0] as Weekday;
  const lastDay = member.workingDays.at(-1) as Weekday;
  const local = DateTime.fromJSDate(after, { zone });
  const from = Date.UTC(local.year, local.month - 1, local.day);
  const pauseEnd = member.status.state === "paused" ? (member.status.until ?? "") : "";

  const isNominal = (day: number): boolean => {
    const weekday = weekdayOf(day);
    switch (kind) {
      case "prompt":
        if (preferences.prompts === "daily") return working.has(weekday);
        if (preferences.prompts === "fortnightly") return weekday === lastDay && isEvenWeek(day);
        return weekday === lastDay;
      case "tip":
        return weekday === firstDay;
      case "welcome":
        return isoDate(day) >= pauseEnd;
      case "snooze":
        return day > from;
    }
  };
  const minutes =
    kind === "tip"
      ? tipMinutes(member.workingHours)
      : kind === "welcome"
        ? toMinutes(member.workingHours.start)
        : promptMinutes(member);
  const notBefore = Math.max(after.getTime() + 1, options.notBefore?.getTime() ?? 0);

  for (let i = 0; i < SEARCH_DAYS; i++) {
    let day = from + i * DAY_MS;
    if (!isNominal(day)) continue;
    for (let moved = 0; !isWorking(day) && moved < 31; moved++) day += DAY_MS;
    if (!isWorking(day)) continue;
    const date = new Date(day);
    const slot = DateTime.fromObject(
      {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour: Math.floor(minutes / 60),
        minute: minutes % 60,
      },
      { zone },
    );
    if (slot.toMillis() >= notBefore) return slot.toJSDate();
  }
  return null;
}

/** How far apart two slots of a kind must be, so a moved slot isn't followed at once by the next. */
export function minimumGapMs(member: Member, kind: SlotKind): number {
  const day = 24 * 60 * 60 * 1000;
  if (kind === "tip") return 4 * day;
  if (kind !== "prompt") return 0;
  const cadence = preferencesOf(member).prompts;
  return cadence === "weekly" ? 4 * day : cadence === "fortnightly" ? 9 * day : 0;
}
