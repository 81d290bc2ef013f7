import { DateTime } from "luxon";
import type { Outgoing, PassOver, ScheduledKind } from "../delivery/scheduled-kind.js";
import type { MemberStore } from "../members/member-store.js";
import type { Member } from "../members/member.js";
import { type MemberId, type MessageRef, type OutboundMessage, dmWith } from "../platform/chat-platform.js";
import type { Clock } from "../time/clock.js";
import { type Planner, localDate } from "./planner.js";
import { preferencesOf, toMinutes } from "./preferences.js";
import type { ScheduledItem } from "./schedule-store.js";
import type { HolidayCheck, SlotKind } from "./slots.js";

/** What a feature sends for one of a member's working-week slots. */
export interface SlotMessage {
  readonly message: OutboundMessage;
  /** Ids only: what `after` needs to record this wording (see Outgoing.memo). */
  readonly memo?: string;
  /** Once sent: record it (e.g. the question now open); `memo` is that of the wording sent. */
  after(sent: MessageRef, memo?: string): Promise<void>;
  /** When an earlier attempt sent it and stopped before finishing up. */
  afterEarlier?(): Promise<void>;
}

export interface MemberSlotSpec {
  readonly kind: SlotKind;
  /** What the member is told it is, in `/peer schedule`. */
  readonly label: string;
  /** Words the message for this member (null: nothing to send this time; the next slot is planned). */
  word(member: Member, item: ScheduledItem, hasForms: boolean): Promise<SlotMessage | null>;
}

export interface MemberKindDeps {
  readonly members: MemberStore;
  readonly planner: Planner;
  readonly clock: Clock;
  /** Whether the member's platform has forms (for the "write it in a form" button). */
  readonly hasForms: (member: MemberId) => boolean;
}

/**
 * A scheduled kind for a slot in a member's working week (a prompt, a tip, a
 * question asked again, the welcome back). The subject is the member. It is
 * sent in their DM, only while it suits them: not while paused (the welcome
 * back only while paused), not on a holiday in their region (moved to the
 * next working day), not once their working day is over (no catch-up), and
 * not when they turned that kind off. The next slot is planned after each.
 */
export function memberSlotKind(deps: MemberKindDeps, spec: MemberSlotSpec): ScheduledKind {
  const { kind } = spec;
  const following = (member: Member, due: number, holidays: HolidayCheck) =>
    deps.planner.following(member, kind, due, holidays);

  function passOverReason(member: Member, item: ScheduledItem, now: number, holidays: HolidayCheck) {
    const preferences = preferencesOf(member);
    if (kind === "welcome") {
      const ended =
        member.status.state === "paused" &&
        member.status.until !== undefined &&
        localDate(member, now) >= member.status.until;
      return ended ? undefined : "no pause ending";
    }
    if (member.status.state === "paused") return "paused";
    if (kind === "prompt" && preferences.prompts === "off") return "prompts off";
    if (kind === "tip" && preferences.tips === "off") return "tips off";
    if (holidays(localDate(member, item.due), member.region)) return "holiday";
    // No catch-up: a slot whose working day has ended is not sent late.
    const endOfDay = DateTime.fromMillis(item.due, { zone: member.timeZone })
      .startOf("day")
      .plus({ minutes: toMinutes(member.workingHours.end) });
    if (now > endOfDay.toMillis()) return "working day over";
    return undefined;
  }

  return {
    kind,
    label: spec.label,
    ownerOf: (subject) => subject,
    async prepare(items) {
      const now = deps.clock.now().getTime();
      const [members, holidays] = await Promise.all([
        deps.members.getMany(items.map((item) => item.subject)),
        deps.planner.holidayCheck(),
      ]);
      return Promise.all(
        items.map(async (item, i): Promise<PassOver | Outgoing> => {
          const member = members[i];
          if (!member) return { reason: "member gone", next: null };
          const reason = passOverReason(member, item, now, holidays);
          if (reason) {
            const next =
              reason === "holiday"
                ? deps.planner.moved(member, kind, item.due, holidays)
                : following(member, item.due, holidays);
            return { reason, next };
          }
          const worded = await spec.word(member, item, deps.hasForms(member.id));
          if (!worded) return { reason: "nothing to send", next: following(member, item.due, holidays) };
          return {
            to: dmWith(member.id),
            message: worded.message,
            ...(worded.memo !== undefined ? { memo: worded.memo } : {}),
            after: worded.after,
            ...(worded.afterEarlier ? { afterEarlier: worded.afterEarlier } : {}),
            next: () => following(member, item.due, holidays),
          };
        }),
      );
    },
    async recheck(items) {
      const [latest, holidays] = await Promise.all([
        deps.members.getMany(items.map((item) => item.subject)),
        deps.planner.holidayCheck(),
      ]);
      const expected = kind === "welcome" ? "paused" : "active";
      return items.map((item, i) => {
        const member = latest[i];
        if (member && member.status.state === expected) return null;
        return {
          reason: member ? `now ${member.status.state}` : "member gone",
          next: member ? following(member, item.due, holidays) : null,
        };
      });
    },
  };
}
