import type { Redis } from "ioredis";
import { BotError } from "../errors.js";
import type { MemberDataSection, MemberStore } from "../members/member-store.js";
import type { Member } from "../members/member.js";
import type { MemberId } from "../platform/chat-platform.js";
import { type RedisKeys, escapeGlob } from "./redis-keys.js";

/**
 * Members as JSON strings at `member:<id>`, plus a set of all ids. As a data
 * section it exports the profile and, on forget, deletes every key under the
 * member's root (`member:<id>` and `member:<id>:*`).
 */
export class RedisMemberStore implements MemberStore, MemberDataSection {
  readonly name = "profile";

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async get(id: MemberId): Promise<Member | null> {
    const json = await this.wrap("get", () => this.redis.get(this.keys.member(id)));
    return json === null ? null : (JSON.parse(json) as Member);
  }

  async getMany(ids: readonly MemberId[]): Promise<Array<Member | null>> {
    if (ids.length === 0) return [];
    const values = await this.wrap("getMany", () =>
      this.redis.mget(...ids.map((id) => this.keys.member(id))),
    );
    return values.map((json) => (json === null ? null : (JSON.parse(json) as Member)));
  }

  async save(member: Member): Promise<void> {
    await this.wrap("save", () =>
      this.redis
        .multi()
        .set(this.keys.member(member.id), JSON.stringify(member))
        .sadd(this.keys.members(), member.id)
        .exec(),
    );
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
