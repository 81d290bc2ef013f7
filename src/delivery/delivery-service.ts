import { randomUUID } from "node:crypto";
import { MemberUnreachableError } from "../errors.js";
import type { Logger } from "../logging/logger.js";
import {
  type ConversationRef,
  type MessageRef,
  type OutboundMessage,
  type PostOptions,
  type PostedRef,
  platformOf,
} from "../platform/chat-platform.js";
import { type Metrics, noMetrics } from "../runtime/metrics.js";
import { type ScheduleStore, type ScheduledItem, deliveryId } from "../schedule/schedule-store.js";
import type { Clock } from "../time/clock.js";
import type { Claim, DeliveryMarkers, OwnedItem, Wording } from "./delivery-markers.js";
import { type Outgoing, type ScheduledKind, type Work, isOutgoing, isWork } from "./scheduled-kind.js";

/**
 * Hands one message to the platform. Resolves once the platform has accepted it. `options.sendId`
 * is the send's stable id, for a platform that can recognise a second post of it (see PostOptions).
 */
export type Send = (
  to: ConversationRef,
  message: OutboundMessage,
  options?: PostOptions,
) => Promise<PostedRef>;

/**
 * How the outbound queue sends: `pace` waits for a turn, `send` hands over. `paced` says a
 * turn may be long in coming, so each send is claimed only once its turn is booked: `pace` is
 * then given the send id, and resolves once a turn is booked for that send, a little before it
 * comes; `send` waits for the turn itself, as close to the platform call as it can.
 */
export interface Transport {
  readonly paced?: boolean;
  readonly pace?: (sendId?: string) => Promise<void>;
  readonly send: Send;
  /**
   * Where the platform can tell: the message a post with this send id already
   * put in the conversation, or null (the platform's `findSent`). Asked only
   * before a retry of a send an earlier attempt claimed and didn't record.
   */
  readonly findSent?: (to: ConversationRef, sendId: string) => Promise<MessageRef | null>;
  /** The platform's name, for metrics (default: the item's route). */
  readonly platform?: string;
}

export interface DeliveryDeps {
  /** Every scheduled kind the features brought, by name. */
  readonly kinds: ReadonlyMap<string, ScheduledKind>;
  readonly schedule: ScheduleStore;
  readonly markers: DeliveryMarkers;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Counts sends and the duplicates stopped (default: counts nothing). */
  readonly metrics?: Metrics;
}

export interface DeliveryOutcome {
  readonly sent: number;
  readonly passed: number;
  /** Items to try again later (another attempt held them, or the send failed). */
  readonly retry: readonly ScheduledItem[];
  /**
   * Items left untouched because the attempt was stopped (`signal`) before they
   * reached the platform: still leased, for the stopping process to hand back.
   */
  readonly handedBack?: number;
}

/** How long before the due time the last check and the claims are made. */
const PREFLIGHT_MS = 1_000;
/**
 * Unpaced, while more sends than this are in flight, the records of finished ones wait (a burst
 * first): until the burst is nearly all with the platform, ...
 */
const SETTLED_BELOW = 8;
/** ...or the platform has answered none for this long (it has stalled: no one waits on it)... */
const STALLED_AFTER_MS = 1_000;
/**
 * ...or this long at most. A crash in this time leaves sends that went out unrecorded: a retry
 * asks the platform first (see the README's "Crashes, restarts and stops"), as it does for the
 * burst's sends still unanswered, which are as many or more.
 */
const MAX_RECORD_DELAY_MS = 30_000;
/** Items arrive at most this early (the dispatcher's look-ahead, with room to spare). */
const MAX_EARLY_MS = 5 * 60_000;

interface Ready {
  /** As claimed from the schedule (what a retry hands back). */
  readonly original: ScheduledItem;
  readonly item: OwnedItem;
  readonly handler: ScheduledKind;
  readonly out: Outgoing;
  /** The kind's next due time, worked out ahead (so the due moment holds only the sends). */
  readonly next: number | null;
  readonly sendId: string;
}

/**
 * Turns due schedule items into messages, through the handler of each item's
 * kind, and hands them to `send` exactly once per item: each is claimed by its
 * send id before sending and marked sent after, so a duplicated item, a
 * retried job or a second scheduler never sends twice, and a failed send is
 * released to be tried again.
 */
export class DeliveryService {
  private readonly metrics: Metrics;
  /** Sends handed to the platform and not yet answered, in this process. */
  private inFlight = 0;
  /** What the records of finished sends wait on while a burst is out (see `sendsSettled`). */
  private settling: Settling | undefined;

