import { DateTime } from "luxon";
import type { Member, Weekday } from "../members/member.js";
import { WEEKDAYS } from "../members/member.js";
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

const MONDAY_EPOCH = DateTime.fromISO("1970-01-05", { zone: "UTC" });
const SEARCH_DAYS = 120;

function weekdayOf(day: DateTime): Weekday {
  return WEEKDAYS[day.weekday - 1] as Weekday;
}

/** Fortnightly prompts go out in even-numbered weeks counted from a fixed Monday. */
function isEvenWeek(day: DateTime): boolean {
  const days = Math.round(
    DateTime.fromISO(day.toISODate() ?? "", { zone: "UTC" }).diff(MONDAY_EPOCH, "days").days,
  );
  return Math.floor(days / 7) % 2 === 0;
}

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
  const isWorking = (day: DateTime) =>
    member.workingDays.includes(weekdayOf(day)) && !holidays(day.toISODate() ?? "", member.region);
  const firstDay = member.workingDays[0] as Weekday;
  const lastDay = member.workingDays.at(-1) as Weekday;
  const from = DateTime.fromJSDate(after, { zone }).startOf("day");
  const fromDate = from.toISODate() ?? "";
  const pauseEnd = member.status.state === "paused" ? member.status.until : undefined;

  const isNominal = (day: DateTime): boolean => {
    const weekday = weekdayOf(day);
    switch (kind) {
      case "prompt":
        if (preferences.prompts === "daily") return member.workingDays.includes(weekday);
        if (preferences.prompts === "fortnightly") return weekday === lastDay && isEvenWeek(day);
        return weekday === lastDay;
      case "tip":
        return weekday === firstDay;
      case "welcome":
        return (day.toISODate() ?? "") >= (pauseEnd ?? "");
      case "snooze":
        return (day.toISODate() ?? "") > fromDate;
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
    let day = from.plus({ days: i });
    if (!isNominal(day)) continue;
    for (let moved = 0; !isWorking(day) && moved < 31; moved++) day = day.plus({ days: 1 });
    if (!isWorking(day)) continue;
    const slot = DateTime.fromObject(
      {
        year: day.year,
        month: day.month,
        day: day.day,
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
