/**
 * npm run bench:redis [N] — what Redis holds per member, in the steady state,
 * after joining and a week of prompts and tips through the real surface.
 *
 * On a private `redis-server` (a spare port, nothing persisted), the app is
 * built as `createApp` builds it, with one recording platform and a clock
 * moved by hand. N members join (`/peer join …` and the consent button);
 * a quarter of them ask for daily prompts, the rest keep the defaults
 * (weekly prompts, weekly tips). Then a week passes an hour at a time: what
 * falls due is delivered by the app's own delivery service
 * (`test/helpers/deliver-due.ts`), and members answer some prompts (a diary
 * entry from some, "skip" or "not now" from others; the rest leave them).
 *
 * Redis expiry runs on real time, the bot's on its clock; so after each hour
 * every key with a TTL is aged by that hour (a Lua script shortens each TTL,
 * deleting what would have lapsed): what would have expired in a real week
 * has.
 *
 * Measured after joining and after the week: `MEMORY USAGE` (exact, SAMPLES 0)
 * summed over keys by key family (the key with the prefix, member id, handle
 * and numbers taken out), and `INFO memory` used_memory delta over the empty
 * app, each divided by N. The journal (the member's own diary, sealed) is
 * counted apart from the bot's own bookkeeping.
 *
 * Printed, and written to bench/results/redis-per-member.{json,md}.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { createApp } from "../bin/app.js";
import { parseConfig } from "../src/config/config.js";
import { silentLogger } from "../src/logging/logger.js";
import type { MemberId, OutboundMessage } from "../src/platform/chat-platform.js";
import { FixedClock } from "../test/fakes/fixed-clock.js";
import { RecordingPlatform } from "../test/fakes/recording-platform.js";
import { deliverDueUntil } from "../test/helpers/deliver-due.js";
import { RedisServer } from "../test/helpers/redis-server.js";

const N = Number(process.argv[2] ?? 2_000);
const DAYS = Number(process.argv[3] ?? 7);
const HOUR = 60 * 60_000;
/** Monday 1 March 2027, 00:00 UTC (Monday morning in Australia and New Zealand). */
const START = Date.parse("2027-03-01T00:00:00Z");
const BATCH = 50;

const ZONES = [
  "Australia/Perth",
  "Australia/Darwin",
  "Australia/Adelaide",
  "Australia/Brisbane",
  "Australia/Sydney",
  "Australia/Melbourne",
  "Australia/Hobart",
  "Pacific/Auckland",
];
const REGIONS = [
  "Pilbara",
  "Wide Bay",
  "Riverland",
  "Hunter",
  "Gippsland",
  "Top End",
  "Waikato",
  "Kimberley",
];
const HOURS = ["09:00-17:00", "08:30-16:30", "10:00-18:00", "07:00-15:00"];
const DIARY = [
  "I sat with someone who was scared about their review and we worked through what they could ask.",
  "Listening without rushing, and finding a quiet room away from the ward.",
  "It reminded me why I do this work, and that I don't have to fix everything at once.",
  "A long phone call with a family member who felt nobody had explained anything to them.",
  "Talking it over with my co-worker afterwards; naming what was hard.",
  "Because it showed me my own limits are worth noticing before I am tired.",
];

/** A small deterministic generator, so two runs make the same choices. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Shortens every TTL by `ms` of the bot's time, deleting keys that would have lapsed. */
const AGE = `
local delta = tonumber(ARGV[1])
local cursor = "0"
local aged = 0
repeat
  local page = redis.call("SCAN", cursor, "COUNT", 1000)
  cursor = page[1]
  for _, key in ipairs(page[2]) do
    local ttl = redis.call("PTTL", key)
    if ttl > 0 then
      if ttl <= delta then redis.call("DEL", key) else redis.call("PEXPIRE", key, ttl - delta) end
      aged = aged + 1
    end
  end
until cursor == "0"
return aged`;

interface Family {
  readonly family: string;
  readonly keys: number;
  readonly bytes: number;
  readonly perMember: number;
  /** The member's own content (the sealed diary), as opposed to the bot's bookkeeping. */
  readonly own: boolean;
}

