import { DateTime } from "luxon";
import { choiceOption, commandsWith } from "../commands/schema.js";
import { UserInputError } from "../errors.js";
import type { Member } from "../members/member.js";
import { dmWith } from "../platform/chat-platform.js";
import type { ScheduleStore } from "../schedule/schedule-store.js";
import type { QuestionBankSource } from "./custom-questions.js";
import type { JournalStore } from "./journal.js";
import { promptMessage, tipMessage } from "./prompt-messages.js";
import { THEMES, TIPS } from "./question-bank.js";
import type { ReflectionStateStore } from "./reflection-state.js";
import { pickQuestion, pickTip } from "./rotation.js";

/** What the reflection commands use; the reflection feature's deps have all of it. */
export interface ReflectionCommandDeps {
  readonly reflection: ReflectionStateStore;
  readonly journal: JournalStore;
  readonly questions: QuestionBankSource;
  readonly schedule: ScheduleStore;
}

const JOURNAL_SHOWN = 5;
const THEME_IDS = THEMES.map((theme) => theme.id);

/** Said when the question went to the member's DM because they asked somewhere else. */
export const QUESTION_SENT_TO_DM =
  "I've sent you a question in our direct messages — answer it there, whenever suits you.";

const { command } = commandsWith<ReflectionCommandDeps>();

/** `/peer reflect`, `/peer journal` and `/peer tip`. */
export const reflectionCommands = [
  command({
    name: "reflect",
    summary: "start a reflection now",
    description: "Start a reflection now",
    access: "member",
    example: "/peer reflect boundaries",
    options: [
      choiceOption({
        name: "theme",
        description: "A theme for the question",
        form: "positional",
        placeholder: "[theme]",
        values: THEME_IDS,
        labels: (id) => THEMES.find((theme) => theme.id === id)?.label ?? id,
        refusal: (typed) =>
          new UserInputError(
            `"${typed}" isn't one of the themes. They are: ${THEME_IDS.join(", ")}.`,
            "/peer reflect boundaries",
          ),
      }),
    ],
    usage: "/peer reflect [theme]",
    async run(context, { theme }, deps) {
      const { reflection, questions } = deps;
      const member = context.member as Member;
      const bank = await questions.bank();
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
      const prompt = promptMessage(member, pick.question, "asked", context.responder.openForm !== undefined);
      // The member answers in their DM with the bot: asked anywhere else, the question goes there.
      if (context.event.conversation.kind === "dm") {
        await context.responder.reply(prompt);
        return;
      }
      await context.deps.chat.post(dmWith(context.memberId), prompt);
      await context.responder.reply({ text: QUESTION_SENT_TO_DM });
    },
  }),
  command({
    name: "journal",
    summary: "read your own past reflections (only you can)",
    description: "Look back over your reflections",
    access: "member",
    example: "/peer journal",
    async run(context, _options, deps) {
      const member = context.member as Member;
      const entries = await deps.journal.list(member.id);
      if (entries.length === 0) {
        await context.responder.reply({
          text: "Your journal is empty so far. /peer reflect starts an entry whenever you like.",
        });
        return;
      }
      const shown = entries.slice(0, JOURNAL_SHOWN).map((entry) => {
        const date = DateTime.fromISO(entry.createdAt, { zone: member.timeZone }).toFormat("ccc d LLL yyyy");
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
  }),
  command({
    name: "tip",
    summary: "a self-care idea",
    description: "Get a self-care tip",
    access: "anyone",
    example: "/peer tip",
    async run(context, _options, deps) {
      if (!context.member) {
        const pick = pickTip(TIPS, new Set());
        if (pick) await context.responder.reply(tipMessage(pick.tip, false));
        return;
      }
      const state = await deps.reflection.load(context.memberId);
      const pick = pickTip(TIPS, state.tipsSeen);
      if (!pick) return;
      await deps.reflection.recordTip(context.memberId, pick.tip.id, pick.reset);
      await context.responder.reply(tipMessage(pick.tip, false));
    },
  }),
];
