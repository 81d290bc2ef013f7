import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQuestionBank } from "../src/reflection/question-bank.js";
import { FakeChatServer } from "../test/fakes/fake-chat-server.js";
import { RecordingPlatform } from "../test/fakes/recording-platform.js";
import { waitFor } from "../test/helpers/poll.js";
import { spawnWorker } from "../test/helpers/spawn-worker.js";
import { ALWAYS_WORKING, createTestApp } from "../test/helpers/test-app.js";
import { createTestRedis } from "../test/helpers/test-redis.js";

/**
 * Bot processes killed and stopped around a fan-out, with the production
 * BullMQ lock (30 s), send-claim TTL and lease (10 minutes): only the
 * heartbeat can bring a dead process's work back within these tests' time.
 */
const testRedis = createTestRedis("faults");
const fake = new FakeChatServer();
const seeding = new RecordingPlatform();
const seeder = createTestApp(testRedis, [seeding], { scheduler: false });
const children: ChildProcess[] = [];
const PRODUCTION = { LOCK_DURATION_MS: "30000", CLAIM_TTL_MS: "600000", LEASE_MS: "600000" };
let url = "";

function startWorker(sender: string, env: Record<string, string> = {}): ChildProcess {
  const child = spawnWorker(testRedis.prefix, url, { SENDER: sender, ...PRODUCTION, ...env });
  children.push(child);
  return child;
}

/** Resolves once the worker has started (its SIGTERM handler is in place). */
const ready = (child: ChildProcess) =>
  new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
  });

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });

async function join(members: readonly string[]): Promise<void> {
  for (const member of members) {
    await seeding.inbound({ kind: "command", member, text: `join ${ALWAYS_WORKING}` });
    await seeding.inbound({ kind: "button", member, actionId: "join:consent" });
    await seeding.inbound({ kind: "command", member, text: "set tips off" });
  }
}

async function markers(who: string, value: (v: string) => boolean): Promise<number> {
  let found = 0;
  for await (const keys of testRedis.redis.scanStream({
    match: `${testRedis.prefix}member:local:${who}*:sent:*`,
    count: 1000,
  }) as AsyncIterable<string[]>) {
    for (const key of keys) {
      if (key.endsWith(":wording")) continue;
      const v = await testRedis.redis.get(key);
      if (v !== null && value(v)) found++;
    }
  }
  return found;
}

const leasedKey = `${testRedis.prefix}schedule:leased`;

beforeAll(async () => {
  url = await fake.start();
  await seeder.start();
});

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await seeder.stop();
  await fake.stop();
  await testRedis.cleanup();
});

describe("a bot process killed with sends in flight", () => {
  const members = Array.from({ length: 6 }, (_, i) => `local:kill${i}`);

  it("is replaced by one that takes its work back at once (its heartbeat gone) and sends the same words", async () => {
    await join(members);
    const due = Date.now();
    for (const member of members) await seeder.stores.schedule.set(member, "prompt", due);
    // The first three are answered; the rest reach the platform and hang, unrecorded.
    fake.holdFrom(4);
    const first = startWorker("first");
    await waitFor(() => fake.heldRequests.length === 3, { timeoutMs: 20_000, what: "three sends in flight" });
    await waitFor(async () => (await markers("kill", (v) => v === "sent")) === 3, {
      what: "three sends recorded",
    });
    const inFlight = fake.heldRequests.map((r) => r.member);
    const leases = await Promise.all(
      inFlight.map((subject) => seeder.stores.schedule.lease({ subject, kind: "prompt", due })),
    );
    // Each held by the first process, for ten minutes.
    for (const lease of leases) expect(lease?.holder).toMatch(/-\d+-[0-9a-f]{8}$/);
    first.kill("SIGKILL");
    await exited(first);
    // A dropped connection: the platform never got these (the fake counts only answered sends).
    fake.release();

    const second = startWorker("second");
    await waitFor(() => members.every((member) => fake.countFor(member) >= 1), {
      timeoutMs: 25_000,
      what: "every member's prompt after the restart",
    });
    await waitFor(async () => (await testRedis.redis.zcard(leasedKey)) === 0, {
      timeoutMs: 10_000,
      what: "every lease to complete",
    });
    expect(members.map((member) => fake.countFor(member))).toEqual(members.map(() => 1));
    const bank = createQuestionBank();
    for (const held of fake.heldRequests) {
      const [resent] = fake.delivered.filter((d) => d.member === held.member);
      // The wording chosen when the first process claimed it, not a new question.
      expect(resent?.from).toBe("second");
      expect(resent?.text).toBe(held.text);
      // And the question recorded as open is the one sent.
      const open = await seeder.stores.reflection.getOpen(held.member);
      const question = bank.get(open?.questionId ?? "");
      expect(question && held.text.includes(question.text)).toBe(true);
    }
    // Taken back long before either the lease or the send claim would have run out.
    for (const [i, lease] of leases.entries()) {
      const resent = fake.delivered.find((d) => d.member === inFlight[i]);
      expect(resent?.at).toBeLessThan(lease?.expires ?? 0);
    }
    second.kill("SIGKILL");
    await exited(second);
  }, 60_000);
});

describe("a bot process stopped with SIGTERM mid fan-out", () => {
  const members = Array.from({ length: 12 }, (_, i) => `local:term${i}`);

  it("stops claiming, hands back what it hadn't sent, exits 0, and another process sends the rest once", async () => {
    fake.delivered.length = 0;
    await join(members);
    const due = Date.now();
    for (const member of members) await seeder.stores.schedule.set(member, "prompt", due);
    // Slow: two a second, so most are still waiting for their turn.
    const first = startWorker("stopping", { PACE_PER_SECOND: "2" });
    await ready(first);
    await waitFor(() => fake.delivered.length >= 2, { timeoutMs: 20_000, what: "two sends" });
    first.kill("SIGTERM");
    expect(await exited(first)).toBe(0);

    const sentByFirst = fake.delivered.length;
    expect(sentByFirst).toBeLessThan(members.length);
    // Everything sent is recorded; nothing is left claimed; every unsent item is due again now.
    expect(await markers("term", (v) => v === "sent")).toBe(sentByFirst);
    expect(await markers("term", (v) => v.startsWith("claimed:"))).toBe(0);
    const leased = await testRedis.redis.zrange(leasedKey, 0, -1, "WITHSCORES");
    expect(leased.length / 2).toBe(members.length - sentByFirst);
    for (let i = 1; i < leased.length; i += 2) expect(Number(leased[i])).toBe(0);
    expect(await testRedis.redis.hlen(`${testRedis.prefix}schedule:holder`)).toBe(0);

    startWorker("next", { PACE_PER_SECOND: "40" });
    await waitFor(() => members.every((member) => fake.countFor(member) >= 1), {
      timeoutMs: 20_000,
      what: "the rest of the fan-out from the next process",
    });
    await waitFor(async () => (await testRedis.redis.zcard(leasedKey)) === 0, {
      timeoutMs: 10_000,
      what: "every lease to complete",
    });
    expect(members.map((member) => fake.countFor(member))).toEqual(members.map(() => 1));
    expect(fake.delivered.filter((d) => d.from === "next")).toHaveLength(members.length - sentByFirst);
  }, 60_000);
});
