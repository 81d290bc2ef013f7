import type { Redis } from "ioredis";
import type { ScheduleStore, ScheduledItem } from "../schedule/schedule-store.js";
import { runScript } from "./lua-script.js";
import { type RedisKeys, escapeGlob } from "./redis-keys.js";

// schedule: ZSET "<kind>|<subject>" → due ms. leased: ZSET "<kind>|<subject>|<due>" → lease expiry ms.
// A lease taken by a process that keeps a heartbeat (`proc:<id>`, see scheduler/heartbeat.ts) is
// also recorded as held by it: holder: HASH leased entry → process; held:<process>: SET of its
// entries; holders: SET of processes holding any. The keys of one process's set are named in the
// scripts (ARGV), as BullMQ does: this runs on one Redis, not a cluster.

// Lua helpers shared by the scripts below.
const HELPERS = `
-- Leases held by a process whose heartbeat is gone are due again at once (expiry 0).
local function take_back(leased_key, holder_key, holders_key, held_prefix, proc_prefix)
  local taken = 0
  for _, owner in ipairs(redis.call("SMEMBERS", holders_key)) do
    if redis.call("EXISTS", proc_prefix .. owner) == 0 then
      local held = held_prefix .. owner
      for _, leased in ipairs(redis.call("SMEMBERS", held)) do
        if redis.call("HGET", holder_key, leased) == owner then
          redis.call("HDEL", holder_key, leased)
          if redis.call("ZADD", leased_key, "XX", "CH", 0, leased) == 1 then taken = taken + 1 end
        end
      end
      redis.call("DEL", held)
      redis.call("SREM", holders_key, owner)
    end
  end
  return taken
end
-- Records a lease as held by owner ("" for no one).
local function hold(holder_key, holders_key, held_prefix, leased, owner)
  local before = redis.call("HGET", holder_key, leased)
  if before == owner then return end
  if before then
    redis.call("HDEL", holder_key, leased)
    redis.call("SREM", held_prefix .. before, leased)
  end
  if owner == "" then return end
  redis.call("HSET", holder_key, leased, owner)
  redis.call("SADD", held_prefix .. owner, leased)
  redis.call("SADD", holders_key, owner)
end`;

// KEYS: schedule, leased, holder, holders. ARGV: now, lease ms, limit, horizon, owner ("" for none),
// held-set prefix, heartbeat key prefix. Returns how many leases were taken back from dead
// processes, then the entries claimed.
const CLAIM = `
${HELPERS}
local now = tonumber(ARGV[1])
local until_ = now + tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local out = { take_back(KEYS[2], KEYS[3], KEYS[4], ARGV[6], ARGV[7]) }
local due = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", tonumber(ARGV[4]), "WITHSCORES", "LIMIT", 0, limit)
for i = 1, #due, 2 do
  local leased = due[i] .. "|" .. due[i + 1]
  redis.call("ZREM", KEYS[1], due[i])
  redis.call("ZADD", KEYS[2], until_, leased)
  out[#out + 1] = leased
end
if #out - 1 < limit then
  local expired = redis.call("ZRANGEBYSCORE", KEYS[2], "-inf", now, "LIMIT", 0, limit - (#out - 1))
  for _, leased in ipairs(expired) do
    redis.call("ZADD", KEYS[2], until_, leased)
    out[#out + 1] = leased
  end
end
for i = 2, #out do hold(KEYS[3], KEYS[4], ARGV[6], out[i], ARGV[5]) end
return out`;

// KEYS: leased, holder, holders. ARGV: owner, held-set prefix, then leased entries.
const HOLD = `
${HELPERS}
local n = 0
for i = 3, #ARGV do
  if redis.call("ZSCORE", KEYS[1], ARGV[i]) then
    hold(KEYS[2], KEYS[3], ARGV[2], ARGV[i], ARGV[1])
    n = n + 1
  end
end
return n`;

