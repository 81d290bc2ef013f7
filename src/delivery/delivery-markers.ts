import type { ConversationRef, MemberId, OutboundMessage } from "../platform/chat-platform.js";
import type { ScheduledItem } from "../schedule/schedule-store.js";

/**
 * - `go`: this attempt holds the claim and should send; no attempt claimed it before;
 * - `again`: this attempt holds the claim, but an earlier one claimed it first and
 *   stopped without recording a send (it failed, or its process died): the
 *   platform may have the message already, so look before posting (and post the
 *   wording that attempt chose, which comes with the claim);
 * - `done`: already sent;
 * - `busy`: another live attempt holds the claim right now (try again later, never drop);
 * - `gone`: the member who owns it no longer exists.
 */
export type ClaimResult = "go" | "again" | "done" | "busy" | "gone";

/** The wording of one send, fixed when it is first claimed: a retry sends exactly this. */
export interface Wording {
  readonly to: ConversationRef;
  readonly message: OutboundMessage;
  /** The kind's memo for `after` (ids only). */
  readonly memo?: string;
}

export interface Claim {
  readonly result: ClaimResult;
  /** With `again`: the wording the first attempt kept, when one was kept. */
  readonly kept?: Wording;
}

/** An item and the member who owns it, if one does (whose record must exist for it to go). */
export interface OwnedItem extends ScheduledItem {
  readonly owner?: MemberId;
}

/** One marker per send id, so a slot is sent at most once however often it is enqueued. */
export interface DeliveryMarkers {
  /**
   * Claims each item's send for this attempt (`token`). With `wordings` (one
   * per item), the first claim of a send keeps its wording, and a later claim
   * gets that kept wording back instead of keeping its own.
   */
  claim(
    items: readonly OwnedItem[],
    token: string,
    wordings?: ReadonlyArray<Wording | undefined>,
  ): Promise<Claim[]>;
  markSent(item: OwnedItem): Promise<void>;
  release(item: OwnedItem, token: string): Promise<void>;
}
