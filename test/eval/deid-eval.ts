/**
 * `npm run eval:deid`: the de-identification guard's detector on the labelled sets in test/fixtures/,
 * as recall and precision per kind against the goals of issue 8.
 *
 * Span-level: a found detail is a match when it overlaps a labelled span of the same kind. The sets and
 * how they were written are listed in SETS below. `npm run eval:deid` prints every set and all of them
 * together, writes the report to bench/results/deid-eval.md and exits non-zero if any set misses a goal.
 * Add `--verbose` to list misses and false flags.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  type DetailKind,
  type IdentifyingDetail,
  findIdentifyingDetails,
} from "../../src/features/safety/identifying-details.js";

export const KINDS: readonly DetailKind[] = ["name", "phone", "email", "address", "birthdate", "record"];

/** The goals of issue 8, which every set must meet (the eval test fails CI otherwise). */
export const GOALS = {
  recall: { phone: 0.95, email: 0.95, record: 0.95, name: 0.85 } as Partial<Record<DetailKind, number>>,
  precision: 0.8,
} as const;

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(HERE, "..", "fixtures");
export const REPORT_FILE = join(HERE, "..", "..", "bench", "results", "deid-eval.md");

/**
 * Each set, in the order it was written. The development set and the holdout were written by the guard's
 * author; the blind set by a separate author who saw neither the guard nor the other sets. Each set's
 * first run came before any change made because of it (the blind set's is recorded in
 * bench/results/deid-blind-first-run.md); once its misses were studied, it counts as tuned on.
 */
export const SETS = [
  { file: "deid-set.jsonl", name: "Development set (written first, tuned on)" },
  { file: "deid-holdout.jsonl", name: "Holdout by the same author (tuned on after its first run)" },
  { file: "deid-blind.jsonl", name: "Blind set by a separate author (tuned on after its first run)" },
] as const;

export const setPath = (file: string): string => join(FIXTURES, file);

export interface LabelledLine {
  readonly text: string;
  readonly spans: readonly { readonly kind: DetailKind; readonly text: string }[];
  readonly ownNames?: readonly string[];
}

interface Located {
  readonly kind: DetailKind;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface KindFigures {
  labelled: number;
  recalled: number;
  found: number;
  foundTrue: number;
  recall: number;
  precision: number;
}

export interface EvalResult {
  readonly set: string;
  readonly lines: number;
  readonly cleanLines: number;
  readonly cleanFlagged: number;
  readonly perKind: Record<DetailKind, KindFigures>;
  readonly found: number;
  readonly foundTrue: number;
  readonly precision: number;
  readonly misses: readonly { line: string; kind: DetailKind; text: string }[];
  readonly falseFlags: readonly { line: string; kind: DetailKind; text: string }[];
  readonly msPerCall: number;
}

export function loadSet(path: string): LabelledLine[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l, i) => {
      const parsed = JSON.parse(l) as LabelledLine;
      if (typeof parsed.text !== "string" || !Array.isArray(parsed.spans))
        throw new Error(`${path}:${i + 1}: bad line`);
      return parsed;
    });
}

/**
 * Labelled spans with offsets: each span is the next occurrence of its text (after the previous span with
 * the same text) that does not overlap a span already placed, so "Tom" after "Tom Whitfield" is the
 * second Tom in "Rebecca and Tom Whitfield came, and Tom cried", not the first.
 */
