import { z } from "zod";
import type { MemberId } from "../platform/chat-platform.js";
import type { Clock } from "../time/clock.js";
import { memberSettingsSchema } from "./member-schema.js";
import type { MemberSettings } from "./member.js";

export interface JoinDraft {
  readonly settings: MemberSettings;
  readonly displayName: string;
}

/** How long a join request waits for an answer before it lapses. */
export const JOIN_DRAFT_TTL_MS = 30 * 60_000;

/** A display name longer than this is cut; it comes from the platform, not from the person. */
export const MAX_DRAFT_NAME = 100;

/** A draft is a handful of short settings; anything bigger than this is refused. */
export const MAX_DRAFT_BYTES = 2_048;

export const joinDraftSchema = z.object({
  settings: memberSettingsSchema,
  displayName: z.string().max(MAX_DRAFT_NAME),
});

// Compile-time check that the schema and the domain type agree.
const _parsedIsDraft = (parsed: z.output<typeof joinDraftSchema>): JoinDraft => parsed;
void _parsedIsDraft;

/**
 * Join requests waiting for the member's consent, shared by every process.
 *
 * Before someone agrees, the draft is the only thing kept about them: the
 * settings they typed and their display name, under a key of their own that
 * expires after `JOIN_DRAFT_TTL_MS` if they never answer. Taking it (consent)
 * removes it in the same step; declining or `/peer forget` deletes it. Nothing
 * else about a person is stored until they agree.
 */
export interface PendingConsentStore {
  /** Holds (or replaces) the member's draft, for `JOIN_DRAFT_TTL_MS`. Refuses an oversized draft. */
  hold(member: MemberId, draft: JoinDraft): Promise<void>;
  /** Removes and returns the member's draft, if it has not lapsed. Of two takes, one gets it. */
  take(member: MemberId): Promise<JoinDraft | undefined>;
  drop(member: MemberId): Promise<void>;
}

/**
 * @deprecated Process memory only, so a consent answered in another process
 * finds no draft. Use `RedisPendingConsents` (`store/redis-pending-consents.ts`)
 * through `PendingConsentStore`; this stays until the callers are async.
 *
 * Join requests waiting for the member's consent, held in this process only.
 * An unanswered request lapses after `ttlMs`.
 */
export class PendingConsents {
  private readonly drafts = new Map<MemberId, { draft: JoinDraft; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = JOIN_DRAFT_TTL_MS,
  ) {}

  hold(member: MemberId, draft: JoinDraft): void {
    this.sweep();
    this.drafts.set(member, { draft, expiresAt: this.clock.now().getTime() + this.ttlMs });
  }

  /** Removes and returns the member's draft, if it has not lapsed. */
  take(member: MemberId): JoinDraft | undefined {
    this.sweep();
    const held = this.drafts.get(member);
    this.drafts.delete(member);
    return held?.draft;
  }

  drop(member: MemberId): void {
    this.drafts.delete(member);
  }

  private sweep(): void {
    const now = this.clock.now().getTime();
    for (const [member, held] of this.drafts) if (held.expiresAt <= now) this.drafts.delete(member);
  }
}
