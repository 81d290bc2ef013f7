/**
 * Peer circles of 3–5 across regions, isolation first. Pure: the same candidates, options and seed give the
 * same circles, whatever their order (the search budget is counted in iterations, not read off a clock; a
 * wall-clock stop at 4 × the budget + 250 ms only guards against a badly overloaded machine).
 *
 * Groups of at most EXACT_MAX members are solved exactly; larger ones by the greedy, repair and local search
 * in search.ts. Both maximise the one objective in problem.ts. With `sameRegion`, each region is its own group.
 */
import { MaskBuckets } from "./buckets.js";
import { EXACT_MAX, exactSolve } from "./exact.js";
import { DEFAULTS, Problem } from "./problem.js";
import { Search } from "./search.js";
import type {
  Candidate,
  MatchOptions,
  MatchQuality,
  MatchResult,
  MatchedCircle,
  Relaxation,
  UnplacedReason,
} from "./types.js";
import { type WeekMask, overlapHours } from "./week-mask.js";

export type {
  Candidate,
  CircleSize,
  MatchOptions,
  MatchQuality,
  MatchResult,
  MatchedCircle,
  Relaxation,
  UnplacedReason,
} from "./types.js";

/** Local-search iterations granted per millisecond of `timeBudgetMs` (measured on one core of a 2-core VM). */
export const ITERATIONS_PER_MS = 400;
/** A small group's search stops sooner: this many iterations per member is ample. */
const ITERATIONS_PER_MEMBER = 10_000;

interface GroupOutcome {
  readonly problem: Problem;
  readonly circles: readonly (readonly number[])[];
  readonly buckets: MaskBuckets | null;
}

export function matchCircles(candidates: readonly Candidate[], options: MatchOptions): MatchResult {
  if (!Number.isFinite(options.seed)) throw new RangeError("options.seed must be a finite number");
  const size = options.size ?? DEFAULTS.size;
  if (size !== 3 && size !== 4 && size !== 5) throw new RangeError("options.size must be 3, 4 or 5");
  const budgetMs = Math.max(0, options.timeBudgetMs ?? DEFAULTS.timeBudgetMs);
  const totalIterations = Math.round(budgetMs * ITERATIONS_PER_MS);
  const hardStop = performance.now() + 4 * budgetMs + 250;

  const groups: Candidate[][] = [];
  if (options.sameRegion) {
    const byRegion = new Map<string, Candidate[]>();
    for (const candidate of candidates) {
      const group = byRegion.get(candidate.region);
      if (group) group.push(candidate);
      else byRegion.set(candidate.region, [candidate]);
    }
    for (const region of [...byRegion.keys()].sort()) groups.push(byRegion.get(region) ?? []);
  } else {
    groups.push([...candidates]);
  }

  const outcomes: GroupOutcome[] = [];
  for (const group of groups) {
    const problem = new Problem(group, options);
    const all = Array.from({ length: problem.n }, (_, i) => i);
    if (problem.n <= EXACT_MAX) {
      outcomes.push({ problem, circles: exactSolve(problem, all), buckets: null });
      continue;
    }
    const share = candidates.length > 0 ? problem.n / candidates.length : 0;
    const iterations = Math.min(Math.round(totalIterations * share), ITERATIONS_PER_MEMBER * problem.n);
    const search = new Search(
      problem,
      groupSeed(options.seed, options.sameRegion ? (problem.candidates[0]?.region ?? "") : ""),
    );
    outcomes.push({ problem, circles: search.run({ iterations, hardStop }), buckets: search.bucketsView });
  }
  return assemble(candidates, options, outcomes);
}

function groupSeed(seed: number, region: string): number {
  let h = Math.trunc(seed) | 0;
  for (let i = 0; i < region.length; i++) h = Math.imul(h ^ region.charCodeAt(i), 0x01000193);
  return h;
}

function assemble(
  candidates: readonly Candidate[],
  options: MatchOptions,
  outcomes: readonly GroupOutcome[],
): MatchResult {
  const circles: MatchedCircle[] = [];
  const unplaced: { id: string; reason: UnplacedReason }[] = [];
  let repeatPairs = 0;
  let lowOverlap = false;
  let offSize = false;
  let soleUnplaced = 0;
  for (const { problem: p, circles: groupCircles, buckets } of outcomes) {
    const placed = new Uint8Array(p.n);
    for (const circle of groupCircles) {
      // Indices follow id order, so a numeric sort puts the ids in order.
      const ids = Int32Array.from(circle)
        .sort()
        .reduce<string[]>((list, m) => {
          list.push(p.candidates[m]?.id ?? "");
          return list;
        }, []);
      const slots = p.sharedSlots(circle, circle.length);
      if (slots < p.minSlots) lowOverlap = true;
      for (let i = 0; i < circle.length; i++) {
        const a = circle[i] ?? 0;
        placed[a] = 1;
        if ((p.pref[a] ?? 0) !== circle.length) offSize = true;
        for (let j = i + 1; j < circle.length; j++) if (p.repeatPenalty(a, circle[j] ?? 0) > 0) repeatPairs++;
      }
      circles.push({ members: ids, overlapHours: slots / 2 });
    }
    const view = buckets ?? new MaskBuckets(p);
    for (let u = 0; u < p.n; u++) {
      if (placed[u]) continue;
      unplaced.push({ id: p.candidates[u]?.id ?? "", reason: reasonFor(p, view, u) });
      soleUnplaced += p.sole[u] ?? 0;
    }
  }
  circles.sort((a, b) => ((a.members[0] ?? "") < (b.members[0] ?? "") ? -1 : 1));
  unplaced.sort((a, b) => (a.id < b.id ? -1 : 1));
  const relaxed: Relaxation[] = [];
  if (lowOverlap) relaxed.push("overlap");
  if (repeatPairs > 0) relaxed.push("repeat-window");
  if (offSize) relaxed.push("size");

  let soleWorkers = 0;
  for (const { problem: p } of outcomes) for (let i = 0; i < p.n; i++) soleWorkers += p.sole[i] ?? 0;
  let sumHours = 0;
  let minHours = Number.POSITIVE_INFINITY;
  for (const circle of circles) {
    sumHours += circle.overlapHours;
    minHours = Math.min(minHours, circle.overlapHours);
  }
  const quality: MatchQuality = {
    soleWorkersPlaced: soleWorkers - soleUnplaced,
    soleWorkers,
    meanOverlapHours: circles.length ? sumHours / circles.length : 0,
    minOverlapHours: circles.length ? minHours : 0,
    repeatPairs,
    violations: 0,
  };
  const result: MatchResult = { circles, unplaced, relaxed, quality };
  quality.violations = countViolations(candidates, options, result);
  return result;
}

