import { describe, expect, it } from "vitest";
import { suggestTimeZones } from "./time-zones.js";

describe("time zone suggestions", () => {
  it("puts zones whose city starts with the typed text first", () => {
    expect(suggestTimeZones("bris")).toEqual(["Australia/Brisbane"]);
    expect(suggestTimeZones("Perth")[0]).toBe("Australia/Perth");
  });

  it("reads spaces as underscores", () => {
    expect(suggestTimeZones("new york")).toContain("America/New_York");
  });

  it("offers at most 25, and nothing for text no zone contains", () => {
    expect(suggestTimeZones("")).toHaveLength(25);
    expect(suggestTimeZones("australia/").every((zone) => zone.startsWith("Australia/"))).toBe(true);
    expect(suggestTimeZones("zzzz")).toEqual([]);
  });
});
