import type { MemberId } from "../platform/chat-platform.js";
import type { DiaryAnswers } from "./journal.js";

/**
 * Why words are waiting rather than saved:
 * - `after-crisis`: the member may be at risk; they are asked whether to keep what they wrote;
 * - `offer`: a hard message outside the diary; they are offered to keep it;
 * - `identifying`: it seems to name someone; they choose to rephrase, use initials or keep it.
 */
export type PendingReason = "after-crisis" | "offer" | "identifying";

/**
 * What happens once the words are saved:
 * - `next-step`: a diary step in direct messages; the next question follows;
 * - `form`: the diary form; the entry is complete;
 * - `keep`: kept at the member's request; nothing follows.
 */
export type AfterSave = "next-step" | "form" | "keep";

/** Diary words waiting for the member's choice. Held encrypted, for a week at most. */
export interface PendingEntry {
  readonly reason: PendingReason;
  readonly answers: DiaryAnswers;
  readonly questionId?: string;
  /** The journal entry they belong to, when earlier steps were saved. */
  readonly entryId?: string;
  readonly after: AfterSave;
  /** For `next-step`: the diary step these answers are for. */
  readonly step?: 0 | 1 | 2;
  readonly heldAt: string;
}

/** How long words wait for a choice before they are let go. */
export const PENDING_DAYS = 7;

/**
 * Words wait in one of two places, so one choice never loses words waiting
 * for another: `keep` (after a hard message: keep or let go) and `guard`
 * (the de-identification guard: rephrase, initials, or keep as written).
 */
export type PendingSlot = "keep" | "guard";

export function slotFor(reason: PendingReason): PendingSlot {
  return reason === "identifying" ? "guard" : "keep";
}

export interface PendingEntryStore {
  /** Holds the words; in the keep slot, words already waiting there are kept too, joined. */
  hold(member: MemberId, entry: PendingEntry): Promise<void>;
  get(member: MemberId, slot: PendingSlot): Promise<PendingEntry | null>;
  clear(member: MemberId, slot: PendingSlot): Promise<void>;
}

/** Two sets of waiting words as one: each field's words, earlier first. */
export function joinWaiting(earlier: PendingEntry, later: PendingEntry): PendingEntry {
  const fields = ["what", "helped", "why"] as const;
  const answers = Object.fromEntries(
    fields.flatMap((field) => {
      const words = [earlier.answers[field], later.answers[field]].filter((w): w is string => Boolean(w));
      return words.length > 0 ? [[field, words.join("\n\n")]] : [];
    }),
  );
  const reason = earlier.reason === "after-crisis" ? "after-crisis" : later.reason;
  return { ...later, reason, answers };
}
