/**
 * One scheduled send: its subject, its kind, and when it is due (epoch ms).
 * Ids only, never text.
 *
 * The subject is what the item is about, as a platform-qualified id: a member
 * (`slack:T01:U02`, for a prompt or a tip), or something a feature keeps,
 * named so its platform comes first (`discord:circle:42`, a session's
 * reminder). A subject may have one item of each kind, and many kinds.
 * The kind names the feature handler that words and sends it.
 */
export interface ScheduledItem {
  readonly subject: string;
  readonly kind: string;
  readonly due: number;
}

/** The stable id of one send: the same subject, kind and slot always give the same id. */
export function deliveryId(item: ScheduledItem): string {
  return `${item.kind}|${item.subject}|${item.due}`;
}

/**
 * The schedule is the source of truth for what is due. The queue only carries
 * items; an item leaves the schedule for good only when its delivery is
 * complete, so a lost or flushed queue heals itself when the lease runs out.
 */
export interface ScheduleStore {
  /** Sets, replaces or (with null) removes the next due time of one kind for a subject. */
  set(subject: string, kind: string, due: number | null): Promise<void>;
  /** Adds the entry only if none is scheduled (used by reconcile). */
  setIfAbsent(subject: string, kind: string, due: number): Promise<void>;
  get(subject: string, kind: string): Promise<number | null>;
  /** What is scheduled for a subject among these kinds, soonest first. */
  upcoming(subject: string, kinds: readonly string[]): Promise<Array<{ kind: string; due: number }>>;
  /**
   * Atomically takes up to `limit` items due by `horizon` (default now), or whose
   * lease ran out, and leases them for `leaseMs`, so no other scheduler takes
   * them meanwhile. With `owner` (a process that keeps a heartbeat), the
   * leases are held by that process; and first, every lease held by a process
   * whose heartbeat is gone is taken back, due again at once, however long it
   * had left.
   */
  claimDue(
    now: number,
    leaseMs: number,
    limit: number,
    horizon?: number,
    owner?: string,
  ): Promise<ScheduledItem[]>;
  /** The process now working on these leased items holds their leases (those still leased). */
  hold(items: readonly ScheduledItem[], owner: string): Promise<void>;
  /**
   * Hands back every lease this process holds: each is due again at once, for
   * another process or the next start (a graceful stop). Returns how many.
   */
  releaseHeldBy(owner: string): Promise<number>;
  /** Ends an item's lease and schedules its kind's next slot (null: none). No-op if the lease is gone. */
  complete(item: ScheduledItem, next: number | null): Promise<void>;
  /**
   * When to look again: `lookaheadMs` before the earliest due time, or when the first lease
   * runs out, whichever is sooner; null when nothing is scheduled.
   */
  nextWakeAt(lookaheadMs?: number): Promise<number | null>;
  /** The earliest due time waiting to be claimed, and how many items are claimed and not yet complete. */
  state(): Promise<{ readonly earliestDue: number | null; readonly inFlight: number }>;
  /** Removes every item of these kinds for a subject, leased ones included. */
  removeSubject(subject: string, kinds: readonly string[]): Promise<void>;
}
