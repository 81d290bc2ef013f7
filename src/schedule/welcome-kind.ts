import type { ScheduledKind } from "../delivery/scheduled-kind.js";
import type { Member } from "../members/member.js";
import { welcomeBackMessage } from "../reflection/prompt-messages.js";
import type { ReflectionStateStore } from "../reflection/reflection-state.js";
import { type MemberKindDeps, memberSlotKind } from "./member-kinds.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The welcome back, on the first working day of a pause's end date. After it
 * the member is active again, and their next question is a gentle one, not
 * before tomorrow.
 */
export function welcomeKind(
  deps: MemberKindDeps & { readonly reflection: ReflectionStateStore },
): ScheduledKind {
  async function endPause(member: Member): Promise<void> {
    // Only the status changes: a setting changed in the same seconds is kept.
    const active = await deps.members.update(member.id, { status: { state: "active" } });
    if (!active) return;
    await deps.reflection.setGentle(member.id, true);
    await deps.planner.plan(active, {
      promptsNotBefore: new Date(deps.clock.now().getTime() + DAY_MS),
    });
  }
  return memberSlotKind(deps, {
    kind: "welcome",
    label: "a welcome back at the end of your pause",
    async word(member) {
      return {
        message: welcomeBackMessage(member),
        after: () => endPause(member),
        afterEarlier: () => endPause(member),
      };
    },
  });
}
