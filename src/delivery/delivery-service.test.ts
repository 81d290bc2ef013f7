import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../test/fakes/fixed-clock.js";
import { RecordingPlatform } from "../../test/fakes/recording-platform.js";
import { createTestApp } from "../../test/helpers/test-app.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { silentLogger } from "../logging/logger.js";
import type { ScheduledItem } from "../schedule/schedule-store.js";
import { RedisDeliveryMarkers } from "../store/redis-delivery-markers.js";
import { DeliveryService } from "./delivery-service.js";

const testRedis = createTestRedis("delivery");
const clock = new FixedClock("2026-11-23T00:00:00Z"); // Monday 08:00 in Perth
const platform = new RecordingPlatform();
const app = createTestApp(testRedis, [platform], { clock, scheduler: false });
const { schedule, members, reflection } = app.stores;
const send = { send: platform.post.bind(platform) };

async function join(member: string, options: string): Promise<void> {
  await platform.inbound({ kind: "command", member, text: `join ${options}` });
  await platform.inbound({ kind: "button", member, actionId: "join:consent" });
}

/** Claims what is due at the clock's time and delivers it. */
async function runDue(): Promise<ScheduledItem[]> {
  const items = await schedule.claimDue(clock.now().getTime(), 60_000, 1000);
  await app.delivery.deliver(items, send);
  return items;
}

const PERTH = "region:Pilbara tz:Australia/Perth days:mon-wed hours:09:00-15:00";
beforeAll(() => app.start());
afterAll(async () => {
  await app.stop();
  await testRedis.cleanup();
});

