import { DateTime } from "luxon";
import type { Feature } from "../bot/feature.js";
import type { HandlerContext } from "../commands/context.js";
import { bindCommands } from "../commands/schema.js";
import type { MemberDataSection } from "../members/member-store.js";
import type { Member } from "../members/member.js";
import type { MemberKindDeps } from "../schedule/member-kinds.js";
import type { Planner } from "../schedule/planner.js";
import type { ScheduleStore } from "../schedule/schedule-store.js";
import { nextSlot } from "../schedule/slots.js";
import type { QuestionBankSource } from "./custom-questions.js";
import { type Draft, STEP_FIELDS, createDiarySaving } from "./diary-saving.js";
import type { DiaryAnswers, JournalStore } from "./journal.js";
import { createKeepButtons } from "./keep-buttons.js";
import { DIARY_PUT_ASIDE, OFFER_TO_KEEP, askToKeep } from "./keep-messages.js";
import type { PendingEntryStore } from "./pending-entry.js";
import {
  DIARY_FORM,
  ENTRY_SAVED,
  PROMPT_FORM,
  PROMPT_LATER,
  PROMPT_SKIP,
  diaryForm,
} from "./prompt-messages.js";
import { reflectionCommands } from "./reflection-commands.js";
import { reflectionKinds } from "./reflection-kinds.js";
import type { ReflectionStateStore } from "./reflection-state.js";

export interface ReflectionFeatureDeps extends MemberKindDeps {
  readonly reflection: ReflectionStateStore;
  readonly journal: JournalStore & MemberDataSection;
  readonly questions: QuestionBankSource;
  readonly schedule: ScheduleStore;
  readonly planner: Planner;
  readonly pending: PendingEntryStore & MemberDataSection;
  /** The member's rotation and open question, for export and forget. */
  readonly reflectionData: MemberDataSection;
}

/** The diary form's fields that have words in them. */
function formAnswers(values: Readonly<Record<string, string>>): DiaryAnswers {
  return Object.fromEntries(
    STEP_FIELDS.map((field) => [field, values[field]?.trim() ?? ""]).filter(([, text]) => text !== ""),
  );
}

/**
 * Reflective questions and the private diary: `/peer reflect`, `/peer journal`,
 * `/peer tip`, the prompt's buttons, the diary form, and the guided exchange
 * in direct messages (question, what helped, why it mattered; each optional).
 */
