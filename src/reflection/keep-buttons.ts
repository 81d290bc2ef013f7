import type { ButtonAction, HandlerContext } from "../commands/context.js";
import type { QuestionBankSource } from "./custom-questions.js";
import type { DiarySaving } from "./diary-saving.js";
import {
  KEEP_AS_WRITTEN,
  KEEP_WORDS,
  LET_GO,
  LET_GO_DONE,
  NOTHING_WAITING,
  REPHRASE,
  REPHRASE_IN_CHAT,
  USE_INITIALS,
} from "./keep-messages.js";
import type { PendingEntry, PendingEntryStore, PendingSlot } from "./pending-entry.js";
import { diaryForm } from "./prompt-messages.js";
import type { ReflectionStateStore } from "./reflection-state.js";

export interface KeepButtonDeps {
  readonly saving: DiarySaving;
  readonly pending: PendingEntryStore;
  readonly questions: QuestionBankSource;
  readonly reflection: ReflectionStateStore;
}

/**
 * The buttons for words that wait for the member's choice: keep or let go
 * (after a hard message), and rephrase, use initials or keep as written (the
 * de-identification guard). An old button whose words are gone says so.
 */
export function createKeepButtons(deps: KeepButtonDeps): ButtonAction[] {
  const { saving, pending, questions, reflection } = deps;

  /** The words waiting for this kind of choice, taken out of the store; or a word that none are. */
  async function take(context: HandlerContext, slot: PendingSlot): Promise<PendingEntry | null> {
    const waiting = await pending.get(context.memberId, slot);
    if (!waiting) {
      await context.responder.reply({ text: NOTHING_WAITING });
      return null;
    }
    await pending.clear(context.memberId, slot);
    return waiting;
  }

  async function rephrase(context: HandlerContext, waiting: PendingEntry): Promise<void> {
    const { memberId, responder } = context;
    if (waiting.after === "form" && responder.openForm) {
      const question = waiting.questionId ? (await questions.bank()).get(waiting.questionId) : undefined;
      return responder.openForm(diaryForm(question, waiting.answers));
    }
    // The next message they send is taken as these words, rewritten.
    const open = await reflection.getOpen(memberId);
    if (waiting.after !== "next-step" || !open) {
      await reflection.setOpen(memberId, {
        questionId: waiting.questionId ?? "",
        step: waiting.step ?? 0,
        ...(waiting.entryId ? { entryId: waiting.entryId } : {}),
        askedAt: context.deps.clock.now().getTime(),
      });
    }
    await responder.reply({ text: REPHRASE_IN_CHAT });
  }

  return [
    {
      id: KEEP_WORDS,
      async run(context) {
        const waiting = await take(context, "keep");
        if (waiting) await saving.guardThenSave(context, { ...waiting, after: "keep" });
      },
    },
    {
      id: LET_GO,
      async run(context) {
        if (await take(context, "keep")) await context.responder.reply({ text: LET_GO_DONE });
      },
    },
    {
      id: REPHRASE,
      async run(context) {
        const waiting = await take(context, "guard");
        if (waiting) await rephrase(context, waiting);
      },
    },
    {
      id: USE_INITIALS,
      async run(context) {
        const waiting = await take(context, "guard");
        if (waiting) await saving.saveWithInitials(context, waiting);
      },
    },
    {
      id: KEEP_AS_WRITTEN,
      async run(context) {
        const waiting = await take(context, "guard");
        if (waiting) await saving.saveAsWritten(context, waiting);
      },
    },
  ];
}
