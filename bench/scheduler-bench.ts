/**
 * npm run bench:scheduler — the scheduling engine under load, against the plain
 * BullMQ job-scheduler baseline, on this machine, in one run.
 *
 *  1. N members due in the same minute, no platform limit: lateness (hand-off
 *     to the platform minus due time), ours and the baseline's.
 *  2. The same N with the fake platform enforcing R messages a second:
 *     completion time against N/R, and 429s received.
 *  3. Redis memory per scheduled member, and the bot process's RSS.
 *
 * Results are printed and written to bench/results/.
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { createApp } from "../bin/app.js";
import { parseConfig } from "../src/config/config.js";
import { silentLogger } from "../src/logging/logger.js";
import type { Member } from "../src/members/member.js";
import {
  type ConversationRef,
  type MemberId,
  type MessageRef,
  type OutboundMessage,
  dmWith,
} from "../src/platform/chat-platform.js";
import { RedisKeys } from "../src/store/redis-keys.js";
import { RedisMemberStore } from "../src/store/redis-member-store.js";
import { RedisScheduleStore } from "../src/store/redis-schedule-store.js";
import { HttpChatPlatform } from "../test/fakes/http-chat-platform.js";

const REDIS_URL = "redis://127.0.0.1:6379";
const N = Number(process.argv[2] ?? 10_000);
const RATE = Number(process.argv[3] ?? 500);
const ONLY = process.argv[4];
// Members are planned well ahead in real use; the lead leaves time to seed them and start the bot first.
const LEAD_MS = 30_000;
/** Paced below the platform's limit, leaving room for timer jitter at the edges of its windows. */
const PACE_SHARE = 0.95;
/** The baseline creates one job scheduler per member first; its minute is far enough ahead for that. */
const BASELINE_LEAD_MS = 45_000;

interface Lateness {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly delivered: number;
  readonly seconds: number;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function percentiles(values: number[], seconds: number): Lateness {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
  return { p50: at(50), p99: at(99), max: sorted.at(-1) ?? Number.NaN, delivered: sorted.length, seconds };
}

/** The fake platform in a child process. */
async function startFake(): Promise<{
  url: string;
  child: ChildProcess;
  stats(): Promise<{ delivered: number; rejected: number; members: number; busiestSecond: number }>;
}> {
  const child = fork(join(import.meta.dirname, "fake-platform-process.ts"), {
    execArgv: ["--import", "tsx"],
    stdio: "inherit",
  });
  const url = await new Promise<string>((resolve) =>
    child.once("message", (m: { url: string }) => resolve(m.url)),
  );
  return {
    url,
    child,
    stats: () =>
      new Promise((resolve) => {
        child.once("message", resolve as (m: unknown) => void);
        child.send({ stats: true });
      }),
  };
}

/** Records when each send is handed to the platform. */
class TimedPlatform extends HttpChatPlatform {
  readonly handedOff = new Map<MemberId, number>();
  override async delete(): Promise<void> {}

  override post(conversation: ConversationRef, message: OutboundMessage): Promise<MessageRef> {
    if (!this.handedOff.has(conversation.id)) this.handedOff.set(conversation.id, Date.now());
    return super.post(conversation, message);
  }
}

function memberRecord(i: number): Member {
  return {
    id: `local:bench-${i}`,
    displayName: `Member ${i}`,
    region: "Anywhere",
    timeZone: "UTC",
    workingDays: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    workingHours: { start: "00:00", end: "24:00" },
    soleWorker: i % 3 === 0,
    role: "peer-worker",
    status: { state: "active" },
    consentedAt: new Date().toISOString(),
    joinedAt: new Date().toISOString(),
    preferences: { prompts: "weekly", tips: "off" },
  };
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<
    string[]
  >) {
    if (keys.length > 0) await redis.unlink(...keys);
  }
}

