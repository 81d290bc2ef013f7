import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { UserInputError } from "../errors.js";
import { supportCommand } from "../features/safety/support-command.js";
import { reflectionCommands } from "../reflection/reflection-commands.js";
import { scheduleCommand } from "../schedule/schedule-command.js";
import { schedulingCommands } from "../schedule/scheduling-commands.js";
import { RedisHandleStore } from "../store/redis-handles.js";
import { RedisKeys } from "../store/redis-keys.js";
import { exportCommand, forgetCommand } from "./data-rights.js";
import { createHelpCommand } from "./help.js";
import { joinCommand } from "./join.js";
import { createCommandParser } from "./parser.js";
import { pauseCommand, resumeCommand } from "./pause.js";
import { profileCommand, setCommand } from "./profile.js";
import { type DeclaredEntry, type ParseEnv, defineCommand, memberOption, textOption } from "./schema.js";

const testRedis = createTestRedis("command-parser");
const handles = new RedisHandleStore(testRedis.redis, new RedisKeys(testRedis.prefix));
afterAll(() => testRedis.cleanup());

const ALL: readonly DeclaredEntry[] = [
  createHelpCommand(() => ALL),
  joinCommand,
  profileCommand,
  setCommand,
  pauseCommand,
  resumeCommand,
  scheduleCommand,
  ...reflectionCommands,
  supportCommand,
  exportCommand,
  forgetCommand,
  ...schedulingCommands,
];
const parser = createCommandParser(ALL);
const env: ParseEnv = { asker: "slack:T01:U01", handles };

const parse = (text: string) => parser.resolve(text).parse(env);

async function refusal(text: string, parserToUse = parser, envToUse = env): Promise<string> {
  try {
    await parserToUse.resolve(text).parse(envToUse);
  } catch (error) {
    if (error instanceof UserInputError) return error.toReply();
    throw error;
  }
  throw new Error(`expected "${text}" to be refused`);
}

describe("every form members type today still reads", () => {
  it.each([
    ["set hours 09:00-15:00", { field: "hours", value: "09:00-15:00" }],
    ["/peer set hours 09:00-15:00", { field: "hours", value: "09:00-15:00" }],
    ['set region "Wide Bay"', { field: "region", value: "Wide Bay" }],
    ["set region Wide Bay", { field: "region", value: "Wide Bay" }],
    ["set region Mackay", { field: "region", value: "Mackay" }],
    ["set region:Mackay", { field: "region", value: "Mackay" }],
    ['set region:"Wide Bay"', { field: "region", value: "Wide Bay" }],
    ["set tz: Australia/Adelaide", { field: "tz", value: "Australia/Adelaide" }],
    ["SET Prompt-Time 14:00", { field: "prompt-time", value: "14:00" }],
    ["set handle @kim", { field: "handle", value: "@kim" }],
  ])("%s", async (text, values) => {
    expect(await parse(text)).toEqual(values);
  });

  it("reads pause until a date, for a length, or bare", async () => {
    expect(await parse("pause until 2027-01-15")).toEqual({ until: "2027-01-15", for: undefined });
    expect(await parse("pause until:2027-01-15")).toEqual({ until: "2027-01-15", for: undefined });
    expect(await parse("pause for 2w")).toEqual({ until: undefined, for: 14 });
    expect(await parse("pause for 10 days")).toEqual({ until: undefined, for: 10 });
    expect(await parse("pause")).toEqual({ until: undefined, for: undefined });
  });

  it("reads join's name:value options into typed values", async () => {
    expect(
      await parse('join region:"Wide Bay" tz:australia/brisbane days:mon-wed hours:9-15 solo:yes'),
    ).toEqual({
      region: "Wide Bay",
      tz: "Australia/Brisbane",
      days: ["mon", "tue", "wed"],
      hours: { start: "09:00", end: "15:00" },
      solo: true,
    });
    expect(await parse("join")).toEqual({
      region: undefined,
      tz: undefined,
      days: undefined,
      hours: undefined,
      solo: undefined,
    });
  });

  it("reads the coordinators' groups", async () => {
    expect(await parse('holiday add 2026-12-25 region:"Wide Bay"')).toEqual({
      date: "2026-12-25",
      region: "Wide Bay",
    });
    expect(await parse("holiday remove 2026-12-25")).toEqual({ date: "2026-12-25", region: undefined });
    expect(await parse("holiday list")).toEqual({});
    expect(await parse('prompts add "What helped you today, and why?" theme:Boundaries')).toEqual({
      question: "What helped you today, and why?",
      theme: "boundaries",
    });
  });

  it("reads reflect's theme bare or by name, and nothing at all as help", async () => {
    expect(await parse("reflect boundaries")).toEqual({ theme: "boundaries" });
    expect(await parse("reflect theme:boundaries")).toEqual({ theme: "boundaries" });
    expect(parser.resolve("").path).toEqual(["help"]);
    expect(parser.resolve("/peer").path).toEqual(["help"]);
    expect(await parse("help me please")).toEqual({});
  });
});

