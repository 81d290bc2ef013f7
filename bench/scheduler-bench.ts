/**
 * npm run bench:scheduler [-- <members> <rate> <repetitions> <warm-up>] — the scheduling engine
 * against what a competent engineer would build with plain BullMQ, on this machine.
 *
 * Every run: N members due at the same moment, sent to a fake platform in its own process over
 * HTTP. Lateness is timed where the message *arrives* (the fake stamps each request as it
 * receives it) and, beside it, where the send is *called* (this process stamps the call).
 * A private `redis-server` on a spare port holds everything (no persistence), so nothing else
 * on the machine's Redis interferes; it is flushed between runs. Each run is a fresh process,
 * warmed as a bot that has been running is: it first handles a warm-up burst of other members
 * (N by default), due 12 s before the timed ones and not timed. Once each, cold too (no warm-up).
 *
 *  1. Fake chat platform (POST /send), no limit, each variant `reps` times, interleaved:
 *     - ours (bin/app.ts's scheduler: dispatcher, outbound queue, delivery service);
 *     - plain BullMQ, delayed jobs: one `addBulk` job per member with `delay` and
 *       `removeOnComplete`, one Worker; its concurrency chosen as the best of 50/100/200 on the
 *       first repetition;
 *     - plain BullMQ, job schedulers: one `upsertJobScheduler` per member (`every` a day, starting
 *       at the due time), one Worker at concurrency 100.
 *  2. The real Slack adapter (Bolt's WebClient) against the fake Slack Web API, pacing lifted,
 *     the DM channels already known (the steady state): ours and the best baseline of (1).
 *  3. Ours with the fake chat platform enforcing R messages a second and the bot configured at exactly R
 *     (the pacer keeps its own margin, scheduler/paced-sends.ts SAFETY_MARGIN):
 *     completion time against N/R, and 429s.
 *
 * Results are printed and written to bench/results/scheduler.{json,md}.
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { createSlackAdapter } from "../adapters/slack/slack-adapter.js";
import { createApp } from "../bin/app.js";
import { SAFETY_MARGIN } from "../scheduler/paced-sends.js";
import { parseConfig } from "../src/config/config.js";
import { silentLogger } from "../src/logging/logger.js";
import {
  type ChatPlatform,
  type ConversationRef,
  type MessageRef,
  type OutboundMessage,
  type PostOptions,
  dmWith,
} from "../src/platform/chat-platform.js";
import type { MemberCache } from "../src/platform/member-cache.js";
import { RedisKeys } from "../src/store/redis-keys.js";
import { RedisMemberCache } from "../src/store/redis-member-cache.js";
import { RedisMemberStore } from "../src/store/redis-member-store.js";
import { RedisScheduleStore } from "../src/store/redis-schedule-store.js";
import { HttpChatPlatform } from "../test/fakes/http-chat-platform.js";
import { alwaysWorkingMember } from "../test/helpers/always-working-member.js";
import { freePort } from "../test/helpers/free-port.js";
import { RedisServer } from "../test/helpers/redis-server.js";
import { BENCH_BOT_TOKEN, BENCH_TEAM, benchSlackUser } from "./fake-platform-process.js";

const N = Number(process.argv[2] ?? 10_000);
const RATE = Number(process.argv[3] ?? 500);
const REPS = Number(process.argv[4] ?? 3);
/**
 * A bot runs for days, so its code is warm when a burst comes. Each variant first handles a
 * warm-up burst of WARM other members, due WARM_BEFORE_MS before the N, untimed; the fake is
 * warmed by it too. 0 measures a cold process.
 */
