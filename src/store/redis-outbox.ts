import type { Redis } from "ioredis";
import { z } from "zod";
import type { RecordCipher } from "../crypto/record-cipher.js";
import type { OutboxEntry, OutboxStore } from "../delivery/outbox.js";
import { type Logger, silentLogger } from "../logging/logger.js";
import type { MessageRef } from "../platform/chat-platform.js";
import type { RedisKeys } from "./redis-keys.js";

const conversation = z.object({
  kind: z.enum(["dm", "group", "channel"]),
  id: z.string().min(1),
  thread: z.string().exactOptional(),
});
const button = z.object({
  id: z.string(),
  label: z.string(),
  style: z.enum(["primary", "danger"]).exactOptional(),
  value: z.string().exactOptional(),
});
const file = z.object({ name: z.string(), contentType: z.string(), content: z.string() });
const entrySchema = z.object({
  to: conversation,
  message: z.object({
    text: z.string(),
    buttons: z.array(button).exactOptional(),
    files: z.array(file).exactOptional(),
  }),
});
const refSchema = z.object({ conversation, id: z.string() });

/**
 * `outbox:<id>` → the sealed entry (AES-GCM, bound to its id), kept `ttlMs`
 * (a day: long enough for any retry, short enough that words do not linger);
 * `outbox:<id>:sent` → the sent message's reference, sealed too, for a week.
 */
export class RedisOutboxStore implements OutboxStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly cipher: RecordCipher,
    private readonly logger: Logger = silentLogger,
    private readonly ttlMs = 24 * 60 * 60_000,
  ) {}

  private key(id: string): string {
    return this.keys.global(`outbox:${id}`);
  }

  async put(id: string, entry: OutboxEntry): Promise<void> {
    const sealed = this.cipher.encrypt(JSON.stringify(entry), `outbox|${id}`);
    await this.redis.set(this.key(id), sealed, "PX", this.ttlMs);
  }

  async get(id: string): Promise<OutboxEntry | null> {
    const sealed = await this.redis.get(this.key(id));
    if (!sealed) return null;
    try {
      const parsed = entrySchema.safeParse(JSON.parse(this.cipher.decrypt(sealed, `outbox|${id}`)));
      if (parsed.success) return parsed.data;
    } catch {
      // Reported below.
    }
    this.logger.warn(
      { code: "STORED_RECORD_INVALID", kind: "outbox-entry" },
      "skipped a malformed stored record",
    );
    return null;
  }

  async remove(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }

  async cancel(id: string): Promise<void> {
    await this.redis
      .multi()
      .set(`${this.key(id)}:cancelled`, "1", "PX", this.ttlMs)
      .del(this.key(id))
      .exec();
  }

  async cancelled(id: string): Promise<boolean> {
    return (await this.redis.exists(`${this.key(id)}:cancelled`)) === 1;
  }

  async keepSent(id: string, ref: MessageRef): Promise<void> {
    // Sealed too: a DM's reference names the member, and nothing in clear may outlive their forgetting.
    const sealed = this.cipher.encrypt(JSON.stringify(ref), `outbox-sent|${id}`);
    await this.redis.set(`${this.key(id)}:sent`, sealed, "PX", 7 * 24 * 60 * 60_000);
  }

  async sent(id: string): Promise<MessageRef | null> {
    const sealed = await this.redis.get(`${this.key(id)}:sent`);
    if (!sealed) return null;
    try {
      const parsed = refSchema.safeParse(JSON.parse(this.cipher.decrypt(sealed, `outbox-sent|${id}`)));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
}
