import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestBot } from "../../test/helpers/test-bot.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";

const testRedis = createTestRedis("bad-input");
const t = createTestBot(testRedis);
const JOINED = "local:joined";
beforeAll(() => t.join(JOINED));
afterAll(async () => {
  await t.stop();
  await testRedis.cleanup();
});

const base = "join region:Pilbara tz:Australia/Perth days:mon-wed hours:09:00-15:00";

describe("bad input gets a reply that names the problem and shows the right form", () => {
  it.each([
    ["an unknown subcommand", JOINED, "dance", ['"dance"', "The commands are: help, ", " join, ", " set, "]],
    [
      "an unknown time zone",
      "local:new",
      base.replace("Australia/Perth", "Perth"),
      ['"Perth" isn\'t a time zone', "tz:Australia/Perth"],
    ],
    [
      "hours:25:00-9",
      "local:new",
      base.replace("09:00-15:00", "25:00-9"),
      ['"25:00"', "isn't a time of day", "hours:09:00-15:00"],
    ],
    ["days:funday", "local:new", base.replace("mon-wed", "funday"), ['"funday"', "days:mon-fri"]],
    [
      "a missing value",
      "local:new",
      base.replace("hours:09:00-15:00", "hours:"),
      ["hours has no value", "For example: /peer join"],
    ],
    [
      "a missing option",
      "local:new",
      base.replace(" tz:Australia/Perth", ""),
      ["still need tz", "For example: /peer join"],
    ],
    [
      "an unknown option",
      "local:new",
      `${base} zone:x`,
      ['"zone" isn\'t an option', "region, tz, days, hours, solo"],
    ],
    ["a word without a name", "local:new", `${base} Pilbara`, ['"Pilbara"', "name:value"]],
    ["an unclosed quote", "local:new", 'join region:"Wide Bay', ["quote isn't closed"]],
    [
      "a value with a space and no quotes",
      "local:new",
      base.replace("region:Pilbara", "region:Wide Bay"),
      ["double quotes", 'region:"Wide Bay"', "For example: /peer join"],
    ],
    [
      "a time zone abbreviation",
      "local:new",
      base.replace("Australia/Perth", "AEST"),
      ['"AEST" is an abbreviation', "Australia/Brisbane, Australia/Sydney, Australia/Melbourne"],
    ],
    [
      "New Zealand's abbreviation",
      "local:new",
      base.replace("Australia/Perth", "NZST"),
      ["Pacific/Auckland"],
    ],
    ["solo:maybe", "local:new", `${base} solo:maybe`, ['solo takes yes or no, not "maybe"', "solo:yes"]],
    ["set with no field", JOINED, "set", ["which setting", "/peer set hours"]],
    [
      "set with an unknown field",
      JOINED,
      "set colour blue",
      ['"colour" isn\'t a setting', "region, tz, days, hours, solo"],
    ],
    [
      "set with a missing value",
      JOINED,
      "set tz",
      ["Give the new time zone", "/peer set tz Australia/Adelaide"],
    ],
    ["set with a bad value", JOINED, "set days funday", ['"funday"']],
    ["pause with a bad length", JOINED, "pause for ages", ['"ages"', "10d or 2w"]],
    ["pause until a past date", JOINED, "pause until 2020-01-01", ["isn't in the future"]],
    ["pause until a date that does not exist", JOINED, "pause until 2027-02-30", ["isn't a real date"]],
    ["pause with an unknown word", JOINED, "pause tomorrow", ["/peer pause for 2w"]],
    ["a command before joining", "local:stranger", "profile", ["haven't joined", "For example: /peer join"]],
  ])("%s", async (_label, member, text, expected) => {
    const reply = await t.command(member, text);
    for (const part of expected) expect(reply).toContain(part);
    expect(reply).not.toContain("something went wrong");
  });

  it("stores nothing and changes nothing after refused input", async () => {
    const before = await t.members.get(JOINED);
    await t.command(JOINED, "set hours 25:00-9");
    await t.command(JOINED, "set tz Nowhere/Land");
    expect(await t.members.get(JOINED)).toEqual(before);
    expect(await t.members.get("local:new")).toBeNull();
  });

  it("answers a button it does not know", async () => {
    expect(await t.press(JOINED, "nope:gone")).toContain("That button has expired");
  });
});
