/**
 * The exact optimum of a small network, for the benchmark: every valid circle (3–5 members, no conflict, shared
 * time at least the overlap floor, scored by the matcher's own objective) is a column of a set-packing model —
 * maximise Σ score(c)·x_c subject to each member in at most one chosen circle, x binary — solved by HiGHS.
 */
import * as highsModule from "highs";
import type { Highs } from "highs";
import { Problem } from "../src/features/circles/matching/problem.js";
import type { Candidate, MatchOptions } from "../src/features/circles/matching/types.js";

// highs ships ESM at runtime but CommonJS-flavoured types, so take the loader off the namespace.
type Loader = () => Promise<Highs>;
const loadHighs: Loader = (highsModule as unknown as { default: Loader }).default;
let highs: Highs | undefined;

export interface Breakdown {
  /** The whole objective. */
  readonly total: number;
  /** Placement: sole workers, members, isolation. */
  readonly placement: number;
  /** Relaxation penalties (size, repeats, overlap below the minimum), ≤ 0. */
  readonly relaxation: number;
  /** Soft quality: shared hours less same-region pairs. */
  readonly soft: number;
}

/** The objective of a set of circles (member-id lists), split into its tiers. */
export function breakdown(p: Problem, circles: readonly (readonly string[])[]): Breakdown {
  const index = new Map(p.candidates.map((c, i) => [c.id, i]));
  let total = 0;
  let placement = 0;
  let soft = 0;
  for (const circle of circles) {
    const members = circle.map((id) => index.get(id) ?? -1);
    total += p.circleScore(members, members.length);
    placement += p.placeSum(members, members.length);
    let s = p.sharedSlots(members, members.length) / 2;
    if (!p.sameRegion) {
      for (let i = 0; i < members.length; i++) {
        for (let j = i + 1; j < members.length; j++) {
          if (p.region[members[i] ?? 0] === p.region[members[j] ?? 0]) s -= 3;
        }
      }
    }
    soft += s;
  }
  return { total, placement, soft, relaxation: total - placement - soft };
}

export interface ExactResult {
  readonly circles: string[][];
  readonly objective: number;
  readonly columns: number;
  readonly status: string;
  readonly ms: number;
}

export async function exactOptimum(
  candidates: readonly Candidate[],
  options: MatchOptions,
  solverOptions: Record<string, number | string | boolean> = {},
): Promise<ExactResult> {
  highs ??= await loadHighs();
  const started = performance.now();
  const p = new Problem(candidates, options);
  const columns: { members: number[]; score: number }[] = [];
  const buf: number[] = [];
  const walk = (from: number): void => {
    if (buf.length >= 3) {
      const score = p.circleScore(buf, buf.length);
      if (score !== Number.NEGATIVE_INFINITY) columns.push({ members: [...buf], score });
    }
    if (buf.length === 5) return;
    for (let i = from; i < p.n; i++) {
      let ok = true;
      for (const m of buf) if (!p.pairAllowed(m, i) || p.pairSlots(m, i) < p.floorSlots) ok = false;
      if (!ok) continue;
      buf.push(i);
      if (buf.length < 3 || p.sharedSlots(buf, buf.length) >= p.floorSlots) walk(i + 1);
      buf.pop();
    }
  };
  walk(0);
  if (columns.length === 0) return { circles: [], objective: 0, columns: 0, status: "Optimal", ms: 0 };
  const rows: string[][] = Array.from({ length: p.n }, () => []);
  const objective: string[] = [];
  columns.forEach((column, c) => {
    objective.push(`${column.score >= 0 ? "+" : "-"} ${Math.abs(column.score)} x${c}`);
    for (const m of column.members) rows[m]?.push(`x${c}`);
  });
  const lines = ["Maximize", ` obj: ${objective.join(" ")}`, "Subject To"];
  rows.forEach((row, m) => {
    if (row.length > 0) lines.push(` m${m}: ${row.join(" + ")} <= 1`);
  });
  lines.push("Binary", ` ${columns.map((_, c) => `x${c}`).join(" ")}`, "End");
  const solution = highs.solve(lines.join("\n"), {
    output_flag: false,
    mip_rel_gap: 0,
    mip_abs_gap: 1e-6,
    time_limit: 120,
    ...solverOptions,
  });
  const chosen: string[][] = [];
  let value = 0;
  columns.forEach((column, c) => {
    const primal = (solution.Columns as Record<string, { Primal?: number }>)[`x${c}`]?.Primal ?? 0;
    if (primal > 0.5) {
      chosen.push(column.members.map((m) => p.candidates[m]?.id ?? ""));
      value += column.score;
    }
  });
  return {
    circles: chosen,
    objective: value,
    columns: columns.length,
    status: solution.Status,
    ms: performance.now() - started,
  };
}
