import { IANAZone } from "luxon";
import { UserInputError } from "../errors.js";
import { WEEKDAYS, type Weekday, type WorkingHours } from "./member.js";

/**
 * Parsers for every member setting. Each returns the normalised value or
 * throws a UserInputError that names the problem and shows the right form.
 */

const DAY_NAMES: Record<string, Weekday> = {};
for (const day of WEEKDAYS) DAY_NAMES[day] = day;
Object.assign(DAY_NAMES, {
  monday: "mon",
  tues: "tue",
  tuesday: "tue",
  weds: "wed",
  wednesday: "wed",
  thur: "thu",
  thurs: "thu",
  thursday: "thu",
  friday: "fri",
  saturday: "sat",
  sunday: "sun",
});

const DAYS_EXAMPLE = "days:mon,tue,thu or days:mon-fri";
const HOURS_EXAMPLE = "hours:09:00-15:00";
const TZ_EXAMPLE = "tz:Australia/Perth";

export function parseRegion(raw: string): string {
  const region = raw.trim().replace(/\s+/g, " ");
  if (region === "") {
    throw new UserInputError("The region is empty.", 'region:"Wide Bay"');
  }
  if (region.length > 60) {
    throw new UserInputError("That region name is longer than 60 characters.", 'region:"Wide Bay"');
  }
  return region;
}

let zoneNames: readonly string[] | undefined;
function allZones(): readonly string[] {
  zoneNames ??= Intl.supportedValuesOf("timeZone");
  return zoneNames;
}

/**
 * Zone abbreviations people type, and the IANA zones they may mean (an
 * abbreviation can't say where daylight saving applies: AEST is Brisbane all
 * year, but Sydney only in winter). Most likely first.
 */
export const ZONE_ABBREVIATIONS: Readonly<Record<string, readonly string[]>> = {
  AEST: ["Australia/Brisbane", "Australia/Sydney", "Australia/Melbourne", "Australia/Hobart"],
  AEDT: ["Australia/Sydney", "Australia/Melbourne", "Australia/Hobart"],
  AET: ["Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane", "Australia/Hobart"],
  ACST: ["Australia/Adelaide", "Australia/Darwin"],
  ACDT: ["Australia/Adelaide", "Australia/Broken_Hill"],
  ACT: ["Australia/Adelaide", "Australia/Darwin"],
  AWST: ["Australia/Perth"],
  AWT: ["Australia/Perth"],
  ACWST: ["Australia/Eucla"],
  LHST: ["Australia/Lord_Howe"],
  LHDT: ["Australia/Lord_Howe"],
  NZST: ["Pacific/Auckland"],
  NZDT: ["Pacific/Auckland"],
  NZT: ["Pacific/Auckland"],
  CHAST: ["Pacific/Chatham"],
  CHADT: ["Pacific/Chatham"],
  NFT: ["Pacific/Norfolk"],
  GMT: ["Europe/London", "UTC"],
  BST: ["Europe/London"],
  IST: ["Asia/Kolkata", "Europe/Dublin"],
  CET: ["Europe/Paris", "Europe/Berlin", "Europe/Amsterdam"],
  CEST: ["Europe/Paris", "Europe/Berlin", "Europe/Amsterdam"],
  SGT: ["Asia/Singapore"],
  JST: ["Asia/Tokyo"],
  HKT: ["Asia/Hong_Kong"],
  EST: ["America/New_York", "America/Toronto"],
  EDT: ["America/New_York", "America/Toronto"],
  CST: ["America/Chicago", "America/Winnipeg"],
  CDT: ["America/Chicago", "America/Winnipeg"],
  MST: ["America/Denver", "America/Phoenix", "America/Edmonton"],
  MDT: ["America/Denver", "America/Edmonton"],
  PST: ["America/Los_Angeles", "America/Vancouver"],
  PDT: ["America/Los_Angeles", "America/Vancouver"],
  AKST: ["America/Anchorage"],
  HST: ["Pacific/Honolulu"],
};

/** Validates an IANA zone and returns its canonical spelling. */
export function parseTimeZone(raw: string): string {
  const input = raw.trim();
  if (input === "") throw new UserInputError("The time zone is empty.", TZ_EXAMPLE);
  if (IANAZone.isValidZone(input) && input.includes("/")) {
    const canonical = allZones().find((zone) => zone.toLowerCase() === input.toLowerCase());
    return canonical ?? new Intl.DateTimeFormat("en", { timeZone: input }).resolvedOptions().timeZone;
  }
  if (input.toUpperCase() === "UTC") return "UTC";
  const meant = ZONE_ABBREVIATIONS[input.toUpperCase()];
  if (meant) {
    const [first] = meant;
    throw new UserInputError(
      meant.length === 1
        ? `"${input}" is an abbreviation, and I need the zone's full name so daylight saving is right. For ${input.toUpperCase()} that's ${first}.`
        : `"${input}" is an abbreviation, and I need the zone's full name so daylight saving is right. For ${input.toUpperCase()} it's one of ${meant.join(", ")} — pick the one for where you are.`,
      `tz:${first}`,
    );
  }
  const wanted = input.toLowerCase().replace(/\s+/g, "_");
  const suggestions = allZones()
    .filter((zone) => zone.toLowerCase().split("/").pop() === wanted)
    .slice(0, 3);
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.join(" or ")}?` : "";
  throw new UserInputError(
    `"${input}" isn't a time zone I know.${hint} Use an IANA zone name (Region/City).`,
    suggestions[0] ? `tz:${suggestions[0]}` : TZ_EXAMPLE,
  );
}

