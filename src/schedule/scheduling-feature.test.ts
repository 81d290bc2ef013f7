import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../test/fakes/fixed-clock.js";
import { RecordingPlatform } from "../../test/fakes/recording-platform.js";
import { createTestApp } from "../../test/helpers/test-app.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";

const testRedis = createTestRedis("scheduling-commands");
const clock = new FixedClock("2026-11-23T00:00:00Z");
const platform = new RecordingPlatform();
const app = createTestApp(testRedis, [platform], {
  clock,
  scheduler: false,
  env: { COORDINATORS: "local:coord" },
});
const { schedule, holidays } = app.stores;

const run = async (member: string, text: string) =>
  (await platform.inbound({ kind: "command", member, text })).at(-1)?.text ?? "";

beforeAll(async () => {
  await app.start();
  for (const member of ["local:coord", "local:peer"]) {
    await run(member, 'join region:"Wide Bay" tz:Australia/Brisbane days:mon-fri hours:09:00-17:00');
    await platform.inbound({ kind: "button", member, actionId: "join:consent" });
  }
});
afterAll(async () => {
  await app.stop();
  await testRedis.cleanup();
});

describe("holidays (coordinators)", () => {
  it("adds, lists and removes regional and network-wide holidays", async () => {
    expect(await run("local:coord", 'holiday add 2026-12-28 region:"Wide Bay"')).toContain(
      "Added: Monday 28 December 2026 — Wide Bay",
    );
    expect(await run("local:coord", "holiday add 2026-12-25")).toContain("every region");
    expect(await run("local:coord", "holiday add 2026-12-25")).toContain("already on the list");
    const list = await run("local:coord", "holiday list");
    expect(list).toContain("Friday 25 December 2026 — every region");
    expect(list).toContain("Monday 28 December 2026 — Wide Bay");
    expect(await run("local:coord", "holiday remove 2026-12-25")).toContain("Removed");
    expect((await holidays.list()).map((h) => h.date)).toEqual(["2026-12-28"]);
  });

  it("moves planned prompts off holidays for members in that region", async () => {
    await run("local:coord", "holiday add 2026-11-27");
    await run("local:peer", "set prompts weekly");
    expect(new Date((await schedule.get("local:peer", "prompt")) ?? 0).toISOString()).toBe(
      "2026-11-30T06:00:00.000Z",
    );
  });

  it("is for coordinators only, and names bad input", async () => {
    expect(await run("local:peer", "holiday add 2026-12-28")).toContain("Only network coordinators");
    expect(await run("local:coord", "holiday add 2026-13-01")).toContain("isn't a real date");
    expect(await run("local:coord", "holiday add")).toContain("Give the holiday's date");
    expect(await run("local:coord", "holiday party")).toContain(
      '"party" isn\'t something /peer holiday does',
    );
    expect(await run("local:coord", "holiday add 2026-12-28 place:x")).toContain('"place" isn\'t an option');
  });

  it("help shows coordinator commands to coordinators only", async () => {
    expect(await run("local:coord", "help")).toContain("/peer holiday");
    expect(await run("local:peer", "help")).not.toContain("/peer holiday");
  });
});

describe("extra questions (coordinators)", () => {
  it("adds a question to a theme", async () => {
    const reply = await run(
      "local:coord",
      'prompts add "What did you notice about your own needs today?" theme:self-care',
    );
    expect(reply).toContain("Added to self-care as custom-1");
    const reflect = await platform.inbound({
      kind: "command",
      member: "local:coord",
      text: "reflect self-care",
    });
    expect(reflect.at(-1)?.text).toBeTruthy();
  });

  it.each([
    ['prompts add "Short?" theme:self-care', "10 to 200 characters"],
    ['prompts add "What did you learn from today at work?" theme:gardening', '"gardening" isn\'t a theme'],
    ['prompts add "What did you learn from today at work?"', "Give the question's theme"],
    ['prompts add "What did you notice about your own needs today?" theme:self-care', "already in the bank"],
    ["prompts remove x", "can add a question"],
  ])("%s is refused: %s", async (text, expected) => {
    expect(await run("local:coord", text)).toContain(expected);
  });
});

describe("prompt and tip settings", () => {
  it("changes cadence, time and tips, and replans", async () => {
    await run("local:peer", "set prompts daily");
    await run("local:peer", "set prompt-time 10:30");
    expect(new Date((await schedule.get("local:peer", "prompt")) ?? 0).toISOString()).toBe(
      "2026-11-23T00:30:00.000Z",
    );
    await run("local:peer", "set tips off");
    expect(await schedule.get("local:peer", "tip")).toBeNull();
    await run("local:peer", "set prompts off");
    expect(await schedule.get("local:peer", "prompt")).toBeNull();
    const profile = await run("local:peer", "profile");
    expect(profile).toContain("Reflective prompts: off");
    expect(profile).toContain("Self-care tips: off");
  });

  it.each([
    ["set prompts hourly", 'prompts can be daily, weekly, fortnightly, off — not "hourly"'],
    ["set prompt-time 20:00", "outside your working hours (09:00–17:00)"],
    ["set prompt-time soon", '"soon" isn\'t a time of day'],
    ["set tips daily", 'tips can be weekly, off — not "daily"'],
  ])("%s is refused: %s", async (text, expected) => {
    expect(await run("local:peer", text)).toContain(expected);
  });

  it("forget removes the member from the schedule", async () => {
    await run("local:peer", "set prompts weekly");
    await run("local:peer", "forget");
    await platform.inbound({ kind: "button", member: "local:peer", actionId: "forget:confirm" });
    const all = await testRedis.redis.zrange(`${testRedis.prefix}schedule`, 0, -1);
    expect(all.filter((entry) => entry.includes("local:peer"))).toEqual([]);
  });
});
