import type { ScheduledItem } from "../schedule/schedule-store.js";

/**
 * - `go`: this attempt holds the claim and should send;
 * - `done`: already sent;
 * - `busy`: another attempt holds the claim right now (try again later, never drop);
 * - `gone`: the member no longer exists.
 */
export type ClaimResult = "go" | "done" | "busy" | "gone";

/** One marker per send id, so a slot is sent at most once however often it is enqueued. */
export interface DeliveryMarkers {
  claim(items: readonly ScheduledItem[], token: string): Promise<ClaimResult[]>;
  markSent(item: ScheduledItem): Promise<void>;
  release(item: ScheduledItem, token: string): Promise<void>;
}
