import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { WEEKDAYS, type Weekday } from "../../members/member.js";
import { toMinutes } from "../../schedule/preferences.js";
import { firstDateFrom, sessionsFrom } from "./recurrence.js";
import type { Availability, SeriesRule } from "./series.js";
import { misfits, nearestSeriesSlots, nextSlotForAll, whoCannot } from "./slot-fit.js";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const utc = (iso: string) => Date.parse(iso);
const iso = (ms: number | null | undefined) => (typeof ms === "number" ? new Date(ms).toISOString() : ms);

const weekdays: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri"];
const nineToFive = { start: "09:00", end: "17:00" };
const person = (id: string, timeZone: string, more: Partial<Availability> = {}): Availability => ({
  id,
  timeZone,
  workingDays: weekdays,
  workingHours: nineToFive,
  ...more,
});

// Perth: +8 all year. Adelaide: +9:30, +10:30 from the first Sunday of October (5 Oct 2025) to the first Sunday of
// April (6 Apr 2025). Auckland: +12, +13 from the last Sunday of September (28 Sep 2025) to the first Sunday of April.
// Shared working time, in UTC: 01:00–05:00 in the southern winter, 01:00–04:00 in summer (Perth 09:00 to Auckland 17:00).
const perth = person("perth", "Australia/Perth");
const adelaide = person("adelaide", "Australia/Adelaide");
const auckland = person("auckland", "Pacific/Auckland");
const trio = [perth, adelaide, auckland];

describe("the zones the tests rely on", () => {
  it("have the offsets we expect either side of the 2025 changes", () => {
    const offset = (zone: string, at: string) => DateTime.fromISO(at, { zone }).offset;
    expect(offset("Australia/Perth", "2025-06-10T04:00:00Z")).toBe(480);
    expect(offset("Australia/Perth", "2025-12-10T04:00:00Z")).toBe(480);
    expect(offset("Australia/Adelaide", "2025-10-04T12:00:00Z")).toBe(570);
    expect(offset("Australia/Adelaide", "2025-10-05T12:00:00Z")).toBe(630);
    expect(offset("Australia/Adelaide", "2025-04-05T12:00:00Z")).toBe(630);
    expect(offset("Australia/Adelaide", "2025-04-06T12:00:00Z")).toBe(570);
    expect(offset("Pacific/Auckland", "2025-09-27T12:00:00Z")).toBe(720);
    expect(offset("Pacific/Auckland", "2025-09-28T12:00:00Z")).toBe(780);
    expect(offset("Pacific/Auckland", "2025-04-05T12:00:00Z")).toBe(780);
    expect(offset("Pacific/Auckland", "2025-04-06T12:00:00Z")).toBe(720);
  });
});

