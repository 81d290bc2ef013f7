import type { Redis } from "ioredis";
import { BotError } from "../errors.js";
import { type HandleStore, isHandle } from "../members/handles.js";
import type { MemberDataSection } from "../members/member-store.js";
import type { MemberId } from "../platform/chat-platform.js";
import type { RedisKeys } from "./redis-keys.js";

/**
 * Moves one member's handle from the older layout (two string keys) into the
 * two hashes, if it is still there. KEYS: 1 `handles`, 2 `handle-of`, 3
 * `handle-of:<id>` (old), then the old `handle:<handle>` key is found from it.
 * ARGV: 1 id, 2 the old keys' prefix for `handle:`.
 */
const MIGRATE = `
local old = redis.call("GET", KEYS[3])
if old then
  redis.call("HSETNX", KEYS[2], ARGV[1], old)
  if redis.call("GET", ARGV[2] .. old) == ARGV[1] then
    redis.call("HSETNX", KEYS[1], old, ARGV[1])
    redis.call("DEL", ARGV[2] .. old)
  end
  redis.call("DEL", KEYS[3])
end`;

/**
 * KEYS: 1 `handles`, 2 `handle-of`, 3 old `handle-of:<id>`. ARGV: 1 id, 2 old `handle:` prefix,
 * 3 new handle, 4 old handle as read ("" when none).
 * -1: the member's handle changed since it was read (read again); 0: taken; 1: done.
 */
const CLAIM = `
${MIGRATE}
local current = redis.call("HGET", KEYS[2], ARGV[1]) or ""
if current ~= ARGV[4] then return -1 end
local owner = redis.call("HGET", KEYS[1], ARGV[3]) or redis.call("GET", ARGV[2] .. ARGV[3])
if owner and owner ~= ARGV[1] then return 0 end
if ARGV[4] ~= "" and ARGV[4] ~= ARGV[3] and redis.call("HGET", KEYS[1], ARGV[4]) == ARGV[1] then
  redis.call("HDEL", KEYS[1], ARGV[4])
end
redis.call("HSET", KEYS[1], ARGV[3], ARGV[1])
redis.call("HSET", KEYS[2], ARGV[1], ARGV[3])
return 1`;

/**
 * KEYS: 1 `handles`, 2 `handle-of`, 3 old `handle-of:<id>`. ARGV: 1 id, 2 old `handle:` prefix,
 * 3.. the candidates. Returns the member's handle afterwards, or false when every one is taken.
 */
const CLAIM_FIRST_FREE = `
${MIGRATE}
local current = redis.call("HGET", KEYS[2], ARGV[1])
if current then return current end
for i = 3, #ARGV do
  local owner = redis.call("HGET", KEYS[1], ARGV[i]) or redis.call("GET", ARGV[2] .. ARGV[i])
  if not owner or owner == ARGV[1] then
    redis.call("HSET", KEYS[1], ARGV[i], ARGV[1])
    redis.call("HSET", KEYS[2], ARGV[1], ARGV[i])
    return ARGV[i]
  end
end
return false`;

/** KEYS: 1 `handles`, 2 `handle-of`, 3 old `handle-of:<id>`. ARGV: 1 id, 2 old `handle:` prefix. */
const RELEASE = `
${MIGRATE}
local current = redis.call("HGET", KEYS[2], ARGV[1])
if current and redis.call("HGET", KEYS[1], current) == ARGV[1] then redis.call("HDEL", KEYS[1], current) end
redis.call("HDEL", KEYS[2], ARGV[1])
return 1`;

const ATTEMPTS = 8;

/**
 * Handles in two hashes: `handles` (handle → member id: the claim, taken with
 * a Lua script so two members can never hold one handle) and `handle-of`
 * (member id → handle). Two hash fields cost far less than two keys per
 * member. Records in the older layout (string keys `handle:<handle>` and
 * `handle-of:<id>`) are still read, and moved into the hashes by the next
 * claim or release for that member. Neither sits under a member's root; as
 * the data section "handle", forgetting a member removes both fields.
 */
export class RedisHandleStore implements HandleStore, MemberDataSection {
  readonly name = "handle";

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  private get handles(): string {
    return this.keys.global("handles");
  }

  private get owners(): string {
    return this.keys.global("handle-of");
  }

  private oldHandleKey(handle: string): string {
    return this.keys.global(`handle:${handle}`);
  }

  private oldOwnKey(id: MemberId): string {
    return this.keys.global(`handle-of:${id}`);
  }

  private scriptKeys(id: MemberId): [string, string, string] {
    return [this.handles, this.owners, this.oldOwnKey(id)];
  }

  async handleOf(id: MemberId): Promise<string | null> {
    const [current, old] = await this.wrap("handleOf", () =>
      Promise.all([this.redis.hget(this.owners, id), this.redis.get(this.oldOwnKey(id))]),
    );
    return current ?? old;
  }

  async memberFor(handle: string): Promise<MemberId | null> {
    if (!isHandle(handle)) return null;
    const [current, old] = await this.wrap("memberFor", () =>
      Promise.all([this.redis.hget(this.handles, handle), this.redis.get(this.oldHandleKey(handle))]),
    );
    return current ?? old;
  }

  async claim(id: MemberId, handle: string): Promise<boolean> {
    if (!isHandle(handle)) throw new BotError("INTERNAL", "claim of a malformed handle");
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const old = (await this.handleOf(id)) ?? "";
      const result = await this.wrap("claim", () =>
        this.redis.eval(CLAIM, 3, ...this.scriptKeys(id), id, this.oldHandleKey(""), handle, old),
      );
      if (result !== -1) return result === 1;
    }
    throw new BotError("STORE_FAILED", "handle claim kept meeting concurrent changes");
  }

  async claimFirstFree(id: MemberId, candidates: readonly string[]): Promise<string | null> {
    const valid = candidates.filter(isHandle);
    const result = await this.wrap("claimFirstFree", () =>
      this.redis.eval(CLAIM_FIRST_FREE, 3, ...this.scriptKeys(id), id, this.oldHandleKey(""), ...valid),
    );
    return typeof result === "string" ? result : null;
  }

  async export(id: MemberId): Promise<unknown> {
    return this.handleOf(id);
  }

  async forget(id: MemberId): Promise<void> {
    await this.wrap("forget", () =>
      this.redis.eval(RELEASE, 3, ...this.scriptKeys(id), id, this.oldHandleKey("")),
    );
  }

  private async wrap<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (cause) {
      throw new BotError("STORE_FAILED", `handle store ${operation} failed`, { cause });
    }
  }
}
