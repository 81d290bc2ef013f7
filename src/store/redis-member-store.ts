import type { Redis } from "ioredis";
import { BotError } from "../errors.js";
import { type Logger, silentLogger } from "../logging/logger.js";
import { memberPatchSchema, memberSchema } from "../members/member-schema.js";
import type { MemberDataSection, MemberPatch, MemberStore } from "../members/member-store.js";
import type { Member } from "../members/member.js";
import type { MemberId } from "../platform/chat-platform.js";
import { runScript } from "./lua-script.js";
import { decodeMember } from "./member-codec.js";
import {
  LONG_FIELDS,
  READ_MEMBERS,
  RECORD_FIELD_LUA,
  type StoredMember,
  decodeMemberFields,
  encodeMemberFields,
  recordFields,
  storedMemberFrom,
} from "./member-hash.js";
import { type RedisKeys, escapeGlob } from "./redis-keys.js";
import { checkRecord, issuePaths, parseJson, reportInvalid } from "./stored-record.js";

/** Enough for any realistic contention on one member's record (their own commands). */
const UPDATE_ATTEMPTS = 16;

/**
 * Writes a member's record fields into their hash (member-hash.ts), moving an
 * older layout in: a JSON string at the key is replaced, the `:state` hash's
 * fields and the `handle-of` entry are moved into the hash, and the old keys go.
 * KEYS: 1 member, 2 old `member:<id>:state`, 3 `members`, 4 old `handle-of`.
 * ARGV: 1 id, 2 mode, 3 the JSON string expected (mode "s"), 4 how many record
 * fields expected (mode "h"), then those field/value pairs, then the new ones.
 * Mode "new" writes whatever is there; "s" only while the key still holds
 * that string; "h" only while the hash's record fields are exactly those.
 * 1 when written, 0 when the record changed meanwhile.
 */
const WRITE = `
${LONG_FIELDS}
${RECORD_FIELD_LUA}
local id, mode, key = ARGV[1], ARGV[2], KEYS[1]
local t = redis.call("TYPE", key)["ok"]
local m = tonumber(ARGV[4])
local function current_record()
  local rec, count = {}, 0
  local flat = redis.call("HGETALL", key)
  for i = 1, #flat, 2 do
    if is_record(flat[i]) then
      rec[flat[i]] = hget_long(key, flat[i])
      count = count + 1
    end
  end
  return rec, count
end
if mode == "s" then
  if t ~= "string" or redis.call("GET", key) ~= ARGV[3] then return 0 end
elseif mode == "h" then
  if t ~= "hash" then return 0 end
  local rec, count = current_record()
  if count ~= m or count == 0 then return 0 end
  for i = 5, 4 + 2 * m, 2 do
    if rec[ARGV[i]] ~= ARGV[i + 1] then return 0 end
  end
end
local first = 5 + 2 * m
local new = {}
for i = first, #ARGV, 2 do new[ARGV[i]] = true end
if t == "hash" then
  local rec = current_record()
  for field in pairs(rec) do
    if not new[field] then hdel_long(key, field) end
  end
elseif t ~= "none" then
  redis.call("DEL", key)
end
for i = first, #ARGV, 2 do hset_long(key, ARGV[i], ARGV[i + 1]) end
if redis.call("EXISTS", KEYS[2]) == 1 then
  local flat = redis.call("HGETALL", KEYS[2])
  for i = 1, #flat, 2 do
    local field = flat[i]
    if not string.find(field, "#", 1, true) and redis.call("HEXISTS", key, field) == 0 then
      hset_long(key, field, hget_long(KEYS[2], field))
    end
  end
  redis.call("DEL", KEYS[2])
end
local handle = redis.call("HGET", KEYS[4], id)
if handle then
  if redis.call("HEXISTS", key, "@") == 0 then redis.call("HSET", key, "@", handle) end
  redis.call("HDEL", KEYS[4], id)
end
redis.call("SADD", KEYS[3], id)
return 1`;

/** Frees the member's handle (the `@` field of their hash) in `handles`. KEYS: member, handles. ARGV: id. */
const RELEASE_HANDLE = `
if redis.call("TYPE", KEYS[1])["ok"] ~= "hash" then return 0 end
local handle = redis.call("HGET", KEYS[1], "@")
if handle and redis.call("HGET", KEYS[2], handle) == ARGV[1] then redis.call("HDEL", KEYS[2], handle) end
return 1`;

/**
 * Members at `member:<id>`: one hash per member holding the record (compact
 * fields, see member-hash.ts), beside their reflection state and handle; the
 * older layouts (a JSON string, member-codec.ts) are still read, and moved
 * into the hash by the member's next change. Plus a set of all ids. As a
 * data section it exports the profile and, on forget, deletes every key
 * under the member's root (`member:<id>` and `member:<id>:*`) and frees
 * their handle.
 *
 * Every read goes through `memberSchema`: a malformed record is reported (code
 * and kind only) and read as no member.
 *
 * `update` is an optimistic compare-and-set: read the record, merge the patch
 * in this process, and write it with a Lua script only if the stored record
 * fields (or the older JSON string) are still exactly what was read;
 * otherwise read again and re-merge. The merged record is checked against the
 * schema before it is written, and no concurrent change to another field can
 * be lost: such a change makes the compare fail, and the patch (re-computed,
 * when it is a function of the current member) is merged into the new value.
 * Contention is on one member's record only, so retries are rare and bounded.
 * The state and handle fields beside the record are written by their own
 * stores, field by field, and are never part of the compare.
 */
