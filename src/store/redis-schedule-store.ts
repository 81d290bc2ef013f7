import type { Redis } from "ioredis";
import type { ScheduleStore, ScheduledItem } from "../schedule/schedule-store.js";
import { type RedisKeys, escapeGlob } from "./redis-keys.js";

// schedule: ZSET "<kind>|<subject>" → due ms. leased: ZSET "<kind>|<subject>|<due>" → lease expiry ms.
const CLAIM = `
local now = tonumber(ARGV[1])
local until_ = now + tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local out = {}
local due = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", tonumber(ARGV[4]), "WITHSCORES", "LIMIT", 0, limit)
for i = 1, #due, 2 do
  local leased = due[i] .. "|" .. due[i + 1]
  redis.call("ZREM", KEYS[1], due[i])
  redis.call("ZADD", KEYS[2], until_, leased)
  out[#out + 1] = leased
end
if #out < limit then
  local expired = redis.call("ZRANGEBYSCORE", KEYS[2], "-inf", now, "LIMIT", 0, limit - #out)
  for _, leased in ipairs(expired) do
    redis.call("ZADD", KEYS[2], until_, leased)
    out[#out + 1] = leased
  end
end
return out`;

const COMPLETE = `
if redis.call("ZREM", KEYS[2], ARGV[1]) == 0 then return 0 end
if ARGV[3] ~= "" then redis.call("ZADD", KEYS[1], ARGV[3], ARGV[2]) end
return 1`;

function entry(subject: string, kind: string): string {
  return `${kind}|${subject}`;
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

  constructor(
    private readonly redis: Redis,
    keys: RedisKeys,
  ) {
    this.scheduleKey = keys.global("schedule");
    this.leasedKey = keys.global("schedule:leased");
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

  async claimDue(now: number, leaseMs: number, limit: number, horizon = now): Promise<ScheduledItem[]> {
    const leased = (await this.redis.eval(
      CLAIM,
      2,
      this.scheduleKey,
      this.leasedKey,
      now,
      leaseMs,
      limit,
      horizon,
    )) as string[];
    return leased.map(parseLeased);
  }

  async complete(item: ScheduledItem, next: number | null): Promise<void> {
    await this.redis.eval(
      COMPLETE,
      2,
      this.scheduleKey,
      this.leasedKey,
      `${entry(item.subject, item.kind)}|${item.due}`,
      entry(item.subject, item.kind),
      next === null ? "" : String(next),
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
    if (leased.length > 0) await this.redis.zrem(this.leasedKey, ...leased);
  }
}
