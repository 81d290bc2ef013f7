import type { Redis } from "ioredis";
import type { RecordCipher } from "../crypto/record-cipher.js";
import type { MemberDataSection } from "../members/member-store.js";
import type { MemberId } from "../platform/chat-platform.js";
import {
  PENDING_DAYS,
  type PendingEntry,
  type PendingEntryStore,
  type PendingSlot,
  joinWaiting,
  slotFor,
} from "../reflection/pending-entry.js";
import type { RedisKeys } from "./redis-keys.js";

const TTL_SECONDS = PENDING_DAYS * 24 * 60 * 60;

/**
 * One string per slot, `member:<id>:pending:<slot>`, AES-256-GCM sealed with
 * the member and slot bound in, that expires on its own after PENDING_DAYS.
 */
export class RedisPendingEntryStore implements PendingEntryStore, MemberDataSection {
  readonly name = "waitingToBeSaved";

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly cipher: RecordCipher,
  ) {}

  private key(member: MemberId, slot: PendingSlot): string {
    return this.keys.memberPart(member, `pending:${slot}`);
  }

  async hold(member: MemberId, entry: PendingEntry): Promise<void> {
    const slot = slotFor(entry.reason);
    const earlier = slot === "keep" ? await this.get(member, slot) : null;
    const held = earlier ? joinWaiting(earlier, entry) : entry;
    const sealed = this.cipher.encrypt(JSON.stringify(held), `${member}|pending|${slot}`);
    await this.redis.set(this.key(member, slot), sealed, "EX", TTL_SECONDS);
  }

  async get(member: MemberId, slot: PendingSlot): Promise<PendingEntry | null> {
    const sealed = await this.redis.get(this.key(member, slot));
    if (!sealed) return null;
    return JSON.parse(this.cipher.decrypt(sealed, `${member}|pending|${slot}`)) as PendingEntry;
  }

  async clear(member: MemberId, slot: PendingSlot): Promise<void> {
    await this.redis.del(this.key(member, slot));
  }

  async export(member: MemberId): Promise<unknown> {
    return { afterAHardMessage: await this.get(member, "keep"), atTheGuard: await this.get(member, "guard") };
  }

  async forget(member: MemberId): Promise<void> {
    await this.redis.del(this.key(member, "keep"), this.key(member, "guard"));
  }
}