// KEYS: leased, holder, holders, the owner's held set. ARGV: owner.
const RELEASE_HELD = `
local n = 0
for _, leased in ipairs(redis.call("SMEMBERS", KEYS[4])) do
  if redis.call("HGET", KEYS[2], leased) == ARGV[1] then
    redis.call("HDEL", KEYS[2], leased)
    if redis.call("ZADD", KEYS[1], "XX", "CH", 0, leased) == 1 then n = n + 1 end
  end
end
redis.call("DEL", KEYS[4])
redis.call("SREM", KEYS[3], ARGV[1])
return n`;

// KEYS: schedule, leased, holder. ARGV: leased entry, schedule entry, next due ("" for none), held-set prefix.
const COMPLETE = `
if redis.call("ZREM", KEYS[2], ARGV[1]) == 0 then return 0 end
local holder = redis.call("HGET", KEYS[3], ARGV[1])
if holder then
  redis.call("HDEL", KEYS[3], ARGV[1])
  redis.call("SREM", ARGV[4] .. holder, ARGV[1])
end
if ARGV[3] ~= "" then redis.call("ZADD", KEYS[1], ARGV[3], ARGV[2]) end
return 1`;

/** Where each process's heartbeat lives: `<prefix>proc:<id>`, present while it runs. */
export function processKeyPrefix(keys: RedisKeys): string {
  return keys.global("proc:");
}

function entry(subject: string, kind: string): string {
  return `${kind}|${subject}`;
}

function leasedEntry(item: ScheduledItem): string {
  return `${entry(item.subject, item.kind)}|${item.due}`;
}

function parseLeased(leased: string): ScheduledItem {
  const first = leased.indexOf("|");
  const last = leased.lastIndexOf("|");
  return {
    kind: leased.slice(0, first),
    subject: leased.slice(first + 1, last),
    due: Number(leased.slice(last + 1)),
  };
}

export class RedisScheduleStore implements ScheduleStore {
  private readonly scheduleKey: string;
  private readonly leasedKey: string;
  private readonly holderKey: string;
  private readonly holdersKey: string;
  private readonly heldPrefix: string;
  private readonly processPrefix: string;
  /** Leases taken back from processes whose heartbeat was gone, since this store was made. */
  takenBack = 0;

  constructor(
    private readonly redis: Redis,
    keys: RedisKeys,
  ) {
    this.scheduleKey = keys.global("schedule");
    this.leasedKey = keys.global("schedule:leased");
    this.holderKey = keys.global("schedule:holder");
    this.holdersKey = keys.global("schedule:holders");
    this.heldPrefix = keys.global("schedule:held:");
    this.processPrefix = processKeyPrefix(keys);
  }

  async set(subject: string, kind: string, due: number | null): Promise<void> {
    if (due === null) await this.redis.zrem(this.scheduleKey, entry(subject, kind));
    else await this.redis.zadd(this.scheduleKey, due, entry(subject, kind));
  }

  async setIfAbsent(subject: string, kind: string, due: number): Promise<void> {
    await this.redis.zadd(this.scheduleKey, "NX", due, entry(subject, kind));
  }

  async get(subject: string, kind: string): Promise<number | null> {
    const score = await this.redis.zscore(this.scheduleKey, entry(subject, kind));
    return score === null ? null : Number(score);
  }

  async upcoming(subject: string, kinds: readonly string[]): Promise<Array<{ kind: string; due: number }>> {
    if (kinds.length === 0) return [];
    const scores = await this.redis.zmscore(this.scheduleKey, ...kinds.map((kind) => entry(subject, kind)));
    return kinds
      .flatMap((kind, i) => (scores[i] == null ? [] : [{ kind, due: Number(scores[i]) }]))
      .sort((a, b) => a.due - b.due);
  }