/** Why u is out: no two others share enough time with it, every such trio holds a conflict, or too few are left. */
function reasonFor(p: Problem, buckets: MaskBuckets, u: number): UnplacedReason {
  if (p.n < 3) return "too-few";
  const home = buckets.bucketOf[u] ?? 0;
  const compatible = buckets.compatible(home);
  const trio = new Int32Array(3);
  trio[0] = u;
  let overlapping = false;
  let work = 0;
  for (let i = 0; i < compatible.length; i++) {
    const bi = compatible[i] ?? 0;
    for (let j = i; j < compatible.length; j++) {
      const bj = compatible[j] ?? 0;
      const available = (b: number) => buckets.size(b) - (b === home ? 1 : 0);
      if (bi === bj ? available(bi) < 2 : available(bi) < 1 || available(bj) < 1) continue;
      trio[1] = buckets.rep[bi] ?? 0;
      trio[2] = buckets.rep[bj] ?? 0;
      if (p.sharedSlots(trio, 3) < p.floorSlots) continue;
      overlapping = true;
      for (let x = buckets.start[bi] ?? 0; x < (buckets.start[bi + 1] ?? 0); x++) {
        const a = buckets.list[x] ?? 0;
        if (a === u || !p.pairAllowed(u, a)) continue;
        for (let y = buckets.start[bj] ?? 0; y < (buckets.start[bj + 1] ?? 0); y++) {
          const b = buckets.list[y] ?? 0;
          if (++work > 2_000_000) return "too-few";
          if (b === u || b === a || !p.pairAllowed(u, b) || !p.pairAllowed(a, b)) continue;
          return "too-few";
        }
      }
    }
  }
  return overlapping ? "conflicts" : "no-overlap";
}

/**
 * An independent check of the hard rules on the finished result, from the caller's own inputs: conflicts in a
 * circle, sizes outside 3–5, shared time under the floor (or under the minimum without "overlap" relaxed),
 * mixed regions under `sameRegion`, and anyone missing or listed twice. Should always be 0.
 */
export function countViolations(
  candidates: readonly Candidate[],
  options: MatchOptions,
  result: Pick<MatchResult, "circles" | "unplaced" | "relaxed">,
): number {
  const byId = new Map<string, Candidate>();
  for (const candidate of candidates) byId.set(candidate.id, candidate);
  const conflicts = new Map<string, Set<string>>();
  for (const [a, b] of options.conflicts ?? []) {
    conflicts.set(a, (conflicts.get(a) ?? new Set()).add(b));
    conflicts.set(b, (conflicts.get(b) ?? new Set()).add(a));
  }
  const minHours = Math.max(0, options.minOverlapHours ?? DEFAULTS.minOverlapHours);
  const floorHours = Math.max(0, Math.min(options.overlapFloorHours ?? DEFAULTS.floorHours, minHours));
  const required = Math.ceil((result.relaxed.includes("overlap") ? floorHours : minHours) * 2) / 2;
  let violations = 0;
  const seen = new Set<string>();
  const listed = (id: string) => {
    if (seen.has(id)) violations++;
    seen.add(id);
  };
  const weeks: WeekMask[] = [];
  for (const circle of result.circles) {
    const members = circle.members;
    if (members.length < 3 || members.length > 5) violations++;
    weeks.length = 0;
    for (let i = 0; i < members.length; i++) {
      const a = byId.get(members[i] ?? "");
      if (!a) {
        violations++;
        continue;
      }
      weeks.push(a.week);
      listed(a.id);
      const theirs = conflicts.get(a.id);
      for (let j = i + 1; j < members.length; j++) {
        const b = byId.get(members[j] ?? "");
        if (!b) continue;
        if (theirs?.has(b.id)) violations++;
        if (options.sameRegion && a.region !== b.region) violations++;
      }
    }
    if (overlapHours(weeks) < required) violations++;
  }
  for (const { id } of result.unplaced) listed(id);
  for (const candidate of candidates) if (!seen.has(candidate.id)) violations++;
  return violations;
}
