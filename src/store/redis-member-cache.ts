import type { Redis } from "ioredis";
import { z } from "zod";
import { type Logger, silentLogger } from "../logging/logger.js";
import type { MemberId } from "../platform/chat-platform.js";
import type { MemberCache } from "../platform/member-cache.js";
import { runScript } from "./lua-script.js";
import type { RedisKeys } from "./redis-keys.js";
import { checkRecord } from "./stored-record.js";

/** Writes the field only while the member record exists, in one step. */
const SET_IF_MEMBER = `
if redis.call("EXISTS", KEYS[1]) == 1 then
  redis.call("HSET", KEYS[2], ARGV[1], ARGV[2])
  return 1
end
return 0`;

/** Cached facts are ids, names and zones: short. Anything longer is not a cache entry. */
export const MAX_CACHED_VALUE = 1_024;
const cachedValue = z.string().max(MAX_CACHED_VALUE);

export interface TransientLimits {
  /** Most facts about people who have not joined held at once, oldest used dropped first. */
  readonly maxEntries: number;
  /** How long such a fact is kept, like a join request that is never answered. */
  readonly maxAgeMs: number;
  /** Milliseconds since the epoch; for tests. */
  readonly now: () => number;
}

const DEFAULT_LIMITS: TransientLimits = { maxEntries: 1_000, maxAgeMs: 30 * 60_000, now: Date.now };

/**
 * A hash at `member:<id>:cache` for members; for people who have not joined,
 * a small in-process LRU (nothing about them is written to Redis).
 *
 * Why an LRU and not Redis with expiry: writing a visitor's facts to Redis
 * would store something about a person before they consent, which the
 * product promises not to do (only the consent draft itself is stored, and it
 * expires). The cost of keeping it per process is only a repeated look-up
 * when another process serves the same visitor; so it is a cache in the
 * strict sense, bounded by count (`maxEntries`) and age (`maxAgeMs`), so a
 * flood of strangers cannot grow the process.
 *
 * Values read from Redis are checked (a string of sane length); one that is
 * not is reported (kind only) and read as a miss.
 */
export class RedisMemberCache implements MemberCache {
  /** Map order is insertion order: re-inserting on use keeps the least recently used first. */
  private readonly transient = new Map<string, { value: string; at: number }>();
  private readonly limits: TransientLimits;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger = silentLogger,
    limits: Partial<TransientLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** How many facts about people who have not joined this process holds; for tests. */
  get transientSize(): number {
    return this.transient.size;
  }

  async get(member: MemberId, name: string): Promise<string | null> {
    const stored = await this.redis.hget(this.keys.memberPart(member, "cache"), name);
    if (stored !== null) {
      const value = checkRecord(cachedValue, stored, "member-cache", this.logger);
      if (value !== null) return value;
    }
    return this.recall(`${member}\u0000${name}`);
  }

  async set(member: MemberId, name: string, value: string): Promise<void> {
    // Not a fact worth caching; dropping any older value keeps the cache from going stale.
    if (value.length > MAX_CACHED_VALUE) return this.delete(member, name);
    const written = await runScript(
      this.redis,
      SET_IF_MEMBER,
      2,
      this.keys.member(member),
      this.keys.memberPart(member, "cache"),
      name,
      value,
    );
    if (written === 1) this.transient.delete(`${member}\u0000${name}`);
    else this.remember(`${member}\u0000${name}`, value);
  }

  async delete(member: MemberId, name: string): Promise<void> {
    this.transient.delete(`${member}\u0000${name}`);
    await this.redis.hdel(this.keys.memberPart(member, "cache"), name);
  }

  private recall(key: string): string | null {
    const held = this.transient.get(key);
    if (!held) return null;
    this.transient.delete(key);
    if (this.limits.now() - held.at > this.limits.maxAgeMs) return null;
    this.transient.set(key, held);
    return held.value;
  }

  private remember(key: string, value: string): void {
    this.transient.delete(key);
    this.transient.set(key, { value, at: this.limits.now() });
    while (this.transient.size > this.limits.maxEntries) {
      const oldest = this.transient.keys().next();
      if (oldest.done) break;
      this.transient.delete(oldest.value);
    }
  }
}
