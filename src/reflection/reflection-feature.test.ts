import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../test/fakes/fixed-clock.js";
import { RecordingPlatform } from "../../test/fakes/recording-platform.js";
import { createTestApp } from "../../test/helpers/test-app.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";

const testRedis = createTestRedis("reflection");
const clock = new FixedClock("2026-11-24T02:00:00Z");
const platform = new RecordingPlatform();
const app = createTestApp(testRedis, [platform], { clock, scheduler: false });
const { journal, reflection, schedule } = app.stores;
const ME = "local:jules";

const say = async (text: string) =>
  (await platform.inbound({ kind: "message", member: ME, text })).at(-1)?.text ?? "";
const command = async (text: string) => {
  clock.advance(60_000); // entries made later sort later
  return (await platform.inbound({ kind: "command", member: ME, text })).at(-1);
};
const press = async (actionId: string) =>
  (await platform.inbound({ kind: "button", member: ME, actionId })).at(-1)?.text ?? "";

beforeAll(async () => {
  await app.start();
  await platform.inbound({
    kind: "command",
    member: ME,
    text: 'join region:"Wide Bay" tz:Australia/Brisbane days:mon-fri hours:09:00-17:00',
  });
  await platform.inbound({ kind: "button", member: ME, actionId: "join:consent" });
});
afterAll(async () => {
  await app.stop();
  await testRedis.cleanup();
});

describe("the reflective conversation", () => {
  it("/peer reflect asks a question with not-now and skip buttons", async () => {
    const prompt = await command("reflect");
    expect(prompt?.text).toContain("Here's a question to reflect on");
    expect(prompt?.buttons?.map((b) => b.id)).toEqual(["prompt:later", "prompt:skip"]);
    expect(await reflection.getOpen(ME)).toMatchObject({ step: 0 });
  });

  it("guides the three diary steps and saves the entry for the member alone", async () => {
    expect(await say("I sat with someone who was scared about their review")).toContain("What helped");
    expect(await say("Listening without rushing. Not the noisy ward.")).toContain("why did it matter");
    expect(await say("It reminded me why I do this work")).toContain("saved in your journal");
    const [entry] = await journal.list(ME);
    expect(entry?.answers).toEqual({
      what: "I sat with someone who was scared about their review",
      helped: "Listening without rushing. Not the noisy ward.",
      why: "It reminded me why I do this work",
    });
    expect(await reflection.getOpen(ME)).toBeNull();
  });

  it("lets every step be skipped, and stop ends it keeping what was written", async () => {
    await command("reflect boundaries");
    expect(await say("skip")).toContain("What helped");
    expect(await say("A colleague checked in with me")).toContain("why did it matter");
    expect(await say("stop")).toContain("saved in your journal");
    const [latest] = await journal.list(ME);
    expect(latest?.answers).toEqual({ helped: "A colleague checked in with me" });
  });

  it("/peer journal lists my own entries, newest first", async () => {
    const text = (await command("journal"))?.text ?? "";
    expect(text).toContain("Your journal, newest first");
    expect(text.indexOf("A colleague checked in")).toBeLessThan(text.indexOf("scared about their review"));
  });

  it("not now snoozes the question to the next working day", async () => {
    await command("reflect");
    const reply = await press("prompt:later");
    expect(reply).toContain("I'll ask again on Wednesday");
    expect(await schedule.get(ME, "snooze")).toBe(Date.parse("2026-11-25T06:00:00Z"));
  });

  it("typing not now does the same, and skip this one closes the question", async () => {
    await command("reflect");
    expect(await say("Not now")).toContain("I'll ask again");
    expect(await schedule.get(ME, "snooze")).not.toBeNull();
    expect(await press("prompt:skip")).toContain("skipping that one");
    expect(await reflection.getOpen(ME)).toBeNull();
    // A question that is skipped after "not now" doesn't come back.
    expect(await schedule.get(ME, "snooze")).toBeNull();
    expect(await say("hello")).toContain("don't have anything open");
  });

  it("offers support lines at once, privately, when a reply sounds like distress, and keeps it out of the diary", async () => {
    await command("reflect");
    const before = (await journal.list(ME)).length;
    const [crisis, aside, ...more] = await platform.inbound({
      kind: "message",
      member: ME,
      text: "honestly I want to die",
    });
    expect(crisis?.text).toContain("Lifeline: 13 11 14");
    expect(aside?.text).toContain("put today's diary questions aside");
    expect(aside?.buttons?.map((b) => b.id)).toEqual(["journal:keep", "journal:let-go"]);
    expect(more).toEqual([]);
    expect((await journal.list(ME)).length).toBe(before);
    expect(await reflection.getOpen(ME)).toBeNull();
    expect(await press("journal:let-go")).toContain("let it go");
  });

  it("saves a diary written in a form", async () => {
    clock.advance(60_000);
    await platform.inbound({
      kind: "form",
      member: ME,
      formId: "diary",
      values: { what: "A good visit", helped: "", why: "Trust" },
    });
    const [latest] = await journal.list(ME);
    expect(latest?.answers).toEqual({ what: "A good visit", why: "Trust" });
  });

  it("rejects an unknown theme, naming it and listing the themes", async () => {
    const text = (await command("reflect gardening"))?.text ?? "";
    expect(text).toContain('"gardening" isn\'t one of the themes');
    expect(text).toContain("boundaries");
  });

  it("/peer tip shares a self-care idea", async () => {
    expect((await command("tip"))?.text).toContain("self-care idea");
  });
});