/** Seeds N members with a prompt due at `due`; returns Redis bytes per member (record + schedule). */
async function seed(
  redis: Redis,
  prefix: string,
  due: number,
): Promise<{ perMember: number; schedulePerMember: number }> {
  const keys = new RedisKeys(prefix);
  const members = new RedisMemberStore(redis, keys);
  const schedule = new RedisScheduleStore(redis, keys);
  const before = await usedMemory(redis);
  for (let i = 0; i < N; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, N - i) }, (_, j) => members.save(memberRecord(i + j))),
    );
  }
  const afterMembers = await usedMemory(redis);
  for (let i = 0; i < N; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, N - i) }, (_, j) =>
        schedule.set(`local:bench-${i + j}`, "prompt", due),
      ),
    );
  }
  const after = await usedMemory(redis);
  return { perMember: (after - before) / N, schedulePerMember: (after - afterMembers) / N };
}

/** The next whole minute at least LEAD_MS away: every member is due exactly then. */
function nextMinute(lead = LEAD_MS): number {
  return Math.ceil((Date.now() + lead) / 60_000) * 60_000;
}

async function runOurs(fakeUrl: string, pace: number | undefined) {
  const redis = new Redis(REDIS_URL);
  const prefix = `bench:${randomBytes(3).toString("hex")}:`;
  const platform = new TimedPlatform("local", fakeUrl);
  const config = { ...parseConfig({ REDIS_URL, REDIS_PREFIX: prefix }), encryptionKey: randomBytes(32) };
  const due = nextMinute();
  const memory = await seed(redis, prefix, due);
  const app = createApp({
    config,
    logger: silentLogger,
    platforms: () => [platform],
    schedulerTuning: { pacing: { local: pace ? { perSecond: pace } : {} } },
  });
  await app.start();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const timer = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 250);
  const deadline = due + 300_000;
  while (platform.handedOff.size < N && Date.now() < deadline) await sleep(100);
  const finishedAt = Math.max(...platform.handedOff.values());
  await sleep(500);
  clearInterval(timer);
  const lateness = percentiles(
    [...platform.handedOff.values()].map((t) => t - due),
    (finishedAt - due) / 1000,
  );
  await app.stop();
  await deleteByPrefix(redis, prefix);
  await redis.quit();
  return { lateness, memory, rssMb: rssPeak / 2 ** 20 };
}

async function runBaseline(fakeUrl: string) {
  const redis = new Redis(REDIS_URL);
  const prefix = `bench:${randomBytes(3).toString("hex")}:bull`;
  const platform = new TimedPlatform("local", fakeUrl);
  const connection = () => new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue("baseline", { connection: connection(), prefix });
  const due = nextMinute(BASELINE_LEAD_MS);
  const date = new Date(due);
  const pattern = `${date.getUTCMinutes()} ${date.getUTCHours()} * * *`;
  for (let i = 0; i < N; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, N - i) }, (_, j) =>
        queue.upsertJobScheduler(
          `bench-${i + j}`,
          { pattern, tz: "UTC" },
          { name: "prompt", data: { member: `local:bench-${i + j}` } },
        ),
      ),
    );
  }
  if (Date.now() >= due) throw new Error("creating the baseline's job schedulers took past their due minute");
  const worker = new Worker(
    "baseline",
    async (job) =>
      platform.post(dmWith(job.data.member as string), { text: "A reflective question for your week." }),
    { connection: connection(), prefix, concurrency: 100 },
  );
  const deadline = due + 300_000;
  while (platform.handedOff.size < N && Date.now() < deadline) await sleep(100);
  const finishedAt = Math.max(...platform.handedOff.values());
  const lateness = percentiles(
    [...platform.handedOff.values()].map((t) => t - due),
    (finishedAt - due) / 1000,
  );
  await worker.close();
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  await deleteByPrefix(redis, prefix);
  await redis.quit();
  await platform.stop();
  return { lateness };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

type Phase = "ours" | "limited" | "baseline";

/** One phase in this process, its figures as JSON on the last line of output. */
async function runPhase(phase: Phase): Promise<void> {
  const fake = await startFake();
  let result: unknown;
  if (phase === "baseline") {
    result = await runBaseline(fake.url);
  } else if (phase === "limited") {
    fake.child.send({ rate: RATE });
    const run = await runOurs(fake.url, RATE * PACE_SHARE);
    result = { ...run, rejected: (await fake.stats()).rejected };
  } else {
    result = await runOurs(fake.url, undefined);
  }
  fake.child.send({ stop: true });
  console.log(JSON.stringify(result));
  process.exit(0);
}

