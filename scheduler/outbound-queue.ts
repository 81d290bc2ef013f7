import { createHash } from "node:crypto";
import { type Job, Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { DeliveryService } from "../src/delivery/delivery-service.js";
import { RateLimitedError } from "../src/errors.js";
import type { Logger } from "../src/logging/logger.js";
import type {
  ChatPlatform,
  ConversationRef,
  MessageRef,
  OutboundMessage,
} from "../src/platform/chat-platform.js";
import type { ScheduledItem } from "../src/schedule/schedule-store.js";
import type { Clock } from "../src/time/clock.js";
import { RedisPacer } from "./pacer.js";

/** What a job carries: ids and times only, never any text. */
interface ChunkData {
  /** [subject, kind, due] of each item. */
  readonly items: ReadonlyArray<readonly [string, string, number]>;
}

export interface Pace {
  /** Messages a second for the whole platform connection; undefined for no limit. */
  readonly perSecond?: number;
  /** Messages a second to any one conversation (Slack asks for about 1). */
  readonly perConversationPerSecond?: number;
}

export interface OutboundQueueOptions {
  readonly connection: () => Redis;
  readonly redis: Redis;
  /** BullMQ's key prefix, under the app's own. */
  readonly prefix: string;
  readonly keyPrefix: string;
  readonly platform: ChatPlatform;
  readonly delivery: DeliveryService;
  readonly pace: Pace;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Chunks processed at once. */
  readonly concurrency?: number;
  readonly chunkSize?: number;
  /** For tests of crash recovery: how soon a dead worker's job is picked up again. */
  readonly lockDurationMs?: number;
}

const MAX_BACKOFF_MS = 60_000;

/**
 * One BullMQ queue per platform connection. Items travel in chunks with a
 * deterministic job id (the same items make the same id); each send is paced
 * below the platform's limit and a 429 holds every sender back for the time
 * asked, then the same message is tried again, never dropped.
 */
export class OutboundQueue {
  readonly name: string;
  /** 429s the platform has answered, for the benchmark and logs. */
  rateLimited = 0;
  private readonly queue: Queue<ChunkData>;
  private worker: Worker<ChunkData> | undefined;
  private readonly pacer: RedisPacer;
  private readonly chunkSize: number;

  constructor(private readonly options: OutboundQueueOptions) {
    this.name = `outbound-${options.platform.name}`;
    this.chunkSize = options.chunkSize ?? 250;
    this.queue = new Queue<ChunkData>(this.name, {
      connection: options.connection(),
      prefix: options.prefix,
      defaultJobOptions: {
        attempts: 1_000,
        backoff: { type: "capped" },
        // Finished jobs are not kept: their data names members, and once-only sending rests on the
        // per-send markers, not on old job ids. A chunk that fails for good is healed by its lease.
        removeOnComplete: true,
        removeOnFail: true,
      },
    });
    this.pacer = new RedisPacer(
      options.redis,
      `${options.keyPrefix}pace:${options.platform.name}`,
      options.pace.perSecond,
      options.clock,
    );
  }

  async enqueue(items: readonly ScheduledItem[]): Promise<void> {
    const jobs = [];
    for (let i = 0; i < items.length; i += this.chunkSize) {
      const chunk = items
        .slice(i, i + this.chunkSize)
        .map((item) => [item.subject, item.kind, item.due] as const);
      const id = createHash("sha1")
        .update(chunk.map((c) => c.join("|")).join("\n"))
        .digest("hex");
      jobs.push({ name: "deliver", data: { items: chunk }, opts: { jobId: `chunk-${id}` } });
    }
    if (jobs.length > 0) await this.queue.addBulk(jobs);
  }

  start(): void {
    const { options } = this;
    this.worker = new Worker<ChunkData>(this.name, (job) => this.process(job), {
      connection: options.connection(),
      prefix: options.prefix,
      concurrency: options.concurrency ?? 64,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: Math.min(options.lockDurationMs ?? 30_000, 30_000),
      settings: {
        backoffStrategy: (attempts: number) => Math.min(500 * 2 ** attempts, MAX_BACKOFF_MS),
      },
    });
    this.worker.on("failed", (job, error) =>
      options.logger.warn(
        { queue: this.name, job: job?.id, attempts: job?.attemptsMade, err: error.message },
        "chunk will be retried",
      ),
    );
    this.worker.on("error", (error) =>
      options.logger.error({ queue: this.name, err: error.message }, "worker error"),
    );
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }

  /** Jobs waiting, delayed or active: for tests and the benchmark. */
  async pending(): Promise<number> {
    const counts = await this.queue.getJobCounts("waiting", "delayed", "active", "prioritized");
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  private async process(job: Job<ChunkData>): Promise<void> {
    const items = job.data.items.map(([subject, kind, due]) => ({ subject, kind, due }));
    const { pace } = this.options;
    const outcome = await this.options.delivery.deliver(items, {
      paced: pace.perSecond !== undefined || pace.perConversationPerSecond !== undefined,
      pace: () => this.pacer.wait(),
      send: (to, message) => this.send(to, message),
    });
    if (outcome.retry.length > 0)
      throw new Error(`${outcome.retry.length} of ${items.length} sends to retry`);
  }

  /** Sends one message; after a 429, holds every sender back for the time asked and tries again. */
  private async send(to: ConversationRef, message: OutboundMessage): Promise<MessageRef> {
    const { platform, pace, redis, keyPrefix } = this.options;
    if (pace.perConversationPerSecond !== undefined) {
      // A DM's pace key sits under the member's root, so forgetting them takes it too.
      const key =
        to.kind === "dm" ? `${keyPrefix}member:${to.id}:pace` : `${keyPrefix}pace:${to.kind}:${to.id}`;
      await new RedisPacer(redis, key, pace.perConversationPerSecond, this.options.clock).wait();
    }
    for (;;) {
      try {
        return await platform.post(to, message);
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        this.rateLimited++;
        this.options.logger.warn(
          { queue: this.name, retryAfterMs: error.retryAfterMs },
          "rate limited; holding sends",
        );
        await this.pacer.block(error.retryAfterMs);
        await this.pacer.wait();
      }
    }
  }
}
