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

/** What a prompt's `after` records (its memo: ids only). */
interface PickedQuestion {
  readonly id: string;
  readonly theme: string;
  readonly resetIds: readonly string[];
}

interface PickedTip {
  readonly id: string;
  readonly reset: boolean;
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
        const picked: PickedQuestion = { id: question.id, theme: question.theme, resetIds };
        return {
          message: promptMessage(member, question, occasion, forms),
          // A retry sends the question the first attempt chose, and records that one.
          memo: JSON.stringify(picked),
          async after(_sent, memo) {
            const { id, theme, resetIds: reset } = memo ? (JSON.parse(memo) as PickedQuestion) : picked;
            await reflection.recordQuestion(member.id, id, theme, reset);
            await reflection.setOpen(member.id, { questionId: id, step: 0, askedAt: item.due });
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
        const picked: PickedTip = { id: pick.tip.id, reset: pick.reset };
        return {
          message: tipMessage(pick.tip, true),
          memo: JSON.stringify(picked),
          async after(_sent, memo) {
            const { id, reset } = memo ? (JSON.parse(memo) as PickedTip) : picked;
            await reflection.recordTip(member.id, id, reset);
          },
        };
      },
    }),
  ];
}