interface Snapshot {
  readonly families: Family[];
  readonly keys: number;
  readonly bookkeepingPerMember: number;
  readonly ownPerMember: number;
  readonly totalPerMember: number;
  readonly usedMemoryPerMember: number;
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

/** The key's family: the prefix, member id, handle and long numbers taken out. */
function familyOf(key: string, prefix: string, ids: ReadonlySet<string>): string {
  let rest = key.slice(prefix.length);
  const member = /^(member:|handle-of:)(.+?)(:[a-z-]+(:.*)?)?$/.exec(rest);
  if (member?.[2] && ids.has(member[2])) rest = `${member[1]}<id>${member[3] ?? ""}`;
  else if (rest.startsWith("member:")) {
    for (const id of ids)
      if (rest.startsWith(`member:${id}`)) rest = `member:<id>${rest.slice(7 + id.length)}`;
  }
  if (rest.startsWith("handle:")) rest = "handle:<handle>";
  return rest
    .replace(/\d{6,}/g, "<n>")
    .replace(/:sent:([a-z-]+):.*$/, ":sent:$1:…")
    .replace(/:wording$/, ":wording");
}

async function snapshot(
  redis: Redis,
  prefix: string,
  ids: ReadonlySet<string>,
  baseline: number,
): Promise<Snapshot> {
  const byFamily = new Map<string, { keys: number; bytes: number }>();
  let keys = 0;
  for await (const batch of redis.scanStream({ match: "*", count: 1000 }) as AsyncIterable<string[]>) {
    const pipeline = redis.pipeline();
    for (const key of batch) pipeline.memory("USAGE", key, "SAMPLES", 0);
    const sizes = (await pipeline.exec()) ?? [];
    batch.forEach((key, i) => {
      const bytes = Number(sizes[i]?.[1] ?? 0);
      const family = key.startsWith(prefix) ? familyOf(key, prefix, ids) : `(other) ${key}`;
      const entry = byFamily.get(family) ?? { keys: 0, bytes: 0 };
      entry.keys++;
      entry.bytes += bytes;
      byFamily.set(family, entry);
      keys++;
    });
  }
  const families = [...byFamily]
    .map(([family, { keys, bytes }]) => ({
      family,
      keys,
      bytes,
      perMember: bytes / N,
      own: family === "member:<id>:journal",
    }))
    .sort((a, b) => b.bytes - a.bytes);
  const sum = (own: boolean) => families.filter((f) => f.own === own).reduce((t, f) => t + f.bytes, 0) / N;
  return {
    families,
    keys,
    bookkeepingPerMember: sum(false),
    ownPerMember: sum(true),
    totalPerMember: sum(false) + sum(true),
    usedMemoryPerMember: ((await usedMemory(redis)) - baseline) / N,
  };
}

function table(title: string, snap: Snapshot): string {
  const rows = snap.families.map(
    (f) => `| \`${f.family}\`${f.own ? " (member's own)" : ""} | ${f.keys} | ${f.perMember.toFixed(1)} |`,
  );
  return [
    `### ${title}`,
    "",
    "| key family | keys | bytes per member |",
    "|---|---:|---:|",
    ...rows,
    `| **bookkeeping (all but the journal)** | | **${snap.bookkeepingPerMember.toFixed(0)}** |`,
    `| **member's own diary (journal)** | | **${snap.ownPerMember.toFixed(0)}** |`,
    `| **total, MEMORY USAGE** | ${snap.keys} | **${snap.totalPerMember.toFixed(0)}** |`,
    `| **total, INFO used_memory delta** | | **${snap.usedMemoryPerMember.toFixed(0)}** |`,
    "",
  ].join("\n");
}

/** One member's keys, values and sizes (BENCH_SAMPLE=1): to see what a family holds. */
async function printSample(redis: Redis, prefix: string, member: string): Promise<void> {
  const keys = [
    ...(await redis.keys(`${prefix}member:${member}*`)),
    ...(await redis.keys(`${prefix}handle*`)).slice(0, 2),
  ];
  for (const key of keys) {
    const type = await redis.type(key);
    const value =
      type === "string" ? await redis.get(key) : type === "hash" ? await redis.hgetall(key) : type;
    console.log(key, await redis.memory("USAGE", key, "SAMPLES", 0), await redis.pttl(key), value);
  }
  console.log("schedule", await redis.zrange(`${prefix}schedule`, 0, 4));
}

async function main(): Promise<void> {
  const server = await RedisServer.start(["--save", "", "--appendonly", "no"]);
  const clock = new FixedClock(new Date(START).toISOString());
  const platform = new RecordingPlatform("slack");
  const config = {
    ...parseConfig({ REDIS_URL: server.url }),
    encryptionKey: randomBytes(32),
  };
  const prefix = config.redis.prefix;
  const app = createApp({
    config,
    logger: silentLogger,
    platforms: () => [platform],
    clock,
    scheduler: false,
    schedulerTuning: { leaseMs: 60_000 },
  });
  const redis = app.redis;
  const rand = random(13);
  try {
    await app.start();
    await redis.ping();
    const baseline = await usedMemory(redis);
    const started = Date.now();

    // Slack-shaped ids: workspace and user, as the adapter makes them.
    const ids = Array.from({ length: N }, (_, i) => `slack:T04ABCDEFGH:U0${String(1_000_000 + i)}XYZ`);
    const idSet = new Set(ids);
    const daily = new Set(ids.filter(() => rand() < 0.25));
    for (let i = 0; i < N; i += BATCH) {
      await Promise.all(
        ids.slice(i, i + BATCH).map(async (member, j) => {
          const k = i + j;
          await platform.inbound({
            kind: "command",
            member,
            displayName: `Peer Worker ${k}`,
            text: `join region:"${REGIONS[k % REGIONS.length]}" tz:${ZONES[k % ZONES.length]} days:mon-fri hours:${HOURS[k % HOURS.length]}`,
          });
          await platform.inbound({ kind: "button", member, actionId: "join:consent" });
          if (daily.has(member))
            await platform.inbound({ kind: "command", member, text: "set prompts daily" });
        }),
      );
    }
    const members = await app.stores.members.listIds();
    if (members.length !== N) throw new Error(`${members.length} of ${N} members joined`);
    const joined = await snapshot(redis, prefix, idSet, baseline);
    console.log(table(`After ${N} members joined`, joined));

    // A week, an hour at a time.
    const prompted: MemberId[] = [];
    let delivered = 0;
    const counts = { diary: 0, skip: 0, later: 0, left: 0, tips: 0 };
    const send = async (to: Parameters<typeof platform.post>[0], message: OutboundMessage) => {
      delivered++;
      if (message.buttons?.some((b) => b.id === "prompt:skip")) prompted.push(to.id);
      else if (/self-care/i.test(message.text)) counts.tips++;
      return platform.post(to, message);
    };
    for (let at = START + HOUR; at <= START + DAYS * 24 * HOUR; at += HOUR) {
      await deliverDueUntil(app, clock, new Date(at).toISOString(), send);
      const answering = prompted.splice(0);
      for (let i = 0; i < answering.length; i += BATCH) {
        await Promise.all(
          answering.slice(i, i + BATCH).map(async (member) => {
            const roll = rand();
            const say = (text: string) => platform.inbound({ kind: "message", member, text });
            if (roll < 0.35) {
              counts.diary++;
              const pick = Math.floor(rand() * 3);
              await say(DIARY[pick] ?? "");
              await say(DIARY[pick + 1] ?? "");
              await say(DIARY[pick + 3] ?? "");
            } else if (roll < 0.45) {
              counts.skip++;
              await platform.inbound({ kind: "button", member, actionId: "prompt:skip" });
            } else if (roll < 0.5) {
              counts.later++;
              await platform.inbound({ kind: "button", member, actionId: "prompt:later" });
            } else counts.left++;
          }),
        );
      }
      await redis.eval(AGE, 0, HOUR);
    }
    const week = await snapshot(redis, prefix, idSet, baseline);
    if (process.env.BENCH_SAMPLE) await printSample(redis, prefix, ids[0] ?? "");
    console.log(table(`After ${DAYS} days of prompts and tips (steady state)`, week));
    const summary = {
      members: N,
      days: DAYS,
      dailyPrompts: daily.size,
      delivered,
      answers: counts,
      redis: (await redis.info("server")).match(/redis_version:(\S+)/)?.[1],
      seconds: Math.round((Date.now() - started) / 1000),
    };
    console.log(summary);
    console.log(
      `Bookkeeping per member in the steady state: ${week.bookkeepingPerMember.toFixed(0)} bytes (MEMORY USAGE, all but the member's own diary; goal under 1,000); INFO used_memory delta ${week.usedMemoryPerMember.toFixed(0)} bytes (everything, diary included).`,
    );

    const results = { ...summary, afterJoin: joined, afterWeek: week };
    const dir = join(import.meta.dirname, "results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "redis-per-member.json"), `${JSON.stringify(results, null, 2)}\n`);
    // The list of earlier runs is kept by hand below the tables; a new run leaves it as it is.
    const mdPath = join(dir, "redis-per-member.md");
    const previous = existsSync(mdPath) ? readFileSync(mdPath, "utf8") : "";
    const earlier = previous.indexOf("## Earlier runs");
    writeFileSync(
      mdPath,
      [
        "# Redis memory per member",
        "",
        `\`npm run bench:redis\`: ${N} members on a private redis-server ${summary.redis}, joined through`,
        "`/peer join …` and the consent button, then a week of prompts and tips delivered by the app's own",
        `delivery service (${daily.size} members on daily prompts, the rest on the defaults); ${counts.diary}`,
        `prompts answered with a diary entry, ${counts.skip} skipped, ${counts.later} put off, ${counts.left}`,
        "left open. TTLs are aged with the bot's clock. Bytes are `MEMORY USAGE` (SAMPLES 0) summed by key",
        "family, and the `INFO memory` used_memory delta over the empty app, each divided by the members.",
        "",
        table("After joining", joined),
        table(`After ${DAYS} days (steady state)`, week),
        ...(earlier >= 0 ? ["", previous.slice(earlier).trimEnd(), ""] : []),
      ].join("\n"),
    );
  } finally {
    await app.stop();
    await server.cleanup();
  }
}

await main();
