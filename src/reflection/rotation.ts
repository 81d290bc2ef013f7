import type { Member } from "../members/member.js";
import {
  type Question,
  type QuestionBank,
  RETURNING_THEME,
  SOLE_WORKER_THEME,
  type Tip,
} from "./question-bank.js";

export interface RotationState {
  /** Question ids asked since their theme last came round in full. */
  readonly asked: ReadonlySet<string>;
  /** How many questions of each theme this member has had. */
  readonly themeCounts: ReadonlyMap<string, number>;
  readonly tipsSeen: ReadonlySet<string>;
}

export interface QuestionPick {
  readonly question: Question;
  /** Ids to clear from `asked` because the theme had come round in full. */
  readonly resetIds: readonly string[];
}

export type Random = () => number;

function pickOne<T>(items: readonly T[], random: Random): T | undefined {
  return items[Math.floor(random() * items.length)];
}

/**
 * Chooses the next question: the theme this member has had least (ties broken
 * at random), then a question from it they have not had since the theme last
 * came round in full. "Coming back" questions are for after time away only,
 * and "working on your own" questions for sole workers only.
 */
export function pickQuestion(
  bank: QuestionBank,
  state: RotationState,
  member: Member,
  options: { gentle?: boolean; soft?: boolean; theme?: string; random?: Random } = {},
): QuestionPick | undefined {
  const random = options.random ?? Math.random;
  const eligible = bank.themes
    .map((theme) => theme.id)
    .filter((id) => (options.theme ? id === options.theme : true))
    .filter((id) => options.theme || options.gentle || id !== RETURNING_THEME)
    .filter((id) => options.theme || member.soleWorker || id !== SOLE_WORKER_THEME)
    .filter((id) => bank.questions.some((q) => q.theme === id))
    // After a hard message, only themes that have a light question.
    .filter((id) => !options.soft || options.theme || bank.questions.some((q) => q.theme === id && q.gentle));

  let theme: string | undefined;
  if (options.gentle && eligible.includes(RETURNING_THEME) && !options.theme) {
    theme = RETURNING_THEME;
  } else {
    const least = Math.min(...eligible.map((id) => state.themeCounts.get(id) ?? 0));
    theme = pickOne(
      eligible.filter((id) => (state.themeCounts.get(id) ?? 0) === least),
      random,
    );
  }
  if (!theme) return undefined;
  const light = (options.gentle || options.soft) && !options.theme;
  const inTheme = bank.questions.filter((q) => q.theme === theme && (!light || q.gentle));
  const fresh = inTheme.filter((q) => !state.asked.has(q.id));
  if (fresh.length > 0) {
    const question = pickOne(fresh, random);
    return question ? { question, resetIds: [] } : undefined;
  }
  const question = pickOne(inTheme, random);
  return question
    ? { question, resetIds: inTheme.map((q) => q.id).filter((id) => state.asked.has(id)) }
    : undefined;
}

/** A tip this member has not seen since they last saw them all. */
export function pickTip(
  tips: readonly Tip[],
  seen: ReadonlySet<string>,
  random: Random = Math.random,
): { tip: Tip; reset: boolean } | undefined {
  const fresh = tips.filter((tip) => !seen.has(tip.id));
  const tip = pickOne(fresh.length > 0 ? fresh : tips, random);
  return tip ? { tip, reset: fresh.length === 0 } : undefined;
}