describe("delivery in each member's own working week", () => {
  it("plans the first prompt and tip in the member's zone when they join", async () => {
    await join("local:pat", PERTH);
    expect(new Date((await schedule.get("local:pat", "prompt")) ?? 0).toISOString()).toBe(
      "2026-11-25T06:00:00.000Z",
    );
    expect(new Date((await schedule.get("local:pat", "tip")) ?? 0).toISOString()).toBe(
      "2026-11-23T01:30:00.000Z",
    );
  });

  it("sends nothing before a slot is due, then the tip at 09:30 Monday Perth time", async () => {
    expect(await runDue()).toEqual([]);
    clock.set("2026-11-23T01:30:00Z");
    await runDue();
    const tips = platform.to("local:pat");
    expect(tips).toHaveLength(1);
    expect(tips[0]?.message.text).toContain("A self-care idea for your week");
    expect(new Date((await schedule.get("local:pat", "tip")) ?? 0).toISOString()).toBe(
      "2026-11-30T01:30:00.000Z",
    );
  });

  it("sends the weekly prompt on Wednesday afternoon with not-now and skip, and plans the next week", async () => {
    clock.set("2026-11-25T06:00:00Z");
    await runDue();
    const prompt = platform.to("local:pat").at(-1);
    expect(prompt?.message.text).toContain("here's a question for your week");
    expect(prompt?.message.buttons?.map((b) => b.label)).toEqual(["Not now", "Skip this one"]);
    expect(await reflection.getOpen("local:pat")).toMatchObject({ step: 0 });
    expect(new Date((await schedule.get("local:pat", "prompt")) ?? 0).toISOString()).toBe(
      "2026-12-02T06:00:00.000Z",
    );
  });

  it("sends the same due slot once, however often it is handed over", async () => {
    const before = platform.to("local:pat").length;
    const item: ScheduledItem = {
      subject: "local:pat",
      kind: "prompt",
      due: Date.parse("2026-11-25T06:00:00Z"),
    };
    await Promise.all([app.delivery.deliver([item], send), app.delivery.deliver([item], send)]);
    await app.delivery.deliver([item, item], send);
    expect(platform.to("local:pat").length).toBe(before);
  });

  it("does not send a slot late once the member's working day is over: no catch-up", async () => {
    await join("local:quinn", PERTH);
    const due = (await schedule.get("local:quinn", "prompt")) ?? 0;
    clock.set(new Date(due + 8 * 3600_000).toISOString()); // 22:00 in Perth
    await runDue();
    expect(platform.to("local:quinn").filter((d) => d.message.text.includes("question"))).toEqual([]);
    expect((await schedule.get("local:quinn", "prompt")) ?? 0).toBeGreaterThan(clock.now().getTime());
  });

  it("a holiday added after planning moves the slot to the next working day", async () => {
    clock.set("2026-11-30T00:00:00Z");
    await join("local:ravi", 'region:"Wide Bay" tz:Australia/Brisbane days:mon-fri hours:09:00-17:00');
    await platform.inbound({ kind: "command", member: "local:ravi", text: "set prompts daily" });
    await app.stores.holidays.add({ date: "2026-12-01", region: "wide bay" });
    clock.set("2026-12-01T06:00:00Z"); // Tuesday 16:00 Brisbane, a holiday
    await runDue();
    expect(platform.to("local:ravi").filter((d) => d.message.text.includes("question"))).toEqual([]);
    expect(new Date((await schedule.get("local:ravi", "prompt")) ?? 0).toISOString()).toBe(
      "2026-12-02T06:00:00.000Z",
    );
  });

  it("sends nothing while paused, then one welcome back and a gentle question, with no burst", async () => {
    clock.set("2026-12-01T00:00:00Z");
    await join("local:sky", "region:Pilbara tz:Australia/Perth days:mon-fri hours:09:00-15:00");
    await platform.inbound({ kind: "command", member: "local:sky", text: "set prompts daily" });
    await platform.inbound({ kind: "command", member: "local:sky", text: "pause until 2026-12-10" });
    expect(await schedule.get("local:sky", "welcome")).toBe(Date.parse("2026-12-10T01:00:00Z"));

    // Every slot during the pause would have been due; nothing goes out.
    for (let t = Date.parse("2026-12-01T00:00:00Z"); t < Date.parse("2026-12-10T01:00:00Z"); t += 3600_000) {
      clock.set(new Date(t).toISOString());
      await runDue();
    }
    expect(platform.to("local:sky")).toEqual([]);

    clock.set("2026-12-10T01:00:00Z");
    await runDue();
    const welcome = platform.to("local:sky");
    expect(welcome).toHaveLength(1);
    expect(welcome[0]?.message.text).toContain("Welcome back");
    expect((await members.get("local:sky"))?.status).toEqual({ state: "active" });

    // The next prompt waits a day and is gentle.
    const next = (await schedule.get("local:sky", "prompt")) ?? 0;
    expect(next).toBe(Date.parse("2026-12-11T06:00:00Z"));
    clock.set(new Date(next).toISOString());
    await runDue();
    const prompts = platform
      .to("local:sky")
      .filter((d) => d.message.buttons?.some((b) => b.id === "prompt:skip"));
    expect(prompts).toHaveLength(1);
    expect(prompts[0]?.message.text).toContain("Here's a gentle one");
  });

  it("after /peer resume, the reply is the welcome back and the next prompt is gentle", async () => {
    clock.set("2026-12-14T00:00:00Z");
    await join("local:tam", "region:Pilbara tz:Australia/Perth days:mon-fri hours:09:00-15:00");
    await platform.inbound({ kind: "command", member: "local:tam", text: "pause" });
    expect(await schedule.get("local:tam", "prompt")).toBeNull();
    const [reply] = await platform.inbound({ kind: "command", member: "local:tam", text: "resume" });
    expect(reply?.text).toContain("Welcome back");
    expect((await reflection.load("local:tam")).gentle).toBe(true);
  });

  it("after a hard message, the next scheduled question is a light one, and the one after is not", async () => {
    clock.set("2026-12-14T00:00:00Z");
    await join("local:ari", "region:Pilbara tz:Australia/Perth days:mon-fri hours:09:00-15:00");
    await platform.inbound({ kind: "command", member: "local:ari", text: "set prompts daily" });
    const [crisis] = await platform.inbound({
      kind: "message",
      member: "local:ari",
      text: "I want to end my life",
    });
    expect(crisis?.text).toContain("Lifeline");
    expect((await reflection.load("local:ari")).soft).toBe(true);

    const prompts = () =>
      platform.to("local:ari").filter((d) => d.message.buttons?.some((b) => b.id === "prompt:skip"));
    const next = (await schedule.get("local:ari", "prompt")) ?? 0;
    clock.set(new Date(next).toISOString());
    await runDue();
    expect(prompts()).toHaveLength(1);
    expect(prompts()[0]?.message.text).toContain("here's a light one today"); // ari gets a question daily
    expect((await reflection.load("local:ari")).soft).toBe(false);

    clock.set(new Date((await schedule.get("local:ari", "prompt")) ?? 0).toISOString());
    await runDue();
    expect(prompts()).toHaveLength(2);
    expect(prompts()[1]?.message.text).not.toContain("light one");
  });

  it("a failed send is released and sent once on the next attempt", async () => {
    clock.set("2026-12-14T00:00:00Z");
    await join("local:uma", "region:Anywhere tz:UTC days:mon-sun hours:00:00-24:00");
    const item: ScheduledItem = { subject: "local:uma", kind: "tip", due: clock.now().getTime() };
    const failing = {
      send: async () => {
        throw new Error("platform down");
      },
    };
    const first = await app.delivery.deliver([item], failing);
    expect(first.retry).toEqual([item]);
    const second = await app.delivery.deliver([item], send);
    expect(second.sent).toBe(1);
    expect(platform.to("local:uma").filter((d) => d.message.text.includes("self-care"))).toHaveLength(1);
  });
});

