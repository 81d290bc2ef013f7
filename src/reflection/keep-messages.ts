import type { Button, OutboundMessage } from "../platform/chat-platform.js";
import { PENDING_DAYS } from "./pending-entry.js";

/** Buttons for words waiting to be kept after a hard message. */
export const KEEP_WORDS = "journal:keep";
export const LET_GO = "journal:let-go";
/** Buttons of the de-identification guard. */
export const REPHRASE = "deid:rephrase";
export const USE_INITIALS = "deid:initials";
export const KEEP_AS_WRITTEN = "deid:keep";

const keepButtons = (no: string): Button[] => [
  { id: KEEP_WORDS, label: "Keep it in my journal" },
  { id: LET_GO, label: no },
];

export const DIARY_PUT_ASIDE =
  "I've put today's diary questions aside. There's no need to come back to them, and /peer reflect is there if you ever want to.";

/** After the crisis reply: the words are not dropped, but not kept without asking. */
export function askToKeep(diaryWasOpen: boolean): OutboundMessage {
  const ask = `What you wrote isn't in your journal. Would you like me to keep it there? Only you can read it. There's no rush: I'll hold on to it, locked away, for ${PENDING_DAYS} days, then let it go.`;
  return {
    text: diaryWasOpen ? `${DIARY_PUT_ASIDE}\n\n${ask}` : ask,
    buttons: keepButtons("Don't keep it"),
  };
}

/** After the debrief reply, for a hard message written outside the diary. */
export const OFFER_TO_KEEP: OutboundMessage = {
  text: "If you'd like, I can keep what you wrote in your private journal, to come back to or to bring to supervision. Only you can read it.",
  buttons: keepButtons("No thanks"),
};

export const KEPT = "It's in your journal now, for your eyes only. /peer journal shows it.";
export const LET_GO_DONE = "Okay, I've let it go. Nothing was saved.";
export const NOTHING_WAITING = `There's nothing waiting to be saved now. It may already be done, or it's been more than ${PENDING_DAYS} days.`;

/**
 * The de-identification guard: where the details are (masked), and the three
 * choices. It is their journal, so keeping it as written is a real option.
 */
export function guardMessage(kinds: readonly string[], masked: readonly string[]): OutboundMessage {
  const found = kinds.length > 1 ? `${kinds.slice(0, -1).join(", ")} and ${kinds.at(-1)}` : (kinds[0] ?? "");
  return {
    text: [
      `Before I save this: it looks like it mentions ${found} that could identify someone. Here's where, with the details hidden:`,
      "",
      ...masked.map((line) => `“${line}”`),
      "",
      "Entries are easiest to bring to supervision when nobody can be recognised. It's your private journal, though, so keeping it as written is fine too.",
    ].join("\n"),
    buttons: [
      { id: REPHRASE, label: "Rephrase" },
      { id: USE_INITIALS, label: "Use initials" },
      { id: KEEP_AS_WRITTEN, label: "Keep as written" },
    ],
  };
}

export const REPHRASE_IN_CHAT =
  "Of course. Write it again whenever you're ready, and I'll save that instead. Initials, or words like “a resident” or “her mum”, keep people private.";

export function initialsUsed(rewritten: readonly string[]): string {
  return ["Done. Here's how it reads now:", "", ...rewritten.map((line) => `“${line}”`)].join("\n");
}