describe("what the authority check is given", () => {
  it("names each command's action and access", () => {
    const actionOf = (text: string) => parser.resolve(text).action;
    expect(actionOf("holiday add 2026-12-25")).toEqual({
      name: "command:holiday.add",
      access: "coordinator",
    });
    expect(actionOf("prompts add x")).toEqual({ name: "command:prompts.add", access: "coordinator" });
    expect(actionOf("join")).toEqual({ name: "command:join", access: "anyone" });
    expect(actionOf("support")).toEqual({ name: "command:support", access: "anyone" });
    expect(actionOf("profile")).toEqual({ name: "command:profile", access: "member" });
    expect(actionOf("set hours 9-15")).toEqual({ name: "command:set", access: "member" });
  });

  it("resolves a group's unknown command to the group, so the check still comes first", async () => {
    const resolved = parser.resolve("holiday party");
    expect(resolved.action).toEqual({ name: "command:holiday", access: "coordinator" });
    await expect(resolved.parse(env)).rejects.toThrow('"party" isn\'t something /peer holiday does');
  });

  it("refuses an unknown command before anything else", () => {
    expect(() => parser.resolve("dance")).toThrow('I don\'t know the command "dance"');
  });
});

describe("refusals name the problem and show the right form", () => {
  const joinRest = "tz:Australia/Brisbane days:mon-wed hours:09:00-15:00";

  it("says to put a value with a space in double quotes", async () => {
    const reply = await refusal(`join region:Wide Bay ${joinRest}`);
    expect(reply).toContain("double quotes");
    expect(reply).toContain('region:"Wide Bay"');
    expect(reply).toContain("For example: /peer join");
    expect(await refusal("holiday add 2026-12-25 region:Sunshine Coast Hinterland")).toContain(
      'region:"Sunshine Coast Hinterland"',
    );
  });

  it("suggests IANA zones for an abbreviation", async () => {
    const aest = await refusal("join region:Mackay tz:AEST days:mon-wed hours:09:00-15:00");
    expect(aest).toContain("Australia/Brisbane");
    expect(aest).toContain("Australia/Sydney");
    expect(aest).toContain("Australia/Melbourne");
    expect(aest).toContain("For example: tz:Australia/Brisbane");
    expect(await refusal("join region:Auckland tz:nzst days:mon-wed hours:09:00-15:00")).toContain(
      "Pacific/Auckland",
    );
  });

  it.each([
    [`join region:Pilbara ${joinRest} zone:x`, ['"zone" isn\'t an option', "region, tz, days, hours, solo"]],
    [`join region:a region:b ${joinRest}`, ["region is given twice"]],
    [`join region: ${joinRest}`, ["region has no value"]],
    [`join ${joinRest} Pilbara`, ['"Pilbara"', "name:value"]],
    ["set", ["which setting", "/peer set hours"]],
    ["set colour blue", ['"colour" isn\'t a setting', "region, tz, days, hours, solo"]],
    ["set colour:blue", ['"colour" isn\'t a setting']],
    ["set tz", ['Give the new time zone after "tz"', "/peer set tz Australia/Adelaide"]],
    ["pause for ages", ['"ages"', "10d or 2w"]],
    ["pause until", ['"until" needs YYYY-MM-DD after it']],
    ["pause tomorrow", ["It goes: /peer pause [until YYYY-MM-DD | for <N>d|<N>w]"]],
    ["pause tomorrow", ['"tomorrow"', "/peer pause for 2w"]],
    ["pause until 2027-02-30", ["isn't a real date"]],
    ["holiday add", ["Give the holiday's date", "/peer holiday add"]],
    ["holiday add 2026-12-28 place:x", ['"place" isn\'t an option']],
    ["holiday", ["/peer holiday can add a holiday", "list the upcoming holidays or remove a holiday"]],
    ['prompts add "What did you learn from today at work?"', ["Give the question's theme"]],
    ['prompts add "Short?" theme:self-care', ["10 to 200 characters"]],
    ['prompts add "What did you learn from today at work?" theme:gardening', ['"gardening" isn\'t a theme']],
    ["prompts remove x", ["can add a question"]],
    ["reflect gardening", ['"gardening" isn\'t one of the themes', "boundaries"]],
    ["profile extra", ["/peer profile doesn't take anything", '"extra"']],
  ])("%s", async (text, expected) => {
    const reply = await refusal(text);
    for (const part of expected) expect(reply).toContain(part);
  });
});