  async claimDue(
    now: number,
    leaseMs: number,
    limit: number,
    horizon = now,
    owner = "",
  ): Promise<ScheduledItem[]> {
    const [taken, ...leased] = (await runScript(
      this.redis,
      CLAIM,
      4,
      this.scheduleKey,
      this.leasedKey,
      this.holderKey,
      this.holdersKey,
      now,
      leaseMs,
      limit,
      horizon,
      owner,
      this.heldPrefix,
      this.processPrefix,
    )) as [number, ...string[]];
    this.takenBack += taken;
    return leased.map(parseLeased);
  }

  async hold(items: readonly ScheduledItem[], owner: string): Promise<void> {
    if (items.length === 0) return;
    await runScript(
      this.redis,
      HOLD,
      3,
      this.leasedKey,
      this.holderKey,
      this.holdersKey,
      owner,
      this.heldPrefix,
      ...items.map(leasedEntry),
    );
  }

  async releaseHeldBy(owner: string): Promise<number> {
    return (await runScript(
      this.redis,
      RELEASE_HELD,
      4,
      this.leasedKey,
      this.holderKey,
      this.holdersKey,
      `${this.heldPrefix}${owner}`,
      owner,
    )) as number;
  }

  /** Who holds an item's lease, and until when (for tests and diagnostics). */
  async lease(item: ScheduledItem): Promise<{ expires: number; holder: string | null } | null> {
    const [expires, holder] = await Promise.all([
      this.redis.zscore(this.leasedKey, leasedEntry(item)),
      this.redis.hget(this.holderKey, leasedEntry(item)),
    ]);
    return expires === null ? null : { expires: Number(expires), holder };
  }

  async complete(item: ScheduledItem, next: number | null): Promise<void> {
    await runScript(
      this.redis,
      COMPLETE,
      3,
      this.scheduleKey,
      this.leasedKey,
      this.holderKey,
      leasedEntry(item),
      entry(item.subject, item.kind),
      next === null ? "" : String(next),
      this.heldPrefix,
    );
  }

  async nextWakeAt(lookaheadMs = 0): Promise<number | null> {
    const [due, lease] = await Promise.all([
      this.redis.zrange(this.scheduleKey, 0, 0, "WITHSCORES"),
      this.redis.zrange(this.leasedKey, 0, 0, "WITHSCORES"),
    ]);
    const times = [
      ...(due[1] === undefined ? [] : [Number(due[1]) - lookaheadMs]),
      ...(lease[1] === undefined ? [] : [Number(lease[1])]),
    ];
    return times.length === 0 ? null : Math.min(...times);
  }

  async state(): Promise<{ earliestDue: number | null; inFlight: number }> {
    const [due, inFlight] = await Promise.all([
      this.redis.zrange(this.scheduleKey, 0, 0, "WITHSCORES"),
      this.redis.zcard(this.leasedKey),
    ]);
    return { earliestDue: due[1] === undefined ? null : Number(due[1]), inFlight };
  }

  /** How many items are due by `now` and not yet claimed (for /metrics; read-only). */
  async countDue(now: number): Promise<number> {
    return this.redis.zcount(this.scheduleKey, "-inf", now);
  }

  async removeSubject(subject: string, kinds: readonly string[]): Promise<void> {
    if (kinds.length === 0) return;
    await this.redis.zrem(this.scheduleKey, ...kinds.map((kind) => entry(subject, kind)));
    const leased: string[] = [];
    for (const kind of kinds) {
      const stream = this.redis.zscanStream(this.leasedKey, {
        match: `${escapeGlob(entry(subject, kind))}|*`,
        count: 500,
      });
      for await (const batch of stream as AsyncIterable<string[]>) {
        for (let i = 0; i < batch.length; i += 2) leased.push(batch[i] as string);
      }
    }
    if (leased.length === 0) return;
    const holders = await this.redis.hmget(this.holderKey, ...leased);
    const pipeline = this.redis
      .multi()
      .zrem(this.leasedKey, ...leased)
      .hdel(this.holderKey, ...leased);
    leased.forEach((entry, i) => {
      const holder = holders[i];
      if (holder) pipeline.srem(`${this.heldPrefix}${holder}`, entry);
    });
    await pipeline.exec();
  }
}
