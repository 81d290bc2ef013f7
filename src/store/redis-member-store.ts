import type { Redis } from "ioredis";
import { BotError } from "../errors.js";
import { type Logger, silentLogger } from "../logging/logger.js";
import { memberPatchSchema, memberSchema } from "../members/member-schema.js";
import type { MemberDataSection, MemberPatch, MemberStore } from "../members/member-store.js";
import type { Member } from "../members/member.js";
import type { MemberId } from "../platform/chat-platform.js";
import { decodeMember, encodeMember } from "./member-codec.js";
import { type RedisKeys, escapeGlob } from "./redis-keys.js";
import { COMPARE_AND_SET, checkRecord, issuePaths, parseJson, reportInvalid } from "./stored-record.js";

/** Replaces the record only if it is still exactly what was read. */

/** Enough for any realistic contention on one member's record (their own commands). */
const UPDATE_ATTEMPTS = 16;

/**
 * Members as compact JSON strings at `member:<id>` (member-codec.ts; the
 * older plain form is still read, and rewritten compactly on the next
 * change), plus a set of all ids. As a data
 * section it exports the profile and, on forget, deletes every key under the
 * member's root (`member:<id>` and `member:<id>:*`).
 *
 * Every read goes through `memberSchema`: a malformed record is reported (code
 * and kind only) and read as no member.
 *
 * `update` is an optimistic compare-and-set: read the JSON, merge the patch in
 * this process, and write it with a Lua script only if the stored text is
 * still byte-for-byte what was read; otherwise read again and re-merge. Chosen
 * over the alternatives because:
 * - per-field hashes would change the layout that the delivery markers, the
 *   member cache (`EXISTS member:<id>`) and end-to-end tests read as one JSON
 *   string, and every old record would need migrating;
 * - merging inside Lua would re-encode the record with cjson (which writes an
 *   empty array as `{}` and escapes `/`), and could not check the result;
 * - WATCH/MULTI needs a connection of its own per update (WATCH is
 *   per-connection state, and this client is shared by concurrent callers).
 * Here the merged record is checked against the schema before it is written,
 * one codec (JSON.stringify) writes every record, and no concurrent change
 * to another field can be lost: such a change makes the compare fail, and the
 * patch (re-computed, when it is a function of the current member) is merged
 * into the new value. Contention is on one member's record only, so retries
 * are rare and bounded.
 */
export class RedisMemberStore implements MemberStore, MemberDataSection {
  readonly name = "profile";

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger = silentLogger,
  ) {}

  async get(id: MemberId): Promise<Member | null> {
    const json = await this.wrap("get", () => this.redis.get(this.keys.member(id)));
    return this.read(json, id);
  }

  /** A stored record (either form, see member-codec.ts) through the member schema. */
  private read(json: string | null, id: MemberId): Member | null {
    if (json === null) return null;
    const stored = parseJson(json);
    if (!stored.ok) {
      reportInvalid(this.logger, "member", "not-json");
      return null;
    }
    return checkRecord(memberSchema, decodeMember(stored.value, id), "member", this.logger);
  }

  async getMany(ids: readonly MemberId[]): Promise<Array<Member | null>> {
    if (ids.length === 0) return [];
    const values = await this.wrap("getMany", () =>
      this.redis.mget(...ids.map((id) => this.keys.member(id))),
    );
    return values.map((json, i) => this.read(json, ids[i] as MemberId));
  }

  async save(member: Member): Promise<void> {
    await this.wrap("save", () =>
      this.redis
        .multi()
        .set(this.keys.member(member.id), encodeMember({ ...member }))
        .sadd(this.keys.members(), member.id)
        .exec(),
    );
  }

  async update(
    id: MemberId,
    patch: MemberPatch | ((current: Member) => MemberPatch),
  ): Promise<Member | null> {
    const key = this.keys.member(id);
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const before = await this.wrap("update", () => this.redis.get(key));
      if (before === null) return null;
      const stored = parseJson(before);
      if (!stored.ok || typeof stored.value !== "object" || stored.value === null) {
        reportInvalid(this.logger, "member", "not-json");
        return null;
      }
      const plain = decodeMember(stored.value, id) as Record<string, unknown>;
      const current = checkRecord(memberSchema, plain, "member", this.logger);
      if (!current) return null;
      const changes = this.checkPatch(typeof patch === "function" ? patch(current) : patch);
      // Fields this version does not know are carried over untouched.
      const merged: Record<string, unknown> = { ...plain, ...changes, id };
      for (const [field, value] of Object.entries(merged)) if (value === undefined) delete merged[field];
      const member = checkRecord(memberSchema, merged, "member", this.logger);
      if (!member) throw new BotError("STORE_FAILED", "member store update would store an invalid member");
      const after = encodeMember(merged);
      if (after === before) return member;
      const written = await this.wrap("update", () =>
        this.redis.eval(COMPARE_AND_SET, 1, key, before, after),
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