function dayOf(name: string): Weekday {
  const day = DAY_NAMES[name.trim().toLowerCase()];
  if (!day) {
    throw new UserInputError(
      `I don't know the day "${name.trim()}". Use three-letter days (mon, tue, wed, thu, fri, sat, sun).`,
      DAYS_EXAMPLE,
    );
  }
  return day;
}

/** `mon,wed,thu`, `mon-fri`, or a mix like `mon-wed,fri`; returns days in week order. */
export function parseDays(raw: string): Weekday[] {
  const input = raw.trim();
  if (input === "") throw new UserInputError("The working days are empty.", DAYS_EXAMPLE);
  const chosen = new Set<Weekday>();
  for (const part of input.split(",")) {
    if (part.trim() === "") {
      throw new UserInputError(`"${input}" has an empty day between commas.`, DAYS_EXAMPLE);
    }
    const range = part.split("-");
    if (range.length === 1) {
      chosen.add(dayOf(part));
    } else if (range.length === 2) {
      const from = WEEKDAYS.indexOf(dayOf(range[0] ?? ""));
      const to = WEEKDAYS.indexOf(dayOf(range[1] ?? ""));
      for (let i = from; ; i = (i + 1) % 7) {
        chosen.add(WEEKDAYS[i] as Weekday);
        if (i === to) break;
      }
    } else {
      throw new UserInputError(`"${part}" isn't a day range I can read.`, DAYS_EXAMPLE);
    }
  }
  return WEEKDAYS.filter((day) => chosen.has(day));
}

function clockTime(raw: string, whole: string): { text: string; minutes: number } {
  const match = /^(\d{1,2})(?::(\d{2}))?$/.exec(raw.trim());
  const hours = match ? Number(match[1]) : Number.NaN;
  const minutes = match?.[2] === undefined ? 0 : Number(match[2]);
  if (!match || hours > 24 || minutes > 59 || (hours === 24 && minutes !== 0)) {
    throw new UserInputError(
      `"${raw.trim()}" in hours:${whole} isn't a time of day. Use 24-hour times from 00:00 to 24:00.`,
      HOURS_EXAMPLE,
    );
  }
  const text = `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
  return { text, minutes: hours * 60 + minutes };
}

/** `HH:MM-HH:MM` (minutes optional), start before end, at least 30 minutes. */
export function parseHours(raw: string): WorkingHours {
  const input = raw.trim();
  const parts = input.split("-");
  if (parts.length !== 2 || parts.some((part) => part.trim() === "")) {
    throw new UserInputError(
      `"${input}" isn't a range of working hours. Give a start and an end time joined by a dash.`,
      HOURS_EXAMPLE,
    );
  }
  const start = clockTime(parts[0] ?? "", input);
  const end = clockTime(parts[1] ?? "", input);
  if (end.minutes <= start.minutes) {
    throw new UserInputError(
      `Your working hours ${start.text}-${end.text} end before they start. Overnight rosters aren't supported yet; give the part of the shift within one day.`,
      HOURS_EXAMPLE,
    );
  }
  if (end.minutes - start.minutes < 30) {
    throw new UserInputError(`${start.text}-${end.text} is shorter than half an hour.`, HOURS_EXAMPLE);
  }
  return { start: start.text, end: end.text };
}

export function parseYesNo(raw: string, field: string): boolean {
  const value = raw.trim().toLowerCase();
  if (["yes", "y", "true", "on"].includes(value)) return true;
  if (["no", "n", "false", "off"].includes(value)) return false;
  throw new UserInputError(`${field} takes yes or no, not "${raw.trim()}".`, `${field}:yes`);
}

/** A calendar date `YYYY-MM-DD` that exists. */
export function parseDate(raw: string, example: string): string {
  const input = raw.trim();
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) {
      return input;
    }
    throw new UserInputError(`${input} isn't a real date.`, example);
  }
  throw new UserInputError(`"${input}" isn't a date I can read. Write dates as YYYY-MM-DD.`, example);
}