describe("whoCannot", () => {
  it("is empty when the whole session is inside everyone's hours", () => {
    // Tue 10 June 2025, 03:00Z: Perth 11:00, Adelaide 12:30, Auckland 15:00.
    expect(whoCannot(trio, utc("2025-06-10T03:00:00Z"), 60)).toEqual([]);
    // Starting at Perth's 09:00 and ending at Auckland's 17:00 both count.
    expect(whoCannot(trio, utc("2025-06-10T01:00:00Z"), 240)).toEqual([]);
  });

  it("names the person whose hours it falls outside", () => {
    // 04:30Z: Auckland 16:30–17:30 runs past their 17:00.
    expect(whoCannot(trio, utc("2025-06-10T04:30:00Z"), 60)).toEqual(["auckland"]);
    // 00:30Z: Perth 08:30, before they start.
    expect(whoCannot(trio, utc("2025-06-10T00:30:00Z"), 60)).toEqual(["perth"]);
    // Monday 22:00Z is Tuesday 06:00 in Perth, 07:30 in Adelaide, 10:00 in Auckland.
    expect(whoCannot(trio, utc("2025-06-09T22:00:00Z"), 60)).toEqual(["perth", "adelaide"]);
  });

  it("uses each person's own weekday", () => {
    // Friday 23:00Z is Saturday morning for all three (07:00 Perth, 08:30 Adelaide, 11:00 Auckland).
    expect(whoCannot(trio, utc("2025-06-13T23:00:00Z"), 60)).toEqual(["perth", "adelaide", "auckland"]);
    // Sunday 21:00Z is Monday 09:00 in Auckland but still Sunday 22:00 in London, where any hour of a weekday would do.
    const london = person("london", "Europe/London", { workingHours: { start: "00:00", end: "24:00" } });
    expect(whoCannot([auckland, london], utc("2025-06-15T21:00:00Z"), 60)).toEqual(["london"]);
    expect(whoCannot([auckland, london], utc("2025-06-16T21:00:00Z"), 60)).toEqual([]);
    expect(
      whoCannot(
        [person("sat", "Australia/Perth", { workingDays: ["sat"] })],
        utc("2025-06-14T02:00:00Z"),
        60,
      ),
    ).toEqual([]);
  });

  it("never fits a session crossing their midnight, but one ending exactly at midnight fits", () => {
    const lateShift = person("late", "UTC", {
      workingDays: WEEKDAYS,
      workingHours: { start: "18:00", end: "24:00" },
    });
    expect(whoCannot([lateShift], utc("2025-06-10T23:00:00Z"), 60)).toEqual([]);
    expect(whoCannot([lateShift], utc("2025-06-10T23:30:00Z"), 60)).toEqual(["late"]);
    const allDay = person("all", "UTC", {
      workingDays: WEEKDAYS,
      workingHours: { start: "00:00", end: "24:00" },
    });
    expect(whoCannot([allDay], utc("2025-06-10T23:30:00Z"), 60)).toEqual(["all"]);
  });
});

describe("misfits over a series' next sessions", () => {
  it("a Perth Tuesday 12:00 suits all in winter, but not Auckland once New Zealand's clocks go forward", () => {
    const rule: SeriesRule = {
      everyWeeks: 1,
      day: "tue",
      time: "12:00",
      timeZone: "Australia/Perth",
      lengthMinutes: 60,
      firstDate: "2025-09-02",
    };
    // 04:00–05:00Z: Auckland 16:00–17:00 NZST, then 17:00–18:00 NZDT from Tuesday 30 September.
    expect(misfits(rule, trio, utc("2025-09-01T00:00:00Z"), 4)).toEqual([]);
    expect(misfits(rule, trio, utc("2025-09-01T00:00:00Z"))).toEqual([
      { member: "auckland", start: utc("2025-09-30T04:00:00Z") },
    ]);
  });

  it("and the other way: a Perth Tuesday 12:30 that doesn't suit Auckland until the April change", () => {
    const rule: SeriesRule = {
      everyWeeks: 1,
      day: "tue",
      time: "12:30",
      timeZone: "Australia/Perth",
      lengthMinutes: 30,
      firstDate: "2025-03-04",
    };
    // 04:30Z is 17:30 in Auckland (NZDT) until 6 April, then 16:30 (NZST).
    expect(misfits(rule, trio, utc("2025-03-01T00:00:00Z"))).toEqual([
      { member: "auckland", start: utc("2025-03-04T04:30:00Z") },
    ]);
    expect(misfits(rule, trio, utc("2025-04-02T00:00:00Z"))).toEqual([]);
  });

  it("an Adelaide Tuesday 11:00 stays 11:00 in Adelaide, so it moves to 08:30 in Perth in October", () => {
    const rule: SeriesRule = {
      everyWeeks: 1,
      day: "tue",
      time: "11:00",
      timeZone: "Australia/Adelaide",
      lengthMinutes: 60,
      firstDate: "2025-09-02",
    };
    expect(misfits(rule, trio, utc("2025-09-01T00:00:00Z"))).toEqual([
      { member: "perth", start: utc("2025-10-07T00:30:00Z") },
    ]);
  });
});

