import type { Redis } from "ioredis";
import { z } from "zod";
import type { RecordCipher } from "../crypto/record-cipher.js";
import { type Logger, silentLogger } from "../logging/logger.js";
import type { MemberDataSection } from "../members/member-store.js";
import type { MemberId } from "../platform/chat-platform.js";
import type { JournalEntry, JournalStore } from "../reflection/journal.js";
import type { RedisKeys } from "./redis-keys.js";
import { readRecord, reportInvalid } from "./stored-record.js";

export const diaryAnswersSchema = z.object({
  what: z.string().exactOptional(),
  helped: z.string().exactOptional(),
  why: z.string().exactOptional(),
});

export const journalEntrySchema = z.object({
  id: z.string().min(1),
  questionId: z.string().exactOptional(),
  question: z.string().exactOptional(),
  createdAt: z.string(),
  answers: diaryAnswersSchema,
});

// Compile-time check that the schema and the domain type agree.
const _parsedIsEntry = (parsed: z.output<typeof journalEntrySchema>): JournalEntry => parsed;
void _parsedIsEntry;

/**
 * A hash `member:<id>:journal`: entry id → the entry, AES-256-GCM sealed with
 * the member and entry id bound in. Entry ids start with the creation time,
 * so they sort by date without decrypting.
 *
 * An entry that will not decrypt, or decrypts to something that is not an
 * entry, is reported (kind and reason only) and left out; it stays stored,
 * so `/peer forget` still deletes it.
 */
export class RedisJournalStore implements JournalStore, MemberDataSection {
  readonly name = "journal";

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly cipher: RecordCipher,
    private readonly logger: Logger = silentLogger,
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
    return sealed ? this.open(member, id, sealed) : null;
  }

  async list(member: MemberId, limit?: number): Promise<JournalEntry[]> {
    const all = Object.entries(await this.redis.hgetall(this.key(member))).sort(([a], [b]) =>
      b.localeCompare(a),
    );
    const wanted = limit ?? all.length;
    const entries: JournalEntry[] = [];
    for (const [id, sealed] of all) {
      if (entries.length >= wanted) break;
      const entry = this.open(member, id, sealed);
      if (entry) entries.push(entry);
    }
    return entries;
  }

  export(member: MemberId): Promise<unknown> {
    return this.list(member);
  }

  async forget(member: MemberId): Promise<void> {
    await this.redis.del(this.key(member));
  }

  private open(member: MemberId, id: string, sealed: string): JournalEntry | null {
    let plaintext: string;
    try {
      plaintext = this.cipher.decrypt(sealed, `${member}|${id}`);
    } catch {
      reportInvalid(this.logger, "journal-entry", "undecryptable");
      return null;
    }
    return readRecord(journalEntrySchema, plaintext, "journal-entry", this.logger);
  }
}
