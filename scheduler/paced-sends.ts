import type { Redis } from "ioredis";
import { RateLimitedError } from "../src/errors.js";
import type { Logger } from "../src/logging/logger.js";
import { type SendGate, type SendLane, dropReasonOf } from "../src/platform/send-gate.js";
import { type Metrics, noMetrics } from "../src/runtime/metrics.js";
import type { Clock } from "../src/time/clock.js";
import { RedisPacer, type Turn } from "./pacer.js";

/**
 * The share of the configured rate the pacer keeps in hand: it paces at 97.5%
 * of what it is given, so configured at the platform's stated limit it still
 * gets no 429s. A platform counts requests as they arrive, in windows (Discord
 * one second, Slack a minute), and requests released evenly can arrive bunched.
 * A one-second window absorbs D ms of bunching at a margin of D / (1000 + D);
 * 2.5% absorbs 25.6 ms. What bunching is left: at most 10 ms the pacer lets
 * through (timer jitter it doesn't carry, see pacer.ts; its turns are booked
 * ahead and taken right before the HTTP call, after the claim and the DM
 * lookup), plus the HTTP client's and the event loop's jitter. `npm run
 * bench:limit` (3,000 sends against a fake enforcing 50 a second, the bot at
 * exactly 50) measured 13.6–20.3 ms of bunching in three runs at a 2% margin,
 * and 11.8–24.6 ms at 2.5% (8.6–14.6 ms in a later run), with no 429s and within 1.03 × N/R
 * (bench/results/limit.md): 2% has nothing to spare, and the worst run at 2.5%
 * came within a millisecond of its room, so this is as small as the margin can
 * go on this evidence; a bigger one misses 1.03 × N/R (3% alone is 1.031). Where the event
 * loop lags far more (2,000 people joining within 15 s: about 120 ms), a 429 can
 * get through: it holds every sender for the time asked and cuts the pace (AIMD,
 * pacer.ts), and the message goes again. Slack's minute-long windows absorb more.
 */
export const SAFETY_MARGIN = 0.025;

/** How long a reply keeps being retried after 429s before it is given up and counted (default). */
export const REPLY_RETRY_MS = 60_000;

export interface PacedSendsOptions {
  readonly redis: Redis;
  /** The app's key prefix; the pacer's keys are `<prefix>pace:<platform>…` (shared by every process). */
  readonly keyPrefix: string;
  readonly platform: string;
  /** The platform's limit in messages a second as configured; undefined for no pacing (429s still honoured). */
  readonly perSecond: number | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  /** How long a reply is retried after 429s before it is dropped and counted (default 60 s). */
  readonly replyRetryMs?: number;
}

/**
 * One platform connection's pacing, shared by its interactive replies and its
 * scheduled sends (the adapter gets it as its `SendGate`, the outbound queue
 * uses the same one): one Redis pacer, so every message to a member on that
 * platform, from any process, counts against the same limit; replies first.
 */
export class PacedSends implements SendGate {
  readonly pacer: RedisPacer;
  /** 429s the platform has answered (through `run`, or reported by its SDK), for logs and the benchmark. */
  rateLimitedCount = 0;
  private readonly metrics: Metrics;
  private readonly replyRetryMs: number;

  constructor(private readonly options: PacedSendsOptions) {
    const { perSecond } = options;
    this.pacer = new RedisPacer(
      options.redis,
      `${options.keyPrefix}pace:${options.platform}`,
      perSecond && perSecond > 0 ? perSecond * (1 - SAFETY_MARGIN) : undefined,
      options.clock,
    );
    this.metrics = options.metrics ?? noMetrics;
    this.replyRetryMs = options.replyRetryMs ?? REPLY_RETRY_MS;
  }

  get platform(): string {
    return this.options.platform;
  }

  /** Waits for a turn in `lane`. */
  turn(lane: SendLane): Promise<void> {
    return this.pacer.wait(lane);
  }

  /** Books a turn in `lane`: resolves a little before it, with a function that resolves at it. */
  reserve(lane: SendLane): Promise<Turn> {
    return this.pacer.reserve(lane);
  }

  async run<T>(lane: SendLane, call: () => Promise<T>): Promise<T> {
    const started = this.options.clock.now().getTime();
    for (;;) {
      await this.pacer.wait(lane);
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        await this.backOff(error.retryAfterMs, lane);
        // A reply is not held back for ever: past the bound it is given up (and counted by the caller).
        const waited = this.options.clock.now().getTime() - started;
        if (lane === "reply" && waited + error.retryAfterMs > this.replyRetryMs) throw error;
      }
    }
  }

  rateLimited(retryAfterMs: number): void {
    this.backOff(retryAfterMs, "sdk").catch((error: unknown) =>
      this.options.logger.warn(
        { code: "REDIS_UNAVAILABLE", err: (error as Error).message },
        "could not record a rate limit",
      ),
    );
  }

  /** Counts a 429, holds every sender back for the time asked and cuts the pace. */
  async backOff(retryAfterMs: number, lane: SendLane | "sdk"): Promise<void> {
    this.rateLimitedCount++;
    this.metrics.rateLimited(this.options.platform);
    const rate = await this.pacer.block(retryAfterMs);
    this.options.logger.warn(
      { code: "RATE_LIMITED", platform: this.options.platform, lane, retryAfterMs, perSecond: rate },
      "rate limited; holding sends and slowing down",
    );
  }

  replyDropped(error: unknown): void {
    const reason = dropReasonOf(error);
    this.metrics.replyDropped(this.options.platform, reason);
    const code = (error as { code?: unknown } | null)?.code;
    this.options.logger.error(
      { code: typeof code === "string" ? code : "PLATFORM_FAILED", platform: this.options.platform, reason },
      "a reply to a member could not be sent",
    );
  }

  /** The pace now, in messages a second (for the benchmark): the target, or less after a 429. */
  currentRate(): Promise<number> {
    return this.pacer.currentRate();
  }

  /** Drops the scheduled sends still waiting (a graceful stop); replies still go out. */
  cancel(): void {
    this.pacer.cancel();
  }
}
