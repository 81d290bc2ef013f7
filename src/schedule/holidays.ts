import type { HolidayCheck } from "./slots.js";

export interface Holiday {
  /** Local date, YYYY-MM-DD. */
  readonly date: string;
  /** The region it applies to, or undefined for every region. */
  readonly region?: string;
}

/** Regional (or network-wide) holidays that coordinators add; prompts skip them. */
export interface HolidayStore {
  add(holiday: Holiday): Promise<boolean>;
  remove(holiday: Holiday): Promise<boolean>;
  list(): Promise<Holiday[]>;
}

export function holidayCheck(holidays: readonly Holiday[]): HolidayCheck {
  const set = new Set(holidays.map((h) => `${h.date}|${h.region?.toLowerCase() ?? "*"}`));
  if (set.size === 0) return () => false;
  return (date, region) => set.has(`${date}|*`) || set.has(`${date}|${region.toLowerCase()}`);
}
