import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScheduledItem } from "../src/schedule/schedule-store.js";
import { RecordingPlatform } from "../test/fakes/recording-platform.js";
import { waitFor } from "../test/helpers/poll.js";
import { ALWAYS_WORKING, createTestApp } from "../test/helpers/test-app.js";
import { createTestRedis } from "../test/helpers/test-redis.js";

const testRedis = createTestRedis("outbound");
const platform = new RecordingPlatform();
const app = createTestApp(testRedis, [platform], { tuning: { leaseMs: 400 } });
const { schedule } = app.stores;
const scheduler = app.scheduler;
if (!scheduler) throw new Error("the test app has a scheduler");
const queue = scheduler.queues.get("local");

async function join(member: string): Promise<void> {
  await platform.inbound({ kind: "command", member, text: `join ${ALWAYS_WORKING}` });
  await platform.inbound({ kind: "button", member, actionId: "join:consent" });
  await platform.inbound({ kind: "command", member, text: "set tips off" });
}

const prompts = (member: string) =>
  platform.to(member).filter((d) => d.message.buttons?.some((b) => b.id === "prompt:skip"));

async function settled(): Promise<void> {
  await waitFor(async () => (await queue?.pending()) === 0, { what: "the queue to drain" });
}

beforeAll(() => app.start());
afterAll(async () => {
  await app.stop();
  await testRedis.cleanup();
});

describe("outbound queue", () => {
  it("delivers a due prompt through the queue", async () => {
    await join("local:a1");
    await schedule.set("local:a1", "prompt", Date.now());
    scheduler.dispatcher.poke();
    await waitFor(() => prompts("local:a1").length === 1, { what: "the prompt" });
    // The next slot is planned once the send is recorded, just after the hand-over.
    await waitFor(async () => ((await schedule.get("local:a1", "prompt")) ?? 0) > Date.now(), {
      what: "the next slot",
    });
    expect(prompts("local:a1")).toHaveLength(1);
  });

  it("sends the same due slot once when it is enqueued again and again", async () => {
    await join("local:a2");
    const due = Date.now();
    const item: ScheduledItem = { subject: "local:a2", kind: "prompt", due };
    await schedule.set("local:a2", "prompt", due);
    await Promise.all([
      queue?.enqueue([item]),
      queue?.enqueue([item]),
      queue?.enqueue([item, item]),
      scheduler.dispatcher.tick(),
    ]);
    await waitFor(() => prompts("local:a2").length >= 1, { what: "the prompt" });
    await settled();
    await scheduler.dispatcher.tick();
    await settled();
    expect(prompts("local:a2")).toHaveLength(1);
  });

  it("a 429 delays the send for the time asked, and it is sent once", async () => {
    await join("local:a3");
    platform.rateLimit(1, 300);
    const due = Date.now();
    await schedule.set("local:a3", "prompt", due);
    scheduler.dispatcher.poke();
    await waitFor(() => prompts("local:a3").length === 1, { what: "the rate-limited prompt" });
    await settled();
    expect(platform.rejected).toBe(1);
    expect(queue?.rateLimited).toBe(1);
    expect(prompts("local:a3")).toHaveLength(1);
    expect((prompts("local:a3")[0]?.at ?? 0) - due).toBeGreaterThanOrEqual(300);
  });

  it("an item claimed but lost before reaching the queue is delivered when its lease runs out", async () => {
    await join("local:a4");
    const due = Date.now() - 1;
    await schedule.set("local:a4", "prompt", due);
    // Claimed as a crashed dispatcher would, then never enqueued (or the queue was flushed).
    const claimed = await schedule.claimDue(Date.now(), 400, 1000);
    expect(claimed.map((i) => i.subject)).toContain("local:a4");
    await waitFor(() => prompts("local:a4").length === 1, { what: "the healed prompt" });
    await settled();
    expect(prompts("local:a4")).toHaveLength(1);
  });

  it("reconcile on boot gives every member back the entries a flushed schedule lost", async () => {
    await join("local:a5");
    await testRedis.redis.del(`${testRedis.prefix}schedule`);
    expect(await schedule.get("local:a5", "prompt")).toBeNull();
    const { added } = await app.stores.planner.reconcile(app.stores.members);
    expect(added).toBeGreaterThanOrEqual(1);
    expect(await schedule.get("local:a5", "prompt")).toBeGreaterThan(Date.now());
  });
});

describe("pacing", () => {
  const paced = new RecordingPlatform("discord");
  const pacedRedis = createTestRedis("outbound-paced");
  const pacedApp = createTestApp(pacedRedis, [paced], { env: { DISCORD_SEND_PER_SECOND: "20" } });
  beforeAll(() => pacedApp.start());
  afterAll(async () => {
    await pacedApp.stop();
    await pacedRedis.cleanup();
  });

  it("spaces sends to the configured rate", async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `discord:1000000000${i}`);
    for (const member of ids) {
      await paced.inbound({ kind: "command", member, text: `join ${ALWAYS_WORKING}` });
      await paced.inbound({ kind: "button", member, actionId: "join:consent" });
      await paced.inbound({ kind: "command", member, text: "set tips off" });
    }
    const due = Date.now();
    for (const member of ids) await pacedApp.stores.schedule.set(member, "prompt", due);
    pacedApp.scheduler?.dispatcher.poke();
    await waitFor(() => paced.sent.length === 10, { what: "ten paced prompts" });
    const times = paced.sent.map((d) => d.at).sort((a, b) => a - b);
    // 10 sends at 20 a second take 9 intervals of 50 ms (unpaced they take a few ms); timers may jitter a little.
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(9 * 50 * 0.8);
  });
});
