import content from "../content/questions.json" with { type: "json" };
import tipContent from "../content/tips.json" with { type: "json" };

export interface Theme {
  readonly id: string;
  readonly label: string;
}

export interface Question {
  readonly id: string;
  readonly theme: string;
  readonly text: string;
  /** Light enough to be the first question after time away. */
  readonly gentle: boolean;
}

export interface Tip {
  readonly id: string;
  readonly theme: string;
  readonly text: string;
}

export interface QuestionBank {
  readonly themes: readonly Theme[];
  readonly questions: readonly Question[];
  get(id: string): Question | undefined;
}

/** Themes for people coming back, and for those on their own, are asked only of them. */
export const RETURNING_THEME = "returning";
export const SOLE_WORKER_THEME = "sole-worker";

export const THEMES: readonly Theme[] = content.themes;
export const BASE_QUESTIONS: readonly Question[] = content.questions;
export const TIPS: readonly Tip[] = tipContent.tips;

/** The shipped questions plus any a coordinator added. */
export function createQuestionBank(custom: readonly Question[] = []): QuestionBank {
  const questions = [...BASE_QUESTIONS, ...custom];
  const byId = new Map(questions.map((q) => [q.id, q]));
  return { themes: THEMES, questions, get: (id) => byId.get(id) };
}
