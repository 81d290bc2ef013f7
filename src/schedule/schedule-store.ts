import type { MemberId } from "../platform/chat-platform.js";
import type { SlotKind } from "./slots.js";

/** One scheduled send: who, what kind, and the slot it is due at (epoch ms). Ids only, never text. */
export interface ScheduledItem {
  readonly member: MemberId;
  readonly kind: SlotKind;
  readonly due: number;
}

/** The stable id of one send: the same member, kind and slot always give the same id. */
export function deliveryId(item: ScheduledItem): string {
  return `${item.kind}|${item.member}|${item.due}`;
}

/**
 * The schedule is the source of truth for what is due. The queue only carries
 * items; an item leaves the schedule for good only when its delivery is
 * complete, so a lost or flushed queue heals itself when the lease runs out.
 */
export interface ScheduleStore {
  /** Sets, replaces or (with null) removes the next due time of one kind for a member. */
  set(member: MemberId, kind: SlotKind, due: number | null): Promise<void>;
  /** Adds the entry only if none is scheduled (used by reconcile). */
  setIfAbsent(member: MemberId, kind: SlotKind, due: number): Promise<void>;
  get(member: MemberId, kind: SlotKind): Promise<number | null>;
  /**
   * Atomically takes up to `limit` items due by `horizon` (default now), or whose
   * lease ran out, and leases them for `leaseMs`, so no other scheduler takes
   * them meanwhile.
   */
  claimDue(now: number, leaseMs: number, limit: number, horizon?: number): Promise<ScheduledItem[]>;
  /** Ends an item's lease and schedules its kind's next slot (null: none). No-op if the lease is gone. */
  complete(item: ScheduledItem, next: number | null): Promise<void>;
  /**
   * When to look again: `lookaheadMs` before the earliest due time, or when the first lease
   * runs out, whichever is sooner; null when nothing is scheduled.
   */
  nextWakeAt(lookaheadMs?: number): Promise<number | null>;
  removeMember(member: MemberId): Promise<void>;
}
