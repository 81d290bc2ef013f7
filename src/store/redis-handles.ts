import type { Redis } from "ioredis";
import { BotError } from "../errors.js";
import { type HandleStore, isHandle } from "../members/handles.js";
import type { MemberDataSection } from "../members/member-store.js";
import type { MemberId } from "../platform/chat-platform.js";
import type { RedisKeys } from "./redis-keys.js";

/**
 * KEYS: 1 `handle:<new>`, 2 `handle-of:<id>`, 3 `handle:<old>` (any key when none).
 * ARGV: 1 id, 2 new, 3 old handle as read ("" when none).
 * -1: the member's handle changed since it was read (read again); 0: taken; 1: done.
 */
const CLAIM = `
local current = redis.call("GET", KEYS[2]) or ""
if current ~= ARGV[3] then return -1 end
local owner = redis.call("GET", KEYS[1])
if owner and owner ~= ARGV[1] then return 0 end
if ARGV[3] ~= "" and ARGV[3] ~= ARGV[2] and redis.call("GET", KEYS[3]) == ARGV[1] then
  redis.call("DEL", KEYS[3])
end
redis.call("SET", KEYS[1], ARGV[1])
redis.call("SET", KEYS[2], ARGV[2])
return 1`;

/**
 * KEYS: 1 `handle-of:<id>`, 2.. `handle:<candidate>`. ARGV: 1 id, 2.. the candidates.
 * Returns the member's handle afterwards, or false when every candidate is taken.
 */
const CLAIM_FIRST_FREE = `
local current = redis.call("GET", KEYS[1])
if current then return current end
for i = 2, #KEYS do
  local owner = redis.call("GET", KEYS[i])
  if not owner or owner == ARGV[1] then
    redis.call("SET", KEYS[i], ARGV[1])
    redis.call("SET", KEYS[1], ARGV[i])
    return ARGV[i]
  end
end
return false`;

/** KEYS: 1 `handle-of:<id>`, 2 `handle:<old>`. ARGV: 1 id, 2 old handle as read. -1: changed meanwhile. */
const RELEASE = `
local current = redis.call("GET", KEYS[1]) or ""
if current ~= ARGV[2] then return -1 end
if ARGV[2] ~= "" and redis.call("GET", KEYS[2]) == ARGV[1] then redis.call("DEL", KEYS[2]) end
redis.call("DEL", KEYS[1])
return 1`;

const ATTEMPTS = 8;

/**
 * Handles as two string keys: `handle:<handle>` → member id (the claim, taken
 * with a Lua script so two members can never hold one handle) and
 * `handle-of:<id>` → handle. Neither sits under the member's root, so they do
 * not depend on the order data sections are forgotten in; as the data section
 * "handle", forgetting a member deletes both.
 */
export class RedisHandleStore implements HandleStore, MemberDataSection {
  readonly name = "handle";

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  private handleKey(handle: string): string {
    return this.keys.global(`handle:${handle}`);
  }

  private ownKey(id: MemberId): string {
    return this.keys.global(`handle-of:${id}`);
  }

  handleOf(id: MemberId): Promise<string | null> {
    return this.wrap("handleOf", () => this.redis.get(this.ownKey(id)));
  }

  async memberFor(handle: string): Promise<MemberId | null> {
    if (!isHandle(handle)) return null;
    return this.wrap("memberFor", () => this.redis.get(this.handleKey(handle)));
  }

  async claim(id: MemberId, handle: string): Promise<boolean> {
    if (!isHandle(handle)) throw new BotError("INTERNAL", "claim of a malformed handle");
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const old = (await this.handleOf(id)) ?? "";
      const result = await this.wrap("claim", () =>
        this.redis.eval(
          CLAIM,
          3,
          this.handleKey(handle),
          this.ownKey(id),
          old ? this.handleKey(old) : this.ownKey(id),
          id,
          handle,
          old,
        ),
      );
      if (result !== -1) return result === 1;
    }
    throw new BotError("STORE_FAILED", "handle claim kept meeting concurrent changes");
  }

  async claimFirstFree(id: MemberId, candidates: readonly string[]): Promise<string | null> {
    const valid = candidates.filter(isHandle);
    const result = await this.wrap("claimFirstFree", () =>
      this.redis.eval(
        CLAIM_FIRST_FREE,
        1 + valid.length,
        this.ownKey(id),
        ...valid.map((handle) => this.handleKey(handle)),
        id,
        ...valid,
      ),
    );
    return typeof result === "string" ? result : null;
  }

  async export(id: MemberId): Promise<unknown> {
    return this.handleOf(id);
  }

  async forget(id: MemberId): Promise<void> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const old = (await this.handleOf(id)) ?? "";
      const result = await this.wrap("forget", () =>
        this.redis.eval(RELEASE, 2, this.ownKey(id), old ? this.handleKey(old) : this.ownKey(id), id, old),
      );
      if (result === 1) return;
    }
    throw new BotError("STORE_FAILED", "handle release kept meeting concurrent changes");
  }

  private async wrap<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (cause) {
      throw new BotError("STORE_FAILED", `handle store ${operation} failed`, { cause });
    }
  }
}
