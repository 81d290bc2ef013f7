import { afterAll, describe, expect, it } from "vitest";
import { VALID_JOIN, createTestBot } from "../../test/helpers/test-bot.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";

const testRedis = createTestRedis("join");
const t = createTestBot(testRedis, { coordinators: ["local:coord"] });
afterAll(async () => {
  await t.stop();
  await testRedis.cleanup();
});

describe("/peer join", () => {
  it("explains what is kept and asks before storing anything", async () => {
    const responder = await t.send({ kind: "command", member: "local:ana", text: VALID_JOIN });
    const ask = responder.last;
    expect(ask.text).toContain("Before I store anything");
    expect(ask.text).toContain("only you can read it");
    // Only what the bot does: no reports or totals for coordinators exist.
    expect(ask.text).not.toMatch(/totals|five or more|check-in/);
    expect(ask.text).toContain("coordinators can't see it");
    expect(ask.buttons?.map((b) => b.label)).toEqual(["Yes, I agree", "Not now"]);
    // Before consent, only the draft and the question waiting for a yes or no are kept, and both lapse.
    const kept = await testRedis.keys();
    expect(kept.map((key) => key.slice(testRedis.prefix.length)).sort()).toEqual([
      "member:local:ana:asked",
      "member:local:ana:consent",
    ]);
    for (const key of kept) expect(await testRedis.redis.pttl(key)).toBeGreaterThan(0);

    expect(await t.press("local:ana", "join:consent")).toContain("Welcome to the network");
    const member = await t.members.get("local:ana");
    expect(member).toMatchObject({
      region: "Wide Bay",
      timeZone: "Australia/Brisbane",
      workingDays: ["mon", "tue", "wed"],
      workingHours: { start: "09:00", end: "15:00" },
      soleWorker: true,
      role: "peer-worker",
      status: { state: "active" },
      consentedAt: "2026-11-23T00:00:00.000Z",
    });
  });

  it("stores nothing when the member says not now", async () => {
    await t.command("local:ben", VALID_JOIN);
    expect(await t.press("local:ben", "join:decline")).toContain("I haven't stored anything");
    expect(await t.members.get("local:ben")).toBeNull();
    expect(await t.press("local:ben", "join:consent")).toContain("lapsed");
    expect(await t.members.get("local:ben")).toBeNull();
  });

  it("lets an unanswered request lapse", async () => {
    await t.command("local:cai", VALID_JOIN);
    t.clock.advance(31 * 60_000);
    expect(await t.press("local:cai", "join:consent")).toContain("lapsed");
    expect(await t.members.get("local:cai")).toBeNull();
  });

  it("gives coordinators named in config the coordinator role", async () => {
    await t.join("local:coord");
    expect((await t.members.get("local:coord"))?.role).toBe("coordinator");
  });

  it("says so when the member has already joined", async () => {
    expect(await t.command("local:ana", VALID_JOIN)).toContain("already part of the network");
  });

  it("opens the join form where the platform has forms, and the form leads to consent", async () => {
    const responder = await t.send({ kind: "command", member: "local:dee", text: "join" }, true);
    expect(responder.forms[0]?.fields.map((f) => f.id)).toEqual(["region", "tz", "days", "hours", "solo"]);
    const submitted = await t.send({
      kind: "form",
      member: "local:dee",
      formId: "join",
      values: { region: "Pilbara", tz: "Australia/Perth", days: "tue-thu", hours: "8-14", solo: "" },
    });
    expect(submitted.last.text).toContain("Before I store anything");
    await t.press("local:dee", "join:consent");
    expect(await t.members.get("local:dee")).toMatchObject({ region: "Pilbara", soleWorker: false });
  });

  it("without forms, asks for the values and shows the right form", async () => {
    const reply = await t.command("local:eve", "join");
    expect(reply).toContain("tell me your region, time zone, working days and hours");
    expect(reply).toContain("For example: /peer join region:");
  });
});
