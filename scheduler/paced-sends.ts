import type { Redis } from "ioredis";
import { RateLimitedError } from "../src/errors.js";
import type { Logger } from "../src/logging/logger.js";
import { type SendGate, type SendLane, dropReasonOf } from "../src/platform/send-gate.js";
import { type Metrics, noMetrics } from "../src/runtime/metrics.js";
import type { Clock } from "../src/time/clock.js";
import { RedisPacer, type Turn } from "./pacer.js";

/**
 * The share of the configured rate the pacer keeps in hand: it paces at 95% of
 * what it is given, so configured at the platform's stated limit it still gets
 * no 429s. Why 5%: a platform counts requests as they arrive, in windows (Discord
 * one second, Slack a minute), and requests granted evenly can arrive bunched
 * (an event-loop stall, network jitter). At 95% one second's window takes about
 * 50 ms of bunching before it overflows; Slack's minute-long windows take
 * seconds. A 429 that gets through anyway cuts the pace (AIMD, see pacer.ts).
 */
export const SAFETY_MARGIN = 0.05;

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
