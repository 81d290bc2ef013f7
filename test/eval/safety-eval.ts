/**
 * `npm run eval:safety`: the risk detector on the labelled sets in
 * test/fixtures/, as a confusion table per category and the goals of issue 8.
 *
 * The sets and how they were written are listed in SETS below.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type RiskOutcome, assessRisk } from "../../src/features/safety/risk-detector.js";

export const CATEGORIES = [
  "own-explicit",
  "own-implicit",
  "figure",
  "negation-past",
  "others",
  "vicarious",
  "ordinary",
] as const;
export type Category = (typeof CATEGORIES)[number];
const OUTCOMES: readonly RiskOutcome[] = ["own-risk", "vicarious", "none"];

export interface Labelled {
  readonly text: string;
  readonly category: Category;
  readonly expect: RiskOutcome;
}

export interface SetResult {
  readonly name: string;
  readonly size: number;
  /** category → outcome → count */
  readonly table: Record<Category, Record<RiskOutcome, number>>;
  readonly ownRiskRecall: number;
  /** Share of crisis replies in each category where none should come. */
  readonly crisisRate: { figure: number; "negation-past": number; others: number };
  readonly vicariousRecall: number;
  readonly accuracy: number;
  readonly misses: ReadonlyArray<{ text: string; category: Category; got: RiskOutcome }>;
}

export const GOALS = { ownRiskRecall: 0.95, maxCrisisRate: 0.05 } as const;

const FIXTURES = join(import.meta.dirname, "..", "fixtures");

export function loadSet(file: string): Labelled[] {
  return readFileSync(join(FIXTURES, file), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, index) => {
      const row = JSON.parse(line) as Labelled;
      if (!CATEGORIES.includes(row.category) || !OUTCOMES.includes(row.expect) || !row.text) {
        throw new Error(`${file}:${index + 1} is not a labelled sentence: ${line}`);
      }
      return row;
    });
}

const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);

export function evaluate(name: string, rows: readonly Labelled[]): SetResult {
  const table = Object.fromEntries(
    CATEGORIES.map((category) => [category, { "own-risk": 0, vicarious: 0, none: 0 }]),
  ) as Record<Category, Record<RiskOutcome, number>>;
  const misses: Array<{ text: string; category: Category; got: RiskOutcome }> = [];
  let right = 0;
  for (const row of rows) {
    const got = assessRisk(row.text).outcome;
    table[row.category][got] += 1;
    if (got === row.expect) right += 1;
    else misses.push({ text: row.text, category: row.category, got });
  }
  const count = (category: Category) => OUTCOMES.reduce((sum, outcome) => sum + table[category][outcome], 0);
  const own = table["own-explicit"]["own-risk"] + table["own-implicit"]["own-risk"];
  const crisis = (category: Category) => ratio(table[category]["own-risk"], count(category));
  return {
    name,
    size: rows.length,
    table,
    ownRiskRecall: ratio(own, count("own-explicit") + count("own-implicit")),
    crisisRate: {
      figure: crisis("figure"),
      "negation-past": crisis("negation-past"),
      others: crisis("others"),
    },
    vicariousRecall: ratio(table.vicarious.vicarious, count("vicarious")),
    accuracy: ratio(right, rows.length),
    misses,
  };
}

export function meetsGoals(result: SetResult): boolean {
  return (
    result.ownRiskRecall >= GOALS.ownRiskRecall &&
    Object.values(result.crisisRate).every((rate) => rate <= GOALS.maxCrisisRate)
  );
}

const pct = (value: number): string => `${(value * 100).toFixed(1)}%`;

export function formatResult(result: SetResult): string {
  const header = "| category | n | → own-risk | → vicarious | → none |";
  const rows = CATEGORIES.map((category) => {
    const cells = result.table[category];
    const n = cells["own-risk"] + cells.vicarious + cells.none;
    return `| ${category} | ${n} | ${cells["own-risk"]} | ${cells.vicarious} | ${cells.none} |`;
  });
  return [
    `## ${result.name} (${result.size} sentences)`,
    "",
    header,
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
    `- own-risk recall: ${result.ownRiskRecall.toFixed(3)} (goal ≥ ${GOALS.ownRiskRecall})`,
    `- crisis replies to figures of speech: ${pct(result.crisisRate.figure)}, to negation/past: ${pct(result.crisisRate["negation-past"])}, to work about others: ${pct(result.crisisRate.others)} (goal ≤ ${pct(GOALS.maxCrisisRate)} each)`,
    `- vicarious recall: ${result.vicariousRecall.toFixed(3)}; exact outcome on the whole set: ${pct(result.accuracy)}`,
    `- goals ${meetsGoals(result) ? "met" : "NOT met"}`,
  ].join("\n");
}

/**
 * Each set, in the order it was written. A blind set was written by another
 * author who saw neither the detector nor the other sets; its first run is
 * recorded in bench/results/safety-blind-first-runs.md, and once its misses
 * were studied it counts as tuned on, like the first.
 */
export const SETS = [
  { file: "safety-set.jsonl", name: "Development set (written first, tuned on)" },
  { file: "safety-holdout.jsonl", name: "Blind set 1 (tuned on after its first run)" },
  { file: "safety-blind-2.jsonl", name: "Blind set 2 (tuned on after its first run)" },
  { file: "safety-blind-3.jsonl", name: "Blind set 3 (tuned on after its first run)" },
  { file: "safety-blind-4.jsonl", name: "Blind set 4 (tuned on after its first run)" },
  { file: "safety-blind-5.jsonl", name: "Blind set 5 (tuned on after its first run)" },
] as const;

export function evaluateAll(): SetResult[] {
  const sets = SETS.map((set) => ({ ...set, rows: loadSet(set.file) }));
  return [
    ...sets.map((set) => evaluate(set.name, set.rows)),
    evaluate(
      "All sets together",
      sets.flatMap((set) => set.rows),
    ),
  ];
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const results = evaluateAll();
  const started = performance.now();
  const all = SETS.flatMap((set) => loadSet(set.file));
  for (let round = 0; round < 5; round++) for (const row of all) assessRisk(row.text);
  const perCall = (performance.now() - started) / (5 * all.length);
  const report = [
    results.map(formatResult).join("\n\n"),
    `\nTime per message: ${(perCall * 1000).toFixed(0)} µs (mean over ${5 * all.length} calls)`,
  ].join("\n");
  console.log(report);
  writeFileSync(
    join(import.meta.dirname, "../../bench/results/safety-eval.md"),
    `# npm run eval:safety\n\nEvery set here has been tuned on; for the figures on unseen text see safety-blind-first-runs.md.\n\n${report}\n`,
  );
  if (process.argv.includes("--misses")) {
    for (const result of results.slice(0, -1)) {
      console.log(`\n### misses in ${result.name}`);
      for (const miss of result.misses) console.log(`- [${miss.category} → ${miss.got}] ${miss.text}`);
    }
  }
  process.exitCode = results.every(meetsGoals) ? 0 : 1;
}
