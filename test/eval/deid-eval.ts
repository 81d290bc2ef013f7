/**
 * Evaluation of the de-identification guard's detector against the labelled sets in test/fixtures.
 *
 * Span-level: a found detail is a match when it overlaps a labelled span of the same kind.
 * `npm run eval:deid` prints the figures for the tuned set and, separately, the holdout set
 * (written before the detector and never tuned on). Add `--verbose` to list misses and false flags.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  type DetailKind,
  type IdentifyingDetail,
  findIdentifyingDetails,
} from "../../src/features/safety/identifying-details.js";

export const KINDS: readonly DetailKind[] = ["name", "phone", "email", "address", "birthdate", "record"];

/** The goals the eval test enforces on the tuned set. */
export const GOALS = {
  recall: { phone: 0.95, email: 0.95, record: 0.95, name: 0.85 } as Partial<Record<DetailKind, number>>,
  precision: 0.8,
} as const;

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures");
export const DEV_SET = join(FIXTURES, "deid-set.jsonl");
export const HOLDOUT_SET = join(FIXTURES, "deid-holdout.jsonl");

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

/** Labelled spans with offsets: the k-th span with the same text is its k-th occurrence. */
export function locate(line: LabelledLine): Located[] {
  const nextFrom = new Map<string, number>();
  return line.spans.map((s) => {
    const from = nextFrom.get(s.text) ?? 0;
    const start = line.text.indexOf(s.text, from);
    if (start < 0) throw new Error(`span "${s.text}" not found in: ${line.text}`);
    nextFrom.set(s.text, start + s.text.length);
    return { kind: s.kind, start, end: start + s.text.length, text: s.text };
  });
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

export function evaluateFile(path: string, set: string): EvalResult {
  return evaluate(loadSet(path), set);
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function formatResult(r: EvalResult): string {
  const rows = [
    `${r.set}: ${r.lines} sentences (${r.cleanLines} clean), ${r.msPerCall.toFixed(3)} ms per call`,
    "kind       labelled  found  true  recall  precision",
  ];
  for (const k of KINDS) {
    const f = r.perKind[k];
    rows.push(
      `${k.padEnd(10)} ${String(f.labelled).padStart(8)} ${String(f.found).padStart(6)} ${String(f.foundTrue).padStart(5)}  ${pct(f.recall).padStart(6)}  ${pct(f.precision).padStart(9)}`,
    );
  }
  rows.push(`overall precision ${pct(r.precision)} (${r.foundTrue}/${r.found} found spans true)`);
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
  const verbose = process.argv.includes("--verbose");
  const dev = loadSet(DEV_SET);
  const holdout = loadSet(HOLDOUT_SET);
  warmUp(dev);
  const devResult = evaluate(dev, "labelled set (tuned on)");
  const holdoutResult = evaluate(holdout, "holdout (not tuned on)");
  console.log(formatResult(devResult));
  const failures = goalFailures(devResult);
  console.log(failures.length === 0 ? "goals: all met" : `goals NOT met: ${failures.join("; ")}`);
  console.log("");
  console.log(formatResult(holdoutResult));
  if (verbose) {
    console.log("");
    console.log(formatList("misses (labelled set)", devResult.misses));
    console.log(formatList("false flags (labelled set)", devResult.falseFlags));
    console.log(formatList("misses (holdout)", holdoutResult.misses));
    console.log(formatList("false flags (holdout)", holdoutResult.falseFlags));
  }
  if (failures.length > 0) process.exitCode = 1;
}
