import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../../test/fakes/fixed-clock.js";
import { RecordingPlatform } from "../../../test/fakes/recording-platform.js";
import { createTestApp } from "../../../test/helpers/test-app.js";
import { createTestRedis } from "../../../test/helpers/test-redis.js";

const testRedis = createTestRedis("circle-schedule");
const clock = new FixedClock("2026-11-25T00:00:00Z"); // Wednesday 10:00 in Brisbane
const platform = new RecordingPlatform("local");
const COORD = "local:cora";
const app = createTestApp(testRedis, [platform], { clock, scheduler: false, env: { COORDINATORS: COORD } });
const command = async (member: string, text: string) =>
  (await platform.inbound({ kind: "command", member, text })).at(-1)?.text ?? "";

beforeAll(async () => {
  await app.start();
  await command(COORD, "join region:Brisbane tz:Australia/Brisbane days:mon-fri hours:09:00-17:00");
  await platform.inbound({ kind: "button", member: COORD, actionId: "join:consent" });
});
afterAll(async () => {
  await app.stop();
  await testRedis.cleanup();
});

describe("/peer circles schedule", () => {
  it("plans the next round in the zone given, and each round plans the one after", async () => {
    const reply = await command(COORD, "circles schedule every 2w mon 09:00");
    expect(reply).toContain("every 2 weeks, starting Monday 30 November, 09:00 (Australia/Brisbane)");
    const first = Date.parse("2026-11-29T23:00:00Z");
    expect(await app.stores.schedule.get("local:circles:round", "circles-round")).toBe(first);

    clock.set("2026-11-29T23:00:00Z");
    const items = await app.stores.schedule.claimDue(clock.now().getTime(), 60_000, 10);
    expect(items.map((i) => i.kind)).toContain("circles-round");
    await app.delivery.deliver(
      items.filter((i) => i.kind === "circles-round"),
      { send: (to, message) => platform.post(to, message) },
    );
    expect(await app.stores.schedule.get("local:circles:round", "circles-round")).toBe(
      Date.parse("2026-12-13T23:00:00Z"),
    );
  });

  it("refuses a malformed schedule, naming the problem and the right form", async () => {
    expect(await command(COORD, "circles schedule every 2 mon 09:00")).toContain(
      "every takes a number of weeks",
    );
    expect(await command(COORD, "circles schedule every 2w funday 09:00")).toContain("isn't a weekday");
    expect(await command(COORD, "circles schedule every 2w mon 9am")).toContain("isn't a time of day");
  });

  it("is for coordinators only", async () => {
    await command("local:pat", "join region:Mackay tz:Australia/Brisbane days:mon-fri hours:09:00-17:00");
    await platform.inbound({ kind: "button", member: "local:pat", actionId: "join:consent" });
    expect(await command("local:pat", "circles schedule every 2w mon 09:00")).toContain(
      "Only network coordinators",
    );
  });
});
