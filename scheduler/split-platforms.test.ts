import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeChatServer } from "../test/fakes/fake-chat-server.js";
import { alwaysWorkingMember } from "../test/helpers/always-working-member.js";
import { waitFor } from "../test/helpers/poll.js";
import { startWorkerReady } from "../test/helpers/spawn-worker.js";
import { createTestApp } from "../test/helpers/test-app.js";
import { createTestRedis } from "../test/helpers/test-redis.js";

/**
 * Two bot processes that run different platforms on one Redis — as in production, where Slack
 * runs in every process behind the load balancer and Discord's one gateway in one process
 * (docs/scaling.md). Each dispatcher claims whatever falls due; items for a platform it doesn't
 * run go onto that platform's queue for the process that does. Nothing is stranded, nothing sent
 * twice, and each platform's members hear only from the process running it.
 */
const testRedis = createTestRedis("split-platforms");
const fake = new FakeChatServer();
const seeder = createTestApp(testRedis, [], { scheduler: false });
const N = 200;
const alpha = Array.from({ length: N }, (_, i) => `alpha:a${i}`);
const beta = Array.from({ length: N }, (_, i) => `beta:b${i}`);
const children: ChildProcess[] = [];

async function startWorker(url: string, platform: string): Promise<ChildProcess> {
  const child = await startWorkerReady(testRedis.prefix, url, {
    SENDER: platform,
    PLATFORM: platform,
    PACE_PER_SECOND: "500",
  });
  children.push(child);
  return child;
}

beforeAll(async () => {
  const url = await fake.start();
  await seeder.start();
  await Promise.all([...alpha, ...beta].map((id) => seeder.stores.members.save(alwaysWorkingMember(id))));
  await Promise.all([startWorker(url, "alpha"), startWorker(url, "beta")]);
}, 90_000);

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await seeder.stop();
  await fake.stop();
  await testRedis.cleanup();
});

describe("processes running different platforms", () => {
  it("each send its own platform's items, whichever process claimed them, exactly once", async () => {
    const due = Date.now() + 2_000;
    await Promise.all([...alpha, ...beta].map((id) => seeder.stores.schedule.set(id, "prompt", due)));
    await waitFor(() => [...alpha, ...beta].every((id) => fake.countFor(id) >= 1), {
      timeoutMs: 60_000,
      what: "every member's prompt",
    });
    await waitFor(async () => (await seeder.stores.schedule.state()).inFlight === 0, {
      timeoutMs: 30_000,
      what: "every lease to complete",
    });
    expect([...alpha, ...beta].map((id) => fake.countFor(id))).toEqual([...alpha, ...beta].map(() => 1));
    for (const d of fake.delivered) expect(d.from).toBe(d.member.slice(0, d.member.indexOf(":")));
  }, 120_000);
});
