import type { Redis } from "ioredis";
import type { DeliveryService } from "../src/delivery/delivery-service.js";
import type { Logger } from "../src/logging/logger.js";
import type { MemberStore } from "../src/members/member-store.js";
import type { ChatPlatform } from "../src/platform/chat-platform.js";
import type { Metrics } from "../src/runtime/metrics.js";
import type { Planner } from "../src/schedule/planner.js";
import type { ScheduleStore } from "../src/schedule/schedule-store.js";
import type { Clock } from "../src/time/clock.js";
import { Dispatcher } from "./dispatcher.js";
import type { ProcessHeartbeat } from "./heartbeat.js";
import { type Enqueuer, OutboundQueue, type Pace, outboundProducer } from "./outbound-queue.js";
import type { PacedSends } from "./paced-sends.js";

export interface SchedulerOptions {
  readonly redis: Redis;
  /** Makes a fresh connection for BullMQ (it needs its own, with maxRetriesPerRequest null). */
  readonly connection: () => Redis;
  /** The app's key prefix; BullMQ's keys go under `<prefix>bull`. */
  readonly keyPrefix: string;
  readonly platforms: readonly ChatPlatform[];
  readonly pacing: Readonly<Record<string, Pace>>;
  readonly schedule: ScheduleStore;
  readonly planner: Planner;
  readonly members: MemberStore;
  readonly delivery: DeliveryService;
  readonly logger: Logger;
  /** The app's clock: the dispatcher and the pacer read it, never Date.now(). */
  readonly clock: Clock;
  readonly concurrency?: number;
  readonly leaseMs?: number;
  readonly lockDurationMs?: number;
  /**
   * This process's heartbeat: its leases and send claims are held in its name and taken over
   * within seconds once it is gone (see heartbeat.ts). Without one, only the TTLs free them.
   */
  readonly heartbeat?: ProcessHeartbeat;
  readonly metrics?: Metrics;
  /** Each platform's pacing, shared with its adapter's replies; a queue without one makes its own. */
  readonly sends?: (platform: string) => PacedSends | undefined;
}

/** The scheduler: reconcile on boot, then a dispatcher feeding one paced outbound queue per platform. */
export class Scheduler {
  readonly queues: ReadonlyMap<string, OutboundQueue>;
  readonly dispatcher: Dispatcher;
  /** This process's heartbeat, when it keeps one (see heartbeat.ts). */
  get heartbeat(): ProcessHeartbeat | undefined {
    return this.options.heartbeat;
  }
  /** Queues for platforms other processes run (see Dispatcher's `producer`), made when first needed. */
  private readonly producers = new Map<string, Enqueuer>();
  /** BullMQ leaves connections it was given open; these are closed on stop. */
  private readonly connections: Redis[] = [];

  constructor(private readonly options: SchedulerOptions) {
    const logger = options.logger.child({ component: "scheduler" });
    const connection = () => {
      const client = options.connection();
      this.connections.push(client);
      return client;
    };
    this.queues = new Map(
      options.platforms.map((platform) => [
        platform.name,
        new OutboundQueue({
          connection,
          redis: options.redis,
          prefix: `${options.keyPrefix}bull`,
          keyPrefix: options.keyPrefix,
          platform,
          delivery: options.delivery,
          pace: options.pacing[platform.name] ?? {},
          ...sendsOf(options, platform.name),
          clock: options.clock,
          logger,
          ...(options.concurrency ? { concurrency: options.concurrency } : {}),
          ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
          ...(options.heartbeat ? { owner: options.heartbeat.id } : {}),
          ...(options.metrics ? { metrics: options.metrics } : {}),
          schedule: options.schedule,
        }),
      ]),
    );
    const producers = this.producers;
    this.dispatcher = new Dispatcher({
      schedule: options.schedule,
      queues: this.queues,
      producer: (platform) => {
        let producer = producers.get(platform);
        if (!producer) {
          producer = outboundProducer(platform, connection(), `${options.keyPrefix}bull`);
          producers.set(platform, producer);
        }
        return producer;
      },
      logger,
      clock: options.clock,
      routeOf: (item) => options.delivery.routeOf(item),
      ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
      ...(options.heartbeat ? { owner: options.heartbeat.id } : {}),
    });
  }

  async start(): Promise<void> {
    // First: nothing is claimed in this process's name before it is known to be alive.
    await this.options.heartbeat?.start();
    const { members, added } = await this.options.planner.reconcile(this.options.members);
    this.options.logger.info({ members, added }, "schedule reconciled");
    for (const queue of this.queues.values()) queue.start();
    this.dispatcher.start();
  }

  /**
   * A graceful stop: claims nothing more, lets the sends already with the platform finish, and
   * hands every other item this process holds back to the schedule, due at once for another
   * process or the next start. Then the heartbeat goes (anything left is taken over at once).
   */
  async stop(): Promise<void> {
    await this.dispatcher.stop();
    await Promise.all([...this.queues.values()].map((queue) => queue.stop()));
    await Promise.all([...this.producers.values()].map((producer) => producer.close()));
    const { heartbeat } = this.options;
    if (heartbeat) {
      const handedBack = await this.options.schedule.releaseHeldBy(heartbeat.id).catch(() => 0);
      this.options.logger.info({ handedBack }, "scheduler stopped; unsent items handed back");
      await heartbeat.stop();
    }
    await Promise.all(this.connections.map((client) => client.quit().catch(() => client.disconnect())));
  }
}

/** The platform's shared pacing, when the app gives one (as an option to spread). */
function sendsOf(options: SchedulerOptions, platform: string): { sends?: PacedSends } {
  const sends = options.sends?.(platform);
  return sends ? { sends } : {};
}