  constructor(private readonly deps: DeliveryDeps) {
    this.metrics = deps.metrics ?? noMetrics;
  }

  /** The platform whose queue carries an item. */
  routeOf(item: ScheduledItem): string {
    return this.deps.kinds.get(item.kind)?.routeOf?.(item.subject) ?? platformOf(item.subject);
  }

  /**
   * Delivers the items. Once `signal` aborts (a graceful stop), nothing more is
   * claimed or sent: sends already with the platform finish, and every other
   * item is left as it is (counted in `handedBack`), for the caller to hand back.
   */
  async deliver(
    items: readonly ScheduledItem[],
    transport: Transport,
    signal?: AbortSignal,
  ): Promise<DeliveryOutcome> {
    const { deps, metrics } = this;
    let passed = 0;
    let sent = 0;
    let handedBack = 0;
    const retry: ScheduledItem[] = [];
    const passOver = async (item: ScheduledItem, reason: string, next: number | null) => {
      passed++;
      deps.logger.debug({ subject: item.subject, kind: item.kind, reason }, "scheduled item passed over");
      await deps.schedule.complete(item, next);
    };
    const outcome = () => ({ sent, passed, retry, handedBack });

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
            ready.push({
              original: item,
              item: owner ? { ...item, owner } : item,
              handler,
              out: decision,
              next: decision.next(),
              sendId: deliveryId(item),
            });
          }),
        );
      }),
    );
    const ran = await Promise.all(
      work.map(({ item, decision }) => this.runOnce(item, decision, retry, signal)),
    );
    handedBack += ran.filter((done) => !done).length;
    if (ready.length === 0) return outcome();

    // 2. Just before the due time: each kind checks again (e.g. anyone who paused or left meanwhile
    // is passed over). Done a moment early, with the claims below, so that at the due time only
    // the sends themselves remain.
    if (!(await this.until(Math.min(...ready.map((r) => r.item.due)) - PREFLIGHT_MS, signal))) {
      handedBack += ready.length;
      return outcome();
    }
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

    // 3. Hand over. Unpaced, every claim is taken at once; paced, each only once its turn is
    // booked (just ahead of it), so a claim is never held through a long wait. The wording goes with the claim: the first
    // claim of a send keeps it, and a retry sends what the first claim kept.
    const token = randomUUID();
    const wordingOf = ({ out }: Ready): Wording => ({
      to: out.to,
      message: out.message,
      ...(out.memo !== undefined ? { memo: out.memo } : {}),
    });
    // Unpaced, the items due together wait on one timer and one turn: the pacer then lets everyone
    // waiting go at once (unless a 429's wait is on), so one wait for them all is the same, and the
    // due moment holds only the sends.
    const together = new Map<number, Promise<boolean>>();
    const dueTogether = (due: number): Promise<boolean> => {
      let ready = together.get(due);
      if (!ready) {
        ready = this.until(due, signal).then((ok) => ok && untilDone(transport.pace?.(), signal));
        together.set(due, ready);
      }
      return ready;
    };
    const early =
      transport.paced || signal?.aborted
        ? undefined
        : await deps.markers.claim(
            going.map((g) => g.item),
            token,
            going.map(wordingOf),
          );
    await Promise.all(
      going.map(async (entry, i) => {
        const { original, item, out, sendId } = entry;
        const platform = transport.platform ?? this.routeOf(item);
        const next = () => deps.schedule.complete(item, entry.next);
        let claimed = false;
        const handBack = async () => {
          handedBack++;
          if (claimed) await deps.markers.release(item, token);
        };
        try {
          let claim: Claim | undefined = early?.[i];
          if (claim && (claim.result === "go" || claim.result === "again")) claimed = true;
          const due = transport.paced ? this.until(item.due, signal) : dueTogether(item.due);
          if (!(await due)) return handBack();
          if (transport.paced && !(await untilDone(transport.pace?.(sendId), signal))) return handBack();
          if (signal?.aborted) return handBack();
          claim ??= (await deps.markers.claim([item], token, [wordingOf(entry)]))[0];
          const result = claim?.result;
          if (result === "busy") return void retry.push(original);
          if (result === "gone") return deps.schedule.complete(item, null);
          if (result === "done") {
            // Sent by an earlier attempt that stopped before finishing up.
            metrics.duplicatePrevented(platform, "marker");
            await out.afterEarlier?.();
            return next();
          }
          claimed = true;
          if (signal?.aborted) return handBack();
          const wording = claim?.kept ?? wordingOf(entry);
          if (result === "again" && transport.findSent) {
            const found = await transport.findSent(wording.to, sendId).catch(() => null);
            if (found) {
              // An earlier attempt's post reached the platform; only its record was missing.
              metrics.duplicatePrevented(platform, "history");
              await deps.markers.markSent(item);
              await out.after(found, wording.memo);
              return next();
            }
          }
          const posted = await this.sending(transport.send(wording.to, wording.message, { sendId }));
          sent++;
          metrics.sent(platform, item.kind, Math.max(0, deps.clock.now().getTime() - item.due));
          if (posted.repeated) metrics.duplicatePrevented(platform, "nonce");
          // The send is out and its claim held: the records wait until the burst's other sends
          // are with the platform, so at the due moment the CPU goes to sending.
          if (!transport.paced) await this.sendsSettled(signal);
          await deps.markers.markSent(item);
          await out.after({ conversation: posted.conversation, id: posted.id }, wording.memo);
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
    return outcome();
  }

  /** Counts a send as in flight until the platform answers. */
  private async sending<T>(send: Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await send;
    } finally {
      if (--this.inFlight <= SETTLED_BELOW) this.settling?.release();
      else this.settling?.stalled.refresh();
    }
  }

  /**
   * Resolves once few sends are in flight (a burst is nearly all with the platform), or the
   * platform has answered none for `STALLED_AFTER_MS`, or after `MAX_RECORD_DELAY_MS`, or at once
   * on a stop (`signal`), so a graceful stop records what went out. Every record waiting meanwhile
   * waits on the same promise and timers.
   */
  private sendsSettled(signal?: AbortSignal): Promise<unknown> {
    if (this.inFlight <= SETTLED_BELOW || signal?.aborted) return Promise.resolve();
    if (!this.settling) {
      let resolve = () => {};
      const promise = new Promise<void>((done) => {
        resolve = done;
      });
      const release = () => {
        clearTimeout(stalled);
        clearTimeout(longest);
        if (this.settling?.promise === promise) this.settling = undefined;
        resolve();
      };
      const stalled = setTimeout(release, STALLED_AFTER_MS);
      const longest = setTimeout(release, MAX_RECORD_DELAY_MS);
      this.settling = { promise, stalled, release };
    }
    return signal ? Promise.race([this.settling.promise, aborted(signal)]) : this.settling.promise;
  }

  /**
   * Work runs at its due time, exactly once: claimed like a send, marked done after. False when
   * stopped (`signal`) before it began.
   */
  private async runOnce(
    item: ScheduledItem,
    work: Work,
    retry: ScheduledItem[],
    signal: AbortSignal | undefined,
  ): Promise<boolean> {
    const { markers, schedule, logger } = this.deps;
    const token = randomUUID();
    if (!(await this.until(item.due, signal)) || signal?.aborted) return false;
    const [claim] = await markers.claim([item], token);
    const result = claim?.result;
    if (result === "busy") {
      retry.push(item);
      return true;
    }
    if (result === "gone") {
      await schedule.complete(item, null);
      return true;
    }
    if (result === "done") {
      await schedule.complete(item, work.nextAfterEarlier?.() ?? null);
      return true;
    }
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
    return true;
  }

  /**
   * Waits until an instant on the service's clock (items are claimed a little ahead of time).
   * False when `signal` aborts first.
   */
  private async until(at: number, signal?: AbortSignal): Promise<boolean> {
    const wait = at - this.deps.clock.now().getTime();
    if (wait <= 0) return !signal?.aborted;
    let timer: NodeJS.Timeout | undefined;
    const done = await untilDone(
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.min(wait, MAX_EARLY_MS));
      }),
      signal,
    );
    clearTimeout(timer);
    return done;
  }
}

interface Settling {
  readonly promise: Promise<void>;
  /** Put off each time the platform answers a send. */
  readonly stalled: NodeJS.Timeout;
  readonly release: () => void;
}

/** One promise per signal that resolves when it aborts (one listener, however many items wait). */
const abortions = new WeakMap<AbortSignal, Promise<false>>();
function aborted(signal: AbortSignal): Promise<false> {
  let found = abortions.get(signal);
  if (!found) {
    found = new Promise<false>((resolve) => {
      if (signal.aborted) resolve(false);
      else signal.addEventListener("abort", () => resolve(false), { once: true });
    });
    abortions.set(signal, found);
  }
  return found;
}

/** Waits for `promise`; false if `signal` aborts first (the promise is then left to itself). */
async function untilDone(
  promise: Promise<void> | undefined,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  if (!signal) {
    await promise;
    return true;
  }
  if (signal.aborted) return false;
  return Promise.race([Promise.resolve(promise).then(() => true as const), aborted(signal)]);
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