describe("nearestSeriesSlots", () => {
  const from = utc("2025-09-01T00:00:00Z");
  const check = (rule: SeriesRule, slot: { day: Weekday; time: string; firstDate: string }, count = 8) => {
    const sessions = sessionsFrom({ ...rule, ...slot }, {}, from, count);
    expect(sessions).toHaveLength(count);
    for (const s of sessions) expect(whoCannot(trio, s.start, rule.lengthMinutes)).toEqual([]);
    return sessions;
  };

  it("offers the nearest Perth times that suit everyone on both sides of the September change", () => {
    const rule: SeriesRule = {
      everyWeeks: 1,
      day: "tue",
      time: "12:00",
      timeZone: "Australia/Perth",
      lengthMinutes: 60,
      firstDate: "2025-09-02",
    };
    const slots = nearestSeriesSlots(rule, trio, from);
    expect(slots).toEqual([
      { day: "tue", time: "11:00", firstDate: "2025-09-02" },
      { day: "tue", time: "10:30", firstDate: "2025-09-02" },
      { day: "tue", time: "10:00", firstDate: "2025-09-02" },
    ]);
    for (const slot of slots) {
      const sessions = check(rule, slot);
      // The sessions do cross the change: Auckland's offset differs between the first and the last.
      const first = DateTime.fromMillis(sessions[0]?.start ?? 0, { zone: "Pacific/Auckland" });
      const last = DateTime.fromMillis(sessions[7]?.start ?? 0, { zone: "Pacific/Auckland" });
      expect([first.offset, last.offset]).toEqual([720, 780]);
    }
  });

  it("offers Adelaide times that suit everyone across both changes, going round the week by distance", () => {
    const rule: SeriesRule = {
      everyWeeks: 1,
      day: "tue",
      time: "11:00",
      timeZone: "Australia/Adelaide",
      lengthMinutes: 60,
      firstDate: "2025-09-02",
    };
    // Shared after 5 Oct: 11:30–14:30 Adelaide; before it (after 28 Sep): 10:30–13:30. Both: 11:30–13:30.
    const slots = nearestSeriesSlots(rule, trio, from, { limit: 5 });
    expect(slots).toEqual([
      { day: "tue", time: "11:30", firstDate: "2025-09-02" }, // 30 minutes on
      { day: "tue", time: "12:00", firstDate: "2025-09-02" },
      { day: "tue", time: "12:30", firstDate: "2025-09-02" },
      { day: "mon", time: "12:30", firstDate: "2025-09-01" }, // 22h30 back
      { day: "mon", time: "12:00", firstDate: "2025-09-01" },
    ]);
    for (const slot of slots) check(rule, slot);
  });

  it("with a tie, takes the later time first; an off-grid rule time is not itself offered", () => {
    const rule: SeriesRule = {
      everyWeeks: 1,
      day: "tue",
      time: "12:15",
      timeZone: "Australia/Adelaide",
      lengthMinutes: 60,
      firstDate: "2025-09-02",
    };
    expect(nearestSeriesSlots(rule, trio, from).map((s) => s.time)).toEqual(["12:30", "12:00", "11:30"]);
  });

  it("goes round the end of the week, and a session ending at midnight fits", () => {
    const always = [
      person("any", "UTC", { workingDays: WEEKDAYS, workingHours: { start: "00:00", end: "24:00" } }),
    ];
    const rule: SeriesRule = {
      everyWeeks: 2,
      day: "sun",
      time: "23:30",
      timeZone: "UTC",
      lengthMinutes: 60,
      firstDate: "2025-09-07",
    };
    expect(nearestSeriesSlots(rule, always, from, { limit: 4 })).toEqual([
      { day: "mon", time: "00:00", firstDate: "2025-09-08" },
      { day: "sun", time: "23:00", firstDate: "2025-09-07" },
      { day: "mon", time: "00:30", firstDate: "2025-09-01" }, // Mon 00:00 on 1 Sep is `from` itself: not after it
      { day: "sun", time: "22:30", firstDate: "2025-09-07" },
    ]);
  });

  it("is empty when nothing suits everyone", () => {
    const rule: SeriesRule = {
      everyWeeks: 1,
      day: "tue",
      time: "12:00",
      timeZone: "Australia/Perth",
      lengthMinutes: 60,
      firstDate: "2025-09-02",
    };
    const weekender = person("weekender", "Australia/Perth", { workingDays: ["sat", "sun"] });
    expect(nearestSeriesSlots(rule, [...trio, weekender], from)).toEqual([]);
    // Four hours fit in winter but not after the change.
    expect(nearestSeriesSlots({ ...rule, lengthMinutes: 240 }, trio, from)).toEqual([]);
    expect(
      nearestSeriesSlots({ ...rule, lengthMinutes: 240 }, trio, utc("2025-06-01T00:00:00Z"), { count: 4 }),
    ).toEqual([
      { day: "tue", time: "09:00", firstDate: "2025-06-03" },
      { day: "wed", time: "09:00", firstDate: "2025-06-04" }, // 21 hours on
      { day: "mon", time: "09:00", firstDate: "2025-06-02" }, // 27 hours back
    ]);
  });
});

