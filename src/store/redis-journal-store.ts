import type { Redis } from "ioredis";
import type { RecordCipher } from "../crypto/record-cipher.js";
import type { MemberDataSection } from "../members/member-store.js";
import type { MemberId } from "../platform/chat-platform.js";
import type { JournalEntry, JournalStore } from "../reflection/journal.js";
import type { RedisKeys } from "./redis-keys.js";

/**
 * A hash `member:<id>:journal`: entry id → the entry, AES-256-GCM sealed with
 * the member and entry id bound in. Entry ids start with the creation time,
 * so they sort by date without decrypting.
 */
export class RedisJournalStore implements JournalStore, MemberDataSection {
  readonly name = "journal";

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly cipher: RecordCipher,
  ) {}

  private key(member: MemberId): string {
    return this.keys.memberPart(member, "journal");
  }

  async save(member: MemberId, entry: JournalEntry): Promise<void> {
    const sealed = this.cipher.encrypt(JSON.stringify(entry), `${member}|${entry.id}`);
    await this.redis.hset(this.key(member), entry.id, sealed);
  }

  async get(member: MemberId, id: string): Promise<JournalEntry | null> {
    const sealed = await this.redis.hget(this.key(member), id);
    return sealed ? (JSON.parse(this.cipher.decrypt(sealed, `${member}|${id}`)) as JournalEntry) : null;
  }

  async list(member: MemberId, limit?: number): Promise<JournalEntry[]> {
    const all = Object.entries(await this.redis.hgetall(this.key(member))).sort(([a], [b]) =>
      b.localeCompare(a),
    );
    return all
      .slice(0, limit ?? all.length)
      .map(([id, sealed]) => JSON.parse(this.cipher.decrypt(sealed, `${member}|${id}`)) as JournalEntry);
  }

  export(member: MemberId): Promise<unknown> {
    return this.list(member);
  }

  async forget(member: MemberId): Promise<void> {
    await this.redis.del(this.key(member));
  }
}
