import { describe, expect, it } from "vitest";
import { UserInputError } from "../errors.js";
import { parseDate, parseDays, parseHours, parseRegion, parseTimeZone, parseYesNo } from "./fields.js";

function refusal(run: () => unknown): UserInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserInputError) return error;
    throw error;
  }
  throw new Error("expected the input to be refused");
}

describe("time zones", () => {
  it("accepts IANA zones and returns the canonical spelling", () => {
    expect(parseTimeZone("Australia/Perth")).toBe("Australia/Perth");
    expect(parseTimeZone("australia/adelaide")).toBe("Australia/Adelaide");
    expect(parseTimeZone("UTC")).toBe("UTC");
  });

  it("names an unknown zone and suggests the matching one", () => {
    const error = refusal(() => parseTimeZone("Sydney"));
    expect(error.message).toContain('"Sydney" isn\'t a time zone');
    expect(error.message).toContain("Australia/Sydney");
    expect(error.toReply()).toContain("For example: tz:Australia/Sydney");
  });

  it("answers an abbreviation with the IANA zones it may mean", () => {
    const aest = refusal(() => parseTimeZone("AEST"));
    expect(aest.message).toContain('"AEST" is an abbreviation');
    expect(aest.message).toContain("Australia/Brisbane, Australia/Sydney, Australia/Melbourne");
    expect(aest.toReply()).toContain("For example: tz:Australia/Brisbane");
    expect(refusal(() => parseTimeZone("aedt")).message).toContain("Australia/Sydney");
    expect(refusal(() => parseTimeZone("ACST")).message).toContain("Australia/Adelaide, Australia/Darwin");
    expect(refusal(() => parseTimeZone("AWST")).toReply()).toContain("tz:Australia/Perth");
    for (const nz of ["NZST", "NZDT"])
      expect(refusal(() => parseTimeZone(nz)).message).toContain("Pacific/Auckland");
  });

  it("refuses zones that are not IANA names", () => {
    expect(refusal(() => parseTimeZone("Mars/Olympus")).toReply()).toContain("tz:Australia/Perth");
    expect(refusal(() => parseTimeZone("AWST")).message).toContain("AWST");
  });
});

describe("working days", () => {
  it("reads lists, ranges and mixes, in week order", () => {
    expect(parseDays("mon,wed,thu")).toEqual(["mon", "wed", "thu"]);
    expect(parseDays("mon-fri")).toEqual(["mon", "tue", "wed", "thu", "fri"]);
    expect(parseDays("fri,mon-wed")).toEqual(["mon", "tue", "wed", "fri"]);
    expect(parseDays("Tuesday,THU")).toEqual(["tue", "thu"]);
    expect(parseDays("sat-mon")).toEqual(["mon", "sat", "sun"]);
  });

  it("names a day it does not know", () => {
    const error = refusal(() => parseDays("funday"));
    expect(error.message).toContain('"funday"');
    expect(error.toReply()).toContain("days:mon-fri");
  });

  it("refuses an empty day between commas and a three-part range", () => {
    expect(refusal(() => parseDays("mon,,tue")).message).toContain("empty day");
    expect(refusal(() => parseDays("mon-wed-fri")).message).toContain("mon-wed-fri");
  });
});

describe("working hours", () => {
  it("reads 24-hour ranges and normalises them", () => {
    expect(parseHours("09:00-15:00")).toEqual({ start: "09:00", end: "15:00" });
    expect(parseHours("9-17")).toEqual({ start: "09:00", end: "17:00" });
    expect(parseHours("13:30-24:00")).toEqual({ start: "13:30", end: "24:00" });
  });

  it("names an hour that does not exist", () => {
    const error = refusal(() => parseHours("25:00-9"));
    expect(error.message).toContain('"25:00"');
    expect(error.message).toContain("isn't a time of day");
    expect(error.toReply()).toContain("hours:09:00-15:00");
  });

  it("refuses ranges that end before they start, are too short, or are not ranges", () => {
    expect(refusal(() => parseHours("17:00-09:00")).message).toContain("end before they start");
    expect(refusal(() => parseHours("09:00-09:15")).message).toContain("shorter than half an hour");
    expect(refusal(() => parseHours("nine to five")).message).toContain('"nine to five"');
    expect(refusal(() => parseHours("09:61-10:00")).message).toContain('"09:61"');
  });
});

describe("other fields", () => {
  it("reads yes and no", () => {
    expect(parseYesNo("Yes", "solo")).toBe(true);
    expect(parseYesNo("no", "solo")).toBe(false);
    expect(refusal(() => parseYesNo("maybe", "solo")).toReply()).toContain("solo:yes");
  });

  it("tidies regions and refuses empty or very long ones", () => {
    expect(parseRegion("  Wide   Bay ")).toBe("Wide Bay");
    expect(refusal(() => parseRegion(" ")).message).toContain("empty");
    expect(refusal(() => parseRegion("x".repeat(61))).message).toContain("60 characters");
  });

  it("reads real dates only", () => {
    expect(parseDate("2027-02-28", "e")).toBe("2027-02-28");
    expect(refusal(() => parseDate("2027-02-30", "e")).message).toContain("isn't a real date");
    expect(refusal(() => parseDate("next week", "e")).message).toContain("YYYY-MM-DD");
  });
});
