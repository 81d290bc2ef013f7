/**
 * npm run bench:matching — the peer-circle matcher on synthetic networks, on this machine, in one run.
 *
 *  1. Networks of 1,000, 10,000 and 100,000 members (Australian and New Zealand zones, part-time rosters of 2–5
 *     days, 30% sole workers, conflict pairs for 1% of members, 6 rounds of history), each in a fresh process
 *     so peak memory is its own: time (first call and a second, warm call), peak RSS, and quality next to a
 *     random grouping of the same members.
 *  2. 200 small networks (12–24 members): the matcher against the exact optimum of the same objective from
 *     HiGHS (bench/matching-exact.ts), in two processes at once (HiGHS needs up to ~20 s on some of them).
 *
 * Results are printed and written to bench/results/matching.{json,md}.
 */
import { fork } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { countViolations, matchCircles } from "../src/features/circles/matching/matcher.js";
import { createRandom, shuffle } from "../src/features/circles/matching/prng.js";
import { Problem } from "../src/features/circles/matching/problem.js";
import type { Candidate, MatchOptions, MatchResult } from "../src/features/circles/matching/types.js";
import { overlapHours } from "../src/features/circles/matching/week-mask.js";
import { breakdown, exactOptimum } from "./matching-exact.js";
import { makeNetwork } from "./matching-network.js";

const SIZES = [1_000, 10_000, 100_000];
const SMALL_NETWORKS = 200;
const MATCH_SEED = 1;

interface Quality {
  readonly circles: number;
  readonly placed: number;
  readonly soleWorkers: number;
  readonly soleWorkersPlaced: number;
  readonly meanOverlapHours: number;
  readonly minOverlapHours: number;
  readonly circlesUnderMinimum: number;
  readonly repeatPairs: number;
  readonly conflictPairsTogether: number;
  readonly violations: number;
  readonly sameRegionPairShare: number;
}

interface LargeRun {
  readonly members: number;
  readonly conflictPairs: number;
  readonly historyRounds: number;
  readonly maskMs: number;
  readonly coldMs: number;
  readonly warmMs: number;
  readonly peakRssMb: number;
  readonly rssBeforeMatchMb: number;
  readonly relaxed: readonly string[];
  readonly unplacedReasons: Record<string, number>;
  readonly unplacedSole: number;
  readonly ours: Quality;
  readonly baseline: Quality;
}

/** Quality of any set of circles, measured the same way for ours and the baseline. */
function measure(
  candidates: readonly Candidate[],
  options: MatchOptions,
  circles: readonly (readonly string[])[],
  relaxed: MatchResult["relaxed"],
): Quality {
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const conflicts = new Set((options.conflicts ?? []).flatMap(([a, b]) => [`${a}|${b}`, `${b}|${a}`]));
  const p = new Problem(candidates, { ...options, conflicts: [] });
  const index = new Map(p.candidates.map((c, i) => [c.id, i]));
  const minHours = options.minOverlapHours ?? 2;
  let sumHours = 0;
  let minHoursSeen = Number.POSITIVE_INFINITY;
  let under = 0;
  let repeats = 0;
  let together = 0;
  let pairs = 0;
  let sameRegionPairs = 0;
  const placed = new Set<string>();
  for (const circle of circles) {
    const hours = overlapHours(circle.map((id) => (byId.get(id) as Candidate).week));
    sumHours += hours;
    minHoursSeen = Math.min(minHoursSeen, hours);
    if (hours < minHours) under++;
    for (let i = 0; i < circle.length; i++) {
      placed.add(circle[i] ?? "");
      for (let j = i + 1; j < circle.length; j++) {
        const a = circle[i] ?? "";
        const b = circle[j] ?? "";
        pairs++;
        if (conflicts.has(`${a}|${b}`)) together++;
        if (p.repeatPenalty(index.get(a) ?? 0, index.get(b) ?? 0) > 0) repeats++;
        if (byId.get(a)?.region === byId.get(b)?.region) sameRegionPairs++;
      }
    }
  }
  const sole = candidates.filter((c) => c.soleWorker);
  const result: Pick<MatchResult, "circles" | "unplaced" | "relaxed"> = {
    circles: circles.map((members) => ({ members, overlapHours: 0 })),
    unplaced: candidates
      .filter((c) => !placed.has(c.id))
      .map((c) => ({ id: c.id, reason: "too-few" as const })),
    relaxed,
  };
  return {
    circles: circles.length,
    placed: placed.size,
    soleWorkers: sole.length,
    soleWorkersPlaced: sole.filter((c) => placed.has(c.id)).length,
    meanOverlapHours: circles.length ? sumHours / circles.length : 0,
    minOverlapHours: circles.length ? minHoursSeen : 0,
    circlesUnderMinimum: under,
    repeatPairs: repeats,
    conflictPairsTogether: together,
    // Hard rules (conflicts, sizes 3–5, shared time, everyone once); the overlap minimum applies unless relaxed.
    violations: countViolations(candidates, options, result),
    sameRegionPairShare: pairs ? sameRegionPairs / pairs : 0,
  };
}

