import { createHash } from "node:crypto";
import { type Job, Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { DeliveryService } from "../src/delivery/delivery-service.js";
import { RateLimitedError } from "../src/errors.js";
import type { Logger } from "../src/logging/logger.js";
import type {
  ChatPlatform,
  ConversationRef,
  OutboundMessage,
  PostOptions,
  PostedRef,
} from "../src/platform/chat-platform.js";
import { type Metrics, noMetrics } from "../src/runtime/metrics.js";
import { type ScheduleStore, type ScheduledItem, deliveryId } from "../src/schedule/schedule-store.js";
import type { Clock } from "../src/time/clock.js";
import { PacedSends } from "./paced-sends.js";
import { RedisPacer, type Turn } from "./pacer.js";

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
  /** This process's heartbeat id: a job it takes up, it holds the items' leases of. */
  readonly owner?: string;
  /** Where the leases are (to hold them in this process's name). */
  readonly schedule?: ScheduleStore;
  readonly metrics?: Metrics;
  /**
   * The platform's pacing, shared with its adapter's replies (one pacer per platform, replies
   * first); without it the queue makes its own from `pace.perSecond`.
   */
  readonly sends?: PacedSends;
  /** On stop, how long sends already with the platform may take to finish (default 6 s). */
  readonly drainMs?: number;
}

const MAX_BACKOFF_MS = 60_000;

/** The BullMQ queue that carries a platform's sends (the same name and options in every process). */
function outboundBullQueue(platform: string, connection: Redis, prefix: string): Queue<ChunkData> {
  return new Queue<ChunkData>(`outbound-${platform}`, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 1_000,
      backoff: { type: "capped" },
      // Finished jobs are not kept: their data names members, and once-only sending rests on the
      // per-send markers, not on old job ids. A chunk that fails for good is healed by its lease.
      removeOnComplete: true,
      removeOnFail: true,
    },
  });
}

/** Adds items as chunks with deterministic ids (the same items claimed by the same process make the same id). */
async function enqueueChunks(
  queue: Queue<ChunkData>,
  items: readonly ScheduledItem[],
  claimer: string,
  chunkSize: number,
): Promise<void> {
  const jobs = [];
  for (let i = 0; i < items.length; i += chunkSize) {
    const chunk = items.slice(i, i + chunkSize).map((item) => [item.subject, item.kind, item.due] as const);
    const id = createHash("sha1")
      .update(`${claimer}\n${chunk.map((c) => c.join("|")).join("\n")}`)
      .digest("hex");
    jobs.push({ name: "deliver", data: { items: chunk }, opts: { jobId: `chunk-${id}` } });
  }
  if (jobs.length > 0) await queue.addBulk(jobs);
}

