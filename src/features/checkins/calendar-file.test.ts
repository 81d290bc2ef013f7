import ICAL from "ical.js";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { BotError } from "../../errors.js";
import { type CalendarSeries, calendarFile, sessionUid } from "./calendar-file.js";
import { occurrencesBetween } from "./recurrence.js";
import type { SeriesRule } from "./series.js";

const utc = (iso: string) => Date.parse(iso);

// Tuesdays 10:00 in Adelaide, across the end of daylight saving on Sunday 6 April 2025 (+10:30 → +9:30).
const rule: SeriesRule = {
  everyWeeks: 1,
  day: "tue",
  time: "10:00",
  timeZone: "Australia/Adelaide",
  lengthMinutes: 60,
  firstDate: "2025-03-18",
};
const window = [utc("2025-03-01T00:00:00Z"), utc("2025-05-01T00:00:00Z")] as const;
const april15 = utc("2025-04-15T00:30:00Z");
const april22 = utc("2025-04-22T00:30:00Z");
const movedTo = utc("2025-04-16T03:00:00Z"); // Wednesday 12:30 in Adelaide

function series(more: Partial<CalendarSeries> = {}): CalendarSeries {
  return {
    seriesId: "s-42",
    title: "Peer co-supervision check-in",
    description: "A fortnightly space to talk through your work together.",
    lengthMinutes: 60,
    sessions: occurrencesBetween(rule, {}, ...window),
    sequence: 0,
    attendees: [{ name: "Ana" }, { name: "Sam" }, { name: "Lee" }],
    ...more,
  };
}

interface Parsed {
  readonly method: unknown;
  readonly events: Array<{
    uid: string;
    start: number;
    end: number;
    sequence: number;
    summary: string;
    description: string;
    status: unknown;
    startIsUtc: boolean;
    attendees: number;
    organizers: number;
  }>;
}

function parse(text: string): Parsed {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return {
    method: calendar.getFirstPropertyValue("method"),
    events: calendar.getAllSubcomponents("vevent").map((vevent) => {
      const event = new ICAL.Event(vevent);
      return {
        uid: event.uid,
        start: event.startDate.toUnixTime() * 1000,
        end: event.endDate.toUnixTime() * 1000,
        sequence: event.sequence,
        summary: event.summary,
        description: event.description,
        status: vevent.getFirstPropertyValue("status"),
        startIsUtc: event.startDate.zone?.tzid === "UTC",
        attendees: vevent.getAllProperties("attendee").length,
        organizers: vevent.getAllProperties("organizer").length,
      };
    }),
  };
}

describe("calendarFile", () => {
  it("writes one UTC event per session, so each stays at 10:00 in Adelaide across the change", () => {
    const input = series({ sequence: 3 });
    const text = calendarFile(input);
    const parsed = parse(text);
    expect(parsed.method).toBe("PUBLISH");
    expect(parsed.events).toHaveLength(input.sessions.length);
    expect(input.sessions).toHaveLength(7); // 18 Mar … 29 Apr
    expect(parsed.events.map((e) => new Date(e.start).toISOString())).toEqual([
      "2025-03-17T23:30:00.000Z",
      "2025-03-24T23:30:00.000Z",
      "2025-03-31T23:30:00.000Z",
      "2025-04-08T00:30:00.000Z",
      "2025-04-15T00:30:00.000Z",
      "2025-04-22T00:30:00.000Z",
      "2025-04-29T00:30:00.000Z",
    ]);
    input.sessions.forEach((session, i) => {
      const event = parsed.events[i];
      expect(event).toBeDefined();
      if (!event) return;
      expect(event.start).toBe(session.start);
      expect(event.end).toBe(session.end);
      expect(event.end - event.start).toBe(60 * 60_000);
      expect(event.startIsUtc).toBe(true);
      expect(event.uid).toBe(sessionUid("s-42", session.original));
      expect(event.sequence).toBe(3);
      expect(event.summary).toBe("Peer co-supervision check-in");
      expect(event.status).toBe("CONFIRMED");
      expect(DateTime.fromMillis(event.start, { zone: "Australia/Adelaide" }).toFormat("ccc HH:mm")).toBe(
        "Tue 10:00",
      );
    });
    // No RRULE and no zone blocks: nothing for a calendar to reinterpret.
    expect(text).not.toMatch(/RRULE|TZID|VTIMEZONE/);
    expect(new Set(parsed.events.map((e) => e.uid)).size).toBe(7);
  });

  it("names the others in the description, not as ATTENDEE lines (which would need emails)", () => {
    const parsed = parse(calendarFile(series()));
    for (const event of parsed.events) {
      expect(event.attendees).toBe(0);
      expect(event.organizers).toBe(0);
      expect(event.description).toBe(
        "A fortnightly space to talk through your work together.\n\nWith: Ana, Sam, Lee",
      );
    }
  });

  it("keeps a moved session's UID, so an updated file replaces it; a called-off one is sent as cancelled", () => {
    const before = parse(calendarFile(series({ sequence: 1 })));
    const moves = { [String(april15)]: movedTo, [String(april22)]: null };
    const after = parse(
      calendarFile(
        series({ sequence: 2, sessions: occurrencesBetween(rule, moves, ...window), calledOff: [april22] }),
      ),
    );
    const uid15 = sessionUid("s-42", april15);
    const uid22 = sessionUid("s-42", april22);
    expect(before.events.find((e) => e.uid === uid15)?.start).toBe(april15);
    const moved = after.events.filter((e) => e.uid === uid15);
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatchObject({
      start: movedTo,
      end: movedTo + 3_600_000,
      sequence: 2,
      status: "CONFIRMED",
    });
    const cancelled = after.events.filter((e) => e.uid === uid22);
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]).toMatchObject({ start: april22, sequence: 2, status: "CANCELLED" });
    // Every other session keeps its UID from the first file.
    expect(new Set(after.events.map((e) => e.uid))).toEqual(new Set(before.events.map((e) => e.uid)));
  });

  it("escapes text a member might write, and can be sent as a REQUEST", () => {
    const text = calendarFile(
      series({
        title: "Check-in; with, commas\nand a new line",
        attendees: [{ name: "Ana, Jr" }],
        method: "REQUEST",
      }),
    );
    const parsed = parse(text);
    expect(parsed.method).toBe("REQUEST");
    expect(parsed.events[0]?.summary).toBe("Check-in; with, commas\nand a new line");
    expect(parsed.events[0]?.description).toContain("With: Ana, Jr");
    for (const line of text.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  });

  it("gives UIDs that are stable and differ by series and by session", () => {
    expect(sessionUid("s-42", april15)).toBe(`checkin-s-42-${april15}@peer-bot`);
    expect(sessionUid("s-43", april15)).not.toBe(sessionUid("s-42", april15));
    expect(sessionUid("a b@c", april15)).toBe(`checkin-a%20b%40c-${april15}@peer-bot`);
  });

  it("throws a typed error when ics reports one, or when there is nothing to write", () => {
    const bad = () => calendarFile(series({ sequence: 1.5 }));
    expect(bad).toThrow(BotError);
    try {
      bad();
    } catch (error) {
      expect((error as BotError).code).toBe("INTERNAL");
      expect((error as BotError).cause).toBeDefined();
      expect((error as BotError).message).toMatch(/sequence/);
    }
    expect(() => calendarFile(series({ sessions: [] }))).toThrow(BotError);
  });
});