export function locate(line: LabelledLine): Located[] {
  const nextFrom = new Map<string, number>();
  const placed: Located[] = [];
  for (const s of line.spans) {
    let start = line.text.indexOf(s.text, nextFrom.get(s.text) ?? 0);
    while (start >= 0 && placed.some((p) => start < p.end && p.start < start + s.text.length))
      start = line.text.indexOf(s.text, start + 1);
    if (start < 0) throw new Error(`span "${s.text}" not found in: ${line.text}`);
    nextFrom.set(s.text, start + s.text.length);
    placed.push({ kind: s.kind, start, end: start + s.text.length, text: s.text });
  }
  return placed;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
  a.start < b.end && b.start < a.end;

export function evaluate(lines: readonly LabelledLine[], set = "set"): EvalResult {
  const perKind = Object.fromEntries(
    KINDS.map((k) => [k, { labelled: 0, recalled: 0, found: 0, foundTrue: 0, recall: 1, precision: 1 }]),
  ) as Record<DetailKind, KindFigures>;
  const misses: { line: string; kind: DetailKind; text: string }[] = [];
  const falseFlags: { line: string; kind: DetailKind; text: string }[] = [];
  let cleanLines = 0;
  let cleanFlagged = 0;
  let elapsed = 0;
  for (const line of lines) {
    const labelled = locate(line);
    const t0 = performance.now();
    const found: IdentifyingDetail[] = findIdentifyingDetails(
      line.text,
      line.ownNames ? { ownNames: line.ownNames } : {},
    );
    elapsed += performance.now() - t0;
    if (labelled.length === 0) {
      cleanLines++;
      if (found.length > 0) cleanFlagged++;
    }
    for (const l of labelled) {
      const k = perKind[l.kind];
      k.labelled++;
      if (found.some((f) => f.kind === l.kind && overlaps(f, l))) k.recalled++;
      else misses.push({ line: line.text, kind: l.kind, text: l.text });
    }
    for (const f of found) {
      const k = perKind[f.kind];
      k.found++;
      if (labelled.some((l) => l.kind === f.kind && overlaps(f, l))) k.foundTrue++;
      else falseFlags.push({ line: line.text, kind: f.kind, text: f.text });
    }
  }
  let found = 0;
  let foundTrue = 0;
  for (const k of KINDS) {
    const f = perKind[k];
    f.recall = f.labelled === 0 ? 1 : f.recalled / f.labelled;
    f.precision = f.found === 0 ? 1 : f.foundTrue / f.found;
    found += f.found;
    foundTrue += f.foundTrue;
  }
  return {
    set,
    lines: lines.length,
    cleanLines,
    cleanFlagged,
    perKind,
    found,
    foundTrue,
    precision: found === 0 ? 1 : foundTrue / found,
    misses,
    falseFlags,
    msPerCall: lines.length === 0 ? 0 : elapsed / lines.length,
  };
}

/** Failures against the goals, as sentences; empty when every goal is met. */
export function goalFailures(result: EvalResult): string[] {
  const out: string[] = [];
  for (const [kind, goal] of Object.entries(GOALS.recall) as [DetailKind, number][]) {
    const r = result.perKind[kind].recall;
    if (r < goal) out.push(`${kind} recall ${r.toFixed(3)} < ${goal}`);
  }
  if (result.precision < GOALS.precision)
    out.push(`precision ${result.precision.toFixed(3)} < ${GOALS.precision}`);
  return out;
}

/** Run the detector over the set once untimed so compromise's lazy set-up is not counted. */
export function warmUp(lines: readonly LabelledLine[]): void {
  for (const line of lines)
    findIdentifyingDetails(line.text, line.ownNames ? { ownNames: line.ownNames } : {});
}

/** Several sets' results as one, as if they were a single set. */
export function combine(results: readonly EvalResult[], set: string): EvalResult {
  const perKind = Object.fromEntries(
    KINDS.map((k) => {
      const sum = (field: "labelled" | "recalled" | "found" | "foundTrue"): number =>
        results.reduce((total, r) => total + r.perKind[k][field], 0);
      const f = { labelled: sum("labelled"), recalled: sum("recalled"), found: sum("found") };
      const foundTrue = sum("foundTrue");
      return [
        k,
        {
          ...f,
          foundTrue,
          recall: f.labelled === 0 ? 1 : f.recalled / f.labelled,
          precision: f.found === 0 ? 1 : foundTrue / f.found,
        },
      ];
    }),
  ) as Record<DetailKind, KindFigures>;
  const total = (field: "lines" | "cleanLines" | "cleanFlagged" | "found" | "foundTrue"): number =>
    results.reduce((sum, r) => sum + r[field], 0);
  const lines = total("lines");
  const found = total("found");
  return {
    set,
    lines,
    cleanLines: total("cleanLines"),
    cleanFlagged: total("cleanFlagged"),
    perKind,
    found,
    foundTrue: total("foundTrue"),
    precision: found === 0 ? 1 : total("foundTrue") / found,
    misses: results.flatMap((r) => r.misses),
    falseFlags: results.flatMap((r) => r.falseFlags),
    msPerCall: lines === 0 ? 0 : results.reduce((sum, r) => sum + r.msPerCall * r.lines, 0) / lines,
  };
}

/** Every set in SETS (after an untimed warm-up), then all of them together. */
export function evaluateAll(): EvalResult[] {
  const sets = SETS.map((s) => ({ ...s, lines: loadSet(setPath(s.file)) }));
  warmUp(sets.flatMap((s) => s.lines));
  const results = sets.map((s) => evaluate(s.lines, s.name));
  return [...results, combine(results, "All sets together")];
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The figures for one set as a plain-text table (the set's name is left to the caller). */
export function formatResult(r: EvalResult): string {
  const rows = [
    `${r.lines} sentences (${r.cleanLines} clean), ${r.msPerCall.toFixed(3)} ms per call`,
    "kind       labelled  found  true  recall  precision  recall goal",
  ];
  for (const k of KINDS) {
    const f = r.perKind[k];
    const goal = GOALS.recall[k];
    rows.push(
      `${k.padEnd(10)} ${String(f.labelled).padStart(8)} ${String(f.found).padStart(6)} ${String(f.foundTrue).padStart(5)}  ${pct(f.recall).padStart(6)}  ${pct(f.precision).padStart(9)}  ${goal === undefined ? "" : `≥ ${pct(goal)}`}`.trimEnd(),
    );
  }
  rows.push(
    `overall precision ${pct(r.precision)} (${r.foundTrue}/${r.found} found spans true; goal ≥ ${pct(GOALS.precision)})`,
  );
  rows.push(`clean sentences with a false flag: ${r.cleanFlagged} of ${r.cleanLines}`);
  return rows.join("\n");
}

export function formatList(
  title: string,
  items: readonly { line: string; kind: DetailKind; text: string }[],
): string {
  if (items.length === 0) return `${title}: none`;
  return [`${title}:`, ...items.map((m) => `  [${m.kind}] "${m.text}" in: ${m.line}`)].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = evaluateAll();
  const report = results
    .map((r) => {
      const failures = goalFailures(r);
      const goals = failures.length === 0 ? "goals: all met" : `goals NOT met: ${failures.join("; ")}`;
      return `## ${r.set}\n\n\`\`\`\n${formatResult(r)}\n${goals}\n\`\`\``;
    })
    .join("\n\n");
  console.log(report);
  writeFileSync(
    REPORT_FILE,
    `# npm run eval:deid\n\nEvery set here has been tuned on; for the figures on text the guard had never seen, see deid-blind-first-run.md.\n\nGoals of issue 8, for every set: recall ≥ 0.95 on phones, emails and record numbers, ≥ 0.85 on names; precision ≥ 0.8.\n\n${report}\n`,
  );
  if (process.argv.includes("--verbose")) {
    for (const r of results.slice(0, -1)) {
      console.log("");
      console.log(formatList(`misses (${r.set})`, r.misses));
      console.log(formatList(`false flags (${r.set})`, r.falseFlags));
    }
  }
  process.exitCode = results.every((r) => goalFailures(r).length === 0) ? 0 : 1;
}
