/**
 * A check-in series as an `.ics` calendar file: pure, no store, no chat.
 *
 * Why one event per session, not one event with an RRULE: a series recurs at
 * a local wall-clock time in its zone (10:00 in Adelaide), so its UTC instant
 * moves by an hour at each daylight-saving change. A single VEVENT with an
 * RRULE written in UTC would keep the UTC time and drift to 09:00 or 11:00
 * local after the change; writing it with a TZID needs a VTIMEZONE block that
 * `ics` doesn't write, and calendars disagree about zones they don't know.
 * So each session is its own VEVENT with its start and end written in UTC,
 * which every calendar reads the same way.
 *
 * Each session's UID comes from the series id and the session's ORIGINAL
 * start (the time the rule gave it), never its current one, so a moved
 * session keeps its UID and an updated file replaces that calendar entry
 * instead of adding a second one. SEQUENCE is the series' sequence, bumped on
 * each change, so calendars take the newer file's version of each entry.
 * Sessions that were called off can be listed in `calledOff`: they are written
 * as STATUS:CANCELLED with their UID, so an updated file clears them too.
 *
 * Attendees: `ics` writes an attendee without an email as `ATTENDEE;CN=…`
 * with no value, which isn't valid iCalendar (ical.js refuses to read it),
 * and we have no emails. So no ATTENDEE or ORGANIZER lines are written; the
 * first names go in the description instead ("With: Ana, Sam, Lee").
 * For the same reason PUBLISH (the default) is the right method: REQUEST is an
 * invitation that calendars expect to carry an organizer and attendees.
 */
import { type EventAttributes, createEvents } from "ics";
import { BotError } from "../../errors.js";
import type { Occurrence } from "./series.js";

export interface CalendarSeries {
  readonly seriesId: string;
  /** e.g. "Peer co-supervision check-in". */
  readonly title: string;
  readonly description: string;
  readonly lengthMinutes: number;
  /** The upcoming sessions to include (the caller passes e.g. the next 6 months). */
  readonly sessions: readonly Occurrence[];
  /** Bumped on each change. */
  readonly sequence: number;
  /** First names only: written into each event's description (see above for why not as ATTENDEE lines). */
  readonly attendees: readonly { name: string }[];
  readonly method?: "PUBLISH" | "REQUEST";
  /** Original starts (ms) of sessions that were called off: written as cancelled events so calendars drop them. */
  readonly calledOff?: readonly number[];
}

const MINUTE = 60_000;
const PRODUCT_ID = "peer-bot/co-supervision-check-ins";

/** A UID that stays the same for a session however often it moves: series id + original start. */
export function sessionUid(seriesId: string, original: number): string {
  const safeId = seriesId.replace(
    /[^A-Za-z0-9._-]/g,
    (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
  return `checkin-${safeId}-${original}@peer-bot`;
}

function describe(series: CalendarSeries): string {
  const names = series.attendees.map((a) => a.name.trim()).filter((name) => name !== "");
  const withLine = names.length > 0 ? `With: ${names.join(", ")}` : "";
  return [series.description.trim(), withLine].filter((part) => part !== "").join("\n\n");
}

export function calendarFile(series: CalendarSeries): string {
  const description = describe(series);
  const base = {
    title: series.title,
    sequence: series.sequence,
    startInputType: "utc",
    startOutputType: "utc",
    endInputType: "utc",
    endOutputType: "utc",
    ...(description !== "" ? { description } : {}),
  } as const;
  const events: EventAttributes[] = series.sessions.map((session) => ({
    ...base,
    uid: sessionUid(series.seriesId, session.original),
    start: session.start,
    end: session.end > session.start ? session.end : session.start + series.lengthMinutes * MINUTE,
    status: "CONFIRMED",
    busyStatus: "BUSY",
  }));
  const listed = new Set(series.sessions.map((s) => s.original));
  for (const original of series.calledOff ?? []) {
    if (listed.has(original)) continue;
    events.push({
      ...base,
      uid: sessionUid(series.seriesId, original),
      start: original,
      end: original + series.lengthMinutes * MINUTE,
      status: "CANCELLED",
      transp: "TRANSPARENT",
    });
  }
  events.sort((a, b) => Number(a.start) - Number(b.start));
  if (events.length === 0) {
    throw new BotError("INTERNAL", "calendar file: a calendar file needs at least one session");
  }
  const { error, value } = createEvents(events, {
    productId: PRODUCT_ID,
    method: series.method ?? "PUBLISH",
    calName: series.title,
  });
  if (error || value === null) {
    throw new BotError(
      "INTERNAL",
      `calendar file: ics could not write the file (${error?.message ?? "no output"})`,
      {
        cause: error,
      },
    );
  }
  return value;
}
