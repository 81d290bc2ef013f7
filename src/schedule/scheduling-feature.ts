import type { Feature } from "../bot/feature.js";
import type { MemberChange } from "../commands/context.js";
import { pauseCommand, resumeCommand } from "../commands/pause.js";
import { bindCommands } from "../commands/schema.js";
import type { ScheduledKind } from "../delivery/scheduled-kind.js";
import type { MemberDataSection } from "../members/member-store.js";
import type { Member } from "../members/member.js";
import type { MemberId } from "../platform/chat-platform.js";
import type { CustomQuestionStore, QuestionBankSource } from "../reflection/custom-questions.js";
import type { ReflectionStateStore } from "../reflection/reflection-state.js";
import type { Clock } from "../time/clock.js";
import type { HolidayStore } from "./holidays.js";
import type { MemberKindDeps } from "./member-kinds.js";
import type { Planner } from "./planner.js";
import { createScheduleCommand } from "./schedule-command.js";
import type { ScheduleStore } from "./schedule-store.js";
import { schedulingCommands } from "./scheduling-commands.js";
import { welcomeKind } from "./welcome-kind.js";

export interface SchedulingFeatureDeps extends MemberKindDeps {
  readonly planner: Planner;
  readonly schedule: ScheduleStore;
  readonly holidays: HolidayStore;
  readonly customQuestions: CustomQuestionStore;
  readonly questions: QuestionBankSource;
  readonly reflection: ReflectionStateStore;
  readonly clock: Clock;
  /** Every scheduled kind the features brought (read late: the list is complete once all are built). */
  readonly kinds: () => readonly ScheduledKind[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Keeps schedules in step with members (join, settings, pause, resume,
 * forget) and gives coordinators holidays and extra questions.
 */
export function createSchedulingFeature(deps: SchedulingFeatureDeps): Feature {
  async function onMemberChanged(id: MemberId, member: Member | null, change: MemberChange): Promise<void> {
    if (!member) {
      await deps.schedule.removeSubject(id, kindNames());
      return;
    }
    if (change === "resumed") {
      // The resume reply is the welcome back; the next question is a gentle one, from tomorrow.
      await deps.reflection.setGentle(id, true);
      await deps.planner.plan(member, { promptsNotBefore: new Date(deps.clock.now().getTime() + DAY_MS) });
      return;
    }
    await deps.planner.plan(member);
  }

  const kindNames = () => deps.kinds().map((k) => k.kind);

  /** What is scheduled for the member, in their export; forgetting them removes it. */
  const scheduleSection: MemberDataSection = {
    name: "schedule",
    async export(id) {
      const upcoming = await deps.schedule.upcoming(id, kindNames());
      return Object.fromEntries(upcoming.map(({ kind, due }) => [kind, new Date(due).toISOString()]));
    },
    forget: (id) => deps.schedule.removeSubject(id, kindNames()),
  };

  return {
    name: "scheduling",
    scheduled: [welcomeKind(deps)],
    dataSections: [scheduleSection],
    onMemberChanged,
    commands: [
      pauseCommand,
      resumeCommand,
      createScheduleCommand(deps),
      ...bindCommands(schedulingCommands, deps),
    ],
  };
}