/** The baseline: members shuffled and cut into groups of the target size (a remainder of 1–2 joins the last groups). */
function randomGrouping(candidates: readonly Candidate[], size: number, seed: number): string[][] {
  const ids = shuffle(
    candidates.map((c) => c.id),
    createRandom(seed),
  );
  const groups: string[][] = [];
  for (let k = 0; k + size <= ids.length; k += size) groups.push(ids.slice(k, k + size));
  const rest = ids.slice(groups.length * size);
  if (rest.length >= 3 || groups.length === 0) groups.push(rest);
  else rest.forEach((id, i) => groups[groups.length - 1 - i]?.push(id));
  return groups.filter((g) => g.length > 0);
}

function large(members: number): LargeRun {
  const network = makeNetwork({ members, seed: 20251006 + members });
  const options: MatchOptions = { ...network.options, seed: MATCH_SEED };
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const result = matchCircles(network.candidates, options);
  const coldMs = performance.now() - t0;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const t1 = performance.now();
  matchCircles(network.candidates, options);
  const warmMs = performance.now() - t1;
  const reasons: Record<string, number> = {};
  for (const u of result.unplaced) reasons[u.reason] = (reasons[u.reason] ?? 0) + 1;
  const soleIds = new Set(network.candidates.filter((c) => c.soleWorker).map((c) => c.id));
  const ours = measure(
    network.candidates,
    options,
    result.circles.map((c) => c.members),
    result.relaxed,
  );
  if (ours.violations !== result.quality.violations) throw new Error("violation counts disagree");
  return {
    members,
    conflictPairs: network.options.conflicts?.length ?? 0,
    historyRounds: network.options.history?.length ?? 0,
    maskMs: network.maskMs,
    coldMs,
    warmMs,
    peakRssMb: peakRss / 2 ** 20,
    rssBeforeMatchMb: rssBefore / 2 ** 20,
    relaxed: result.relaxed,
    unplacedReasons: reasons,
    unplacedSole: result.unplaced.filter((u) => soleIds.has(u.id)).length,
    ours,
    baseline: measure(network.candidates, options, randomGrouping(network.candidates, 4, 99), []),
  };
}

interface SmallRun {
  readonly members: number;
  readonly oursMs: number;
  readonly exactMs: number;
  readonly columns: number;
  readonly status: string;
  readonly ours: ReturnType<typeof breakdown>;
  readonly optimum: ReturnType<typeof breakdown>;
}

async function small(from: number, to: number): Promise<SmallRun[]> {
  const runs: SmallRun[] = [];
  for (let i = from; i < to; i++) {
    const members = 12 + (i % 13);
    const network = makeNetwork({ members, seed: 7_000 + i, conflictPairShare: 0.01 });
    const options: MatchOptions = { ...network.options, seed: i };
    const t0 = performance.now();
    const result = matchCircles(network.candidates, options);
    const oursMs = performance.now() - t0;
    const exact = await exactOptimum(network.candidates, options);
    const p = new Problem(network.candidates, options);
    runs.push({
      members,
      oursMs,
      exactMs: exact.ms,
      columns: exact.columns,
      status: exact.status,
      ours: breakdown(
        p,
        result.circles.map((c) => c.members),
      ),
      optimum: breakdown(p, exact.circles),
    });
    if ((i + 1 - from) % 20 === 0) console.error(`  small networks ${from}–${to - 1}: ${i + 1 - from} done`);
  }
  return runs;
}