/** Somewhere to put a platform's items. */
export interface Enqueuer {
  enqueue(items: readonly ScheduledItem[], claimer?: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A platform's queue without a worker, for a process that doesn't run that platform (a
 * Slack-only process behind the load balancer, with Discord's one gateway in another): the
 * items it claims for that platform go onto the same BullMQ queue, and the process that runs
 * the platform sends them (taking over their leases as it does).
 */
export function outboundProducer(platform: string, connection: Redis, prefix: string): Enqueuer {
  const queue = outboundBullQueue(platform, connection, prefix);
  return {
    enqueue: (items, claimer = "") => enqueueChunks(queue, items, claimer, DEFAULT_CHUNK_SIZE),
    close: () => settleWithin(queue.close(), CLOSE_WAIT_MS),
  };
}

const DEFAULT_CHUNK_SIZE = 250;

/** How long a close may take once the drain is over, before the stop goes on without it. */
const CLOSE_WAIT_MS = 500;

/** Waits for a promise, at most `ms`; a failure or a hang past that is let go (the stop carries on). */
async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

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
  private readonly sends: PacedSends;
  private readonly chunkSize: number;
  private readonly stopping = new AbortController();
  private readonly metrics: Metrics;
  /** Turns booked for sends (by send id) that have not gone yet. */
  private readonly booked = new Map<string, Turn>();
  /** Resolves when the queue is told to stop. */
  private readonly stopped: Promise<"stopped">;

  constructor(private readonly options: OutboundQueueOptions) {
    this.name = `outbound-${options.platform.name}`;
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.metrics = options.metrics ?? noMetrics;
    const { signal } = this.stopping;
    this.stopped = new Promise((resolve) =>
      signal.addEventListener("abort", () => resolve("stopped"), { once: true }),
    );
    this.queue = outboundBullQueue(options.platform.name, options.connection(), options.prefix);
    this.sends =
      options.sends ??
      new PacedSends({
        redis: options.redis,
        keyPrefix: options.keyPrefix,
        platform: options.platform.name,
        perSecond: options.pace.perSecond,
        clock: options.clock,
        logger: options.logger,
        metrics: this.metrics,
      });
  }

  /**
   * `claimer` is the process that claimed the items: the same items claimed by the same process
   * make the same job id (so a second enqueue is a no-op), while items taken back from a dead
   * process make a new job, not the one its dead worker left locked.
   */
  async enqueue(items: readonly ScheduledItem[], claimer = ""): Promise<void> {
    await enqueueChunks(this.queue, items, claimer, this.chunkSize);
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

  /**
   * A graceful stop: nothing more is claimed or sent, the sends already with the platform finish
   * (for at most `drainMs`), and the job's other items are left leased for the scheduler to hand
   * back. A send still unanswered after `drainMs` is left to the next process (its claim names
   * this process, whose heartbeat goes when it stops).
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.sends.cancel();
    if (this.worker) {
      const closed = this.worker.close();
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        closed.then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), this.options.drainMs ?? 6_000);
        }),
      ]);
      clearTimeout(timer);
      if (!drained) {
        this.options.logger.warn(
          { queue: this.name },
          "sends still unanswered at stop; left to the next process",
        );
        // A forced close can itself wait on a send stuck in the platform library's own queue: it
        // gets a moment, then the stop goes on (what it held is handed back by the scheduler).
        await settleWithin(this.worker.close(true), CLOSE_WAIT_MS);
      }
    }
    await settleWithin(this.queue.close(), CLOSE_WAIT_MS);
  }

  /**
   * Takes no more jobs, at once, and lets go of the active ones without waiting (they carry on
   * unwatched): a test's stand-in for a process that froze or died mid-send.
   */
  async halt(): Promise<void> {
    await this.worker?.close(true);
  }

  /** Jobs waiting, delayed or active: for tests and the benchmark. */
  async pending(): Promise<number> {
    const counts = await this.queue.getJobCounts("waiting", "delayed", "active", "prioritized");
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  private async process(job: Job<ChunkData>): Promise<void> {
    const items = job.data.items.map(([subject, kind, due]) => ({ subject, kind, due }));
    const { pace, platform, owner, schedule } = this.options;
    if (this.stopping.signal.aborted) return;
    // This process works on them now: if it dies, they are taken back at once.
    if (owner && schedule) await schedule.hold(items, owner);
    const outcome = await this.options.delivery.deliver(
      items,
      {
        paced: pace.perSecond !== undefined || pace.perConversationPerSecond !== undefined,
        // Paced, a turn is booked for the send a little ahead of it: the claim is made meanwhile,
        // and `send` waits for the turn as late as it can (see Transport).
        pace: (sendId) => (sendId === undefined ? this.sends.turn("scheduled") : this.book(sendId)),
        send: (to, message, options) => this.send(to, message, options),
        ...(platform.findSent
          ? {
              findSent: async (to: ConversationRef, sendId: string) =>
                (await platform.findSent?.(to, sendId)) ?? null,
            }
          : {}),
        platform: platform.name,
      },
      this.stopping.signal,
    );
    // Turns booked for sends that didn't go (already sent, held elsewhere) are let go.
    for (const item of items) this.booked.delete(deliveryId(item));
    // Stopping: what wasn't sent stays leased, handed back by the scheduler as it stops.
    if (this.stopping.signal.aborted) return;
    if (outcome.retry.length > 0)
      throw new Error(`${outcome.retry.length} of ${items.length} sends to retry`);
  }

  /** Books a turn for a send; resolves once it is booked, a little before it comes. */
  private async book(sendId: string): Promise<void> {
    this.booked.set(sendId, await this.sends.reserve("scheduled"));
  }

  /**
   * Sends one message when its turn comes: the turn `pace` booked for it, awaited after every
   * lookup (inside the adapter, for one that takes turns). After a 429, holds every sender back
   * for the time asked and tries again.
   */
  private async send(
    to: ConversationRef,
    message: OutboundMessage,
    options?: PostOptions,
  ): Promise<PostedRef> {
    const { platform, pace, redis, keyPrefix } = this.options;
    const sendId = options?.sendId;
    const booked = sendId === undefined ? undefined : this.booked.get(sendId);
    if (sendId !== undefined) this.booked.delete(sendId);
    if (pace.perConversationPerSecond !== undefined) {
      // A DM's pace key sits under the member's root, so forgetting them takes it too.
      const key =
        to.kind === "dm" ? `${keyPrefix}member:${to.id}:pace` : `${keyPrefix}pace:${to.kind}:${to.id}`;
      await new RedisPacer(redis, key, pace.perConversationPerSecond, this.options.clock).wait();
    }
    // A stop drops the scheduled turns still waiting: the send then fails, and its claim is let go.
    // (With no turn booked for it, paced, it waits for one now.)
    const turn = booked
      ? () => this.untilStopped(booked())
      : pace.perSecond !== undefined
        ? () => this.untilStopped(this.sends.turn("scheduled"))
        : undefined;
    // Paced: the post's first message has its turn; any further ones take their own.
    const paced = pace.perSecond !== undefined ? { paced: true } : {};
    let posting: PostOptions | undefined = { ...options, ...paced };
    if (turn && takesTurns(platform)) posting = { ...posting, turn };
    else if (turn) await turn();
    for (;;) {
      try {
        return await platform.post(to, message, posting);
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        this.rateLimited++;
        // Counted, logged, every sender held back for the time asked, and the pace cut.
        await this.sends.backOff(error.retryAfterMs, "scheduled");
        await this.untilStopped(this.sends.turn("scheduled"));
        posting = { ...options, ...paced };
      }
    }
  }

  private async untilStopped(turn: Promise<void>): Promise<void> {
    if ((await Promise.race([turn, this.stopped])) === "stopped")
      throw new Error("stopping: the turn was dropped");
  }
}

/**
 * An adapter that awaits `PostOptions.turn` itself, just before its first call to the platform
 * (after its own lookups): it says so with `takesTurns: true`. Any other is given no turn; the
 * queue waits for the turn before calling `post`.
 */
export interface TakesTurns {
  readonly takesTurns: true;
}

function takesTurns(platform: ChatPlatform): boolean {
  return (platform as Partial<TakesTurns>).takesTurns === true;
}
