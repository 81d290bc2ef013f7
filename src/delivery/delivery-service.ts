import { randomUUID } from "node:crypto";
import { MemberUnreachableError } from "../errors.js";
import type { Logger } from "../logging/logger.js";
import {
  type ConversationRef,
  type MessageRef,
  type OutboundMessage,
  platformOf,
} from "../platform/chat-platform.js";
import type { ScheduleStore, ScheduledItem } from "../schedule/schedule-store.js";
import type { Clock } from "../time/clock.js";
import type { DeliveryMarkers, OwnedItem } from "./delivery-markers.js";
import { type Outgoing, type ScheduledKind, type Work, isOutgoing, isWork } from "./scheduled-kind.js";

/** Hands one message to the platform. Resolves once the platform has accepted it. */
export type Send = (to: ConversationRef, message: OutboundMessage) => Promise<MessageRef>;

/**
 * How the outbound queue sends: `pace` waits for a turn, `send` hands over. `paced` says a
 * turn may be long in coming, so each send is claimed only once its turn has come.
 */
export interface Transport {
  readonly paced?: boolean;
  readonly pace?: () => Promise<void>;
  readonly send: Send;
}

export interface DeliveryDeps {
  /** Every scheduled kind the features brought, by name. */
  readonly kinds: ReadonlyMap<string, ScheduledKind>;
  readonly schedule: ScheduleStore;
  readonly markers: DeliveryMarkers;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface DeliveryOutcome {
  readonly sent: number;
  readonly passed: number;
  /** Items to try again later (another attempt held them, or the send failed). */
  readonly retry: readonly ScheduledItem[];
}

/** How long before the due time the last check and the claims are made. */
const PREFLIGHT_MS = 1_000;
/** Items arrive at most this early (the dispatcher's look-ahead, with room to spare). */
const MAX_EARLY_MS = 5 * 60_000;

interface Ready {
  /** As claimed from the schedule (what a retry hands back). */
  readonly original: ScheduledItem;
  readonly item: OwnedItem;
  readonly handler: ScheduledKind;
  readonly out: Outgoing;
}

/**
 * Turns due schedule items into messages, through the handler of each item's
 * kind, and hands them to `send` exactly once per item: each is claimed by its
 * send id before sending and marked sent after, so a duplicated item, a
 * retried job or a second scheduler never sends twice, and a failed send is
 * released to be tried again.
 */
export class DeliveryService {
  constructor(private readonly deps: DeliveryDeps) {}

  /** The platform whose queue carries an item. */
  routeOf(item: ScheduledItem): string {
    return this.deps.kinds.get(item.kind)?.routeOf?.(item.subject) ?? platformOf(item.subject);
  }

