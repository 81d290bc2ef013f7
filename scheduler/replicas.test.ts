import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeChatServer } from "../test/fakes/fake-chat-server.js";
import { alwaysWorkingMember } from "../test/helpers/always-working-member.js";
import { waitFor } from "../test/helpers/poll.js";
import { startWorkerReady } from "../test/helpers/spawn-worker.js";
import { createTestApp } from "../test/helpers/test-app.js";
import { createTestRedis } from "../test/helpers/test-redis.js";

/**
 * Two, then three bot processes, each with its dispatcher and outbound queue, on one Redis: a
 * deployment with replicas (docs/scaling.md). Every one of them claims from the same schedule and
 * takes chunks off the same queue; the count is per member, from what the platform received.
 */
const N = 1_000;

describe.each([
  ["two", ["one", "two"]],
  ["three", ["one", "two", "three"]],
])("%s bot processes on one Redis", (count, senders) => {
  const testRedis = createTestRedis(`${count}-processes`);
  const fake = new FakeChatServer();
  const seeder = createTestApp(testRedis, [], { scheduler: false });
  const members = Array.from({ length: N }, (_, i) => `local:fan${i}`);
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const url = await fake.start();
    await seeder.start();
    for (let i = 0; i < N; i += 100) {
      await Promise.all(
        members.slice(i, i + 100).map((id) => seeder.stores.members.save(alwaysWorkingMember(id))),
      );
    }
    await Promise.all(
      senders.map(async (sender) => {
        const child = await startWorkerReady(testRedis.prefix, url, {
          SENDER: sender,
          PACE_PER_SECOND: "1000",
        });
        children.push(child);
      }),
    );
  }, 90_000);

  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    await seeder.stop();
    await fake.stop();
    await testRedis.cleanup();
  });

  it("deliver a 1,000-member fan-out exactly once", async () => {
    const due = Date.now() + 2_000;
    await Promise.all(members.map((id) => seeder.stores.schedule.set(id, "prompt", due)));
    await waitFor(() => members.every((id) => fake.countFor(id) >= 1), {
      timeoutMs: 60_000,
      what: "every member's prompt",
    });
    await waitFor(async () => (await seeder.stores.schedule.state()).inFlight === 0, {
      timeoutMs: 30_000,
      what: "every lease to complete",
    });
    const perMember = new Map<string, number>();
    for (const d of fake.delivered) perMember.set(d.member, (perMember.get(d.member) ?? 0) + 1);
    const lost = members.filter((id) => !perMember.has(id));
    const doubled = [...perMember].filter(([, n]) => n > 1).map(([id]) => id);
    expect(lost).toEqual([]);
    expect(doubled).toEqual([]);
    expect(fake.delivered).toHaveLength(N);
    expect(new Set(fake.delivered.map((d) => d.member)).size).toBe(N);
    // Whichever process claimed an item or took its chunk off the shared queue sent it; none sent twice.
    expect(fake.delivered.every((d) => senders.includes(d.from ?? ""))).toBe(true);
  }, 120_000);
});