/** Each phase runs in a fresh process, so none inherits another's heap or connections. */
function phaseInChild(phase: Phase): Promise<Record<string, never>> {
  return new Promise((resolve, reject) => {
    const child = fork(import.meta.filename, [String(N), String(RATE), phase], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    });
    let out = "";
    child.stdout?.on("data", (chunk) => {
      out += chunk;
    });
    child.on("exit", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code === 0) resolve(JSON.parse(last));
      else reject(new Error(`the ${phase} phase failed (exit ${code})`));
    });
  });
}

async function main(): Promise<void> {
  console.log(`Scheduler benchmark: N=${N} members due in the same minute; rate-limited run at R=${RATE}/s.`);
  console.log("1. ours, no platform limit …");
  const ours = (await phaseInChild("ours")) as unknown as Awaited<ReturnType<typeof runOurs>>;
  console.log(
    `2. ours, with the fake enforcing ${RATE} messages a second (paced at ${PACE_SHARE * 100}% of it) …`,
  );
  const limitedRun = (await phaseInChild("limited")) as unknown as Awaited<ReturnType<typeof runOurs>> & {
    rejected: number;
  };
  const limited = limitedRun;
  const rejected = limitedRun.rejected;
  console.log("3. baseline: one BullMQ upsertJobScheduler per member, concurrency 100 …");
  const baseline = (await phaseInChild("baseline")) as unknown as Awaited<ReturnType<typeof runBaseline>>;

  const budget = (1.1 * N) / RATE;
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: (await import("node:os")).cpus().length, node: process.version },
    n: N,
    noLimit: {
      ours: ours.lateness,
      baseline: baseline.lateness,
      p99Ratio: baseline.lateness.p99 / ours.lateness.p99,
    },
    rateLimited: {
      rate: RATE,
      completionSeconds: limited.lateness.seconds,
      budgetSeconds: budget,
      ratioToNOverR: limited.lateness.seconds / (N / RATE),
      rejected429: rejected,
      delivered: limited.lateness.delivered,
    },
    memory: {
      redisBytesPerMember: Math.round(ours.memory.perMember),
      redisScheduleBytesPerMember: Math.round(ours.memory.schedulePerMember),
      botRssPeakMb: Math.round(Math.max(ours.rssMb, limited.rssMb)),
    },
  };

  const table = [
    `| ${N} due in one minute, no limit | ours | plain BullMQ job schedulers |`,
    "| --- | --- | --- |",
    `| lateness p50 | ${fmt(ours.lateness.p50)} | ${fmt(baseline.lateness.p50)} |`,
    `| lateness p99 | ${fmt(ours.lateness.p99)} | ${fmt(baseline.lateness.p99)} |`,
    `| lateness max | ${fmt(ours.lateness.max)} | ${fmt(baseline.lateness.max)} |`,
    `| delivered | ${ours.lateness.delivered} | ${baseline.lateness.delivered} |`,
    "",
    `baseline p99 / ours p99 = ${results.noLimit.p99Ratio.toFixed(1)}x`,
    "",
    `Rate-limited (${RATE}/s): ${limited.lateness.delivered} delivered in ${limited.lateness.seconds.toFixed(1)} s = ${results.rateLimited.ratioToNOverR.toFixed(3)} x N/R (goal ≤ 1.1, i.e. ${budget.toFixed(1)} s); 429s received: ${rejected}.`,
    `Redis: ${results.memory.redisBytesPerMember} bytes per scheduled member (member record + schedule entry; the schedule entry alone ${results.memory.redisScheduleBytesPerMember} bytes). Bot process RSS peak: ${results.memory.botRssPeakMb} MB.`,
  ].join("\n");
  console.log(`\n${table}`);

  const dir = join(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "scheduler.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, "scheduler.md"), `# Scheduler benchmark, ${results.date}\n\n${table}\n`);
  console.log("\nWritten to bench/results/scheduler.json and scheduler.md");
  process.exit(0);
}

if (ONLY === "ours" || ONLY === "limited" || ONLY === "baseline") await runPhase(ONLY);
else await main();
