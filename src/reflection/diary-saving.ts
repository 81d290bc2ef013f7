import { randomBytes } from "node:crypto";
import type { HandlerContext } from "../commands/context.js";
import {
  describeKind,
  findIdentifyingDetails,
  maskDetails,
  replaceWithInitials,
} from "../features/safety/index.js";
import type { ScheduleStore } from "../schedule/schedule-store.js";
import type { QuestionBankSource } from "./custom-questions.js";
import type { DiaryAnswers, JournalEntry, JournalStore } from "./journal.js";
import { KEPT, guardMessage, initialsUsed } from "./keep-messages.js";
import type { AfterSave, PendingEntry, PendingEntryStore, PendingReason } from "./pending-entry.js";
import { ENTRY_SAVED, STEP_QUESTIONS } from "./prompt-messages.js";
import type { ReflectionStateStore } from "./reflection-state.js";

export const STEP_FIELDS = ["what", "helped", "why"] as const;
export type StepField = (typeof STEP_FIELDS)[number];

const NOTHING_SAVED = "Okay — nothing saved this time, and that's fine.";

/** Words on their way into the journal, and what follows once they're saved. */
export interface Draft {
  readonly answers: DiaryAnswers;
  readonly questionId?: string;
  readonly entryId?: string;
  readonly after: AfterSave;
  readonly step?: 0 | 1 | 2;
}

export interface DiarySavingDeps {
  readonly reflection: ReflectionStateStore;
  readonly journal: JournalStore;
  readonly questions: QuestionBankSource;
  readonly schedule: ScheduleStore;
  readonly pending: PendingEntryStore;
}

function newEntryId(now: Date): string {
  return `${String(now.getTime()).padStart(15, "0")}-${randomBytes(3).toString("hex")}`;
}

/** The member's own names, which the guard never flags. */
function ownNames(context: HandlerContext): string[] {
  return [context.member?.displayName, context.event.displayName, context.displayName].filter(
    (name): name is string => typeof name === "string" && name.trim() !== "",
  );
}

function answerLines(answers: DiaryAnswers): Array<[StepField, string]> {
  return STEP_FIELDS.flatMap((field) => {
    const text = answers[field];
    return text ? [[field, text] as [StepField, string]] : [];
  });
}

/**
 * Everything between a member's words and their journal: the de-identification
 * guard, holding words while the member chooses, saving, and what comes next
 * (the diary's next step, or a word that it's saved).
 */
export function createDiarySaving(deps: DiarySavingDeps) {
  const { reflection, journal, questions, pending } = deps;

  async function save(context: HandlerContext, draft: Draft): Promise<JournalEntry> {
    const existing = draft.entryId ? await journal.get(context.memberId, draft.entryId) : null;
    const question = draft.questionId ? (await questions.bank()).get(draft.questionId) : undefined;
    const entry: JournalEntry = existing
      ? { ...existing, answers: { ...existing.answers, ...draft.answers } }
      : {
          id: newEntryId(context.deps.clock.now()),
          ...(draft.questionId ? { questionId: draft.questionId } : {}),
          ...(question ? { question: question.text } : {}),
          createdAt: context.deps.clock.now().toISOString(),
          answers: draft.answers,
        };
    await journal.save(context.memberId, entry);
    return entry;
  }

  /** The open question is done with: nothing stays open and no snooze will bring it back. */
  async function closeQuestion(member: string): Promise<void> {
    await reflection.clearOpen(member);
    await deps.schedule.set(member, "snooze", null);
  }

  /** After saving (or skipping, with no entry id): the next diary step, or a word that it's kept. */
  async function continueAfterSave(
    context: HandlerContext,
    draft: Draft,
    entryId: string | undefined,
  ): Promise<void> {
    const { memberId, responder } = context;
    if (draft.after === "keep") return responder.reply({ text: KEPT });
    if (draft.after === "form") {
      await closeQuestion(memberId);
      return responder.reply({ text: ENTRY_SAVED });
    }
    const open = await reflection.getOpen(memberId);
    const saved = entryId ?? open?.entryId;
    if (!open || open.questionId !== (draft.questionId ?? open.questionId) || open.step !== draft.step) {
      return responder.reply({ text: saved ? ENTRY_SAVED : NOTHING_SAVED });
    }
    if (open.step === 2) {
      await closeQuestion(memberId);
      return responder.reply({ text: saved ? ENTRY_SAVED : NOTHING_SAVED });
    }
    const step = (open.step + 1) as 1 | 2;
    // Moves on only from the step this answer was for: of two messages handled at once (two
    // processes), one moves the diary on and the other is not asked twice.
    const moved = await reflection.replaceOpen(memberId, open, {
      ...open,
      step,
      ...(saved ? { entryId: saved } : {}),
    });
    if (!moved) return responder.reply({ text: saved ? ENTRY_SAVED : NOTHING_SAVED });
    await responder.reply({ text: STEP_QUESTIONS[step - 1] ?? STEP_QUESTIONS[0] });
  }

  async function hold(context: HandlerContext, draft: Draft, reason: PendingReason): Promise<void> {
    await pending.hold(context.memberId, {
      ...draft,
      reason,
      heldAt: context.deps.clock.now().toISOString(),
    });
  }

  /**
   * Saves the draft unless it seems to identify someone; then it is held and
   * the member is shown where (masked) and asked what to do.
   */
  async function guardThenSave(context: HandlerContext, draft: Draft): Promise<"saved" | "held"> {
    const names = ownNames(context);
    const flagged = answerLines(draft.answers).flatMap(([, text]) => {
      const details = findIdentifyingDetails(text, { ownNames: names });
      return details.length > 0 ? [{ text, details }] : [];
    });
    if (flagged.length > 0) {
      await hold(context, draft, "identifying");
      const kinds = [...new Set(flagged.flatMap((line) => line.details.map((d) => describeKind(d.kind))))];
      await context.responder.reply(
        guardMessage(
          kinds,
          flagged.map((line) => maskDetails(line.text, line.details)),
        ),
      );
      return "held";
    }
    const entry = await save(context, draft);
    await continueAfterSave(context, draft, entry.id);
    return "saved";
  }

  /** "Use initials": names become initials and other details plain placeholders, then it is saved. */
  async function saveWithInitials(context: HandlerContext, waiting: PendingEntry): Promise<void> {
    const names = ownNames(context);
    const answers: DiaryAnswers = Object.fromEntries(
      answerLines(waiting.answers).map(([field, text]) => [
        field,
        replaceWithInitials(text, findIdentifyingDetails(text, { ownNames: names })),
      ]),
    );
    await context.responder.reply({ text: initialsUsed(Object.values(answers) as string[]) });
    const entry = await save(context, { ...waiting, answers });
    await continueAfterSave(context, waiting, entry.id);
  }

  async function saveAsWritten(context: HandlerContext, waiting: PendingEntry): Promise<void> {
    const entry = await save(context, waiting);
    await continueAfterSave(context, waiting, entry.id);
  }

  return { save, closeQuestion, continueAfterSave, hold, guardThenSave, saveWithInitials, saveAsWritten };
}

export type DiarySaving = ReturnType<typeof createDiarySaving>;