describe("nextSlotForAll", () => {
  it("offers the next time that suits everyone after a session one person can't make", () => {
    // Tue 30 Sep 04:00Z doesn't suit Auckland; the shared 01:00–04:00Z has passed that day.
    const next = nextSlotForAll(trio, 60, utc("2025-09-30T04:00:00Z"), utc("2025-10-07T04:00:00Z"));
    expect(iso(next)).toBe("2025-10-01T01:00:00.000Z");
    expect(whoCannot(trio, next ?? 0, 60)).toEqual([]);
  });

  it("later the same day when there is room, and never at `after` itself", () => {
    expect(iso(nextSlotForAll(trio, 60, utc("2025-06-10T01:00:00Z"), utc("2025-06-17T00:00:00Z")))).toBe(
      "2025-06-10T01:30:00.000Z",
    );
    expect(iso(nextSlotForAll(trio, 60, utc("2025-06-10T01:07:00Z"), utc("2025-06-17T00:00:00Z")))).toBe(
      "2025-06-10T01:30:00.000Z",
    );
  });

  it("includes `before` itself, and is null when nothing fits by then", () => {
    const after = utc("2025-06-10T00:00:00Z");
    expect(iso(nextSlotForAll(trio, 60, after, utc("2025-06-10T01:00:00Z")))).toBe(
      "2025-06-10T01:00:00.000Z",
    );
    expect(nextSlotForAll(trio, 60, after, utc("2025-06-10T00:59:00Z"))).toBeNull();
    // Four hours: fits in June, never in December (only three hours are shared).
    expect(iso(nextSlotForAll(trio, 240, after, after + 7 * DAY))).toBe("2025-06-10T01:00:00.000Z");
    expect(nextSlotForAll(trio, 240, utc("2025-12-01T00:00:00Z"), utc("2025-12-29T00:00:00Z"))).toBeNull();
    expect(nextSlotForAll([], 60, after, after + DAY)).toBeNull();
  });

  it("offers quarter-hour zones their own hour and half hour", () => {
    // Eucla is +8:45: 09:00 there is 00:15Z.
    const eucla = person("eucla", "Australia/Eucla");
    expect(iso(nextSlotForAll([eucla], 60, utc("2025-06-02T00:00:00Z"), utc("2025-06-09T00:00:00Z")))).toBe(
      "2025-06-02T00:15:00.000Z",
    );
    // With Perth: Perth's 09:00 (01:00Z) is the first time for both; 09:45 in Eucla.
    expect(
      iso(nextSlotForAll([eucla, perth], 60, utc("2025-06-02T00:00:00Z"), utc("2025-06-09T00:00:00Z"))),
    ).toBe("2025-06-02T01:00:00.000Z");
    // Chatham is +12:45 in June: Monday 09:00 there is Sunday 20:15Z.
    const chatham = person("chatham", "Pacific/Chatham");
    expect(iso(nextSlotForAll([chatham], 60, utc("2025-06-01T00:00:00Z"), utc("2025-06-09T00:00:00Z")))).toBe(
      "2025-06-01T20:15:00.000Z",
    );
  });
});

