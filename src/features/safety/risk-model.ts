import model from "./content/risk-model.json" with { type: "json" };
import type { Clause } from "./risk-text.js";

/**
 * A second opinion for the rules: two small logistic-regression models (own
 * risk; vicarious distress) over the words and word pairs of what the member
 * wrote, trained on the labelled sets in test/fixtures by
 * `npm run train:safety` (test/eval/train-risk-model.ts) and kept as weights
 * in content/risk-model.json. No download, no network, deterministic.
 *
 * The rules catch what they know, with reasons; the model catches phrasings
 * the rules have never seen, and only ever adds a soft offer of support.
 */

/** Words after which the rest of a clause is read as negated ("no thoughts of..."). */
const NEGATORS = new Set(["not", "never", "no", "nah", "without", "nobody", "nothing"]);

/** Words and neighbouring word pairs of the member's own clauses; words after a negator are marked. */
export function modelFeatures(clauses: readonly Clause[]): Set<string> {
  const features = new Set<string>();
  for (const clause of clauses) {
    if (clause.quotedFromOthers) continue;
    const words = clause.text.split(" ");
    let negated = false;
    words.forEach((word, i) => {
      features.add(negated ? `NOT_${word}` : word);
      if (NEGATORS.has(word)) negated = true;
      const next = words[i + 1];
      if (next) features.add(`${word}_${next}`);
    });
  }
  return features;
}

export interface LogisticModel {
  readonly bias: number;
  readonly weights: Readonly<Record<string, number>>;
}

export function probability(m: LogisticModel, features: ReadonlySet<string>): number {
  let z = m.bias;
  for (const feature of features) z += m.weights[feature] ?? 0;
  return 1 / (1 + Math.exp(-z));
}

export const OWN_RISK_MODEL: LogisticModel = model.ownRisk;
export const VICARIOUS_MODEL: LogisticModel = model.vicarious;
