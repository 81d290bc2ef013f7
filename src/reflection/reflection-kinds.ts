import type { ScheduledKind } from "../delivery/scheduled-kind.js";
import { type MemberKindDeps, memberSlotKind } from "../schedule/member-kinds.js";
import type { ScheduleStore } from "../schedule/schedule-store.js";
import type { QuestionBankSource } from "./custom-questions.js";
import { promptMessage, tipMessage } from "./prompt-messages.js";
import { TIPS } from "./question-bank.js";
import type { ReflectionStateStore } from "./reflection-state.js";
import { pickQuestion, pickTip } from "./rotation.js";

export interface ReflectionKindDeps extends MemberKindDeps {
  readonly reflection: ReflectionStateStore;
  readonly questions: QuestionBankSource;
  readonly schedule: ScheduleStore;
}

/**
 * What reflection sends on its own, each in a slot of the member's working week:
 * - `prompt`: a reflective question (a gentle one after a break, a light one after a hard message);
 * - `snooze`: a question they said "not now" to, asked again;
 * - `tip`: a self-care idea.
 */
export function reflectionKinds(deps: ReflectionKindDeps): ScheduledKind[] {
  const { reflection, questions } = deps;
  return [
    memberSlotKind(deps, {
      kind: "prompt",
      label: "a question to reflect on",
      async word(member, item, forms) {
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
          async after() {
            await reflection.recordQuestion(member.id, question.id, question.theme, resetIds);
            await reflection.setOpen(member.id, { questionId: question.id, step: 0, askedAt: item.due });
            // A new question replaces one put aside earlier.
            await deps.schedule.set(member.id, "snooze", null);
          },
        };
      },
    }),
    memberSlotKind(deps, {
      kind: "snooze",
      label: "the question you put aside, again",
      async word(member, _item, forms) {
        const open = await reflection.getOpen(member.id);
        const question = open && open.step === 0 ? (await questions.bank()).get(open.questionId) : undefined;
        if (!question) return null;
        return { message: promptMessage(member, question, "snoozed", forms), after: async () => {} };
      },
    }),
    memberSlotKind(deps, {
      kind: "tip",
      label: "a self-care idea",
      async word(member) {
        const state = await reflection.load(member.id);
        const pick = pickTip(TIPS, state.tipsSeen);
        if (!pick) return null;
        return {
          message: tipMessage(pick.tip, true),
          after: () => reflection.recordTip(member.id, pick.tip.id, pick.reset),
        };
      },
    }),
  ];
}
