import type { Redis } from "ioredis";
import { z } from "zod";
import type { RecordCipher } from "../crypto/record-cipher.js";
import { BotError } from "../errors.js";
import { type Logger, silentLogger } from "../logging/logger.js";
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
import { runScript } from "./lua-script.js";
import { diaryAnswersSchema } from "./redis-journal-store.js";
import type { RedisKeys } from "./redis-keys.js";
import { readRecord, reportInvalid } from "./stored-record.js";

const TTL_SECONDS = PENDING_DAYS * 24 * 60 * 60;

export const pendingEntrySchema = z.object({
  reason: z.enum(["after-crisis", "offer", "identifying"]),
  answers: diaryAnswersSchema,
  questionId: z.string().exactOptional(),
  entryId: z.string().exactOptional(),
  after: z.enum(["next-step", "form", "keep"]),
  step: z.union([z.literal(0), z.literal(1), z.literal(2)]).exactOptional(),
  heldAt: z.string(),
});

// Compile-time check that the schema and the domain type agree.
const _parsedIsPending = (parsed: z.output<typeof pendingEntrySchema>): PendingEntry => parsed;
void _parsedIsPending;

/**
 * Writes the sealed words only if the slot still holds exactly what was read
 * (ARGV[1]; "" for nothing), so words another process added meanwhile are
 * never overwritten: the caller reads again and joins them in.
 */
const COMPARE_AND_SET = `
local current = redis.call("GET", KEYS[1])
if (current or "") ~= ARGV[1] then return 0 end
redis.call("SET", KEYS[1], ARGV[2], "EX", ARGV[3])
return 1`;

const HOLD_ATTEMPTS = 16;

/**
 * One string per slot, `member:<id>:pending:<slot>`, AES-256-GCM sealed with
 * the member and slot bound in, that expires on its own after PENDING_DAYS.
 * Words that will not decrypt or do not fit the schema are reported (kind and
 * reason only) and read as nothing waiting.
 */
export class RedisPendingEntryStore implements PendingEntryStore, MemberDataSection {
  readonly name = "waitingToBeSaved";

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly cipher: RecordCipher,
    private readonly logger: Logger = silentLogger,
  ) {}

  private key(member: MemberId, slot: PendingSlot): string {
    return this.keys.memberPart(member, `pending:${slot}`);
  }

  async hold(member: MemberId, entry: PendingEntry): Promise<void> {
    const slot = slotFor(entry.reason);
    const key = this.key(member, slot);
    for (let attempt = 0; attempt < HOLD_ATTEMPTS; attempt++) {
      // The guard slot holds one choice at a time: a new one replaces the old.
      const current = slot === "keep" ? ((await this.redis.get(key)) ?? "") : null;
      const earlier = current ? this.open(member, slot, current) : null;
      const held = earlier ? joinWaiting(earlier, entry) : entry;
      const sealed = this.cipher.encrypt(JSON.stringify(held), `${member}|pending|${slot}`);
      if (current === null) {
        await this.redis.set(key, sealed, "EX", TTL_SECONDS);
        return;
      }
      const written = await runScript(this.redis, COMPARE_AND_SET, 1, key, current, sealed, TTL_SECONDS);
      if (written === 1) return;
    }
    throw new BotError("STORE_FAILED", "pending entry hold kept meeting concurrent changes");
  }

  async get(member: MemberId, slot: PendingSlot): Promise<PendingEntry | null> {
    const sealed = await this.redis.get(this.key(member, slot));
    return sealed ? this.open(member, slot, sealed) : null;
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

  private open(member: MemberId, slot: PendingSlot, sealed: string): PendingEntry | null {
    let plaintext: string;
    try {
      plaintext = this.cipher.decrypt(sealed, `${member}|pending|${slot}`);
    } catch {
      reportInvalid(this.logger, "pending-entry", "undecryptable");
      return null;
    }
    return readRecord(pendingEntrySchema, plaintext, "pending-entry", this.logger);
  }
}