function child(args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const proc = fork(import.meta.filename, args, {
      execArgv: ["--import", "tsx", "--expose-gc", "--max-old-space-size=4096"],
      stdio: ["inherit", "inherit", "inherit", "ipc"],
    });
    proc.once("message", resolve);
    proc.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`child ${args} exited ${code}`))));
  });
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);
const pct = (a: number, b: number) => (b ? `${fmt((100 * a) / b)}%` : "n/a");

function summariseSmall(runs: readonly SmallRun[]) {
  const eps = 1e-6;
  const sameTiers = runs.filter(
    (r) =>
      Math.abs(r.ours.placement - r.optimum.placement) < eps &&
      Math.abs(r.ours.relaxation - r.optimum.relaxation) < eps,
  );
  const softRatios = sameTiers.filter((r) => r.optimum.soft > 0).map((r) => r.ours.soft / r.optimum.soft);
  const totalRatios = runs.map((r) => r.ours.total / r.optimum.total);
  const samePlacement = runs.filter((r) => Math.abs(r.ours.placement - r.optimum.placement) < eps).length;
  const fewerSole = runs.filter((r) => r.optimum.placement - r.ours.placement >= 5_000_000).length;
  const optimal = runs.filter((r) => Math.abs(r.ours.total - r.optimum.total) < 1e-3).length;
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
  const softSum =
    sameTiers.reduce((a, r) => a + r.ours.soft, 0) / sameTiers.reduce((a, r) => a + r.optimum.soft, 0);
  const relaxGap = runs.map((r) => r.optimum.relaxation - r.ours.relaxation).filter((g) => g > eps);
  return {
    networks: runs.length,
    optimal,
    samePlacement,
    fewerSoleWorkers: fewerSole,
    sameTiers: sameTiers.length,
    softRatioMean: mean(softRatios),
    softRatioMin: softRatios.length ? Math.min(...softRatios) : Number.NaN,
    softRatioPooled: softSum,
    softWithin5pct: softRatios.filter((r) => r >= 0.95).length,
    totalRatioMean: mean(totalRatios),
    totalRatioMin: Math.min(...totalRatios),
    relaxationGapCount: relaxGap.length,
    relaxationGapMean: mean(relaxGap),
    oursMsMean: mean(runs.map((r) => r.oursMs)),
    oursMsMax: Math.max(...runs.map((r) => r.oursMs)),
    exactMsMean: mean(runs.map((r) => r.exactMs)),
    exactMsMax: Math.max(...runs.map((r) => r.exactMs)),
    columnsMax: Math.max(...runs.map((r) => r.columns)),
    notOptimalStatus: runs.filter((r) => r.status !== "Optimal").length,
  };
}

