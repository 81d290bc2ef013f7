import type { ConversationRef, MemberId, MessageRef, OutboundMessage } from "../platform/chat-platform.js";
import type { ScheduledItem } from "../schedule/schedule-store.js";

/** Not sent: why, and the kind's next due time for the subject (null: none). */
export interface PassOver {
  readonly reason: string;
  readonly next: number | null;
}

/** What to send for one item, decided before its due time. */
export interface Outgoing {
  readonly to: ConversationRef;
  readonly message: OutboundMessage;
  /**
   * Ids only, never text: what `after` needs to record this wording (e.g. the
   * question's id). Kept, sealed, with the wording when the send is claimed, so
   * a retry that sends the wording an earlier attempt chose records that one.
   */
  readonly memo?: string;
  /**
   * Once the platform has taken it: record it (e.g. the question now open).
   * `memo` is the memo of the wording that was sent: this decision's own, or,
   * on a retry, the one kept from the attempt that first claimed the send.
   */
  after(sent: MessageRef, memo?: string): Promise<void>;
  /** When an earlier attempt turns out to have sent it and stopped before finishing up. */
  afterEarlier?(): Promise<void>;
  /** The kind's next due time for the subject, once this one is done. */
  next(): number | null;
}

/**
 * Work to do once at the due time rather than one message to send (a round
 * of peer circles, which opens groups and posts into them through the
 * outbox). Run exactly once, like a send; returns the next due time.
 */
export interface Work {
  run(): Promise<number | null>;
  /** The next due time, when an earlier attempt ran it and stopped before finishing up. */
  nextAfterEarlier?(): number | null;
}

export type Decision = PassOver | Outgoing | Work;

export const isOutgoing = (decision: Decision): decision is Outgoing => "message" in decision;
export const isWork = (decision: Decision): decision is Work => "run" in decision;

/**
 * One kind of scheduled item, brought by the feature that owns it (a prompt,
 * a tip, a welcome back; a circle's or a session's reminder). The delivery
 * service knows kinds only through this: it decides, words and sends nothing
 * itself, and sends each item exactly once.
 */
export interface ScheduledKind {
  readonly kind: string;
  /** What a member is told it is, in `/peer schedule` (e.g. "a reflective question"). */
  readonly label: string;
  /** The member whose record must still exist for the item to go (forgetting them stops it). */
  ownerOf?(subject: string): MemberId | undefined;
  /** The platform whose paced queue carries it (default: the subject's first segment). */
  routeOf?(subject: string): string;
  /** Before the due time: what to send for each item, or why not (several at once, for speed). */
  prepare(items: readonly ScheduledItem[]): Promise<readonly Decision[]>;
  /** Just before the due time: null to go ahead, or why not after all (e.g. they paused meanwhile). */
  recheck?(items: readonly ScheduledItem[]): Promise<ReadonlyArray<PassOver | null>>;
}
