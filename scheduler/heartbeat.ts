import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Redis } from "ioredis";
import type { Logger } from "../src/logging/logger.js";

/** How often a process says it is alive. */
export const HEARTBEAT_EVERY_MS = 1_500;
/** How long a process is taken to be alive after it last said so. */
export const HEARTBEAT_TTL_MS = 5_000;

/**
 * A process's heartbeat: `<prefix>proc:<id>`, set every 1.5 s to expire after
 * 5 s, deleted on a graceful stop. While it is there, the schedule leases and
 * the send claims this process holds are its own; once it is gone (the
 * process was killed, or stopped), another process takes them over at once:
 * the dispatcher's next claim makes the leases due again, and a send claim
 * naming a dead process is taken with `again` (so the platform is asked first
 * where it can tell, and the kept wording is sent).
 *
 * Why a heartbeat rather than BullMQ's stalled-job settings alone: a dead
 * process leaves three things behind, its BullMQ job lock, its schedule leases
 * (10 minutes) and its send claims (10 minutes). A short BullMQ lockDuration
 * would bring back only the job, and its retry would then wait out the send
 * claims; shortening the claim and lease TTLs instead would let a slow but
 * live send (a platform taking a minute to answer) be sent twice. One liveness
 * signal per process answers "is the holder dead?" for all three, within 5 s,
 * while the long TTLs stay as the backstop for whatever names no process.
 * BullMQ's own stall detection (lockDuration 30 s) stays as it was: a job a
 * dead process left active is taken up again within about a minute, and finds
 * its sends done or re-claimed by then.
 *
 * The price: a live process whose event loop is blocked for over 5 s is taken
 * for dead, and a send it then makes could go out a second time, except where
 * the platform stops it (Discord's nonce) or the other process found it first
 * (Slack's history). Nothing here blocks the loop that long.
 */
export class ProcessHeartbeat {
  readonly id: string;
  private timer: NodeJS.Timeout | undefined;
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    /** `processKeyPrefix(keys)`: `<prefix>proc:`. */
    keyPrefix: string,
    private readonly logger: Logger,
  ) {
    this.id = `${hostname().replace(/[^\w.-]/g, "")}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.key = `${keyPrefix}${this.id}`;
  }

  /** Says it is alive, then keeps saying so until stopped. */
  async start(): Promise<void> {
    if (this.timer) return;
    await this.beat();
    this.timer = setInterval(() => {
      this.beat().catch((error: unknown) =>
        this.logger.warn({ err: (error as Error).message }, "heartbeat not written"),
      );
    }, HEARTBEAT_EVERY_MS);
  }

  /** Stops, and says at once that this process is gone (what it still holds is taken over). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.redis.del(this.key).catch(() => {});
  }

  private async beat(): Promise<void> {
    await this.redis.set(this.key, String(Date.now()), "PX", HEARTBEAT_TTL_MS);
  }
}