  async deliver(items: readonly ScheduledItem[], transport: Transport): Promise<DeliveryOutcome> {
    const { deps } = this;
    let passed = 0;
    let sent = 0;
    const retry: ScheduledItem[] = [];
    const passOver = async (item: ScheduledItem, reason: string, next: number | null) => {
      passed++;
      deps.logger.debug({ subject: item.subject, kind: item.kind, reason }, "scheduled item passed over");
      await deps.schedule.complete(item, next);
    };

    // 1. Before the due time: each kind decides and words its items.
    const ready: Ready[] = [];
    const work: Array<{ item: ScheduledItem; decision: Work }> = [];
    await Promise.all(
      [...groupBy(items, (item) => item.kind)].map(async ([kind, group]) => {
        const handler = deps.kinds.get(kind);
        if (!handler) {
          deps.logger.warn({ kind, items: group.length }, "no feature handles this scheduled kind");
          await Promise.all(group.map((item) => passOver(item, "unknown kind", null)));
          return;
        }
        const decisions = await handler.prepare(group);
        await Promise.all(
          group.map(async (item, i) => {
            const decision = decisions[i];
            if (!decision) return passOver(item, "no decision", null);
            if (isWork(decision)) return void work.push({ item, decision });
            if (!isOutgoing(decision)) return passOver(item, decision.reason, decision.next);
            const owner = handler.ownerOf?.(item.subject);
            ready.push({ original: item, item: owner ? { ...item, owner } : item, handler, out: decision });
          }),
        );
      }),
    );
    await Promise.all(work.map(({ item, decision }) => this.runOnce(item, decision, retry)));
    if (ready.length === 0) return { sent, passed, retry };

    // 2. Just before the due time: each kind checks again (e.g. anyone who paused or left meanwhile
    // is passed over). Done a moment early, with the claims below, so that at the due time only
    // the sends themselves remain.
    await this.until(Math.min(...ready.map((r) => r.item.due)) - PREFLIGHT_MS);
    const going: Ready[] = [];
    await Promise.all(
      [...groupBy(ready, (r) => r.item.kind)].map(async ([, group]) => {
        const recheck = group[0]?.handler.recheck;
        const verdicts = recheck ? await recheck(group.map((r) => r.item)) : [];
        await Promise.all(
          group.map(async (entry, i) => {
            const verdict = verdicts[i];
            if (!verdict) return void going.push(entry);
            await passOver(entry.item, verdict.reason, verdict.next);
          }),
        );
      }),
    );

    // 3. Hand over. Unpaced, every claim is taken at once; paced, each only when its turn comes,
    // so a claim is never held through a long wait.
    const token = randomUUID();
    const early = transport.paced
      ? undefined
      : await deps.markers.claim(
          going.map((g) => g.item),
          token,
        );
    await Promise.all(
      going.map(async ({ original, item, out }, i) => {
        const next = () => deps.schedule.complete(item, out.next());
        let claimed = false;
        try {
          await this.until(item.due);
          if (transport.paced) await transport.pace?.();
          const claim = early ? early[i] : (await deps.markers.claim([item], token))[0];
          if (claim === "busy") return void retry.push(original);
          if (claim === "gone") return deps.schedule.complete(item, null);
          if (claim === "done") {
            // Sent by an earlier attempt that stopped before finishing up.
            await out.afterEarlier?.();
            return next();
          }
          claimed = true;
          if (!transport.paced) await transport.pace?.();
          const ref = await transport.send(out.to, out.message);
          sent++;
          await deps.markers.markSent(item);
          await out.after(ref);
          await next();
        } catch (error) {
          if (error instanceof MemberUnreachableError) {
            deps.logger.warn(
              { subject: item.subject, kind: item.kind, code: error.code },
              "member unreachable; slot passed over",
            );
            await deps.markers.markSent(item);
            await next();
            return;
          }
          deps.logger.warn(
            { subject: item.subject, kind: item.kind, err: (error as Error).message },
            "send failed; will retry",
          );
          if (claimed) await deps.markers.release(item, token);
          retry.push(original);
        }
      }),
    );
    return { sent, passed, retry };
  }

  /** Work runs at its due time, exactly once: claimed like a send, marked done after. */
  private async runOnce(item: ScheduledItem, work: Work, retry: ScheduledItem[]): Promise<void> {
    const { markers, schedule, logger } = this.deps;
    const token = randomUUID();
    await this.until(item.due);
    const [claim] = await markers.claim([item], token);
    if (claim === "busy") return void retry.push(item);
    if (claim === "gone") return schedule.complete(item, null);
    if (claim === "done") return schedule.complete(item, work.nextAfterEarlier?.() ?? null);
    try {
      const next = await work.run();
      await markers.markSent(item);
      await schedule.complete(item, next);
    } catch (error) {
      logger.warn(
        { subject: item.subject, kind: item.kind, err: (error as Error).message },
        "work failed; will retry",
      );
      await markers.release(item, token);
      retry.push(item);
    }
  }

  /** Waits until an instant on the service's clock (items are claimed a little ahead of time). */
  private async until(at: number): Promise<void> {
    const wait = at - this.deps.clock.now().getTime();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, MAX_EARLY_MS)));
  }
}

function groupBy<T>(list: readonly T[], key: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of list) {
    const name = key(value);
    const group = groups.get(name);
    if (group) group.push(value);
    else groups.set(name, [value]);
  }
  return groups;
}
