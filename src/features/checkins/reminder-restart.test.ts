import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeChatServer } from "../../../test/fakes/fake-chat-server.js";
import { FixedClock } from "../../../test/fakes/fixed-clock.js";
import { RecordingPlatform } from "../../../test/fakes/recording-platform.js";
import { waitFor } from "../../../test/helpers/poll.js";
import { spawnWorker } from "../../../test/helpers/spawn-worker.js";
import { ALWAYS_WORKING, createTestApp } from "../../../test/helpers/test-app.js";
import { createTestRedis } from "../../../test/helpers/test-redis.js";
import { WEEKDAYS } from "../../members/member.js";
import { memberSubject } from "./checkins.js";

/**
 * A co-supervision check-in's 15-minute reminder goes out once per
 * participant even when the bot process sending it is killed mid-send and
 * started again, and a process started after they all went sends none again.
 *
 * A seeder app (no scheduler, on a clock held a moment before the reminder's
 * due time) sets up a running series through the commands and invitation
 * buttons and delivers the invitations and "they're on" messages itself, so
 * that when the real bot processes (`worker-process.ts`) start, the only
 * thing due is each participant's 15-minute reminder, already due in real time.
 */
const testRedis = createTestRedis("checkin-restart");
const fake = new FakeChatServer();
const seeding = new RecordingPlatform("local");

const MINUTE = 60_000;
const REMINDER = "starts in 15 minutes";
// The session: 15 minutes after the start of the current minute, so its 15-minute reminder is due at
// the start of this minute (already due). The seeder's clock is a second before that, so the series
// is set up before the reminder's due time and the reminder is scheduled for this session.
const reminderDue = Math.floor(Date.now() / MINUTE) * MINUTE;
const sessionStart = reminderDue + 15 * MINUTE;
const clock = new FixedClock(new Date(reminderDue - 1_000).toISOString());
const seeder = createTestApp(testRedis, [seeding], { clock, scheduler: false });

// A session must not cross anyone's midnight to suit them: near midnight UTC, the four live in Tokyo.
const utcHour = new Date(sessionStart).getUTCHours();
const zone = utcHour >= 1 && utcHour <= 21 ? "UTC" : "Asia/Tokyo";
const people = [
  { id: "local:rr-ana", handle: "ana", name: "Ana" },
  { id: "local:rr-ben", handle: "ben", name: "Ben" },
  { id: "local:rr-cai", handle: "cai", name: "Cai" },
  { id: "local:rr-dee", handle: "dee", name: "Dee" },
] as const;
const members = people.map((p) => p.id);
const [proposer, ...invitees] = members as [string, ...string[]];

const children: ChildProcess[] = [];
let url = "";
let seriesId = "";

function startWorker(): { child: ChildProcess; ready: Promise<void> } {
  const child = spawnWorker(testRedis.prefix, url, { SENDER: `worker-${children.length + 1}` });
  children.push(child);
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString("utf8").includes("ready")) resolve();
    });
    child.once("exit", (code, signal) => reject(new Error(`worker exited (${code ?? signal})`)));
  });
  ready.catch(() => {}); // a worker killed on purpose after it was ready is not a failure
  return { child, ready };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

/** 15-minute reminders each member got from the fake chat server. */
const reminders = (member: string) =>
  fake.delivered.filter((d) => d.member === member && d.text.includes(REMINDER)).length;

/** 15-minute reminders recorded as sent (their exactly-once markers). */
async function sentMarkers(): Promise<number> {
  let sent = 0;
  for await (const keys of testRedis.redis.scanStream({
    match: `${testRedis.prefix}member:*:sent:checkin-soon:*`,
  }) as AsyncIterable<string[]>) {
    for (const key of keys) if ((await testRedis.redis.get(key)) === "sent") sent++;
  }
  return sent;
}

const leased = () => testRedis.redis.zcard(`${testRedis.prefix}schedule:leased`);
const soonDue = (member: string) =>
  seeder.stores.schedule.get(memberSubject(member, seriesId), "checkin-soon");

/** What the seeder's own scheduler would do: sends what the outbox holds that is due by its clock. */
async function deliverOutbox(): Promise<void> {
  for (;;) {
    const items = await seeder.stores.schedule.claimDue(clock.now().getTime(), 60_000, 100);
    if (items.length === 0) return;
    expect(items.map((i) => i.kind)).toEqual(items.map(() => "outbox"));
    const outcome = await seeder.delivery.deliver(items, {
      send: (to, message) => seeding.post(to, message),
    });
    expect(outcome.retry).toEqual([]);
  }
}

const command = async (member: string, text: string) =>
  (await seeding.inbound({ kind: "command", member, text })).map((m) => m.text).join("\n");

