import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { Member } from "../members/member.js";
import { type SlotKind, nextSlot } from "./slots.js";

function member(overrides: Partial<Member> = {}): Member {
  return {
    id: "local:ana",
    displayName: "Ana",
    region: "Wide Bay",
    timeZone: "Australia/Sydney",
    workingDays: ["mon", "tue", "wed"],
    workingHours: { start: "09:00", end: "15:00" },
    soleWorker: true,
    role: "peer-worker",
    status: { state: "active" },
    consentedAt: "2026-01-01T00:00:00Z",
    joinedAt: "2026-01-01T00:00:00Z",
    ...overrides,
  };
}

/** The next `count` slots, each computed from the previous one, as local ISO strings. */
function series(
  m: Member,
  kind: SlotKind,
  fromIso: string,
  count: number,
  holidays?: (d: string) => boolean,
) {
  const out: string[] = [];
  let after = new Date(fromIso);
  for (let i = 0; i < count; i++) {
    const slot = nextSlot(m, kind, after, holidays ? { holidays } : {});
    if (!slot) break;
    out.push(DateTime.fromJSDate(slot, { zone: m.timeZone }).toISO({ suppressMilliseconds: true }) ?? "");
    after = slot;
  }
  return out;
}

const daily = (tz: string, time = "14:00") =>
  member({
    timeZone: tz,
    workingDays: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    workingHours: { start: "00:00", end: "24:00" },
    preferences: { prompts: "daily", promptTime: time },
  });

describe("slots in the member's own working week", () => {
  it("weekly prompts come on the last working day, an hour before the day ends", () => {
    expect(series(member(), "prompt", "2026-11-23T00:00:00Z", 3)).toEqual([
      "2026-11-25T14:00:00+11:00",
      "2026-12-02T14:00:00+11:00",
      "2026-12-09T14:00:00+11:00",
    ]);
  });

  it("daily prompts only on working days, at the chosen time inside working hours", () => {
    const m = member({ timeZone: "Australia/Perth", preferences: { prompts: "daily", promptTime: "10:30" } });
    expect(series(m, "prompt", "2026-11-26T00:00:00Z", 4)).toEqual([
      "2026-11-30T10:30:00+08:00",
      "2026-12-01T10:30:00+08:00",
      "2026-12-02T10:30:00+08:00",
      "2026-12-07T10:30:00+08:00",
    ]);
  });

  it("ignores a chosen time outside working hours", () => {
    const m = member({ preferences: { promptTime: "20:00" } });
    expect(series(m, "prompt", "2026-11-23T00:00:00Z", 1)).toEqual(["2026-11-25T14:00:00+11:00"]);
  });

  it("fortnightly prompts skip every other week", () => {
    const slots = series(
      member({ preferences: { prompts: "fortnightly" } }),
      "prompt",
      "2026-11-23T00:00:00Z",
      3,
    );
    const gaps = slots
      .slice(1)
      .map((s, i) => DateTime.fromISO(s).diff(DateTime.fromISO(slots[i] ?? ""), "days").days);
    expect(gaps).toEqual([14, 14]);
  });

  it("tips come weekly on the first working day, half an hour in", () => {
    expect(series(member(), "tip", "2026-11-23T00:00:00Z", 2)).toEqual([
      "2026-11-30T09:30:00+11:00",
      "2026-12-07T09:30:00+11:00",
    ]);
  });

  it("nothing when turned off", () => {
    expect(nextSlot(member({ preferences: { prompts: "off" } }), "prompt", new Date())).toBeNull();
    expect(nextSlot(member({ preferences: { tips: "off" } }), "tip", new Date())).toBeNull();
  });

  it("a slot on a holiday moves to the next working day, never to a weekend", () => {
    const m = member({ workingDays: ["mon", "tue", "wed", "thu", "fri"] });
    const holidays = (d: string) => d === "2026-11-27";
    expect(series(m, "prompt", "2026-11-23T00:00:00Z", 2, holidays)).toEqual([
      "2026-11-30T14:00:00+11:00",
      "2026-12-04T14:00:00+11:00",
    ]);
  });

  it("welcome back comes on the first working day from the pause's end date", () => {
    const m = member({ status: { state: "paused", since: "2026-11-01T00:00:00Z", until: "2026-11-28" } });
    expect(series(m, "welcome", "2026-11-20T00:00:00Z", 1)).toEqual(["2026-11-30T09:00:00+11:00"]);
    expect(nextSlot(member(), "welcome", new Date())).toBeNull();
  });

  it("a snoozed question comes back on the next working day", () => {
    expect(series(member(), "snooze", "2026-11-25T03:30:00Z", 1)).toEqual(["2026-11-30T14:00:00+11:00"]);
  });
});

describe("daylight saving neither shifts nor repeats a prompt", () => {
  // DST ends on Sunday 4 April 2027 and begins on Sunday 4 October 2026 in Sydney and Adelaide.
  it.each([
    ["Australia/Sydney", "2027-04-02T00:00:00Z", ["+11:00", "+11:00", "+10:00", "+10:00"]],
    ["Australia/Adelaide", "2027-04-02T00:00:00Z", ["+10:30", "+10:30", "+09:30", "+09:30"]],
    ["Australia/Sydney", "2026-10-02T00:00:00Z", ["+10:00", "+10:00", "+11:00", "+11:00"]],
    ["Australia/Adelaide", "2026-10-02T00:00:00Z", ["+09:30", "+09:30", "+10:30", "+10:30"]],
    ["Australia/Perth", "2027-04-02T00:00:00Z", ["+08:00", "+08:00", "+08:00", "+08:00"]],
    ["Australia/Brisbane", "2026-10-02T00:00:00Z", ["+10:00", "+10:00", "+10:00", "+10:00"]],
  ])("%s from %s: one prompt a day at 14:00 local", (tz, from, offsets) => {
    const slots = series(daily(tz), "prompt", from, 4);
    expect(slots.map((s) => s.slice(11, 19))).toEqual(["14:00:00", "14:00:00", "14:00:00", "14:00:00"]);
    expect(slots.map((s) => s.slice(19))).toEqual(offsets);
    expect(new Set(slots.map((s) => s.slice(0, 10))).size).toBe(4);
  });

  it("a prompt set inside the repeated hour when clocks go back is sent once", () => {
    const slots = series(daily("Australia/Sydney", "02:30"), "prompt", "2027-04-02T12:00:00Z", 4);
    expect(slots.map((s) => s.slice(0, 10))).toEqual([
      "2027-04-03",
      "2027-04-04",
      "2027-04-05",
      "2027-04-06",
    ]);
  });

  it("a prompt set inside the skipped hour when clocks go forward still comes once that day", () => {
    const slots = series(daily("Australia/Adelaide", "02:30"), "prompt", "2026-10-02T12:00:00Z", 4);
    expect(slots.map((s) => s.slice(0, 10))).toEqual([
      "2026-10-03",
      "2026-10-04",
      "2026-10-05",
      "2026-10-06",
    ]);
    expect(slots[1]).toBe("2026-10-04T03:30:00+10:30");
  });
});
