import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { BotError } from "../../errors.js";
import { WEEKDAYS, type Weekday } from "../../members/member.js";
import {
  firstDateFrom,
  nextOccurrence,
  occurrenceAt,
  occurrencesBetween,
  sessionsFrom,
} from "./recurrence.js";
import type { Moves, SeriesRule } from "./series.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const utc = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const local = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone });

const adelaide: SeriesRule = {
  everyWeeks: 1,
  day: "tue",
  time: "10:00",
  timeZone: "Australia/Adelaide",
  lengthMinutes: 60,
  firstDate: "2025-03-25",
};

describe("occurrencesBetween: local time recurs through daylight-saving changes", () => {
  it("keeps an Adelaide 10:00 session at 10:00 local when daylight saving ends (6 April 2025)", () => {
    const sessions = occurrencesBetween(
      adelaide,
      {},
      utc("2025-03-01T00:00:00Z"),
      utc("2025-04-20T00:00:00Z"),
    );
    expect(sessions.map((s) => iso(s.start))).toEqual([
      "2025-03-24T23:30:00.000Z", // 10:00 ACDT (+10:30)
      "2025-03-31T23:30:00.000Z",
      "2025-04-08T00:30:00.000Z", // 10:00 ACST (+9:30)
      "2025-04-15T00:30:00.000Z",
    ]);
    for (const s of sessions) {
      expect(local(s.start, adelaide.timeZone).toFormat("ccc HH:mm")).toBe("Tue 10:00");
      expect(s.end - s.start).toBe(60 * MINUTE);
      expect(s.original).toBe(s.start);
    }
    expect(local(sessions[1]?.start ?? 0, adelaide.timeZone).offset).toBe(630);
    expect(local(sessions[2]?.start ?? 0, adelaide.timeZone).offset).toBe(570);
  });

  it("keeps it at 10:00 local when daylight saving starts (5 October 2025)", () => {
    const rule = { ...adelaide, firstDate: "2025-09-30" };
    const sessions = occurrencesBetween(rule, {}, utc("2025-09-29T00:00:00Z"), utc("2025-10-10T00:00:00Z"));
    expect(sessions.map((s) => iso(s.start))).toEqual([
      "2025-09-30T00:30:00.000Z",
      "2025-10-06T23:30:00.000Z",
    ]);
  });

  it("Auckland moves to NZDT on the last Sunday of September (28 September 2025); Perth never moves", () => {
    const auckland = { ...adelaide, timeZone: "Pacific/Auckland", firstDate: "2025-09-16" };
    expect(
      occurrencesBetween(auckland, {}, utc("2025-09-15T00:00:00Z"), utc("2025-10-01T00:00:00Z")).map((s) =>
        iso(s.start),
      ),
    ).toEqual(["2025-09-15T22:00:00.000Z", "2025-09-22T22:00:00.000Z", "2025-09-29T21:00:00.000Z"]);
    const perth = { ...adelaide, timeZone: "Australia/Perth", firstDate: "2025-03-25" };
    const starts = occurrencesBetween(perth, {}, utc("2025-03-20T00:00:00Z"), utc("2025-10-20T00:00:00Z"));
    expect(starts).toHaveLength(30);
    for (const s of starts) expect(iso(s.start).slice(11)).toBe("02:00:00.000Z");
  });

  it("starts with the first date and is empty for an empty window", () => {
    expect(
      occurrencesBetween(adelaide, {}, utc("2024-01-01T00:00:00Z"), utc("2025-03-24T23:30:00Z")),
    ).toEqual([]);
    expect(
      occurrencesBetween(adelaide, {}, utc("2025-04-08T00:30:00Z"), utc("2025-04-08T00:30:00Z")),
    ).toEqual([]);
    // [from, to): a session starting exactly at `from` is in, one at `to` is out.
    expect(
      occurrencesBetween(adelaide, {}, utc("2025-04-08T00:30:00Z"), utc("2025-04-15T00:30:00Z")).map((s) =>
        iso(s.start),
      ),
    ).toEqual(["2025-04-08T00:30:00.000Z"]);
  });

  it("every two weeks keeps the first date's weeks, years later", () => {
    const fortnightly = { ...adelaide, everyWeeks: 2, firstDate: "2020-01-07" };
    const sessions = occurrencesBetween(
      fortnightly,
      {},
      utc("2029-12-01T00:00:00Z"),
      utc("2030-01-31T00:00:00Z"),
    );
    const dates = sessions.map((s) => local(s.start, fortnightly.timeZone).toISODate());
    // 2020-01-07 + 14 days × k: 2029-12-11 is 261 fortnights on.
    expect(dates).toEqual(["2029-12-11", "2029-12-25", "2030-01-08", "2030-01-22"]);
    for (const s of sessions) expect(local(s.start, fortnightly.timeZone).toFormat("HH:mm")).toBe("10:00");
  });
});

