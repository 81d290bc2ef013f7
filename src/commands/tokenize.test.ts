import { describe, expect, it } from "vitest";
import { UserInputError } from "../errors.js";
import { parseOptions, tokenize } from "./tokenize.js";

describe("tokenize", () => {
  it("splits on spaces and keeps quoted values together", () => {
    expect(tokenize('join region:"Wide Bay" tz:Australia/Brisbane')).toEqual([
      "join",
      "region:Wide Bay",
      "tz:Australia/Brisbane",
    ]);
    expect(tokenize('"region:Wide Bay"  solo:yes ')).toEqual(["region:Wide Bay", "solo:yes"]);
  });

  it("treats curly quotes like straight ones", () => {
    expect(tokenize("region:\u201CSunshine Coast\u201D")).toEqual(["region:Sunshine Coast"]);
  });

  it("refuses an unclosed quote, saying so", () => {
    expect(() => tokenize('region:"Wide Bay')).toThrow(/double quote isn't closed/);
  });
});

describe("parseOptions", () => {
  const allowed = ["region", "tz"];

  it("reads name:value pairs", () => {
    expect(Object.fromEntries(parseOptions(["region:Pilbara", "TZ:Australia/Perth"], allowed, "e"))).toEqual({
      region: "Pilbara",
      tz: "Australia/Perth",
    });
  });

  it.each([
    [["Pilbara"], '"Pilbara"'],
    [["zone:Australia/Perth"], '"zone" isn\'t an option'],
    [["region:a", "region:b"], "region is given twice"],
    [["region:"], "region has no value"],
  ])("refuses %j and names the problem", (tokens, problem) => {
    expect(() => parseOptions(tokens, allowed, "e")).toThrow(UserInputError);
    expect(() => parseOptions(tokens, allowed, "e")).toThrow(problem);
  });
});
