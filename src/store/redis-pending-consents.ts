import type { Redis } from "ioredis";
import { z } from "zod";
import { UserInputError } from "../errors.js";
import { type Logger, silentLogger } from "../logging/logger.js";
import {
  JOIN_DRAFT_TTL_MS,
  type JoinDraft,
  MAX_DRAFT_BYTES,
  MAX_DRAFT_NAME,
  type PendingConsentStore,
  joinDraftSchema,
} from "../members/pending-consents.js";
import type { MemberId } from "../platform/chat-platform.js";
import type { Clock } from "../time/clock.js";
import type { RedisKeys } from "./redis-keys.js";
import { checkRecord, readRecord } from "./stored-record.js";

const heldSchema = z.object({ draft: z.unknown(), expiresAt: z.number() });

/**
 * One string per person, `member:<id>:consent`: the draft and when it lapses
 * by the bot's clock, written with a Redis expiry of the same length. So the
 * draft disappears on its own if they never answer (Redis TTL, real time),
 * and lapses too when the bot's clock is moved on (tests, `/clock` in the
 * local chat). It sits under the member's root, so `/peer forget` removes it
 * with everything else. `take` is GETDEL: of two processes handling the same
 * consent press, only one gets the draft.
 */
export class RedisPendingConsents implements PendingConsentStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
    private readonly logger: Logger = silentLogger,
    private readonly ttlMs = JOIN_DRAFT_TTL_MS,
  ) {}

  private key(member: MemberId): string {
    return this.keys.memberPart(member, "consent");
  }

  async hold(member: MemberId, draft: JoinDraft): Promise<void> {
    const trimmed = { ...draft, displayName: draft.displayName.slice(0, MAX_DRAFT_NAME) };
    const checked = joinDraftSchema.safeParse(trimmed);
    const text = checked.success
      ? JSON.stringify({ draft: checked.data, expiresAt: this.clock.now().getTime() + this.ttlMs })
      : "";
    if (!checked.success || Buffer.byteLength(text) > MAX_DRAFT_BYTES) {
      throw new UserInputError(
        "Those settings are too long for me to keep. Please shorten them and try again.",
      );
    }
    await this.redis.set(this.key(member), text, "PX", this.ttlMs);
  }

  async take(member: MemberId): Promise<JoinDraft | undefined> {
    const held = readRecord(
      heldSchema,
      await this.redis.getdel(this.key(member)),
      "pending-consent",
      this.logger,
    );
    if (!held || held.expiresAt <= this.clock.now().getTime()) return undefined;
    return checkRecord(joinDraftSchema, held.draft, "pending-consent", this.logger) ?? undefined;
  }

  async drop(member: MemberId): Promise<void> {
    await this.redis.del(this.key(member));
  }
}