describe("occurrencesBetween: moves", () => {
  const april8 = utc("2025-04-08T00:30:00Z");
  const april15 = utc("2025-04-15T00:30:00Z");
  const window = [utc("2025-04-07T00:00:00Z"), utc("2025-04-21T00:00:00Z")] as const;

  it("shows a moved session at its new time, named by its original start, and leaves out a called-off one", () => {
    const moved = utc("2025-04-10T03:00:00Z");
    const sessions = occurrencesBetween(
      adelaide,
      { [String(april8)]: moved, [String(april15)]: null },
      ...window,
    );
    expect(sessions).toEqual([{ original: april8, start: moved, end: moved + HOUR }]);
  });

  it("includes a session moved into the window from outside it, and drops one moved out", () => {
    const may6 = utc("2025-05-06T00:30:00Z");
    const movedIn = utc("2025-04-17T01:00:00Z");
    const movedOut = utc("2025-06-01T01:00:00Z");
    const moves: Moves = { [String(may6)]: movedIn, [String(april8)]: movedOut };
    const sessions = occurrencesBetween(adelaide, moves, ...window);
    expect(sessions).toEqual([
      { original: april15, start: april15, end: april15 + HOUR },
      { original: may6, start: movedIn, end: movedIn + HOUR },
    ]);
  });

  it("ignores a move keyed by a time the rule never gives", () => {
    const notASession = utc("2025-04-09T00:30:00Z");
    const sessions = occurrencesBetween(
      adelaide,
      { [String(notASession)]: utc("2025-04-10T00:00:00Z") },
      ...window,
    );
    expect(sessions.map((s) => s.original)).toEqual([april8, april15]);
  });

  it("orders sessions by where they are now", () => {
    const moves = { [String(april8)]: utc("2025-04-16T00:00:00Z") };
    const sessions = occurrencesBetween(adelaide, moves, ...window);
    expect(sessions.map((s) => s.original)).toEqual([april15, april8]);
  });
});

describe("nextOccurrence and sessionsFrom", () => {
  it("gives the first session strictly after the time", () => {
    expect(nextOccurrence(adelaide, {}, utc("2025-04-08T00:30:00Z"))?.start).toBe(
      utc("2025-04-15T00:30:00Z"),
    );
    expect(nextOccurrence(adelaide, {}, utc("2025-04-08T00:29:59Z"))?.start).toBe(
      utc("2025-04-08T00:30:00Z"),
    );
  });

  it("before the first date gives the first session, even years ahead", () => {
    const later = { ...adelaide, firstDate: "2031-07-01" };
    expect(iso(nextOccurrence(later, {}, utc("2025-01-01T00:00:00Z"))?.start ?? 0)).toBe(
      "2031-07-01T00:30:00.000Z",
    );
  });

  it("skips called-off sessions and finds one moved earlier", () => {
    const april8 = utc("2025-04-08T00:30:00Z");
    const april15 = utc("2025-04-15T00:30:00Z");
    const after = utc("2025-04-01T00:00:00Z");
    expect(nextOccurrence(adelaide, { [String(april8)]: null }, after)?.start).toBe(april15);
    const pulledForward = utc("2025-04-02T01:00:00Z");
    expect(nextOccurrence(adelaide, { [String(april15)]: pulledForward }, after)).toEqual({
      original: april15,
      start: pulledForward,
      end: pulledForward + HOUR,
    });
  });

  it("sessionsFrom gives exactly `count`, in order, from the given time on", () => {
    const sessions = sessionsFrom(adelaide, {}, utc("2025-04-08T00:30:00Z"), 5);
    expect(sessions.map((s) => local(s.start, adelaide.timeZone).toISODate())).toEqual([
      "2025-04-08",
      "2025-04-15",
      "2025-04-22",
      "2025-04-29",
      "2025-05-06",
    ]);
    expect(sessionsFrom(adelaide, {}, 0, 0)).toEqual([]);
  });
});