describe("properties: every slot offered suits everyone", () => {
  const zones = [
    "Australia/Perth",
    "Australia/Adelaide",
    "Australia/Darwin",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Australia/Hobart",
    "Australia/Eucla",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Chatham",
  ];
  const half = (h: number) => `${String(Math.floor(h / 2)).padStart(2, "0")}:${h % 2 ? "30" : "00"}`;
  const personArb = fc
    .record({
      timeZone: fc.constantFrom(...zones),
      days: fc.subarray([...WEEKDAYS], { minLength: 1 }),
      startHalf: fc.integer({ min: 0, max: 40 }),
      hoursLong: fc.integer({ min: 4, max: 24 }),
    })
    .map(({ timeZone, days, startHalf, hoursLong }) => ({
      timeZone,
      workingDays: days,
      workingHours: { start: half(startHalf), end: half(Math.min(48, startHalf + hoursLong)) },
    }));
  const peopleArb = fc
    .array(personArb, { minLength: 1, maxLength: 5 })
    .map((list) => list.map((p, i): Availability => ({ id: `m${i}`, ...p })));
  const fromArb = fc.integer({ min: utc("2025-01-01T00:00:00Z"), max: utc("2027-01-01T00:00:00Z") });
  const ruleArb = fc.record({
    everyWeeks: fc.integer({ min: 1, max: 3 }),
    day: fc.constantFrom(...WEEKDAYS),
    time: fc.integer({ min: 0, max: 95 }).map((q) => {
      const m = q * 15;
      return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
    }),
    timeZone: fc.constantFrom(...zones),
    lengthMinutes: fc.constantFrom(30, 45, 60, 90),
    firstDate: fc.constant("2024-12-31"),
  });
  const weekMinute = (day: Weekday, time: string) => WEEKDAYS.indexOf(day) * 1440 + toMinutes(time);
  const around = (a: number, b: number) => {
    const d = (((a - b) % 10080) + 10080) % 10080;
    return Math.min(d, 10080 - d);
  };

  it("nearestSeriesSlots: all next sessions suit everyone, on the grid, nearest first, firstDate as firstDateFrom gives", () => {
    fc.assert(
      fc.property(
        ruleArb,
        peopleArb,
        fromArb,
        fc.integer({ min: 1, max: 10 }),
        (rule, people, from, count) => {
          const slots = nearestSeriesSlots(rule, people, from, { limit: 4, count });
          expect(slots.length).toBeLessThanOrEqual(4);
          let last = -1;
          for (const slot of slots) {
            expect(toMinutes(slot.time) % 30).toBe(0);
            expect(slot.firstDate).toBe(firstDateFrom(slot.day, slot.time, rule.timeZone, from));
            const sessions = sessionsFrom({ ...rule, ...slot }, {}, from, count);
            expect(sessions).toHaveLength(count);
            for (const s of sessions) expect(whoCannot(people, s.start, rule.lengthMinutes)).toEqual([]);
            const distance = around(weekMinute(slot.day, slot.time), weekMinute(rule.day, rule.time));
            expect(distance).toBeGreaterThanOrEqual(last);
            last = distance;
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it("nextSlotForAll: suits everyone, is in (after, before], and no earlier grid time does", () => {
    fc.assert(
      fc.property(
        peopleArb,
        fromArb,
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 1, max: 4 * 24 * 4 }),
        fc.constantFrom(30, 60, 90),
        (people, from, extraMinutes, quarters, length) => {
          const after = from + extraMinutes * MINUTE;
          const before = after + quarters * 15 * MINUTE;
          const got = nextSlotForAll(people, length, after, before);
          // The plain search: every quarter hour that is someone's :00 or :30.
          let expected: number | null = null;
          for (let t = Math.ceil((after + 1) / (15 * MINUTE)) * 15 * MINUTE; t <= before; t += 15 * MINUTE) {
            const onGrid = people.some((p) => DateTime.fromMillis(t, { zone: p.timeZone }).minute % 30 === 0);
            if (onGrid && whoCannot(people, t, length).length === 0) {
              expected = t;
              break;
            }
          }
          expect(got).toBe(expected);
          if (got !== null) {
            expect(got).toBeGreaterThan(after);
            expect(got).toBeLessThanOrEqual(before);
            expect(whoCannot(people, got, length)).toEqual([]);
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