beforeAll(async () => {
  url = await fake.start();
  await seeder.start();
  for (const p of people) {
    await seeding.inbound({
      kind: "command",
      member: p.id,
      displayName: p.name,
      text: `join ${ALWAYS_WORKING.replace("tz:UTC", `tz:${zone}`)}`,
    });
    await seeding.inbound({ kind: "button", member: p.id, actionId: "join:consent" });
    await command(p.id, "set tips off");
    await command(p.id, "set prompts off");
    expect(await command(p.id, `set handle ${p.handle}`)).not.toContain("isn't");
  }

  const at = new Date(sessionStart);
  const day = WEEKDAYS[(at.getUTCDay() + 6) % 7];
  const time = at.toISOString().slice(11, 16);
  const others = people.slice(1).map((p) => `@${p.handle}`);
  expect(
    await command(proposer, `checkin new ${others.join(" ")} every 1w ${day} ${time} tz:UTC length:15`),
  ).toContain("Invitations are on their way");
  await deliverOutbox();
  for (const member of invitees) {
    const invitation = seeding
      .to(member)
      .find((d) => d.message.buttons?.some((b) => b.id === "checkin:accept"));
    const accept = invitation?.message.buttons?.find((b) => b.id === "checkin:accept");
    expect(accept?.value).toBeDefined();
    await seeding.inbound({ kind: "button", member, actionId: "checkin:accept", value: accept?.value ?? "" });
  }
  await deliverOutbox();

  const [series] = await seeder.stores.checkins.seriesOf(proposer);
  seriesId = series?.id ?? "";
  expect(series?.state).toBe("running");
  expect(Object.values(series?.people ?? {})).toEqual(members.map(() => "accepted"));
  // Nothing has gone to the fake chat server yet, and the reminders are all that is due before the session.
  expect(fake.delivered).toEqual([]);
  const dueBeforeSession = await testRedis.redis.zrangebyscore(
    `${testRedis.prefix}schedule`,
    "-inf",
    sessionStart - 1,
  );
  expect(dueBeforeSession.sort()).toEqual(
    members.map((m) => `checkin-soon|${memberSubject(m, seriesId)}`).sort(),
  );
  for (const member of members) expect(await soonDue(member)).toBe(reminderDue);
  expect(reminderDue).toBeLessThanOrEqual(Date.now());
}, 30_000);

afterAll(async () => {
  for (const child of children) await kill(child);
  await seeder.stop();
  await fake.stop();
  await testRedis.cleanup();
});

describe("a bot process killed around a check-in reminder's due time", () => {
  it("is restarted and sends each participant's 15-minute reminder once", async () => {
    // The third send and any after it are left unanswered, as a platform that stopped answering.
    fake.holdFrom(3);
    const first = startWorker();
    await waitFor(() => fake.held >= 1, { timeoutMs: 20_000, what: "the third reminder to be in flight" });
    // Killed while the third is in flight, once the two before it are recorded as sent.
    await waitFor(async () => (await sentMarkers()) === 2, { what: "two reminders to be recorded as sent" });
    await kill(first.child);
    expect(fake.delivered).toHaveLength(2);
    expect(fake.delivered.every((d) => d.text.includes(REMINDER))).toBe(true);
    fake.release();

    const second = startWorker();
    await second.ready;
    await waitFor(() => members.every((member) => reminders(member) >= 1), {
      timeoutMs: 30_000,
      what: "every participant's reminder after the restart",
    });
    // Let the restarted process finish every retry, and plan the next session's reminder, before counting.
    await waitFor(async () => (await leased()) === 0, { timeoutMs: 30_000, what: "every lease to complete" });
    await waitFor(
      async () =>
        (await Promise.all(members.map(soonDue))).every((due) => due === reminderDue + 7 * 24 * 60 * MINUTE),
      { timeoutMs: 30_000, what: "next week's reminders to be scheduled" },
    );
    expect(members.map(reminders)).toEqual(members.map(() => 1));
    expect(fake.delivered).toHaveLength(members.length);
    expect(await sentMarkers()).toBe(members.length);
    // The two recorded before the kill came from the first process, the rest from the second.
    expect(fake.delivered.map((d) => d.from)).toEqual(["worker-1", "worker-1", "worker-2", "worker-2"]);
    // Each reminder is for this session and names the others in it.
    const toAna = fake.delivered.find((d) => d.member === proposer)?.text ?? "";
    expect(toAna).toContain("Your check-in with Ben, Cai and Dee starts in 15 minutes");

    // Restarted again after every reminder went: even handed the same slots again (as a schedule put
    // back from before the sends would), the new process sends nothing more.
    await kill(second.child);
    const third = startWorker();
    await third.ready;
    for (const member of members) {
      await seeder.stores.schedule.set(memberSubject(member, seriesId), "checkin-soon", reminderDue);
    }
    await waitFor(
      async () =>
        (await Promise.all(members.map(soonDue))).every((due) => due === reminderDue + 7 * 24 * 60 * MINUTE),
      { timeoutMs: 30_000, what: "the slots handed over again to be completed" },
    );
    await waitFor(async () => (await leased()) === 0, { timeoutMs: 30_000, what: "every lease to complete" });
    expect(members.map(reminders)).toEqual(members.map(() => 1));
    expect(fake.delivered).toHaveLength(members.length);
    expect(fake.delivered.filter((d) => d.from === "worker-3")).toEqual([]);
  }, 90_000);
});
