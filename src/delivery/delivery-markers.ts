import type { MemberId } from "../platform/chat-platform.js";
import type { ScheduledItem } from "../schedule/schedule-store.js";

/**
 * - `go`: this attempt holds the claim and should send;
 * - `done`: already sent;
 * - `busy`: another attempt holds the claim right now (try again later, never drop);
 * - `gone`: the member who owns it no longer exists.
 */
export type ClaimResult = "go" | "done" | "busy" | "gone";

/** An item and the member who owns it, if one does (whose record must exist for it to go). */
export interface OwnedItem extends ScheduledItem {
  readonly owner?: MemberId;
}

/** One marker per send id, so a slot is sent at most once however often it is enqueued. */
export interface DeliveryMarkers {
  claim(items: readonly OwnedItem[], token: string): Promise<ClaimResult[]>;
  markSent(item: OwnedItem): Promise<void>;
  release(item: OwnedItem, token: string): Promise<void>;
}
