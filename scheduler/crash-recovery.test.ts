import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeChatServer } from "../test/fakes/fake-chat-server.js";
import { RecordingPlatform } from "../test/fakes/recording-platform.js";
import { waitFor } from "../test/helpers/poll.js";
import { spawnWorker } from "../test/helpers/spawn-worker.js";
import { ALWAYS_WORKING, TEST_KEY, createTestApp } from "../test/helpers/test-app.js";
import { createTestRedis } from "../test/helpers/test-redis.js";

const testRedis = createTestRedis("crash");
const fake = new FakeChatServer();
const seeding = new RecordingPlatform();
const seeder = createTestApp(testRedis, [seeding], { scheduler: false });
const members = Array.from({ length: 20 }, (_, i) => `local:crash${i}`);
const children: ChildProcess[] = [];
let url = "";

function startWorker(): ChildProcess {
  const child = spawnWorker(testRedis.prefix, url);

  children.push(child);
  return child;
}

async function sentMarkers(): Promise<number> {
  let sent = 0;
  for await (const keys of testRedis.redis.scanStream({
    match: `${testRedis.prefix}member:*:sent:*`,
  }) as AsyncIterable<string[]>) {
    for (const key of keys) if ((await testRedis.redis.get(key)) === "sent") sent++;
  }
  return sent;
}

beforeAll(async () => {
  url = await fake.start();
  await seeder.start();
  for (const member of members) {
    await seeding.inbound({ kind: "command", member, text: `join ${ALWAYS_WORKING}` });
    await seeding.inbound({ kind: "button", member, actionId: "join:consent" });
    await seeding.inbound({ kind: "command", member, text: "set tips off" });
  }
});

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await seeder.stop();
  await fake.stop();
  await testRedis.cleanup();
});

describe("a worker killed mid-send", () => {
  it("is restarted and sends each prompt exactly once", async () => {
    const due = Date.now();
    for (const member of members) await seeder.stores.schedule.set(member, "prompt", due);
    fake.holdFrom(8);

    const first = startWorker();
    await waitFor(() => fake.held >= 1, { timeoutMs: 20_000, what: "the eighth send to be in flight" });
    // Killed while the eighth send is in flight, once the seven before it are recorded as sent.
    await waitFor(async () => (await sentMarkers()) === 7, { what: "seven sends to be recorded" });
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    expect(fake.delivered).toHaveLength(7);
    fake.release();

    startWorker();
    await waitFor(() => members.every((member) => fake.countFor(member) >= 1), {
      timeoutMs: 30_000,
      what: "every member's prompt after the restart",
    });
    // Let the restarted worker finish every retry before counting.
    await waitFor(async () => (await testRedis.redis.zcard(`${testRedis.prefix}schedule:leased`)) === 0, {
      timeoutMs: 30_000,
      what: "every lease to complete",
    });
    expect(members.map((member) => fake.countFor(member))).toEqual(members.map(() => 1));
    expect(fake.delivered).toHaveLength(members.length);
  }, 60_000);
});