describe("occurrenceAt", () => {
  const april8 = utc("2025-04-08T00:30:00Z");

  it("finds a session by its original start, where it is now", () => {
    expect(occurrenceAt(adelaide, {}, april8)).toEqual({
      original: april8,
      start: april8,
      end: april8 + HOUR,
    });
    const moved = utc("2025-04-09T02:00:00Z");
    expect(occurrenceAt(adelaide, { [String(april8)]: moved }, april8)).toEqual({
      original: april8,
      start: moved,
      end: moved + HOUR,
    });
  });

  it("is null for a called-off session or a time the rule doesn't give", () => {
    expect(occurrenceAt(adelaide, { [String(april8)]: null }, april8)).toBeNull();
    expect(occurrenceAt(adelaide, {}, april8 + MINUTE)).toBeNull();
    expect(occurrenceAt(adelaide, {}, april8 + DAY)).toBeNull();
    // 10:00 ACDT on 8 April would be 23:30Z the day before: the rule gives 10:00 ACST.
    expect(occurrenceAt(adelaide, {}, utc("2025-04-07T23:30:00Z"))).toBeNull();
    // A week before the first date.
    expect(occurrenceAt(adelaide, {}, utc("2025-03-17T23:30:00Z"))).toBeNull();
  });
});

describe("wall times that don't exist or happen twice", () => {
  const sunday = { ...adelaide, day: "sun" as const, time: "02:30" };

  it("moves 02:30 forward to 03:30 on the night clocks go 02:00 → 03:00, and back to 02:30 the next week", () => {
    const rule = { ...sunday, firstDate: "2025-09-28" };
    const sessions = occurrencesBetween(rule, {}, utc("2025-09-27T00:00:00Z"), utc("2025-10-13T00:00:00Z"));
    expect(sessions.map((s) => local(s.start, rule.timeZone).toISO())).toEqual([
      "2025-09-28T02:30:00.000+09:30",
      "2025-10-05T03:30:00.000+10:30",
      "2025-10-12T02:30:00.000+10:30",
    ]);
    const shifted = sessions[1]?.original ?? 0;
    expect(iso(shifted)).toBe("2025-10-04T17:00:00.000Z");
    expect(occurrenceAt(rule, {}, shifted)?.start).toBe(shifted);
  });

  it("takes the first 02:30 on the night 02:00–03:00 happens twice", () => {
    const rule = { ...sunday, firstDate: "2025-04-06" };
    expect(
      iso(
        occurrencesBetween(rule, {}, utc("2025-04-01T00:00:00Z"), utc("2025-04-07T00:00:00Z"))[0]?.start ?? 0,
      ),
    ).toBe(
      "2025-04-05T16:00:00.000Z", // 02:30 ACDT (+10:30)
    );
  });
});

describe("firstDateFrom", () => {
  it("is today when today's time is still ahead, next week when it has passed or is now", () => {
    // Tuesday 25 March 2025, 09:59 in Adelaide (ACDT, +10:30).
    expect(firstDateFrom("tue", "10:00", "Australia/Adelaide", utc("2025-03-24T23:29:00Z"))).toBe(
      "2025-03-25",
    );
    expect(firstDateFrom("tue", "10:00", "Australia/Adelaide", utc("2025-03-24T23:30:00Z"))).toBe(
      "2025-04-01",
    );
    expect(firstDateFrom("tue", "10:00", "Australia/Adelaide", utc("2025-03-25T03:00:00Z"))).toBe(
      "2025-04-01",
    );
    expect(firstDateFrom("wed", "10:00", "Australia/Adelaide", utc("2025-03-25T03:00:00Z"))).toBe(
      "2025-03-26",
    );
    expect(firstDateFrom("mon", "10:00", "Australia/Adelaide", utc("2025-03-25T03:00:00Z"))).toBe(
      "2025-03-31",
    );
  });

  it("uses the local date in the zone, not the UTC one", () => {
    // Monday 20:00Z is Tuesday 08:00 in Auckland (NZST, +12).
    expect(firstDateFrom("tue", "10:00", "Pacific/Auckland", utc("2025-06-09T20:00:00Z"))).toBe("2025-06-10");
    expect(firstDateFrom("mon", "10:00", "Pacific/Auckland", utc("2025-06-09T20:00:00Z"))).toBe("2025-06-16");
  });

  it("refuses a bad zone or time with a typed error", () => {
    expect(() => firstDateFrom("tue", "10:00", "Mars/Olympus", 0)).toThrow(BotError);
    expect(() => firstDateFrom("tue", "25:00", "Australia/Perth", 0)).toThrow(BotError);
    expect(() => occurrencesBetween({ ...adelaide, everyWeeks: 0 }, {}, 0, 1)).toThrow(BotError);
    expect(() => occurrencesBetween({ ...adelaide, firstDate: "25/03/2025" }, {}, 0, 1)).toThrow(BotError);
  });
});