export function createReflectionFeature(deps: ReflectionFeatureDeps): Feature {
  const { reflection, journal, questions, pending } = deps;
  const saving = createDiarySaving(deps);
  const { closeQuestion } = saving;

  async function snooze(context: HandlerContext): Promise<void> {
    const member = context.member as Member;
    const slot = nextSlot(member, "snooze", context.deps.clock.now(), {
      holidays: await deps.planner.holidayCheck(),
    });
    await deps.schedule.set(member.id, "snooze", slot?.getTime() ?? null);
    const when = slot
      ? DateTime.fromJSDate(slot, { zone: member.timeZone }).toFormat("cccc")
      : "another time";
    await context.responder.reply({
      text: `No problem. I'll ask again on ${when}, and you can always start one yourself with /peer reflect.`,
    });
  }

  /**
   * A prompt's buttons act only on the question they came with, while it is
   * open; "Not now" and "Skip" only before the diary has begun. (A button
   * sent without a question id, before buttons carried one, still acts.)
   */
  async function isOpenQuestion(
    context: HandlerContext,
    questionId: string | undefined,
    unstarted: boolean,
  ): Promise<boolean> {
    if (!questionId) return true;
    const open = await reflection.getOpen(context.memberId);
    return open !== null && open.questionId === questionId && (!unstarted || open.step === 0);
  }

  return {
    name: "reflection",
    scheduled: reflectionKinds(deps),
    dataSections: [deps.reflectionData, journal, pending],
    commands: bindCommands(reflectionCommands, deps),
    buttons: [
      ...createKeepButtons({ saving, pending, questions, reflection }),
      {
        id: PROMPT_LATER,
        isCurrent: (context, value) => isOpenQuestion(context, value, true),
        async run(context) {
          if (!context.member) return;
          await snooze(context);
        },
      },
      {
        id: PROMPT_SKIP,
        isCurrent: (context, value) => isOpenQuestion(context, value, true),
        async run(context) {
          await closeQuestion(context.memberId);
          await context.responder.reply({ text: "Okay, skipping that one. Nothing more needed from you." });
        },
      },
      {
        id: PROMPT_FORM,
        isCurrent: (context, value) => isOpenQuestion(context, value, false),
        async run(context, value) {
          const bank = await questions.bank();
          const open = await reflection.getOpen(context.memberId);
          const question = bank.get(open?.questionId ?? value ?? "");
          if (context.responder.openForm) await context.responder.openForm(diaryForm(question));
          else
            await context.responder.reply({ text: "Just reply here in our chat — a line or two is plenty." });
        },
      },
    ],
    forms: [
      {
        id: DIARY_FORM,
        async run(context, values) {
          if (!context.member) return;
          const answers = formAnswers(values);
          if (Object.keys(answers).length === 0) {
            await context.responder.reply({
              text: "The form was empty, so there was nothing to save. That's fine too.",
            });
            return;
          }
          const open = await reflection.getOpen(context.memberId);
          await saving.guardThenSave(context, {
            answers,
            ...(open?.questionId ? { questionId: open.questionId } : {}),
            ...(open?.entryId ? { entryId: open.entryId } : {}),
            after: "form",
          });
        },
      },
    ],
    async afterCrisisReply(context, hard) {
      const member = context.member;
      if (!member) return;
      const open = await reflection.getOpen(member.id);
      if (open) await closeQuestion(member.id);
      await reflection.setSoft(member.id, true);
      const answers: DiaryAnswers =
        hard.source === "message"
          ? { [STEP_FIELDS[open?.step ?? 0]]: hard.text.trim() }
          : hard.source === "form" && hard.formId === DIARY_FORM && hard.values
            ? formAnswers(hard.values)
            : {};
      if (Object.values(answers).some((words) => words)) {
        await saving.hold(
          context,
          {
            answers,
            ...(open?.questionId ? { questionId: open.questionId } : {}),
            ...(open?.entryId ? { entryId: open.entryId } : {}),
            after: "keep",
          },
          "after-crisis",
        );
        await context.responder.reply(askToKeep(open !== null));
      } else if (open) {
        await context.responder.reply({ text: DIARY_PUT_ASIDE });
      }
    },
    async onDirectMessage(context, text) {
      if (!context.member) return false;
      const open = await reflection.getOpen(context.memberId);
      if (!open) {
        if (context.screen.outcome !== "vicarious") return false;
        await saving.hold(context, { answers: { what: text.trim() }, after: "keep" }, "offer");
        await context.responder.reply(OFFER_TO_KEEP);
        return true;
      }
      // A new message in the diary replaces words still waiting at the guard: it is their rewrite.
      const waiting = await pending.get(context.memberId, "guard");
      if (waiting?.after === "next-step") await pending.clear(context.memberId, "guard");
      const word = text
        .trim()
        .toLowerCase()
        .replace(/[.!]+$/, "");
      if (open.step === 0 && (word === "not now" || word === "later")) {
        await snooze(context);
        return true;
      }
      if (word === "stop") {
        await closeQuestion(context.memberId);
        await context.responder.reply({
          text: open.entryId
            ? `Okay, stopping there. ${ENTRY_SAVED}`
            : "Okay, I've put that question away. Nothing more needed from you.",
        });
        return true;
      }
      const draft: Draft = {
        answers: word === "skip" ? {} : { [STEP_FIELDS[open.step]]: text.trim() },
        questionId: open.questionId,
        ...(open.entryId ? { entryId: open.entryId } : {}),
        after: "next-step",
        step: open.step,
      };
      if (word === "skip") await saving.continueAfterSave(context, draft, undefined);
      else await saving.guardThenSave(context, draft);
      return true;
    },
  };
}
