import type { Member } from "../members/member.js";
import type { Button, Form, OutboundMessage } from "../platform/chat-platform.js";
import { preferencesOf } from "../schedule/preferences.js";
import type { DiaryAnswers } from "./journal.js";
import type { Question, Tip } from "./question-bank.js";

export const PROMPT_LATER = "prompt:later";
export const PROMPT_SKIP = "prompt:skip";
export const PROMPT_FORM = "prompt:form";
export const DIARY_FORM = "diary";

export type PromptOccasion = "scheduled" | "gentle" | "soft" | "snoozed" | "asked";

type Period = "daily" | "weekly" | "fortnightly";
/** The question's time span, as often as the member gets questions: a daily one is not "for your week". */
const SCHEDULED: Record<Period, string> = {
  daily: "today's question",
  weekly: "a question for your week",
  fortnightly: "a question for the fortnight ahead",
};
const LIGHT: Record<Period, string> = { daily: "today", weekly: "this week", fortnightly: "this fortnight" };

const OPENINGS: Record<PromptOccasion, (name: string, period: Period) => string> = {
  scheduled: (name, period) => `Hi ${name}, here's ${SCHEDULED[period]}, if you have a few minutes:`,
  gentle: (name) => `Hi ${name}, good to have you back. Here's a gentle one, only if you feel like it:`,
  soft: (name, period) => `Hi ${name}, here's a light one ${LIGHT[period]}, only if you feel like it:`,
  snoozed: () => "Here's the question you put aside earlier, in case now suits you better:",
  asked: () => "Here's a question to reflect on:",
};

/** A reflective question as a DM, with "not now" and "skip" always on offer. */
export function promptMessage(
  member: Member,
  question: Question,
  occasion: PromptOccasion,
  forms: boolean,
): OutboundMessage {
  const buttons: Button[] = [
    { id: PROMPT_LATER, label: "Not now", value: question.id },
    { id: PROMPT_SKIP, label: "Skip this one", value: question.id },
  ];
  if (forms)
    buttons.unshift({ id: PROMPT_FORM, label: "Write it in a form", style: "primary", value: question.id });
  return {
    text: [
      OPENINGS[occasion](member.displayName, periodOf(member)),
      "",
      `“${question.text}”`,
      "",
      `${occasion === "asked" ? "Reply in a direct message to me" : "Reply here"} whenever it suits you — a line or two is plenty, and only you can read it. Every step is optional: say skip to pass on one, or stop to finish.`,
    ].join("\n"),
    buttons,
  };
}

function periodOf(member: Member): Period {
  const cadence = preferencesOf(member).prompts;
  return cadence === "off" ? "weekly" : cadence;
}

export function tipMessage(tip: Tip, scheduled: boolean): OutboundMessage {
  return {
    text: scheduled
      ? `A self-care idea for your week:\n\n${tip.text}\n\n(If you'd rather not get these, /peer set tips off.)`
      : `Here's a self-care idea:\n\n${tip.text}`,
  };
}

export function welcomeBackMessage(member: Member): OutboundMessage {
  return {
    text: `Welcome back, ${member.displayName}. It's good to have you here. There's nothing to catch up on — I'll send a gentle question later on, and /peer pause is there whenever you need more time.`,
  };
}

/** The diary as one form: the question, then the two follow-up steps, all optional; `initial` refills it. */
export function diaryForm(question: Question | undefined, initial: DiaryAnswers = {}): Form {
  return {
    id: DIARY_FORM,
    title: "Reflective diary",
    submitLabel: "Save",
    fields: [
      {
        id: "what",
        label: "What happened",
        hint: question?.text ?? "Describe a moment from your work that stayed with you.",
        multiline: true,
        optional: true,
        ...(initial.what ? { initial: initial.what } : {}),
      },
      {
        id: "helped",
        label: "What helped, or didn't",
        multiline: true,
        optional: true,
        ...(initial.helped ? { initial: initial.helped } : {}),
      },
      {
        id: "why",
        label: "Why it mattered to you",
        multiline: true,
        optional: true,
        ...(initial.why ? { initial: initial.why } : {}),
      },
    ],
  };
}

export const STEP_QUESTIONS = [
  "Thank you. What helped in that moment — and was there anything that didn't? (skip or stop are fine)",
  "And why did it matter to you? Is there anything you'd take into your practice? (skip or stop are fine)",
] as const;

export const ENTRY_SAVED =
  "Thank you for taking the time. It's saved in your journal, for your eyes only — /peer journal shows it, and you're welcome to bring it to co-supervision.";
