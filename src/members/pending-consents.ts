import type { MemberId } from "../platform/chat-platform.js";
import type { Clock } from "../time/clock.js";
import type { MemberSettings } from "./member.js";

export interface JoinDraft {
  readonly settings: MemberSettings;
  readonly displayName: string;
}

/**
 * Join requests waiting for the member's consent. They are held in this
 * process only, never written to the store: nothing about a person is stored
 * until they agree. An unanswered request lapses after `ttlMs`.
 */
export class PendingConsents {
  private readonly drafts = new Map<MemberId, { draft: JoinDraft; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 30 * 60_000,
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
