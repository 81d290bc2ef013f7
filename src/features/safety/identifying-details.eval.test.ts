import { describe, expect, it } from "vitest";
import {
  SETS,
  evaluateAll,
  formatList,
  formatResult,
  goalFailures,
  loadSet,
  setPath,
} from "../../../test/eval/deid-eval.js";

/** `npm run eval:deid` as a test: CI fails if the detector falls below the goals of issue 8 on ANY set. */
describe("de-identification detector evaluation", () => {
  const dev = loadSet(setPath(SETS[0].file));
  const results = evaluateAll();

  it("has a labelled set of at least 220 sentences, about half of them clean", () => {
    expect(dev.length).toBeGreaterThanOrEqual(220);
    const clean = dev.filter((l) => l.spans.length === 0).length;
    expect(clean / dev.length).toBeGreaterThan(0.35);
    expect(clean / dev.length).toBeLessThan(0.65);
  });

  it("evaluates every set in SETS, then all of them together", () => {
    expect(results.map((r) => r.set)).toEqual([...SETS.map((s) => s.name), "All sets together"]);
    for (const r of results) expect(r.lines, r.set).toBeGreaterThan(0);
  });

  for (const result of results) {
    it(`meets the recall and precision goals on ${result.set}`, () => {
      const detail = [
        result.set,
        formatResult(result),
        formatList("misses", result.misses),
        formatList("false flags", result.falseFlags),
      ].join("\n");
      expect(goalFailures(result), detail).toEqual([]);
    });
  }
});
