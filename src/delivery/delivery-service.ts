import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { MemberUnreachableError } from "../errors.js";
import type { Logger } from "../logging/logger.js";
import type { MemberStore } from "../members/member-store.js";
import type { Member } from "../members/member.js";
import type { MemberId, OutboundMessage } from "../platform/chat-platform.js";
import type { QuestionBankSource } from "../reflection/custom-questions.js";
import { promptMessage, tipMessage, welcomeBackMessage } from "../reflection/prompt-messages.js";
import { TIPS } from "../reflection/question-bank.js";
import type { ReflectionStateStore } from "../reflection/reflection-state.js";
import { pickQuestion, pickTip } from "../reflection/rotation.js";
import { type Planner, localDate } from "../schedule/planner.js";
import { preferencesOf, toMinutes } from "../schedule/preferences.js";
import type { ScheduleStore, ScheduledItem } from "../schedule/schedule-store.js";
import type { HolidayCheck } from "../schedule/slots.js";
import type { Clock } from "../time/clock.js";
import type { DeliveryMarkers } from "./delivery-markers.js";

/** Hands one message to the platform. Resolves once the platform has accepted it. */
export type Send = (member: MemberId, message: OutboundMessage) => Promise<void>;

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
  readonly members: MemberStore;
  readonly schedule: ScheduleStore;
  readonly planner: Planner;
  readonly markers: DeliveryMarkers;
  readonly reflection: ReflectionStateStore;
  readonly questions: QuestionBankSource;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Whether the member's platform has forms (for the "write it in a form" button). */
  readonly hasForms: (member: MemberId) => boolean;
}

