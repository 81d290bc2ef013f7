import { describe, expect, it } from "vitest";
import {
  DEV_SET,
  GOALS,
  HOLDOUT_SET,
  evaluate,
  formatResult,
  goalFailures,
  loadSet,
  warmUp,
} from "../../../test/eval/deid-eval.js";

describe("de-identification detector evaluation", () => {
  const dev = loadSet(DEV_SET);

  it("has a labelled set of at least 220 sentences, about half of them clean", () => {
    expect(dev.length).toBeGreaterThanOrEqual(220);
    const clean = dev.filter((l) => l.spans.length === 0).length;
    expect(clean / dev.length).toBeGreaterThan(0.35);
    expect(clean / dev.length).toBeLessThan(0.65);
  });

  it("meets the recall and precision goals on the labelled set", () => {
    warmUp(dev);
    const result = evaluate(dev, "labelled set");
    console.log(formatResult(result));
    expect(goalFailures(result)).toEqual([]);
    expect(result.perKind.name.recall).toBeGreaterThanOrEqual(GOALS.recall.name ?? 1);
    expect(result.precision).toBeGreaterThanOrEqual(GOALS.precision);
  });

  it("reports the holdout set (not tuned on) and stays fast", () => {
    const holdout = loadSet(HOLDOUT_SET);
    const result = evaluate(holdout, "holdout (not tuned on)");
    console.log(formatResult(result));
    expect(result.lines).toBeGreaterThan(0);
    // Generous bound: a few ms per sentence is the target; this only catches pathological slowdowns.
    expect(result.msPerCall).toBeLessThan(25);
  });
});
