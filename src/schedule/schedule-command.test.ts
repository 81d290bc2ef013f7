import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../test/fakes/fixed-clock.js";
import { RecordingPlatform } from "../../test/fakes/recording-platform.js";
import { createTestApp } from "../../test/helpers/test-app.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";

const testRedis = createTestRedis("schedule-command");
const clock = new FixedClock("2026-11-23T00:00:00Z"); // Monday 10:00 in Brisbane
const platform = new RecordingPlatform();
const app = createTestApp(testRedis, [platform], { clock, scheduler: false });
const command = async (member: string, text: string) =>
  (await platform.inbound({ kind: "command", member, text })).at(-1)?.text ?? "";

beforeAll(() => app.start());
afterAll(async () => {
  await app.stop();
  await testRedis.cleanup();
});

describe("/peer schedule", () => {
  it("lists the member's next messages, soonest first, in their own time zone", async () => {
    const member = "local:nell";
    await command(member, "join region:Mackay tz:Australia/Brisbane days:mon-wed hours:09:00-15:00");
    await platform.inbound({ kind: "button", member, actionId: "join:consent" });
    const text = await command(member, "schedule");
    expect(text).toContain("times in Australia/Brisbane");
    const lines = text.split("\n").filter((line) => line.startsWith("• "));
    // 14:00 Wednesday and 09:30 Monday are Brisbane wall-clock times (UTC+10), soonest first.
    expect(lines).toEqual([
      "• Wed 25 Nov, 2:00 PM — a question to reflect on",
      "• Mon 30 Nov, 9:30 AM — a self-care idea",
    ]);
  });

  it("says nothing is planned while paused with no end date", async () => {
    const member = "local:ossie";
    await command(member, "join region:Mackay tz:Australia/Brisbane days:mon-wed hours:09:00-15:00");
    await platform.inbound({ kind: "button", member, actionId: "join:consent" });
    await command(member, "pause");
    expect(await command(member, "schedule")).toContain("You're paused, so nothing is planned");
  });

  it("is for members: someone who hasn't joined is asked to join first", async () => {
    expect(await command("local:nobody", "schedule")).toContain("You haven't joined");
  });
});