function markdown(largeRuns: readonly LargeRun[], smallSummary: ReturnType<typeof summariseSmall>): string {
  const lines = [`# Matching benchmark, ${new Date().toISOString()}`, ""];
  lines.push(
    "Synthetic networks (bench/matching-network.ts): AU/NZ zones in the week of Monday 6 October 2025, rosters of",
    "2–5 days with varied hours, 30% sole workers, conflict pairs for 1% of members (half coordinator pairs in one",
    "region), 6 rounds of history grouped by zone and start time. Target size 4, minimum overlap 2 h, seed 1,",
    "time budget 500 ms. Each size runs in a fresh process; one core of a shared 2-core VM.",
    "",
    "| members | time (first call) | time (warm) | peak RSS | | sole workers placed | mean overlap h | min overlap h | circles < 2 h | repeat pairs | conflict pairs together | same-region pairs | violations |",
    "| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const r of largeRuns) {
    for (const [who, q] of [
      ["matcher", r.ours],
      ["random", r.baseline],
    ] as const) {
      const head =
        who === "matcher"
          ? `| ${r.members.toLocaleString("en")} | ${fmt(r.coldMs / 1000, 2)} s | ${fmt(r.warmMs / 1000, 2)} s | ${fmt(r.peakRssMb, 0)} MB`
          : "| | | |";
      lines.push(
        `${head} | ${who} | ${q.soleWorkersPlaced}/${q.soleWorkers} (${pct(q.soleWorkersPlaced, q.soleWorkers)}) | ${fmt(q.meanOverlapHours)} | ${fmt(q.minOverlapHours)} | ${q.circlesUnderMinimum} | ${q.repeatPairs} | ${q.conflictPairsTogether} | ${pct(q.sameRegionPairShare, 1)} | ${q.violations} |`,
      );
    }
  }
  lines.push("");
  for (const r of largeRuns) {
    lines.push(
      `- ${r.members.toLocaleString("en")}: ${r.ours.circles} circles, ${r.ours.placed} placed; unplaced ${JSON.stringify(r.unplacedReasons)} (sole: ${r.unplacedSole}); relaxed ${JSON.stringify(r.relaxed)}; ${r.conflictPairs} conflict pairs; RSS before matching ${fmt(r.rssBeforeMatchMb, 0)} MB; week masks for the network ${fmt(r.maskMs, 0)} ms (not in the time).`,
    );
  }
  const s = smallSummary;
  lines.push(
    "",
    `## Against the exact optimum (HiGHS), ${s.networks} networks of 12–24 members`,
    "",
    "The objective has tiers: placement (sole workers, then members, then isolation), relaxation penalties (size,",
    "repeats, overlap under the minimum), and the soft part (shared hours less 3 per same-region pair).",
    "",
    `- Same objective value as the optimum: ${s.optimal}/${s.networks}.`,
    `- Same placement as the optimum: ${s.samePlacement}/${s.networks}; fewer sole workers placed: ${s.fewerSoleWorkers}.`,
    `- Same placement and relaxation penalties: ${s.sameTiers}/${s.networks}; on those, soft-part ratio ours/optimum: mean ${fmt(s.softRatioMean, 3)}, pooled ${fmt(s.softRatioPooled, 3)}, worst ${fmt(s.softRatioMin, 3)}; within 5%: ${s.softWithin5pct}/${s.sameTiers}.`,
    `- Networks where ours pays more relaxation penalty than the optimum: ${s.relaxationGapCount} (mean extra ${fmt(s.relaxationGapMean, 0)}; a circle under the overlap minimum costs 1,000–1,900, a repeat pair 8,000–9,000, an off-size circle 10,000 and up).`,
    `- Whole-objective ratio ours/optimum: mean ${fmt(s.totalRatioMean, 5)}, worst ${fmt(s.totalRatioMin, 5)} (dominated by the placement tier).`,
    `- Matcher time per network: mean ${fmt(s.oursMsMean, 0)} ms, max ${fmt(s.oursMsMax, 0)} ms. HiGHS: mean ${fmt(s.exactMsMean, 0)} ms, max ${fmt(s.exactMsMax, 0)} ms, up to ${s.columnsMax} candidate circles; not proven optimal within its 120 s limit: ${s.notOptimalStatus} (compared with its best solution).`,
  );
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<void> {
  const [mode, arg] = process.argv.slice(2);
  if (mode === "--large") {
    process.send?.(large(Number(arg)));
    return;
  }
  if (mode === "--small") {
    const [from, to] = (arg ?? "").split(":").map(Number);
    process.send?.(await small(from ?? 0, to ?? SMALL_NETWORKS));
    return;
  }
  const largeRuns: LargeRun[] = [];
  for (const size of SIZES) {
    console.error(`network of ${size}…`);
    const run = (await child(["--large", String(size)])) as LargeRun;
    largeRuns.push(run);
    console.error(
      `  ${fmt(run.coldMs, 0)} ms (warm ${fmt(run.warmMs, 0)} ms), peak RSS ${fmt(run.peakRssMb, 0)} MB, sole placed ${run.ours.soleWorkersPlaced}/${run.ours.soleWorkers}, mean overlap ${fmt(run.ours.meanOverlapHours)} h, violations ${run.ours.violations}`,
    );
  }
  // HiGHS takes seconds on some networks: two processes share the 200.
  console.error("small networks against HiGHS…");
  const half = SMALL_NETWORKS / 2;
  const parts = (await Promise.all([
    child(["--small", `0:${half}`]),
    child(["--small", `${half}:${SMALL_NETWORKS}`]),
  ])) as SmallRun[][];
  const smallRuns = parts.flat();
  const summary = summariseSmall(smallRuns);
  const dir = join(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "matching.json"),
    `${JSON.stringify({ date: new Date().toISOString(), large: largeRuns, small: summary, smallRuns }, null, 2)}\n`,
  );
  const md = markdown(largeRuns, summary);
  writeFileSync(join(dir, "matching.md"), md);
  console.log(md);
}

await main();
process.exit(0);