const WARM = Number(process.argv[5] ?? N);
const WARM_BEFORE_MS = WARM > 0 ? 12_000 : 0;
/** Through Slack the warm-up is this share of WARM (see main). */
const SLACK_WARM_SHARE = 0.3;
/** Ours claims 20 s ahead; members are planned well before that in real use. */
const OURS_LEAD_MS = 25_000;
/** Time for the delayed-job baseline to add its jobs and start its worker, and for the warm-up. */
const BULK_LEAD_MS = 8_000 + WARM_BEFORE_MS;
/** Time for the job-scheduler baseline to create its schedulers. */
const SCHEDULERS_LEAD_MS = 30_000 + WARM_BEFORE_MS;
/** The floor: no queue at all, every send issued at the due time. */
const FLOOR_LEAD_MS = 3_000 + WARM_BEFORE_MS;
const BULK_CONCURRENCIES = [50, 100, 200];
const SCHEDULERS_CONCURRENCY = 100;
const FLOOR = "floor: bare sends, no queue";
const TEXT = "A reflective question for your week: what helped you most?";

type System = "ours" | "bulk" | "schedulers" | "floor";
type Fake = "chat" | "slack";
interface Spec {
  readonly system: System;
  readonly fake: Fake;
  readonly concurrency?: number;
  /** The fake enforces this many messages a second; ours is configured at exactly that. */
  readonly rate?: number;
  readonly redisUrl: string;
  /** Warm-up members before the timed ones (default WARM; 0: a cold process). */
  readonly warm?: number;
}

interface Stats {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}
interface RunResult {
  readonly arrival: Stats;
  readonly call: Stats;
  /** Members whose message arrived. */
  readonly delivered: number;
  /** Messages that arrived more than once for a member. */
  readonly duplicates: number;
  /** Due time to the last arrival. */
  readonly seconds: number;
  readonly rejected: number;
  /** Calls the fake answered, by method (Slack) or "send" (chat). */
  readonly apiCalls: Record<string, number>;
  readonly rssPeakMb: number;
  /** CPU of the process under test, from 2 s before the due time until it went quiet after. */
  readonly cpuSeconds: number;
  readonly setupMs: number;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
  return { p50: at(50), p99: at(99), max: sorted.at(-1) ?? Number.NaN };
}

const memberId = (fake: Fake, i: number) =>
  fake === "slack" ? `slack:${BENCH_TEAM}:${benchSlackUser(i)}` : `local:bench-${i}`;

// ---------------------------------------------------------------- one run, in a process of its own

interface FakeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  ask<T>(message: object): Promise<T>;
}

async function startFake(fake: Fake): Promise<FakeProcess> {
  const child = fork(join(import.meta.dirname, "fake-platform-process.ts"), [fake, String(N + WARM)], {
    execArgv: ["--import", "tsx"],
    stdio: "inherit",
  });
  const url = await new Promise<string>((resolve) =>
    child.once("message", (m: { url: string }) => resolve(m.url)),
  );
  return {
    url,
    child,
    ask: <T>(message: object) =>
      new Promise<T>((resolve) => {
        child.once("message", (m) => resolve(m as T));
        child.send(message);
      }),
  };
}

/** Stamps when each member's first send is called. */
function timed(platform: ChatPlatform, calls: Map<string, number>): ChatPlatform {
  const post = platform.post.bind(platform);
  platform.post = (to: ConversationRef, message: OutboundMessage, options?: PostOptions) => {
    if (!calls.has(to.id)) calls.set(to.id, Date.now());
    return post(to, message, options);
  };
  return platform;
}

function slackAdapter(url: string, redis: Redis, prefix: string, memberCache: MemberCache, port: number) {
  return createSlackAdapter({
    botToken: BENCH_BOT_TOKEN,
    signingSecret: "bench-signing-secret-0123456789",
    apiUrl: url,
    port,
    host: "127.0.0.1",
    redis,
    keyPrefix: prefix,
    memberCache,
    logger: silentLogger,
    retryConfig: { retries: 0 },
  });
}

