import type { Redis } from "ioredis";
import type { MemberId } from "../platform/chat-platform.js";
import type { MemberCache } from "../platform/member-cache.js";
import type { RedisKeys } from "./redis-keys.js";

/** Writes the field only while the member record exists, in one step. */
const SET_IF_MEMBER = `
if redis.call("EXISTS", KEYS[1]) == 1 then
  redis.call("HSET", KEYS[2], ARGV[1], ARGV[2])
  return 1
end
return 0`;

/**
 * A hash at `member:<id>:cache` for members; a process-local map for people
 * who have not joined (nothing about them is written to Redis).
 */
export class RedisMemberCache implements MemberCache {
  private readonly transient = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async get(member: MemberId, name: string): Promise<string | null> {
    const stored = await this.redis.hget(this.keys.memberPart(member, "cache"), name);
    return stored ?? this.transient.get(`${member}\u0000${name}`) ?? null;
  }

  async set(member: MemberId, name: string, value: string): Promise<void> {
    const written = await this.redis.eval(
      SET_IF_MEMBER,
      2,
      this.keys.member(member),
      this.keys.memberPart(member, "cache"),
      name,
      value,
    );
    if (written === 1) this.transient.delete(`${member}\u0000${name}`);
    else this.transient.set(`${member}\u0000${name}`, value);
  }

  async delete(member: MemberId, name: string): Promise<void> {
    this.transient.delete(`${member}\u0000${name}`);
    await this.redis.hdel(this.keys.memberPart(member, "cache"), name);
  }
}