export interface DeliveryOutcome {
  readonly sent: number;
  readonly passed: number;
  /** Items to try again later (another attempt held them, or the send failed). */
  readonly retry: readonly ScheduledItem[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long before the due time the last check and the claims are made. */
const PREFLIGHT_MS = 1_000;
/** Items arrive at most this early (the dispatcher's look-ahead, with room to spare). */
const MAX_EARLY_MS = 5 * 60_000;

type Plan = { message: OutboundMessage; after: () => Promise<void> } | null;

/**
 * Turns due schedule items into messages and hands them to `send`, exactly
 * once per item: each is claimed by its send id before sending and marked
 * sent after, so a duplicated item, a retried job or a second scheduler
 * never sends twice, and a failed send is released to be tried again.
 */
export class DeliveryService {
  constructor(private readonly deps: DeliveryDeps) {}

  async deliver(items: readonly ScheduledItem[], transport: Transport): Promise<DeliveryOutcome> {
    const { deps } = this;
    const now = deps.clock.now().getTime();
    const members = await deps.members.getMany(items.map((item) => item.member));
    const holidays = await deps.planner.holidayCheck();
    let passed = 0;
    let sent = 0;
    const retry: ScheduledItem[] = [];
    const following = (item: ScheduledItem, member: Member) =>
      deps.planner.following(member, item.kind, item.due, holidays);

    // 1. Before the due time: decide, pick the question, word the message.
    const ready: Array<{ item: ScheduledItem; member: Member; plan: NonNullable<Plan> }> = [];
    await Promise.all(
      items.map(async (item, i) => {
        const member = members[i];
        const reason = member ? this.passOver(item, member, now, holidays) : "member gone";
        if (!member || reason) {
          passed++;
          deps.logger.debug({ member: item.member, kind: item.kind, reason }, "scheduled item passed over");
          const next = !member
            ? null
            : reason === "holiday"
              ? deps.planner.moved(member, item.kind, item.due, holidays)
              : following(item, member);
          await deps.schedule.complete(item, next);
          return;
        }
        const plan = await this.prepare(item, member);
        if (!plan) {
          passed++;
          await deps.schedule.complete(item, following(item, member));
          return;
        }
        ready.push({ item, member, plan });
      }),
    );
    if (ready.length === 0) return { sent, passed, retry };

    // 2. Just before the due time: anyone who paused or left meanwhile is passed over. (Done a moment
    // early, with the claims below, so that at the due time only the sends themselves remain.)
    await this.until(Math.min(...ready.map((r) => r.item.due)) - PREFLIGHT_MS);
    const current = await deps.members.getMany(ready.map((r) => r.item.member));
    const going: typeof ready = [];
    await Promise.all(
      ready.map(async (entry, i) => {
        const latest = current[i];
        const expected = entry.item.kind === "welcome" ? "paused" : "active";
        if (latest && latest.status.state === expected) return void going.push(entry);
        passed++;
        await deps.schedule.complete(entry.item, latest ? following(entry.item, latest) : null);
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
      going.map(async ({ item, member, plan }, i) => {
        const next = () => deps.schedule.complete(item, following(item, member));
        let claimed = false;
        try {
          await this.until(item.due);
          if (transport.paced) await transport.pace?.();
          const claim = early ? early[i] : (await deps.markers.claim([item], token))[0];
          if (claim === "busy") return void retry.push(item);
          if (claim === "gone") return deps.schedule.complete(item, null);
          if (claim === "done") {
            // Sent by an earlier attempt that stopped before finishing up.
            if (item.kind === "welcome") await this.endPause(member);
            return next();
          }
          claimed = true;
          if (!transport.paced) await transport.pace?.();
          await transport.send(member.id, plan.message);
          sent++;
          await deps.markers.markSent(item);
          await plan.after();
          await next();
        } catch (error) {
          if (error instanceof MemberUnreachableError) {
            deps.logger.warn(
              { member: item.member, kind: item.kind, code: error.code },
              "member unreachable; slot passed over",
            );
            await deps.markers.markSent(item);
            await next();
            return;
          }
          deps.logger.warn(
            { member: item.member, kind: item.kind, err: (error as Error).message },
            "send failed; will retry",
          );
          if (claimed) await deps.markers.release(item, token);
          retry.push(item);
        }
      }),
    );
    return { sent, passed, retry };
  }

  /** Waits until an instant on the service's clock (items are claimed a little ahead of time). */
  private async until(at: number): Promise<void> {
    const wait = at - this.deps.clock.now().getTime();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, MAX_EARLY_MS)));
  }

  /** After the welcome back: active again, the next question a gentle one, and not before tomorrow. */
  private async endPause(member: Member): Promise<void> {
    const active: Member = { ...member, status: { state: "active" } };
    await this.deps.members.save(active);
    await this.deps.reflection.setGentle(member.id, true);
    await this.deps.planner.plan(active, {
      promptsNotBefore: new Date(this.deps.clock.now().getTime() + DAY_MS),
    });
  }

  /** Why an item should not be sent now, or undefined to send it. */
  private passOver(
    item: ScheduledItem,
    member: Member,
    now: number,
    holidays: HolidayCheck,
  ): string | undefined {
    const preferences = preferencesOf(member);
    if (item.kind === "welcome") {
      const ended =
        member.status.state === "paused" &&
        member.status.until !== undefined &&
        localDate(member, now) >= member.status.until;
      return ended ? undefined : "no pause ending";
    }
    if (member.status.state === "paused") return "paused";
    if (item.kind === "prompt" && preferences.prompts === "off") return "prompts off";
    if (item.kind === "tip" && preferences.tips === "off") return "tips off";
    if (holidays(localDate(member, item.due), member.region)) return "holiday";
    // No catch-up: a slot whose working day has ended is not sent late.
    const endOfDay = DateTime.fromMillis(item.due, { zone: member.timeZone })
      .startOf("day")
      .plus({ minutes: toMinutes(member.workingHours.end) });
    if (now > endOfDay.toMillis()) return "working day over";
    return undefined;
  }

  private async prepare(item: ScheduledItem, member: Member): Promise<Plan> {
    const { reflection, questions } = this.deps;
    const forms = this.deps.hasForms(member.id);
    switch (item.kind) {
      case "prompt": {
        const state = await reflection.load(member.id);
        const pick = pickQuestion(await questions.bank(), state, member, {
          gentle: state.gentle,
          soft: state.soft,
        });
        if (!pick) return null;
        const { question, resetIds } = pick;
        const occasion = state.gentle ? "gentle" : state.soft ? "soft" : "scheduled";
        return {
          message: promptMessage(member, question, occasion, forms),
          after: async () => {
            await reflection.recordQuestion(member.id, question.id, question.theme, resetIds);
            await reflection.setOpen(member.id, { questionId: question.id, step: 0, askedAt: item.due });
            // A new question replaces one put aside earlier.
            await this.deps.schedule.set(member.id, "snooze", null);
          },
        };
      }
      case "snooze": {
        const open = await reflection.getOpen(member.id);
        const question = open && open.step === 0 ? (await questions.bank()).get(open.questionId) : undefined;
        if (!question) return null;
        return { message: promptMessage(member, question, "snoozed", forms), after: async () => {} };
      }
      case "tip": {
        const state = await reflection.load(member.id);
        const pick = pickTip(TIPS, state.tipsSeen);
        if (!pick) return null;
        return {
          message: tipMessage(pick.tip, true),
          after: () => reflection.recordTip(member.id, pick.tip.id, pick.reset),
        };
      }
      case "welcome":
        return { message: welcomeBackMessage(member), after: () => this.endPause(member) };
    }
  }
}