/** Members from..to-1 (the N timed ones by default), in batches of 500 at once. */
async function eachMember(fn: (i: number) => Promise<unknown>, from = 0, to = N): Promise<void> {
  for (let i = from; i < to; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, to - i) }, (_, j) => fn(i + j)));
  }
}
/** The warm-up members: N..N+WARM-1. */
const eachWarmUp = (fn: (i: number) => Promise<unknown>) => eachMember(fn, N, N + WARM);

/** Sets up one system, waits for all N to arrive, and returns its figures. */
async function runPhase(spec: Spec): Promise<RunResult> {
  const fake = await startFake(spec.fake);
  if (spec.rate) fake.child.send({ rate: spec.rate });
  const redis = new Redis(spec.redisUrl);
  const prefix = "bench:";
  const keys = new RedisKeys(prefix);
  const memberCache = new RedisMemberCache(redis, keys);
  const calls = new Map<string, number>();
  const started = Date.now();
  let due: number;
  let stop: () => Promise<void>;

  const members = new RedisMemberStore(redis, keys);
  if (spec.system === "ours" || spec.fake === "slack") {
    await eachMember((i) => members.save(alwaysWorkingMember(memberId(spec.fake, i))), 0, N + WARM);
  }
  if (spec.fake === "slack") {
    // The steady state: each member's DM channel is already known (kept only for members on record).
    await eachMember(
      (i) => memberCache.set(memberId("slack", i), "slackDm", `D${benchSlackUser(i)}`),
      0,
      N + WARM,
    );
  }
  const port = await freePort();
  /** The platform the floor and the baselines send through (ours builds its own in createApp). */
  const bareSender = async () => {
    const platform =
      spec.fake === "slack"
        ? slackAdapter(fake.url, redis, prefix, memberCache, port)
        : new HttpChatPlatform("local", fake.url);
    if (spec.fake === "slack") await platform.start(async () => {});
    return timed(platform, calls);
  };

  if (spec.system === "ours") {
    due = Date.now() + OURS_LEAD_MS;
    const schedule = new RedisScheduleStore(redis, keys);
    await eachMember((i) => schedule.set(memberId(spec.fake, i), "prompt", due));
    await eachWarmUp((i) => schedule.set(memberId(spec.fake, i), "prompt", due - WARM_BEFORE_MS));
    const config = {
      ...parseConfig({ REDIS_URL: spec.redisUrl, REDIS_PREFIX: prefix, PORT: String(port) }),
      encryptionKey: randomBytes(32),
    };
    const platformName = spec.fake === "slack" ? "slack" : "local";
    const slackPort = await freePort();
    const app = createApp({
      config,
      logger: silentLogger,
      platforms: (stores, appRedis) => [
        timed(
          spec.fake === "slack"
            ? slackAdapter(fake.url, appRedis, prefix, stores.memberCache, slackPort)
            : new HttpChatPlatform("local", fake.url),
          calls,
        ),
      ],
      schedulerTuning: {
        pacing: { [platformName]: spec.rate ? { perSecond: spec.rate } : {} },
      },
    });
    await app.start();
    stop = () => app.stop();
  } else if (spec.system === "floor") {
    // What the HTTP path alone allows on this machine: no Redis, no queue, every send issued at once.
    due = Date.now() + FLOOR_LEAD_MS;
    const platform = await bareSender();
    const sendAll = (from: number, to: number) => {
      for (let i = from; i < to; i++) void platform.post(dmWith(memberId(spec.fake, i)), { text: TEXT });
    };
    setTimeout(() => sendAll(N, N + WARM), due - WARM_BEFORE_MS - Date.now());
    setTimeout(() => sendAll(0, N), due - Date.now());
    stop = () => platform.stop();
  } else {
    const connection = () => new Redis(spec.redisUrl, { maxRetriesPerRequest: null });
    const platform = await bareSender();
    const queue = new Queue<{ member: string }>("baseline", { connection: connection(), prefix: "bull" });
    if (spec.system === "bulk") {
      due = Date.now() + BULK_LEAD_MS;
      const addJobs = async (from: number, to: number, at: number) => {
        for (let i = from; i < to; i += 1000) {
          const now = Date.now();
          await queue.addBulk(
            Array.from({ length: Math.min(1000, to - i) }, (_, j) => ({
              name: "prompt",
              data: { member: memberId(spec.fake, i + j) },
              opts: { delay: at - now, removeOnComplete: true, removeOnFail: true, attempts: 3 },
            })),
          );
        }
      };
      await addJobs(N, N + WARM, due - WARM_BEFORE_MS);
      await addJobs(0, N, due);
    } else {
      due = Date.now() + SCHEDULERS_LEAD_MS;
      const addSchedulers = (at: number) => (i: number) =>
        queue.upsertJobScheduler(
          `member-${i}`,
          { every: 86_400_000, startDate: at },
          { name: "prompt", data: { member: memberId(spec.fake, i) }, opts: { removeOnComplete: true } },
        );
      await eachWarmUp(addSchedulers(due - WARM_BEFORE_MS));
      await eachMember(addSchedulers(due));
    }
    if (Date.now() >= due - WARM_BEFORE_MS - 1000)
      throw new Error("the baseline's setup took past its due time");
    const worker = new Worker<{ member: string }>(
      "baseline",
      async (job) => {
        await platform.post(dmWith(job.data.member), { text: TEXT });
      },
      { connection: connection(), prefix: "bull", concurrency: spec.concurrency ?? 100 },
    );
    stop = async () => {
      await worker.close();
      await queue.close();
      await platform.stop();
    };
  }
  const setupMs = Date.now() - started;

  // The process's CPU from 2 s before the due time until it has gone quiet after the last arrival
  // (so work left until after the sends, such as ours's records, is counted too).
  let cpuFrom = process.cpuUsage();
  const cpuStart = setTimeout(
    () => {
      cpuFrom = process.cpuUsage();
    },
    due - 2_000 - Date.now(),
  );
  let rssPeak = process.memoryUsage().rss;
  const rss = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 250);
  const deadline = due + 300_000;
  for (;;) {
    const { delivered } = await fake.ask<{ delivered: number }>({ stats: true });
    if (delivered >= N + WARM || Date.now() > deadline) break;
    await sleep(200);
  }
  clearTimeout(cpuStart);
  for (let last = process.cpuUsage(); ; ) {
    await sleep(500);
    const now = process.cpuUsage();
    const busy = (now.user + now.system - last.user - last.system) / 1000;
    last = now;
    if (busy < 25 || Date.now() > deadline) break;
  }
  const cpu = process.cpuUsage(cpuFrom);
  clearInterval(rss);
  const { receipts } = await fake.ask<{ receipts: Array<[string, number]> }>({ receipts: true });
  const { rejected, methods } = await fake.ask<{ rejected: number; methods: Record<string, number> }>({
    stats: true,
  });
  // Only the N timed members count; the warm-up members are N and above.
  const timedKey = new Set(
    Array.from({ length: N }, (_, i) => (spec.fake === "slack" ? benchSlackUser(i) : memberId("chat", i))),
  );
  const timedMember = new Set(Array.from({ length: N }, (_, i) => memberId(spec.fake, i)));
  const first = new Map<string, number>();
  for (const [who, at] of receipts) if (timedKey.has(who) && !first.has(who)) first.set(who, at);
  // Exactly once is checked over every member, the warm-up included.
  const duplicates = receipts.length - new Set(receipts.map(([who]) => who)).size;
  const arrivals = [...first.values()];
  const callTimes = [...calls].filter(([member]) => timedMember.has(member)).map(([, at]) => at);
  await stop();
  await redis.quit();
  fake.child.send({ stop: true });
  return {
    arrival: stats(arrivals.map((t) => t - due)),
    call: stats(callTimes.map((t) => t - due)),
    delivered: first.size,
    duplicates,
    seconds: (Math.max(...arrivals) - due) / 1000,
    rejected,
    apiCalls: methods,
    rssPeakMb: Math.round(rssPeak / 2 ** 20),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    setupMs,
  };
}