export class RedisMemberStore implements MemberStore, MemberDataSection {
  readonly name = "profile";

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger = silentLogger,
  ) {}

  private scriptKeys(id: MemberId): [string, string, string, string] {
    return [
      this.keys.member(id),
      this.keys.memberPart(id, "state"),
      this.keys.members(),
      this.keys.global("handle-of"),
    ];
  }

  private async readStored(ids: readonly MemberId[]): Promise<StoredMember[]> {
    const replies = (await this.wrap("get", () =>
      runScript(this.redis, READ_MEMBERS, ids.length, ...ids.map((id) => this.keys.member(id))),
    )) as string[][];
    return replies.map(storedMemberFrom);
  }

  async get(id: MemberId): Promise<Member | null> {
    const [stored] = await this.readStored([id]);
    return stored ? this.read(stored, id) : null;
  }

  /** The plain record stored (either layout), unchecked; undefined when there is none or it isn't JSON. */
  private plainOf(stored: StoredMember, id: MemberId): Record<string, unknown> | undefined {
    if (stored.layout === "hash") return decodeMemberFields(stored.fields, id) ?? undefined;
    if (stored.layout === "none") return undefined;
    const parsed = parseJson(stored.json);
    if (!parsed.ok || typeof parsed.value !== "object" || parsed.value === null) {
      reportInvalid(this.logger, "member", "not-json");
      return undefined;
    }
    return decodeMember(parsed.value, id) as Record<string, unknown>;
  }

  /** A stored record (either layout) through the member schema. */
  private read(stored: StoredMember, id: MemberId): Member | null {
    const plain = this.plainOf(stored, id);
    return plain === undefined ? null : checkRecord(memberSchema, plain, "member", this.logger);
  }

  async getMany(ids: readonly MemberId[]): Promise<Array<Member | null>> {
    if (ids.length === 0) return [];
    const stored = await this.readStored(ids);
    return stored.map((each, i) => this.read(each, ids[i] as MemberId));
  }

  async save(member: Member): Promise<void> {
    const fields = encodeMemberFields({ ...member });
    await this.wrap("save", () =>
      runScript(
        this.redis,
        WRITE,
        4,
        ...this.scriptKeys(member.id),
        member.id,
        "new",
        "",
        0,
        ...flatten(fields),
      ),
    );
  }

  async update(
    id: MemberId,
    patch: MemberPatch | ((current: Member) => MemberPatch),
  ): Promise<Member | null> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const [stored] = await this.readStored([id]);
      if (!stored || stored.layout === "none") return null;
      const plain = this.plainOf(stored, id);
      if (plain === undefined) return null;
      const current = checkRecord(memberSchema, plain, "member", this.logger);
      if (!current) return null;
      const changes = this.checkPatch(typeof patch === "function" ? patch(current) : patch);
      // Fields this version does not know are carried over untouched.
      const merged: Record<string, unknown> = { ...plain, ...changes, id };
      for (const [field, value] of Object.entries(merged)) if (value === undefined) delete merged[field];
      const member = checkRecord(memberSchema, merged, "member", this.logger);
      if (!member) throw new BotError("STORE_FAILED", "member store update would store an invalid member");
      const after = encodeMemberFields(merged);
      const before = stored.layout === "hash" ? recordFields(stored.fields) : undefined;
      if (before && sameFields(before, after)) return member;
      const expected = before
        ? ["h", "", Object.keys(before).length, ...flatten(before)]
        : ["s", stored.layout === "string" ? stored.json : "", 0];
      const written = await this.wrap("update", () =>
        runScript(this.redis, WRITE, 4, ...this.scriptKeys(id), id, ...expected, ...flatten(after)),
      );
      if (written === 1) return member;
    }
    throw new BotError("STORE_FAILED", "member store update kept meeting concurrent changes");
  }

  /** The patch's fields, each checked; `undefined` values kept (they remove a field). */
  private checkPatch(patch: MemberPatch): Record<string, unknown> {
    const checked = memberPatchSchema.safeParse(patch);
    if (!checked.success) {
      reportInvalid(this.logger, "member-patch", "invalid-shape", issuePaths(checked.error));
      throw new BotError("STORE_FAILED", "member store update refused an invalid change");
    }
    const changes: Record<string, unknown> = { ...checked.data };
    if ("preferences" in patch && patch.preferences === undefined) changes.preferences = undefined;
    return changes;
  }

  async listIds(): Promise<MemberId[]> {
    return this.wrap("listIds", () => this.redis.smembers(this.keys.members()));
  }

  export(id: MemberId): Promise<unknown> {
    return this.get(id);
  }

  async forget(id: MemberId): Promise<void> {
    const root = this.keys.memberRoot(id);
    await this.wrap("forget", () =>
      runScript(this.redis, RELEASE_HANDLE, 2, this.keys.member(id), this.keys.global("handles"), id),
    );
    const owned = [root];
    const stream = this.redis.scanStream({ match: `${escapeGlob(root)}:*`, count: 500 });
    for await (const batch of stream as AsyncIterable<string[]>) owned.push(...batch);
    await this.wrap("forget", () =>
      this.redis
        .multi()
        .del(...owned)
        .srem(this.keys.members(), id)
        .exec(),
    );
  }

  private async wrap<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (cause) {
      throw new BotError("STORE_FAILED", `member store ${operation} failed`, { cause });
    }
  }
}

function flatten(fields: Record<string, string>): string[] {
  return Object.entries(fields).flat();
}

function sameFields(a: Record<string, string>, b: Record<string, string>): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((name) => a[name] === b[name]);
}
