import type { MemberId } from "../platform/chat-platform.js";

/** The three steps of a reflective diary entry; each is optional. */
export interface DiaryAnswers {
  /** What happened (the answer to the question asked). */
  readonly what?: string;
  /** What helped, or didn't. */
  readonly helped?: string;
  /** Why it mattered. */
  readonly why?: string;
}

export interface JournalEntry {
  readonly id: string;
  readonly questionId?: string;
  readonly question?: string;
  readonly createdAt: string;
  readonly answers: DiaryAnswers;
}

/** A member's own diary. Implementations keep every entry encrypted at rest. */
export interface JournalStore {
  save(member: MemberId, entry: JournalEntry): Promise<void>;
  get(member: MemberId, id: string): Promise<JournalEntry | null>;
  /** Newest first. */
  list(member: MemberId, limit?: number): Promise<JournalEntry[]>;
}
