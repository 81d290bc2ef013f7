import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CATEGORIES,
  SETS,
  evaluateAll,
  formatResult,
  loadSet,
  meetsGoals,
} from "../../../test/eval/safety-eval.js";
import { MODEL_FILE, allLabelled, serialise, trainModels } from "../../../test/eval/train-risk-model.js";

/** `npm run eval:safety` as a test: CI fails if the detector falls below the goals of issue 8. */
describe("the risk detector on the labelled sets", () => {
  const results = evaluateAll();

  it("has a development set of at least 300 sentences covering every category", () => {
    const dev = loadSet(SETS[0].file);
    expect(dev.length).toBeGreaterThanOrEqual(300);
    for (const category of CATEGORIES) {
      expect(dev.filter((row) => row.category === category).length, category).toBeGreaterThanOrEqual(30);
    }
  });

  for (const result of results) {
    it(`meets the goals on ${result.name}`, () => {
      expect(meetsGoals(result), formatResult(result)).toBe(true);
    });
  }

  it("uses the model that npm run train:safety makes from the labelled sets", () => {
    const committed = readFileSync(MODEL_FILE, "utf8");
    const trained = serialise(trainModels(allLabelled()));
    // If this fails after adding sentences, run `npm run train:safety` and commit the model.
    expect(committed === trained, "risk-model.json is not what npm run train:safety makes").toBe(true);
  });
});