describe("work items: run once at their due time", () => {
  it("runs a feature's work exactly once however often it is handed over, and plans its next", async () => {
    let runs = 0;
    const kinds = new Map(app.bot.kinds);
    kinds.set("test-work", {
      kind: "test-work",
      label: "a test's work",
      async prepare(items) {
        return items.map(() => ({
          async run() {
            runs++;
            return Date.parse("2027-01-04T00:00:00Z");
          },
        }));
      },
    });
    const service = new DeliveryService({
      kinds,
      schedule,
      markers: new RedisDeliveryMarkers(testRedis.redis, app.stores.keys),
      clock,
      logger: silentLogger,
    });
    const item: ScheduledItem = { subject: "local:work", kind: "test-work", due: clock.now().getTime() };
    await schedule.set(item.subject, item.kind, item.due);
    const [claimed] = await schedule.claimDue(item.due, 60_000, 10);
    expect(claimed).toEqual(item);
    await Promise.all([service.deliver([item], send), service.deliver([item], send)]);
    await service.deliver([item], send);
    expect(runs).toBe(1);
    expect(await schedule.get("local:work", "test-work")).toBe(Date.parse("2027-01-04T00:00:00Z"));
  });
});

describe("a burst of sends at one due time", () => {
  /** The app's kinds and one more, `test-burst`: a message to each subject, nothing after. */
  function burstKinds() {
    const kinds = new Map(app.bot.kinds);
    kinds.set("test-burst", {
      kind: "test-burst",
      label: "a test's burst",
      async prepare(items) {
        return items.map((item) => ({
          to: { kind: "dm" as const, id: item.subject },
          message: { text: "a message of the burst" },
          async after() {},
          next: () => null,
        }));
      },
    });
    return kinds;
  }
  const burst = (name: string, count: number, due: number) =>
    Array.from({ length: count }, (_, i) => ({ subject: `local:${name}-${i}`, kind: "test-burst", due }));

  it("unpaced, the items due together wait for one turn between them, and each goes once", async () => {
    const service = new DeliveryService({
      kinds: burstKinds(),
      schedule,
      markers: new RedisDeliveryMarkers(testRedis.redis, app.stores.keys),
      clock,
      logger: silentLogger,
    });
    let turns = 0;
    const sent: string[] = [];
    const transport = {
      pace: async () => {
        turns++;
      },
      send: async (to: { kind: "dm"; id: string }) => {
        sent.push(to.id);
        return { conversation: to, id: `m-${to.id}` };
      },
    };
    const now = clock.now().getTime();
    const items = [...burst("together", 10, now), ...burst("before", 5, now - 60_000)];
    const outcome = await service.deliver(
      items,
      transport as unknown as Parameters<DeliveryService["deliver"]>[1],
    );
    expect(outcome.sent).toBe(15);
    expect([...sent].sort()).toEqual(items.map((item) => item.subject).sort());
    // One turn for each due moment, not one for each send.
    expect(turns).toBe(2);
  });

  /**
   * A burst of `count` sends to a platform that answers only when told (`answers`), with a note
   * of how many were still unanswered each time one was recorded as sent.
   */
  async function heldBurst(name: string, count: number, signal?: AbortSignal) {
    const unansweredAtRecord: number[] = [];
    let unanswered = 0;
    class WatchedMarkers extends RedisDeliveryMarkers {
      override async markSent(item: Parameters<RedisDeliveryMarkers["markSent"]>[0]): Promise<void> {
        unansweredAtRecord.push(unanswered);
        return super.markSent(item);
      }
    }
    const service = new DeliveryService({
      kinds: burstKinds(),
      schedule,
      markers: new WatchedMarkers(testRedis.redis, app.stores.keys),
      clock,
      logger: silentLogger,
    });
    const answers: Array<() => void> = [];
    const held = {
      send: (to: { kind: "dm"; id: string }) => {
        unanswered++;
        return new Promise<{ conversation: typeof to; id: string }>((resolve) => {
          answers.push(() => {
            unanswered--;
            resolve({ conversation: to, id: `m-${to.id}` });
          });
        });
      },
    };
    const items = burst(name, count, clock.now().getTime());
    const delivered = service.deliver(
      items,
      held as unknown as Parameters<DeliveryService["deliver"]>[1],
      signal,
    );
    await expect.poll(() => answers.length).toBe(count);
    return { answers, unansweredAtRecord, delivered };
  }
  const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

  it("records each send only once the burst's other sends are nearly all with the platform", async () => {
    const { answers, unansweredAtRecord, delivered } = await heldBurst("burst", 12);
    // The platform answers one at a time, with time between for anything waiting to run.
    for (const answer of answers) {
      answer();
      await pause(20);
    }
    const outcome = await delivered;
    expect(outcome.sent).toBe(12);
    expect(unansweredAtRecord).toHaveLength(12);
    // Nothing was recorded while most of the burst was still with the platform.
    expect(Math.max(...unansweredAtRecord)).toBeLessThanOrEqual(8);
  });

  it("records the sends answered once the platform has stalled on the rest, not only when it answers them", async () => {
    const { answers, unansweredAtRecord, delivered } = await heldBurst("stalled", 12);
    for (const answer of answers.slice(0, 3)) answer();
    // A moment later the three still wait: the burst may be going on.
    await pause(300);
    expect(unansweredAtRecord).toEqual([]);
    // Nothing more is answered for a second: the three answered are recorded.
    await expect.poll(() => unansweredAtRecord, { timeout: 3_000 }).toEqual([9, 9, 9]);
    for (const answer of answers.slice(3)) answer();
    expect((await delivered).sent).toBe(12);
  });

  it("on a stop, records at once the sends that went out, without waiting for the burst", async () => {
    const stop = new AbortController();
    const { answers, unansweredAtRecord, delivered } = await heldBurst("stopping", 30, stop.signal);
    // The platform keeps answering, slowly: the burst goes on and never stalls.
    let next = 0;
    const answerNext = () => answers[next++]?.();
    for (let i = 0; i < 3; i++) answerNext();
    const ticking = setInterval(answerNext, 200);
    try {
      await pause(300);
      expect(unansweredAtRecord).toEqual([]);
      stop.abort();
      await expect.poll(() => unansweredAtRecord.length).toBeGreaterThanOrEqual(3);
      // Recorded while most of the burst was still with the platform: the stop didn't wait for it.
      expect(Math.min(...unansweredAtRecord)).toBeGreaterThan(8);
    } finally {
      clearInterval(ticking);
    }
    while (next < answers.length) answerNext();
    expect((await delivered).sent).toBe(30);
  });
});
