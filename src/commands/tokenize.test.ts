import { describe, expect, it } from "vitest";
import { tokenize } from "./tokenize.js";

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

  it("keeps a mention whole, even with a space in its name", () => {
    expect(tokenize("pair <@U02ABC|Kim Lee> with:<@123456>")).toEqual([
      "pair",
      "<@U02ABC|Kim Lee>",
      "with:<@123456>",
    ]);
  });
});
