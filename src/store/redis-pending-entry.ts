import type { Redis } from "ioredis";
import type { RecordCipher } from "../crypto/record-cipher.js";
import type { MemberDataSection } from "../members/member-store.js";
import type { MemberId } from "../platform/chat-platform.js";
import { PENDING_DAYS, type PendingEntry, type PendingEntryStore } from "../reflection/pending-entry.js";
import type { RedisKeys } from "./redis-keys.js";

const TTL_SECONDS = PENDING_DAYS * 24 * 60 * 60;

/**
 * One string `member:<id>:pending`, AES-256-GCM sealed with the member bound
 * in, that expires on its own after PENDING_DAYS.
 */
export class RedisPendingEntryStore implements PendingEntryStore, MemberDataSection {
  readonly name = "waitingToBeSaved";

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly cipher: RecordCipher,
  ) {}

  private key(member: MemberId): string {
    return this.keys.memberPart(member, "pending");
  }

  async hold(member: MemberId, entry: PendingEntry): Promise<void> {
    const sealed = this.cipher.encrypt(JSON.stringify(entry), `${member}|pending`);
    await this.redis.set(this.key(member), sealed, "EX", TTL_SECONDS);
  }

  async get(member: MemberId): Promise<PendingEntry | null> {
    const sealed = await this.redis.get(this.key(member));
    return sealed ? (JSON.parse(this.cipher.decrypt(sealed, `${member}|pending`)) as PendingEntry) : null;
  }

  async clear(member: MemberId): Promise<void> {
    await this.redis.del(this.key(member));
  }

  export(member: MemberId): Promise<unknown> {
    return this.get(member);
  }

  forget(member: MemberId): Promise<void> {
    return this.clear(member);
  }
}
