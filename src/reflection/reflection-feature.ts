import { randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import type { Feature } from "../bot/feature.js";
import type { HandlerContext } from "../commands/context.js";
import { UserInputError } from "../errors.js";
import type { Member } from "../members/member.js";
import type { Planner } from "../schedule/planner.js";
import type { ScheduleStore } from "../schedule/schedule-store.js";
import { nextSlot } from "../schedule/slots.js";
import type { QuestionBankSource } from "./custom-questions.js";
import type { DiaryAnswers, JournalEntry, JournalStore } from "./journal.js";
import {
  DIARY_FORM,
  ENTRY_SAVED,
  PROMPT_FORM,
  PROMPT_LATER,
  PROMPT_SKIP,
  STEP_QUESTIONS,
  diaryForm,
  promptMessage,
  tipMessage,
} from "./prompt-messages.js";
import { TIPS } from "./question-bank.js";
import type { OpenPrompt, ReflectionStateStore } from "./reflection-state.js";
import { pickQuestion, pickTip } from "./rotation.js";

export interface ReflectionFeatureDeps {
  readonly reflection: ReflectionStateStore;
  readonly journal: JournalStore;
  readonly questions: QuestionBankSource;
  readonly schedule: ScheduleStore;
  readonly planner: Planner;
}

const STEP_FIELDS = ["what", "helped", "why"] as const;
const JOURNAL_SHOWN = 5;

function newEntryId(now: Date): string {
  return `${String(now.getTime()).padStart(15, "0")}-${randomBytes(3).toString("hex")}`;
}

/**
 * Reflective questions and the private diary: `/peer reflect`, `/peer journal`,
 * `/peer tip`, the prompt's buttons, the diary form, and the guided exchange
 * in direct messages (question, what helped, why it mattered; each optional).
 */
export function createReflectionFeature(deps: ReflectionFeatureDeps): Feature {
  const { reflection, journal, questions } = deps;

  async function saveStep(
    context: HandlerContext,
    open: OpenPrompt,
    answers: DiaryAnswers,
  ): Promise<JournalEntry> {
    const existing = open.entryId ? await journal.get(context.memberId, open.entryId) : null;
    const question = (await questions.bank()).get(open.questionId);
    const entry: JournalEntry = existing
      ? { ...existing, answers: { ...existing.answers, ...answers } }
      : {
          id: newEntryId(context.deps.clock.now()),
          questionId: open.questionId,
          ...(question ? { question: question.text } : {}),
          createdAt: context.deps.clock.now().toISOString(),
          answers,
        };
    await journal.save(context.memberId, entry);
    return entry;
  }

  /** The open question is done with: nothing stays open and no snooze will bring it back. */
  async function closeQuestion(member: string): Promise<void> {
    await reflection.clearOpen(member);
    await deps.schedule.set(member, "snooze", null);
  }

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
          const pick = pickQuestion(bank, state, member, theme ? { theme } : { gentle: state.gentle });
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
          const answers: DiaryAnswers = Object.fromEntries(
            STEP_FIELDS.map((field) => [field, values[field]?.trim() ?? ""]).filter(
              ([, text]) => text !== "",
            ),
          );
          if (Object.keys(answers).length === 0) {
            await context.responder.reply({
              text: "The form was empty, so there was nothing to save. That's fine too.",
            });
            return;
          }
          const open = (await reflection.getOpen(context.memberId)) ?? {
            questionId: "",
            step: 0,
            askedAt: context.deps.clock.now().getTime(),
          };
          await saveStep(context, open, answers);
          await closeQuestion(context.memberId);
          await context.responder.reply({ text: ENTRY_SAVED });
        },
      },
    ],
    async onDirectMessage(context, text) {
      if (!context.member) return false;
      const open = await reflection.getOpen(context.memberId);
      if (!open) return false;
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
      let entryId = open.entryId;
      if (word !== "skip") {
        const field = STEP_FIELDS[open.step] ?? "what";
        const entry = await saveStep(context, open, { [field]: text.trim() });
        entryId = entry.id;
      }
      if (open.step === 2) {
        await closeQuestion(context.memberId);
        await context.responder.reply({
          text: entryId ? ENTRY_SAVED : "Okay — nothing saved this time, and that's fine.",
        });
        return true;
      }
      const step = (open.step + 1) as 1 | 2;
      await reflection.setOpen(context.memberId, { ...open, step, ...(entryId ? { entryId } : {}) });
      await context.responder.reply({ text: STEP_QUESTIONS[step - 1] ?? STEP_QUESTIONS[0] });
      return true;
    },
  };
}