// ---------------------------------------------------------------- the driver

interface Run extends RunResult {
  readonly variant: string;
  readonly load1Before: number;
  readonly load1After: number;
}

function runInChild(spec: Spec): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = fork(
      import.meta.filename,
      [String(N), String(RATE), String(REPS), String(spec.warm ?? WARM)],
      {
        execArgv: ["--import", "tsx"],
        env: { ...process.env, BENCH_PHASE: JSON.stringify(spec) },
        stdio: ["ignore", "pipe", "inherit", "ipc"],
      },
    );
    let out = "";
    child.stdout?.on("data", (chunk) => {
      out += chunk;
    });
    child.on("exit", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code === 0) resolve(JSON.parse(last) as RunResult);
      else reject(new Error(`${spec.system}/${spec.fake} failed (exit ${code})`));
    });
  });
}

const s = (ms: number) => (ms / 1000).toFixed(2);
const range = (values: number[]) => {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return s(lo) === s(hi) ? `${s(lo)} s` : `${s(lo)}–${s(hi)} s`;
};
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function main(): Promise<void> {
  const redisServer = await RedisServer.start();
  const runs: Run[] = [];
  const bullmq = (
    JSON.parse(readFileSync(new URL("../node_modules/bullmq/package.json", import.meta.url), "utf8")) as {
      version: string;
    }
  ).version;
  console.log(
    `Scheduler benchmark: N=${N} due at the same moment, ${REPS} repetitions; BullMQ ${bullmq}; ` +
      `private redis-server on port ${redisServer.port}; ${cpus().length} cores.`,
  );
  const run = async (variant: string, spec: Omit<Spec, "redisUrl">): Promise<Run> => {
    const flush = new Redis(redisServer.url);
    await flush.flushall();
    await flush.quit();
    const load1Before = loadavg()[0] ?? 0;
    const result = await runInChild({ ...spec, redisUrl: redisServer.url });
    const r = { variant, ...result, load1Before, load1After: loadavg()[0] ?? 0 };
    runs.push(r);
    console.log(
      `  ${variant.padEnd(34)} arrival p50 ${s(r.arrival.p50)} p99 ${s(r.arrival.p99)} max ${s(r.arrival.max)}` +
        ` | call p99 ${s(r.call.p99)} | ${r.delivered}/${N}, dup ${r.duplicates}` +
        ` | load1 ${r.load1Before.toFixed(2)}→${r.load1After.toFixed(2)}`,
    );
    return r;
  };

  console.log("1. fake chat platform, no limit");
  let bestBulk = BULK_CONCURRENCIES[0] ?? 100;
  for (let rep = 0; rep < REPS; rep++) {
    await run(FLOOR, { system: "floor", fake: "chat" });
    await run("ours", { system: "ours", fake: "chat" });
    if (rep === 0) {
      const tried: Run[] = [];
      for (const c of BULK_CONCURRENCIES)
        tried.push(await run(`bulk delayed jobs c=${c}`, { system: "bulk", fake: "chat", concurrency: c }));
      const best = tried.reduce((a, b) => (b.arrival.p99 < a.arrival.p99 ? b : a));
      bestBulk = Number(/c=(\d+)/.exec(best.variant)?.[1] ?? bestBulk);
      console.log(`  (delayed jobs: best concurrency ${bestBulk}, by arrival p99)`);
    } else {
      await run(`bulk delayed jobs c=${bestBulk}`, { system: "bulk", fake: "chat", concurrency: bestBulk });
    }
    await run(`job schedulers c=${SCHEDULERS_CONCURRENCY}`, {
      system: "schedulers",
      fake: "chat",
      concurrency: SCHEDULERS_CONCURRENCY,
    });
  }
  const of = (variant: string) => runs.filter((r) => r.variant === variant);
  const bulkName = `bulk delayed jobs c=${bestBulk}`;
  const schedName = `job schedulers c=${SCHEDULERS_CONCURRENCY}`;
  const medP99 = (variant: string) => median(of(variant).map((r) => r.arrival.p99));
  const bestBaseline = medP99(bulkName) <= medP99(schedName) ? "bulk" : "schedulers";
  const bestConcurrency = bestBaseline === "bulk" ? bestBulk : SCHEDULERS_CONCURRENCY;
  const baselineName = bestBaseline === "bulk" ? bulkName : schedName;

  console.log("1b. the same, cold: a fresh process with no warm-up burst, once each");
  const cold = (variant: string) => `${variant} (cold)`;
  await run(cold(FLOOR), { system: "floor", fake: "chat", warm: 0 });
  await run(cold("ours"), { system: "ours", fake: "chat", warm: 0 });
  await run(cold(baselineName), {
    system: bestBaseline,
    fake: "chat",
    concurrency: bestConcurrency,
    warm: 0,
  });

  console.log("2. real Slack adapter (WebClient) against the fake Slack Web API, pacing lifted");
  // Bolt's WebClient carries about 1,000 a second here: a warm-up of N would still be going when
  // the timed burst comes, so through Slack it is smaller.
  const slackWarm = Math.round(WARM * SLACK_WARM_SHARE);
  const slackBaselineName = `${bestBaseline === "bulk" ? "bulk delayed jobs" : "job schedulers"} c=${bestConcurrency} via Slack`;
  for (let rep = 0; rep < REPS; rep++) {
    await run(`${FLOOR} via Slack`, { system: "floor", fake: "slack", warm: slackWarm });
    await run("ours via Slack", { system: "ours", fake: "slack", warm: slackWarm });
    await run(slackBaselineName, {
      system: bestBaseline,
      fake: "slack",
      concurrency: bestConcurrency,
      warm: slackWarm,
    });
  }

  console.log(`3. ours with the fake enforcing ${RATE}/s, configured at ${RATE}/s`);
  // No warm-up here: at R a second it would take N/R itself, and a pace isn't held back by cold code.
  const limited = await run(`ours, ${RATE}/s limit`, { system: "ours", fake: "chat", rate: RATE, warm: 0 });

  // Redis bytes per member in the steady state: item 5's bench (npm run bench:redis), its last result.
  let perMember: string | undefined;
  const perMemberResult = join(import.meta.dirname, "results", "redis-per-member.md");
  if (existsSync(join(import.meta.dirname, "redis-per-member.ts")) && existsSync(perMemberResult)) {
    const lines = readFileSync(perMemberResult, "utf8").split("\n");
    const from = lines.findIndex((line) => line.startsWith("### ") && line.includes("steady state"));
    const to = lines.findIndex((line, i) => i > from + 2 && line.trim() === "");
    if (from >= 0)
      perMember = lines
        .slice(from + 1, to > from ? to : undefined)
        .join("\n")
        .trim();
    console.log(`4. Redis bytes per member, steady state (last run of npm run bench:redis):\n${perMember}`);
  }
  await redisServer.cleanup();

  // ---------------------------------------------------------------- the report
  const row = (variant: string) => {
    const rs = of(variant);
    return `| ${variant} | ${range(rs.map((r) => r.arrival.p50))} | ${range(rs.map((r) => r.arrival.p99))} | ${range(rs.map((r) => r.arrival.max))} | ${range(rs.map((r) => r.call.p99))} | ${Math.min(...rs.map((r) => r.delivered))}/${N} | ${rs.map((r) => r.load1Before.toFixed(2)).join(", ")} |`;
  };
  const header = [
    "| variant | arrival p50 | arrival p99 | arrival max | call p99 | delivered (min) | load avg (1 min) at each run's start |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  const chatVariants = [
    "ours",
    ...new Set(
      runs.filter((r) => r.variant.startsWith("bulk") || r.variant.startsWith("job")).map((r) => r.variant),
    ),
  ].filter((v) => !v.includes("Slack") && !v.includes("(cold)"));
  const ratioChat = medP99(baselineName) / medP99("ours");
  const ratioCold = medP99(cold(baselineName)) / medP99(cold("ours"));
  const ratioSlack = medP99(slackBaselineName) / medP99("ours via Slack");
  const budget = (1.03 * N) / RATE;
  const table = [
    `${N} members due at the same moment; lateness = time after the due time; ranges are min–max over ${REPS} runs (the concurrencies not chosen ran once). The floor is every send issued at the due time from a bare loop, no Redis and no queue: the most the HTTP path and the fake allow on this machine. Each process is warm, as a bot that has been running is: ${WARM} other members were due ${WARM_BEFORE_MS / 1000} s before, untimed (the cold figures are below).`,
    "",
    "Fake chat platform over HTTP, no limit:",
    "",
    ...header,
    row(FLOOR),
    ...chatVariants.map(row),
    "",
    `Best baseline: ${bestBaseline === "bulk" ? `delayed jobs (addBulk), concurrency ${bestBulk}` : `job schedulers, concurrency ${SCHEDULERS_CONCURRENCY}`}. Median arrival p99, baseline / ours = ${ratioChat.toFixed(2)}×.`,
    "",
    "The same, cold (a fresh process, no warm-up burst; one run each):",
    "",
    ...header,
    row(cold(FLOOR)),
    row(cold("ours")),
    row(cold(baselineName)),
    "",
    `Cold, arrival p99, baseline / ours = ${ratioCold.toFixed(2)}×.`,
    "",
    `Through the real Slack adapter (Bolt WebClient → fake Slack Web API), pacing lifted; warm-up ${Math.round(WARM * SLACK_WARM_SHARE)} members:`,
    "",
    ...header,
    row(`${FLOOR} via Slack`),
    row("ours via Slack"),
    row(slackBaselineName),
    "",
    `Median arrival p99, baseline / ours = ${ratioSlack.toFixed(2)}×.`,
    "",
    `Rate-limited (the fake enforcing ${RATE}/s, ours configured at exactly ${RATE}/s; its pacer keeps a ${(SAFETY_MARGIN * 100).toFixed(1)}% margin): ${limited.delivered} delivered in ${limited.seconds.toFixed(1)} s = ${(limited.seconds / (N / RATE)).toFixed(3)} × N/R (goal ≤ 1.03, i.e. ${budget.toFixed(1)} s, with no 429s); 429s: ${limited.rejected}; load ${limited.load1Before.toFixed(2)}.`,
    ...(perMember
      ? ["", "Redis bytes per member in the steady state (last run of `npm run bench:redis`):", "", perMember]
      : []),
    "",
    `BullMQ ${bullmq}, Node ${process.version}, ${cpus().length} cores (shared), private redis-server (no persistence).`,
  ].join("\n");
  console.log(`\n${table}`);

  const results = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    bullmq,
    n: N,
    repetitions: REPS,
    bestBulkConcurrency: bestBulk,
    bestBaseline,
    warmUp: { members: WARM, beforeMs: WARM_BEFORE_MS },
    ratio: { chat: ratioChat, chatCold: ratioCold, slack: ratioSlack },
    runs,
    ...(perMember ? { redisPerMember: perMember } : {}),
  };
  const dir = join(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "scheduler.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, "scheduler.md"), `# Scheduler benchmark, ${results.date}\n\n${table}\n`);
  console.log("\nWritten to bench/results/scheduler.json and scheduler.md");
  process.exit(0);
}

const phase = process.env.BENCH_PHASE;
if (phase) {
  const result = await runPhase(JSON.parse(phase) as Spec);
  console.log(JSON.stringify(result));
  process.exit(0);
} else {
  await main();
}