describe("properties against a plain week-by-week reference", () => {
  const zones = [
    "Australia/Perth",
    "Australia/Adelaide",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Australia/Eucla",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Europe/London",
    "America/Santiago",
    "UTC",
  ];
  const ruleArb = fc
    .record({
      everyWeeks: fc.integer({ min: 1, max: 4 }),
      dayIndex: fc.integer({ min: 0, max: 6 }),
      minutes: fc.integer({ min: 0, max: 47 }).map((h) => h * 30),
      timeZone: fc.constantFrom(...zones),
      lengthMinutes: fc.constantFrom(30, 45, 60, 90),
      firstDay: fc.integer({ min: 0, max: 3650 }),
    })
    .map(({ everyWeeks, dayIndex, minutes, timeZone, lengthMinutes, firstDay }) => {
      const day = WEEKDAYS[dayIndex] as Weekday;
      const time = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
      // A first date on the rule's weekday.
      const base = DateTime.fromISO("2020-01-06", { zone: "UTC" }).plus({ days: firstDay });
      const firstDate = base.plus({ days: (dayIndex + 1 - base.weekday + 7) % 7 }).toISODate() ?? "";
      return { everyWeeks, day, time, timeZone, lengthMinutes, firstDate } satisfies SeriesRule;
    });

  /** Week by week from the first date, in local dates, each turned into an instant by luxon. */
  function reference(rule: SeriesRule, from: number, to: number, max = Number.POSITIVE_INFINITY): number[] {
    const out: number[] = [];
    const [hour, minute] = rule.time.split(":").map(Number);
    let date = DateTime.fromISO(rule.firstDate, { zone: "UTC" });
    for (let i = 0; i < 2000; i++, date = date.plus({ weeks: rule.everyWeeks })) {
      const start = DateTime.fromObject(
        { year: date.year, month: date.month, day: date.day, hour: hour ?? 0, minute: minute ?? 0 },
        { zone: rule.timeZone },
      ).toMillis();
      if (start >= to || out.length >= max) break;
      if (start >= from) out.push(start);
    }
    return out;
  }

  const windowArb = fc.tuple(
    fc.integer({ min: utc("2019-06-01T00:00:00Z"), max: utc("2031-01-01T00:00:00Z") }),
    fc.integer({ min: 1, max: 120 * DAY }),
  );

  it("gives the same sessions as the reference, in any window", () => {
    fc.assert(
      fc.property(ruleArb, windowArb, (rule, [from, span]) => {
        const got = occurrencesBetween(rule, {}, from, from + span).map((s) => s.start);
        expect(got).toEqual(reference(rule, from, from + span));
      }),
      { numRuns: 300 },
    );
  });

  it("splitting a window in two gives the same sessions; nextOccurrence is the first of what follows", () => {
    fc.assert(
      fc.property(
        ruleArb,
        windowArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (rule, [from, span], cut) => {
          const mid = from + Math.floor(span * cut);
          const whole = occurrencesBetween(rule, {}, from, from + span);
          const halves = [
            ...occurrencesBetween(rule, {}, from, mid),
            ...occurrencesBetween(rule, {}, mid, from + span),
          ];
          expect(halves).toEqual(whole);
          const next = nextOccurrence(rule, {}, from);
          const expected = reference(rule, from + 1, from + 20 * 365 * DAY, 1)[0];
          expect(next?.start).toBe(expected);
          if (next) expect(occurrenceAt(rule, {}, next.original)).toEqual(next);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("with moves: every session whose new start is in the window, and no other", () => {
    fc.assert(
      fc.property(
        ruleArb,
        windowArb,
        fc.array(
          fc.tuple(fc.nat(40), fc.option(fc.integer({ min: -90 * DAY, max: 90 * DAY }), { nil: null })),
          {
            maxLength: 6,
          },
        ),
        (rule, [from, span], picks) => {
          const to = from + span;
          const originals = reference(rule, from - 200 * DAY, to + 200 * DAY);
          const moves: Record<string, number | null> = {};
          for (const [index, shift] of picks) {
            const original = originals[index % Math.max(1, originals.length)];
            if (original !== undefined) moves[String(original)] = shift === null ? null : original + shift;
          }
          const expected = originals
            .flatMap((original) => {
              const moved = moves[String(original)];
              if (moved === null) return [];
              const start = moved ?? original;
              return start >= from && start < to
                ? [{ original, start, end: start + rule.lengthMinutes * MINUTE }]
                : [];
            })
            .sort((a, b) => a.start - b.start || a.original - b.original);
          expect(occurrencesBetween(rule, moves, from, to)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("stays quick for a series that started long ago", () => {
    const old = { ...adelaide, firstDate: "2001-01-02" };
    const started = performance.now();
    for (let i = 0; i < 200; i++) {
      const from = utc("2030-01-01T00:00:00Z") + i * DAY;
      occurrencesBetween(old, {}, from, from + 28 * DAY);
    }
    // A walk from 2001 would be ~1,500 weeks per call; bounded windows keep each call well under a millisecond or two.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
