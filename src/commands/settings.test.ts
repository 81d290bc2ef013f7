import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestBot } from "../../test/helpers/test-bot.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";

const testRedis = createTestRedis("settings");
const t = createTestBot(testRedis);
const ME = "local:sam";
beforeAll(() => t.join(ME));
afterAll(async () => {
  await t.stop();
  await testRedis.cleanup();
});

describe("profile, set, pause and resume", () => {
  it("shows my settings", async () => {
    const reply = await t.command(ME, "profile");
    expect(reply).toContain("Region: Wide Bay");
    expect(reply).toContain("Working days: Mon–Wed");
    expect(reply).toContain("Working hours: 09:00–15:00");
    expect(reply).toContain("Status: active");
  });

  it("changes one setting at a time", async () => {
    expect(await t.command(ME, 'set region "Sunshine Coast"')).toContain("Region: Sunshine Coast");
    await t.command(ME, "set tz australia/adelaide");
    await t.command(ME, "set days mon,wed,fri");
    await t.command(ME, "set hours 10-14:30");
    await t.command(ME, "set solo no");
    expect(await t.members.get(ME)).toMatchObject({
      region: "Sunshine Coast",
      timeZone: "Australia/Adelaide",
      workingDays: ["mon", "wed", "fri"],
      workingHours: { start: "10:00", end: "14:30" },
      soleWorker: false,
    });
  });

  it("takes setting:value as well as setting value, and words the reply for plural settings", async () => {
    expect(await t.command(ME, "set region:Mackay")).toContain("Done — your region is updated.");
    expect((await t.members.get(ME))?.region).toBe("Mackay");
    expect(await t.command(ME, "set days mon,wed,fri")).toContain("Done — your working days are updated.");
    expect(await t.command(ME, 'set region "Sunshine Coast"')).toContain("Region: Sunshine Coast");
  });

  it("pauses for a number of weeks, counted in my own zone", async () => {
    // 2026-11-23T00:00Z is already Monday 23 November in Adelaide.
    const reply = await t.command(ME, "pause for 2w");
    expect(reply).toContain("Monday 7 December 2026");
    expect((await t.members.get(ME))?.status).toMatchObject({ state: "paused", until: "2026-12-07" });
  });

  it("pauses until a date, or until I resume, without asking why", async () => {
    expect(await t.command(ME, "pause until 2027-01-15")).toContain("Friday 15 January 2027");
    expect(await t.command(ME, "pause")).toContain("until you say /peer resume");
    expect((await t.members.get(ME))?.status).not.toHaveProperty("until");
    expect(await t.command(ME, "profile")).toContain("Status: paused until you resume");
  });

  it("resumes, and says so gently when there is nothing to resume", async () => {
    expect(await t.command(ME, "resume")).toContain("Welcome back");
    expect((await t.members.get(ME))?.status).toEqual({ state: "active" });
    expect(await t.command(ME, "resume")).toContain("You're not paused");
  });

  it("shows help with every subcommand, before and after joining", async () => {
    for (const member of [ME, "local:newcomer"]) {
      const reply = await t.command(member, "help");
      for (const name of ["join", "profile", "set", "pause", "resume", "export", "forget"]) {
        expect(reply).toContain(`/peer ${name}`);
      }
    }
    expect(await t.command(ME, "")).toContain("What you can ask me");
  });

  it("shows a newcomer what they can do now, and what joining opens up", async () => {
    const reply = await t.command("local:newcomer", "help");
    const [now, later] = reply.split("Once you've joined, you can also:");
    expect(now).toContain("/peer join");
    expect(now).toContain("/peer support");
    expect(later).toContain("/peer profile");
    expect(await t.command(ME, "help")).not.toContain("Once you've joined");
  });

  it("promises only what the bot does", async () => {
    for (const member of [ME, "local:newcomer"]) {
      const reply = (await t.command(member, "help")).toLowerCase();
      // Coordinators' totals don't exist yet (peer circles and co-supervision check-ins do).
      for (const missing of ["totals", "dashboard"]) expect(reply).not.toContain(missing);
      expect(reply).toContain("/peer checkin");
    }
  });
});
