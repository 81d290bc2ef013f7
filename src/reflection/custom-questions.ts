import type { Clock } from "../time/clock.js";
import { type Question, type QuestionBank, createQuestionBank } from "./question-bank.js";

/** Questions coordinators add with `/peer prompts add`. */
export interface CustomQuestionStore {
  add(theme: string, text: string): Promise<Question>;
  list(): Promise<Question[]>;
  /**
   * A token that changes whenever the questions change, shared by every
   * process (one cheap read). A store without it is re-read every `ttlMs`.
   */
  version?(): Promise<string>;
}

/**
 * The shipped bank plus custom questions. With a versioned store (Redis), the
 * cached bank is kept only while the store's version is unchanged: each
 * `bank()` costs one small read, so a question a coordinator adds in one
 * process is used by every process from its next read, never a stale list.
 * Concurrent `bank()` calls share that one read. Without a version, the bank
 * is re-read at most every `ttlMs`.
 */
export class QuestionBankSource {
  private cached: { bank: QuestionBank; at: number; version: string | undefined } | undefined;
  private checking: Promise<QuestionBank> | undefined;

  constructor(
    private readonly custom: CustomQuestionStore,
    private readonly clock: Clock,
    private readonly ttlMs = 30_000,
  ) {}

  bank(): Promise<QuestionBank> {
    if (!this.custom.version) return this.byAge();
    if (!this.checking) {
      const checking = this.byVersion().finally(() => {
        if (this.checking === checking) this.checking = undefined;
      });
      this.checking = checking;
    }
    return this.checking;
  }

  /** Forgets the cached bank, and any read already under way: the next `bank()` reads afresh. */
  invalidate(): void {
    this.cached = undefined;
    this.checking = undefined;
  }

  private async byVersion(): Promise<QuestionBank> {
    // The version is read before the list: an add landing in between makes
    // the list newer than its version, which only costs one more re-read.
    const version = await this.custom.version?.();
    if (this.cached && this.cached.version === version) return this.cached.bank;
    const bank = createQuestionBank(await this.custom.list());
    this.cached = { bank, at: this.clock.now().getTime(), version };
    return bank;
  }

  private async byAge(): Promise<QuestionBank> {
    const now = this.clock.now().getTime();
    if (!this.cached || now - this.cached.at > this.ttlMs) {
      this.cached = { bank: createQuestionBank(await this.custom.list()), at: now, version: undefined };
    }
    return this.cached.bank;
  }
}
