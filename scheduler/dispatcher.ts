import type { Logger } from "../src/logging/logger.js";
import type { ScheduleStore, ScheduledItem } from "../src/schedule/schedule-store.js";
import type { Clock } from "../src/time/clock.js";
import type { Enqueuer, OutboundQueue } from "./outbound-queue.js";

export interface DispatcherOptions {
  readonly schedule: ScheduleStore;
  readonly queues: ReadonlyMap<string, OutboundQueue>;
  readonly logger: Logger;
  readonly clock: Clock;
  /**
   * For a platform this process doesn't run: its queue without a worker, so the process that
   * runs it sends the items (Discord's one gateway in one process, Slack in every one).
   */
  readonly producer?: (platform: string) => Enqueuer;
  /** The platform whose queue carries an item (from its kind). */
  readonly routeOf: (item: ScheduledItem) => string;
  /** How long a claimed item is held before it is claimed again if not delivered. */
  readonly leaseMs?: number;
  /**
   * This process's heartbeat id: its leases are held in its name, and each claim first takes back
   * the leases of processes whose heartbeat is gone (scheduler/heartbeat.ts).
   */
  readonly owner?: string;
  readonly batch?: number;
  /** The longest the loop sleeps without looking at the schedule. */
  readonly maxIdleMs?: number;
  /**
   * How far ahead items are claimed, so each is checked and worded before its due time and
   * handed over on the dot (default 20 s).
   */
  readonly lookaheadMs?: number;
}

/**
 * Moves due items from the schedule onto each platform's outbound queue. It
 * sleeps until the next due time (or `maxIdleMs`), claims due items in
 * batches under a lease, and hands them on. Claims are atomic, so several
 * dispatchers may run at once without sending anything twice.
 */
export class Dispatcher {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly unrouted = new Set<string>();
  private readonly lookahead: number;

  constructor(private readonly options: DispatcherOptions) {
    this.lookahead = options.lookaheadMs ?? 20_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Look at the schedule now (after something was scheduled sooner than before). */
  poke(): void {
    this.wake?.();
  }

  /** Claims and routes one batch; returns how many items it moved. */
  async tick(now = this.options.clock.now().getTime()): Promise<number> {
    const { schedule, queues } = this.options;
    const items = await schedule.claimDue(
      now,
      this.options.leaseMs ?? 10 * 60_000,
      this.options.batch ?? 1_000,
      now + this.lookahead,
      this.options.owner,
    );
    const byPlatform = new Map<string, ScheduledItem[]>();
    for (const item of items) {
      const platform = this.options.routeOf(item);
      const list = byPlatform.get(platform) ?? [];
      list.push(item);
      byPlatform.set(platform, list);
    }
    await Promise.all(
      [...byPlatform].map(async ([platform, list]) => {
        const queue = queues.get(platform) ?? this.options.producer?.(platform);
        if (queue) return queue.enqueue(list, this.options.owner);
        // Left leased: delivered once that platform's adapter runs again.
        if (!this.unrouted.has(platform)) {
          this.unrouted.add(platform);
          this.options.logger.warn(
            { platform, items: list.length },
            "no running platform for scheduled items",
          );
        }
      }),
    );
    return items.length;
  }

  private async run(): Promise<void> {
    const maxIdle = this.options.maxIdleMs ?? 1_000;
    while (this.running) {
      try {
        if ((await this.tick()) > 0) continue;
        const next = await this.options.schedule.nextWakeAt(this.lookahead);
        const delay =
          next === null ? maxIdle : Math.max(0, Math.min(maxIdle, next - this.options.clock.now().getTime()));
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      } catch (error) {
        this.options.logger.error({ err: (error as Error).message }, "dispatcher tick failed");
        await new Promise((resolve) => setTimeout(resolve, maxIdle));
      }
    }
  }
}
