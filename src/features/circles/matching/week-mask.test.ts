import { describe, expect, it } from "vitest";
import { hasSlot, overlapHours, weekMask } from "./week-mask.js";

const weekdays = ["mon", "tue", "wed", "thu", "fri"] as const;
const nineToFive = { start: "09:00", end: "17:00" };
/** The UTC half-hour index of a time in the week starting `week`. */
const slotOf = (week: Date, iso: string) => (Date.parse(iso) - week.getTime()) / (30 * 60 * 1000);
const count = (mask: Uint32Array) => overlapHours([mask]) * 2;

describe("weekMask", () => {
  it("follows Sydney into daylight saving on the first Sunday of October", () => {
    // Sydney moves from UTC+10 to UTC+11 at 02:00 on Sunday 5 October 2025.
    const week = new Date("2025-09-29T00:00:00Z");
    const mask = weekMask(
      { timeZone: "Australia/Sydney", workingDays: ["fri", "sun", "mon"], workingHours: nineToFive },
      week,
    );
    // Friday 3 Oct 09:00 AEST = Thursday 23:00 UTC; 17:00 = Friday 07:00 UTC.
    expect(hasSlot(mask, slotOf(week, "2025-10-02T23:00:00Z"))).toBe(true);
    expect(hasSlot(mask, slotOf(week, "2025-10-02T22:30:00Z"))).toBe(false);
    expect(hasSlot(mask, slotOf(week, "2025-10-03T06:30:00Z"))).toBe(true);
    expect(hasSlot(mask, slotOf(week, "2025-10-03T07:00:00Z"))).toBe(false);
    // Sunday 5 Oct 09:00 AEDT = Saturday 22:00 UTC: an hour earlier in UTC than before the change.
    expect(hasSlot(mask, slotOf(week, "2025-10-04T22:00:00Z"))).toBe(true);
    expect(hasSlot(mask, slotOf(week, "2025-10-04T21:30:00Z"))).toBe(false);
    expect(hasSlot(mask, slotOf(week, "2025-10-05T05:30:00Z"))).toBe(true);
    expect(hasSlot(mask, slotOf(week, "2025-10-05T06:00:00Z"))).toBe(false);
    // Monday 29 Sep AEST 09:00 = Sunday 28th 23:00 UTC, before this UTC week: only 00:00–07:00 UTC is inside.
    expect(hasSlot(mask, 0)).toBe(true);
    expect(hasSlot(mask, slotOf(week, "2025-09-29T07:00:00Z"))).toBe(false);
    // Monday 6 Oct AEDT 09:00 = Sunday 5th 22:00 UTC, inside this week until its end at Monday 00:00 UTC.
    expect(hasSlot(mask, 335)).toBe(true);
    expect(hasSlot(mask, slotOf(week, "2025-10-05T22:00:00Z"))).toBe(true);
    expect(hasSlot(mask, slotOf(week, "2025-10-05T21:30:00Z"))).toBe(false);
    // 8 h Fri + 8 h Sun + 7 h of this Monday + 2 h of next Monday.
    expect(count(mask)).toBe(2 * (8 + 8 + 7 + 2));
  });

  it("counts a shift through the change at its wall-clock length", () => {
    // 00:00–08:00 on Sunday 5 October in Sydney is 7 real hours (02:00 becomes 03:00).
    const week = new Date("2025-09-29T00:00:00Z");
    const mask = weekMask(
      { timeZone: "Australia/Sydney", workingDays: ["sun"], workingHours: { start: "00:00", end: "08:00" } },
      week,
    );
    expect(count(mask)).toBe(14);
    expect(hasSlot(mask, slotOf(week, "2025-10-04T14:00:00Z"))).toBe(true); // 00:00 AEST
    expect(hasSlot(mask, slotOf(week, "2025-10-04T20:30:00Z"))).toBe(true); // 07:30 AEDT
    expect(hasSlot(mask, slotOf(week, "2025-10-04T21:00:00Z"))).toBe(false); // 08:00 AEDT
  });

  it("follows Auckland into daylight saving on the last Sunday of September", () => {
    // Auckland moves from UTC+12 to UTC+13 at 02:00 on Sunday 28 September 2025.
    const week = new Date("2025-09-22T00:00:00Z");
    const mask = weekMask(
      { timeZone: "Pacific/Auckland", workingDays: ["fri"], workingHours: nineToFive },
      week,
    );
    // Friday 26 Sep 09:00 NZST = Thursday 21:00 UTC.
    expect(hasSlot(mask, slotOf(week, "2025-09-25T21:00:00Z"))).toBe(true);
    expect(hasSlot(mask, slotOf(week, "2025-09-25T20:30:00Z"))).toBe(false);
    const after = new Date("2025-09-29T00:00:00Z");
    const later = weekMask(
      { timeZone: "Pacific/Auckland", workingDays: ["fri"], workingHours: nineToFive },
      after,
    );
    // Friday 3 Oct 09:00 NZDT = Thursday 20:00 UTC.
    expect(hasSlot(later, slotOf(after, "2025-10-02T20:00:00Z"))).toBe(true);
    expect(hasSlot(later, slotOf(after, "2025-10-02T19:30:00Z"))).toBe(false);
    expect(count(mask)).toBe(16);
    expect(count(later)).toBe(16);
  });

  it("finds the shared hours of Perth, Brisbane and Auckland rosters", () => {
    const week = new Date("2025-10-06T00:00:00Z");
    const perth = weekMask(
      { timeZone: "Australia/Perth", workingDays: weekdays, workingHours: nineToFive },
      week,
    );
    const brisbane = weekMask(
      { timeZone: "Australia/Brisbane", workingDays: weekdays, workingHours: nineToFive },
      week,
    );
    const auckland = weekMask(
      { timeZone: "Pacific/Auckland", workingDays: weekdays, workingHours: nineToFive },
      week,
    );
    // Perth 01:00–09:00 UTC, Brisbane 23:00–07:00 UTC, Auckland (NZDT) 20:00–04:00 UTC, on the same local day.
    expect(overlapHours([perth, brisbane])).toBe(6 * 5);
    expect(overlapHours([brisbane, auckland])).toBe(5 * 5);
    expect(overlapHours([perth, brisbane, auckland])).toBe(3 * 5);
    expect(overlapHours([perth])).toBe(40);
    expect(overlapHours([])).toBe(0);
    // Part-time: Perth Mon–Wed mornings and Auckland Wed–Fri: they share only Wednesday 00:00–04:00 UTC.
    const perthPart = weekMask(
      {
        timeZone: "Australia/Perth",
        workingDays: ["mon", "tue", "wed"],
        workingHours: { start: "08:00", end: "12:00" },
      },
      week,
    );
    const aucklandPart = weekMask(
      { timeZone: "Pacific/Auckland", workingDays: ["wed", "thu", "fri"], workingHours: nineToFive },
      week,
    );
    expect(overlapHours([perthPart, aucklandPart])).toBe(4);
  });

  it("handles 24:00, overnight shifts and the week's edges", () => {
    const week = new Date("2025-10-06T00:00:00Z");
    const utcDay = weekMask(
      { timeZone: "UTC", workingDays: ["mon"], workingHours: { start: "00:00", end: "24:00" } },
      week,
    );
    expect(count(utcDay)).toBe(48);
    expect(hasSlot(utcDay, 47)).toBe(true);
    expect(hasSlot(utcDay, 48)).toBe(false);
    const night = weekMask(
      { timeZone: "UTC", workingDays: ["sun"], workingHours: { start: "22:00", end: "06:00" } },
      week,
    );
    // Sunday 22:00 to Monday 06:00: the Sunday of the previous week reaches Monday 00:00–06:00 of this one.
    expect(hasSlot(night, 0)).toBe(true);
    expect(hasSlot(night, 11)).toBe(true);
    expect(hasSlot(night, 12)).toBe(false);
    expect(hasSlot(night, 335)).toBe(true);
    expect(count(night)).toBe(12 + 4);
  });

  it("counts only half-hours fully worked in zones with a quarter-hour offset", () => {
    const week = new Date("2025-10-06T00:00:00Z");
    // Kathmandu is UTC+5:45: 09:00–17:00 is 03:15–11:15 UTC, whole half-hours 03:30–11:00.
    const mask = weekMask(
      { timeZone: "Asia/Kathmandu", workingDays: ["mon"], workingHours: nineToFive },
      week,
    );
    expect(count(mask)).toBe(15);
    expect(hasSlot(mask, 6)).toBe(false);
    expect(hasSlot(mask, 7)).toBe(true);
  });

  it("rejects a week that does not start on Monday 00:00 UTC, unknown zones and bad times", () => {
    const roster = { timeZone: "Australia/Perth", workingDays: weekdays, workingHours: nineToFive };
    expect(() => weekMask(roster, new Date("2025-10-07T00:00:00Z"))).toThrow(RangeError);
    expect(() => weekMask(roster, new Date("2025-10-06T01:00:00Z"))).toThrow(RangeError);
    const week = new Date("2025-10-06T00:00:00Z");
    expect(() => weekMask({ ...roster, timeZone: "Mars/Olympus" }, week)).toThrow(RangeError);
    expect(() => weekMask({ ...roster, workingHours: { start: "9:00", end: "17:00" } }, week)).toThrow(
      RangeError,
    );
    expect(() => weekMask({ ...roster, workingHours: { start: "09:00", end: "24:30" } }, week)).toThrow(
      RangeError,
    );
  });

  it("returns a fresh copy each time (the cache cannot be corrupted)", () => {
    const week = new Date("2025-10-06T00:00:00Z");
    const roster = { timeZone: "Australia/Perth", workingDays: weekdays, workingHours: nineToFive };
    const first = weekMask(roster, week);
    first.fill(0);
    expect(count(weekMask(roster, week))).toBe(80);
  });
});
