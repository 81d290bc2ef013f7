/**
 * `npm run train:safety`: trains the detector's two logistic-regression models
 * on every labelled set and writes src/features/safety/content/risk-model.json.
 * Deterministic (sets in order, no shuffling, fixed epochs), so the same
 * sentences always give the same file; a test checks the committed file is
 * what this makes.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readClauses } from "../../src/features/safety/risk-detector.js";
import { type LogisticModel, modelFeatures } from "../../src/features/safety/risk-model.js";
import { type Labelled, SETS, loadSet } from "./safety-eval.js";

const EPOCHS = 30;
const RATE = 0.2;
const L2 = 1e-4;
/** Weights smaller than this are dropped, and the rest rounded, to keep the file small. */
const KEEP_ABOVE = 0.03;
const DECIMALS = 3;

interface Example {
  readonly features: readonly string[];
  readonly label: 0 | 1;
}

function examples(rows: readonly Labelled[], positive: (row: Labelled) => boolean): Example[] {
  return rows.map((row) => ({
    features: [...modelFeatures(readClauses(row.text).ownVoice)],
    label: positive(row) ? 1 : 0,
  }));
}

/** Plain stochastic gradient descent on the log loss, with a little L2. */
export function train(data: readonly Example[]): LogisticModel {
  const weights = new Map<string, number>();
  let bias = 0;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (const { features, label } of data) {
      let z = bias;
      for (const feature of features) z += weights.get(feature) ?? 0;
      const gradient = 1 / (1 + Math.exp(-z)) - label;
      bias -= RATE * gradient;
      for (const feature of features) {
        const weight = weights.get(feature) ?? 0;
        weights.set(feature, weight - RATE * (gradient + L2 * weight));
      }
    }
  }
  const round = (value: number) => Number(value.toFixed(DECIMALS));
  const kept = [...weights]
    .filter(([, weight]) => Math.abs(weight) >= KEEP_ABOVE)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { bias: round(bias), weights: Object.fromEntries(kept.map(([f, w]) => [f, round(w)])) };
}

export function trainModels(rows: readonly Labelled[]): { ownRisk: LogisticModel; vicarious: LogisticModel } {
  return {
    ownRisk: train(examples(rows, (row) => row.expect === "own-risk")),
    vicarious: train(examples(rows, (row) => row.expect === "vicarious")),
  };
}

export const MODEL_FILE = join(import.meta.dirname, "../../src/features/safety/content/risk-model.json");

export function allLabelled(): Labelled[] {
  return SETS.flatMap((set) => loadSet(set.file));
}

export function serialise(models: ReturnType<typeof trainModels>): string {
  return `${JSON.stringify(models)}\n`;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const rows = allLabelled();
  const models = trainModels(rows);
  writeFileSync(MODEL_FILE, serialise(models));
  console.log(
    `Trained on ${rows.length} sentences: ${Object.keys(models.ownRisk.weights).length} own-risk and ${Object.keys(models.vicarious.weights).length} vicarious weights → ${MODEL_FILE}`,
  );
}
