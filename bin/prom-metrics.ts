import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Logger } from "../src/logging/logger.js";
import type { Metrics } from "../src/runtime/metrics.js";
import { within } from "../src/time/within.js";

/**
 * Where the gauges read from at scrape time, all read-only: the schedule (due
 * items not yet handed to a queue, and those handed over and not finished)
 * and each platform's outbound queue.
 */
export interface MetricsSources {
  /** Due by now and not yet claimed; the earliest due time among all scheduled items. */
  schedule(): Promise<{
    readonly due: number;
    readonly earliestDue: number | null;
    readonly inFlight: number;
  }>;
  /** Jobs (chunks of sends) waiting, delayed or active, by platform. */
  queues(): Promise<Readonly<Record<string, number>>>;
  /** The bot's clock, in ms. */
  now(): number;
}

/** How long a scrape waits on Redis; a gauge it can't read then shows NaN (unknown), never a made-up 0. */
const SOURCE_TIMEOUT_MS = 1_000;

/** Lateness buckets, in seconds: on time, a pacing delay, a backlog, an outage. */
const LATENESS_BUCKETS = [1, 5, 15, 60, 300, 900, 3_600, 14_400, 86_400];

/**
 * The bot's metrics with prom-client, on a registry of its own, for
 * `GET /metrics`. Counters are the core's `Metrics`; the gauges read the
 * schedule and the queues when scraped (`observe`). Labels are platform,
 * kind and how only: never a member id or anything anyone wrote.
 */
export class PromMetrics implements Metrics {
  readonly registry = new Registry();
  private sources: MetricsSources | undefined;

  private readonly sentTotal = new Counter({
    name: "peerbot_sent_total",
    help: "Scheduled items sent to a platform.",
    labelNames: ["platform", "kind"] as const,
    registers: [this.registry],
  });
  private readonly lateness = new Histogram({
    name: "peerbot_send_lateness_seconds",
    help: "How long after its due time a scheduled item went to the platform.",
    labelNames: ["platform", "kind"] as const,
    buckets: LATENESS_BUCKETS,
    registers: [this.registry],
  });
  private readonly rateLimitedTotal = new Counter({
    name: "peerbot_rate_limited_total",
    help: "Times a platform asked the bot to wait (HTTP 429 or its equivalent).",
    labelNames: ["platform"] as const,
    registers: [this.registry],
  });
  private readonly duplicatesTotal = new Counter({
    name: "peerbot_duplicates_prevented_total",
    help: "Second sends of the same item stopped, by the delivery marker, the platform's nonce, or a look at recent history.",
    labelNames: ["platform", "how"] as const,
    registers: [this.registry],
  });
  private readonly repliesTotal = new Counter({
    name: "peerbot_replies_stored_total",
    help: "Members' replies stored (diary entries, take-aways).",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });

  private readonly repliesDroppedTotal = new Counter({
    name: "peerbot_replies_dropped_total",
    help: "Replies to members (answers, consents, welcomes, apologies) that could not be sent, by why: rate_limited (still refused after bounded retries), unreachable, failed.",
    labelNames: ["platform", "reason"] as const,
    registers: [this.registry],
  });

  constructor(private readonly logger: Logger) {
    collectDefaultMetrics({ register: this.registry, prefix: "peerbot_" });
    const read =
      <T>(what: string, source: (sources: MetricsSources) => Promise<T>) =>
      async () => {
        if (!this.sources) return undefined;
        const value = await within(source(this.sources), SOURCE_TIMEOUT_MS);
        if (value === undefined) this.logger.debug({ source: what }, "metrics source did not answer");
        return value;
      };
    const schedule = read("schedule", (sources) => sources.schedule());
    const queues = read("queues", (sources) => sources.queues());
    new Gauge({
      name: "peerbot_prompts_due",
      help: "Scheduled items due now and not yet handed to a platform's queue.",
      registers: [this.registry],
      async collect() {
        const state = await schedule();
        this.set(state ? state.due : Number.NaN);
      },
    });
    new Gauge({
      name: "peerbot_prompts_in_flight",
      help: "Scheduled items handed to a queue and not yet finished (sent, or put back).",
      registers: [this.registry],
      async collect() {
        const state = await schedule();
        this.set(state ? state.inFlight : Number.NaN);
      },
    });
    const now = () => this.sources?.now() ?? Date.now();
    new Gauge({
      name: "peerbot_oldest_due_age_seconds",
      help: "How long the oldest scheduled item still waiting has been due (0 when none is due).",
      registers: [this.registry],
      async collect() {
        const state = await schedule();
        if (!state) return this.set(Number.NaN);
        const age = state.earliestDue === null ? 0 : Math.max(0, now() - state.earliestDue) / 1000;
        this.set(age);
      },
    });
    new Gauge({
      name: "peerbot_queue_depth",
      help: "Jobs (chunks of sends) waiting, delayed or active in a platform's outbound queue.",
      labelNames: ["platform"] as const,
      registers: [this.registry],
      async collect() {
        const depths = await queues();
        this.reset();
        for (const [platform, depth] of Object.entries(depths ?? {})) this.set({ platform }, depth);
      },
    });
  }

  /** Where the gauges read from (the app, once it is made). */
  observe(sources: MetricsSources): void {
    this.sources = sources;
  }

  sent(platform: string, kind: string, lateMs: number): void {
    this.sentTotal.inc({ platform, kind });
    this.lateness.observe({ platform, kind }, Math.max(0, lateMs) / 1000);
  }

  rateLimited(platform: string): void {
    this.rateLimitedTotal.inc({ platform });
  }

  duplicatePrevented(platform: string, how: "marker" | "nonce" | "history"): void {
    this.duplicatesTotal.inc({ platform, how });
  }

  replyStored(kind: string): void {
    this.repliesTotal.inc({ kind });
  }

  replyDropped(platform: string, reason: "rate_limited" | "unreachable" | "failed"): void {
    this.repliesDroppedTotal.inc({ platform, reason });
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