describe("the member option", () => {
  // A command made up for this test: no real command names a member yet.
  const pairCommand = defineCommand({
    name: "pair",
    summary: "pair up with a peer",
    access: "member",
    example: "/peer pair @kim",
    options: [
      memberOption({ name: "with", description: "Who to pair with", form: "positional", required: true }),
      textOption({ name: "note", description: "A note", spaces: true }),
    ],
    async run() {},
  });
  const pairing = createCommandParser([pairCommand]);
  const pairWith = async (text: string, asker = env.asker) =>
    (await pairing.resolve(text).parse({ asker, handles })).with;

  beforeAll(async () => {
    await handles.claim("discord:4242", "kim");
  });

  it("reads a Slack mention, taking the team from the asker's id", async () => {
    expect(await pairWith("pair <@U02ABC>")).toBe("slack:T01:U02ABC");
    expect(await pairWith("pair <@U02ABC|kim.w>", "slack:T09:U01")).toBe("slack:T09:U02ABC");
    expect(await pairWith("pair <@U02ABC|Kim Lee> note:hi")).toBe("slack:T01:U02ABC");
  });

  it("reads a Discord mention, as peer-command.ts writes a user option", async () => {
    expect(await pairWith("pair <@123456789012345678>", "discord:1")).toBe("discord:123456789012345678");
    expect(await pairWith("pair with:<@!123456789012345678>", "discord:1")).toBe(
      "discord:123456789012345678",
    );
  });

  it("reads a handle, with or without @, for a member on any platform", async () => {
    expect(await pairWith("pair @kim")).toBe("discord:4242");
    expect(await pairWith("pair KIM")).toBe("discord:4242");
    expect(await pairWith('pair with:@kim note:"after lunch"')).toBe("discord:4242");
  });

  it("refuses a handle nobody has, a Slack mention off Slack, and a missing member", async () => {
    expect(await refusal("pair @nobody-here", pairing)).toContain(
      'I don\'t know anyone with the handle "nobody-here"',
    );
    expect(await refusal("pair <@U02ABC>", pairing, { asker: "discord:1", handles })).toContain(
      "is a Slack mention",
    );
    expect(await refusal("pair", pairing)).toContain("/peer pair needs @handle");
  });
});
