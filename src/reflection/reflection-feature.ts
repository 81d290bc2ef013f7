import { DateTime } from "luxon";
import type { Feature } from "../bot/feature.js";
import type { HandlerContext } from "../commands/context.js";
import { UserInputError } from "../errors.js";
import type { Member } from "../members/member.js";
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
  promptMessage,
  tipMessage,
} from "./prompt-messages.js";
import { TIPS } from "./question-bank.js";
import type { ReflectionStateStore } from "./reflection-state.js";
import { pickQuestion, pickTip } from "./rotation.js";

export interface ReflectionFeatureDeps {
  readonly reflection: ReflectionStateStore;
  readonly journal: JournalStore;
  readonly questions: QuestionBankSource;
  readonly schedule: ScheduleStore;
  readonly planner: Planner;
  readonly pending: PendingEntryStore;
}

const JOURNAL_SHOWN = 5;

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

  return {
    commands: [
      {
        name: "reflect",
        usage: "/peer reflect [theme]",
        summary: "start a reflection now",
        async run(context, args) {
          const member = context.member as Member;
          const bank = await questions.bank();
          const theme = args[0]?.toLowerCase();
          if (theme && !bank.themes.some((t) => t.id === theme)) {
            throw new UserInputError(
              `"${args[0]}" isn't one of the themes. They are: ${bank.themes.map((t) => t.id).join(", ")}.`,
              "/peer reflect boundaries",
            );
          }
          const state = await reflection.load(member.id);
          const pick = pickQuestion(
            bank,
            state,
            member,
            theme ? { theme } : { gentle: state.gentle, soft: state.soft },
          );
          if (!pick) throw new UserInputError("There are no questions in that theme yet.", "/peer reflect");
          await reflection.recordQuestion(member.id, pick.question.id, pick.question.theme, pick.resetIds);
          await deps.schedule.set(member.id, "snooze", null);
          await reflection.setOpen(member.id, {
            questionId: pick.question.id,
            step: 0,
            askedAt: context.deps.clock.now().getTime(),
          });
          await context.responder.reply(
            promptMessage(member, pick.question, "asked", context.responder.openForm !== undefined),
          );
        },
      },
      {
        name: "journal",
        usage: "/peer journal",
        summary: "read your own past reflections (only you can)",
        async run(context) {
          const member = context.member as Member;
          const entries = await journal.list(member.id);
          if (entries.length === 0) {
            await context.responder.reply({
              text: "Your journal is empty so far. /peer reflect starts an entry whenever you like.",
            });
            return;
          }
          const shown = entries.slice(0, JOURNAL_SHOWN).map((entry) => {
            const date = DateTime.fromISO(entry.createdAt, { zone: member.timeZone }).toFormat(
              "ccc d LLL yyyy",
            );
            const lines = [`${date}${entry.question ? ` — “${entry.question}”` : ""}`];
            if (entry.answers.what) lines.push(`  What happened: ${entry.answers.what}`);
            if (entry.answers.helped) lines.push(`  What helped or didn't: ${entry.answers.helped}`);
            if (entry.answers.why) lines.push(`  Why it mattered: ${entry.answers.why}`);
            return lines.join("\n");
          });
          const more =
            entries.length > JOURNAL_SHOWN
              ? `\n\nThat's the latest ${JOURNAL_SHOWN} of ${entries.length}; /peer export has them all.`
              : "";
          await context.responder.reply({
            text: `Your journal, newest first:\n\n${shown.join("\n\n")}${more}`,
          });
        },
      },
      {
        name: "tip",
        usage: "/peer tip",
        summary: "a self-care idea",
        openToAll: true,
        async run(context) {
          if (!context.member) {
            const pick = pickTip(TIPS, new Set());
            if (pick) await context.responder.reply(tipMessage(pick.tip, false));
            return;
          }
          const state = await reflection.load(context.memberId);
          const pick = pickTip(TIPS, state.tipsSeen);
          if (!pick) return;
          await reflection.recordTip(context.memberId, pick.tip.id, pick.reset);
          await context.responder.reply(tipMessage(pick.tip, false));
        },
      },
    ],
    buttons: [
      ...createKeepButtons({ saving, pending, questions, reflection }),
      {
        id: PROMPT_LATER,
        async run(context) {
          if (!context.member) return;
          await snooze(context);
        },
      },
      {
        id: PROMPT_SKIP,
        async run(context) {
          await closeQuestion(context.memberId);
          await context.responder.reply({ text: "Okay, skipping that one. Nothing more needed from you." });
        },
      },
      {
        id: PROMPT_FORM,
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
