import type { Clock } from "../time/clock.js";
import { type Question, type QuestionBank, createQuestionBank } from "./question-bank.js";

/** Questions coordinators add with `/peer prompts add`. */
export interface CustomQuestionStore {
  add(theme: string, text: string): Promise<Question>;
  list(): Promise<Question[]>;
}

/** The shipped bank plus custom questions, re-read at most every `ttlMs`. */
export class QuestionBankSource {
  private cached: { bank: QuestionBank; at: number } | undefined;

  constructor(
    private readonly custom: CustomQuestionStore,
    private readonly clock: Clock,
    private readonly ttlMs = 30_000,
  ) {}

  async bank(): Promise<QuestionBank> {
    const now = this.clock.now().getTime();
    if (!this.cached || now - this.cached.at > this.ttlMs) {
      this.cached = { bank: createQuestionBank(await this.custom.list()), at: now };
    }
    return this.cached.bank;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}
