import type { Metrics } from "../../src/runtime/metrics.js";

/** A Metrics that keeps every count, for tests to read. */
export class RecordingMetrics implements Metrics {
  readonly sends: Array<{ platform: string; kind: string; lateMs: number }> = [];
  readonly rateLimits: string[] = [];
  readonly duplicates: Array<{ platform: string; how: "marker" | "nonce" | "history" }> = [];
  readonly replies: string[] = [];
  readonly droppedReplies: Array<{ platform: string; reason: string }> = [];

  sent(platform: string, kind: string, lateMs: number): void {
    this.sends.push({ platform, kind, lateMs });
  }
  rateLimited(platform: string): void {
    this.rateLimits.push(platform);
  }
  duplicatePrevented(platform: string, how: "marker" | "nonce" | "history"): void {
    this.duplicates.push({ platform, how });
  }
  replyStored(kind: string): void {
    this.replies.push(kind);
  }
  replyDropped(platform: string, reason: "rate_limited" | "unreachable" | "failed"): void {
    this.droppedReplies.push({ platform, reason });
  }
}
