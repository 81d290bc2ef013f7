import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeChatServer } from "../test/fakes/fake-chat-server.js";
import { alwaysWorkingMember } from "../test/helpers/always-working-member.js";
import { waitFor } from "../test/helpers/poll.js";
import { startWorkerReady } from "../test/helpers/spawn-worker.js";
import { TEST_KEY, createTestApp } from "../test/helpers/test-app.js";
import { createTestRedis } from "../test/helpers/test-redis.js";

/** Two bot processes, each with its dispatcher and outbound queue, on one Redis: a deployment with two replicas. */
const testRedis = createTestRedis("two-processes");
const fake = new FakeChatServer();
const seeder = createTestApp(testRedis, [], { scheduler: false });
const N = 1_000;
const members = Array.from({ length: N }, (_, i) => `local:fan${i}`);
const children: ChildProcess[] = [];

async function startWorker(url: string, sender: string): Promise<ChildProcess> {
  const child = await startWorkerReady(testRedis.prefix, url, { SENDER: sender, PACE_PER_SECOND: "1000" });
  children.push(child);
  return child;
}

beforeAll(async () => {
  const url = await fake.start();
  await seeder.start();
  for (let i = 0; i < N; i += 100) {
    await Promise.all(
      members.slice(i, i + 100).map((id) => seeder.stores.members.save(alwaysWorkingMember(id))),
    );
  }
  await Promise.all([startWorker(url, "one"), startWorker(url, "two")]);
}, 60_000);

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await seeder.stop();
  await fake.stop();
  await testRedis.cleanup();
});

describe("two bot processes on one Redis", () => {
  it("deliver a 1,000-member fan-out exactly once", async () => {
    const due = Date.now() + 2_000;
    await Promise.all(members.map((id) => seeder.stores.schedule.set(id, "prompt", due)));
    await waitFor(() => members.every((id) => fake.countFor(id) >= 1), {
      timeoutMs: 45_000,
      what: "every member's prompt",
    });
    await waitFor(async () => (await seeder.stores.schedule.state()).inFlight === 0, {
      timeoutMs: 30_000,
      what: "every lease to complete",
    });
    expect(fake.delivered).toHaveLength(N);
    expect(new Set(fake.delivered.map((d) => d.member)).size).toBe(N);
    // Whichever process claimed an item or took its chunk off the shared queue sent it; none sent twice.
    expect(fake.delivered.every((d) => d.from === "one" || d.from === "two")).toBe(true);
  }, 90_000);
});
