/**
 * What the bot counts, for `/metrics` (Prometheus, implemented with
 * prom-client outside the core). The core and the scheduler call these; the
 * default does nothing. Labels are platform and kind names only: never a
 * member id, never anything anyone wrote.
 */
export interface Metrics {
  /** A scheduled item went to the platform, `lateMs` after its due time. */
  sent(platform: string, kind: string, lateMs: number): void;
  /** The platform asked to wait (HTTP 429 or its equivalent). */
  rateLimited(platform: string): void;
  /** A second send of the same item was stopped: by the delivery marker, the platform's nonce, or a look at recent history. */
  duplicatePrevented(platform: string, how: "marker" | "nonce" | "history"): void;
  /** A member's reply was stored (a diary entry, a take-away). */
  replyStored(kind: string): void;
  /**
   * A reply to a member (an answer to a command, a consent, a welcome, an
   * apology) could not be sent: still rate-limited after its bounded retries,
   * the member unreachable, or the platform failed.
   */
  replyDropped(platform: string, reason: "rate_limited" | "unreachable" | "failed"): void;
}

export const noMetrics: Metrics = {
  sent() {},
  rateLimited() {},
  duplicatePrevented() {},
  replyStored() {},
  replyDropped() {},
};
