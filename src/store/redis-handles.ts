import type { Redis } from "ioredis";
import { BotError } from "../errors.js";
import { type HandleStore, isHandle } from "../members/handles.js";
import type { MemberDataSection } from "../members/member-store.js";
import type { MemberId } from "../platform/chat-platform.js";
import { runScript } from "./lua-script.js";
import type { RedisKeys } from "./redis-keys.js";

/**
 * Where a member's handle is kept: the `@` field of their own hash (member-hash.ts), or, for a
 * member whose record is not (yet) in that layout, their field in the `handle-of` hash (moved
 * into their hash by their next record write). KEYS: 1 `handles`, 2 `handle-of`, 3 old
 * `handle-of:<id>`, 4 the member's key. ARGV: 1 id.
 */
const OWN = `
local in_hash = redis.call("TYPE", KEYS[4])["ok"] == "hash"
local function own_get()
  return (in_hash and redis.call("HGET", KEYS[4], "@")) or redis.call("HGET", KEYS[2], ARGV[1])
end
local function own_set(handle)
  if in_hash then
    redis.call("HSET", KEYS[4], "@", handle)
    redis.call("HDEL", KEYS[2], ARGV[1])
  else
    redis.call("HSET", KEYS[2], ARGV[1], handle)
  end
end
local function own_del()
  if in_hash then redis.call("HDEL", KEYS[4], "@") end
  redis.call("HDEL", KEYS[2], ARGV[1])
end`;

/**
 * Moves one member's handle from the oldest layout (two string keys) into the current one, if it
 * is still there. The old `handle:<handle>` key is found from `handle-of:<id>`. ARGV: 2 the old
 * keys' prefix for `handle:`.
 */
const MIGRATE = `
${OWN}
local old = redis.call("GET", KEYS[3])
if old then
  if not own_get() then own_set(old) end
  if redis.call("GET", ARGV[2] .. old) == ARGV[1] then
    redis.call("HSETNX", KEYS[1], old, ARGV[1])
    redis.call("DEL", ARGV[2] .. old)
  end
  redis.call("DEL", KEYS[3])
end`;

/** The member's handle, wherever it is kept (false when none). KEYS and ARGV as OWN. */
const HANDLE_OF = `
${OWN}
return own_get() or redis.call("GET", KEYS[3])`;

/**
 * ARGV: 1 id, 2 old `handle:` prefix, 3 new handle, 4 old handle as read ("" when none).
 * -1: the member's handle changed since it was read (read again); 0: taken; 1: done.
 */
const CLAIM = `
${MIGRATE}
local current = own_get() or ""
if current ~= ARGV[4] then return -1 end
local owner = redis.call("HGET", KEYS[1], ARGV[3]) or redis.call("GET", ARGV[2] .. ARGV[3])
if owner and owner ~= ARGV[1] then return 0 end
if ARGV[4] ~= "" and ARGV[4] ~= ARGV[3] and redis.call("HGET", KEYS[1], ARGV[4]) == ARGV[1] then
  redis.call("HDEL", KEYS[1], ARGV[4])
end
redis.call("HSET", KEYS[1], ARGV[3], ARGV[1])
own_set(ARGV[3])
return 1`;

/** ARGV: 1 id, 2 old `handle:` prefix, 3.. the candidates. The member's handle afterwards, or false. */
const CLAIM_FIRST_FREE = `
${MIGRATE}
local current = own_get()
if current then return current end
for i = 3, #ARGV do
  local owner = redis.call("HGET", KEYS[1], ARGV[i]) or redis.call("GET", ARGV[2] .. ARGV[i])
  if not owner or owner == ARGV[1] then
    redis.call("HSET", KEYS[1], ARGV[i], ARGV[1])
    own_set(ARGV[i])
    return ARGV[i]
  end
end
return false`;

/** ARGV: 1 id, 2 old `handle:` prefix. */
const RELEASE = `
${MIGRATE}
local current = own_get()
if current and redis.call("HGET", KEYS[1], current) == ARGV[1] then redis.call("HDEL", KEYS[1], current) end
own_del()
return 1`;

const ATTEMPTS = 8;

/**
 * Handles: `handles` (handle → member id: the claim, taken with a Lua script
 * so two members can never hold one handle), and each member's own handle in
 * the `@` field of their hash (member-hash.ts), so no second entry per member.
 * Older layouts are still read: the `handle-of` hash (member id → handle;
 * still written for a member whose record is in the older layout, and moved
 * into their hash by their next record write), and before it string keys
 * `handle:<handle>` and `handle-of:<id>` (moved by the member's next claim or
 * release). As the data section "handle", forgetting a member removes both
 * (the member store also frees the handle when it deletes the member's hash).
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

  private scriptKeys(id: MemberId): [string, string, string, string] {
    return [this.handles, this.owners, this.oldOwnKey(id), this.keys.member(id)];
  }

  async handleOf(id: MemberId): Promise<string | null> {
    const found = await this.wrap("handleOf", () =>
      runScript(this.redis, HANDLE_OF, 4, ...this.scriptKeys(id), id),
    );
    return typeof found === "string" ? found : null;
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
        runScript(this.redis, CLAIM, 4, ...this.scriptKeys(id), id, this.oldHandleKey(""), handle, old),
      );
      if (result !== -1) return result === 1;
    }
    throw new BotError("STORE_FAILED", "handle claim kept meeting concurrent changes");
  }

  async claimFirstFree(id: MemberId, candidates: readonly string[]): Promise<string | null> {
    const valid = candidates.filter(isHandle);
    const result = await this.wrap("claimFirstFree", () =>
      runScript(this.redis, CLAIM_FIRST_FREE, 4, ...this.scriptKeys(id), id, this.oldHandleKey(""), ...valid),
    );
    return typeof result === "string" ? result : null;
  }

  async export(id: MemberId): Promise<unknown> {
    return this.handleOf(id);
  }

  async forget(id: MemberId): Promise<void> {
    await this.wrap("forget", () =>
      runScript(this.redis, RELEASE, 4, ...this.scriptKeys(id), id, this.oldHandleKey("")),
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
