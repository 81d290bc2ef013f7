/**
 * Exact search for small groups (up to EXACT_MAX members): dynamic programming over subsets. The lowest
 * member still to seat either stays out or joins one of the valid circles it can lead, so every arrangement is
 * considered once and the best by the shared objective is returned.
 */
import type { Problem } from "./problem.js";

export const EXACT_MAX = 16;

/** Work done by exactSolve, for callers that budget it: circles scored, and subset transitions tried. */
export interface ExactWork {
  scored: number;
  transitions: number;
}

export function exactSolve(p: Problem, members: readonly number[], work?: ExactWork): number[][] {
  const k = members.length;
  if (k > EXACT_MAX) throw new RangeError(`exact search is for at most ${EXACT_MAX} members`);
  if (k < 3) return [];
  const full = (1 << k) - 1;
  const score = new Float64Array(full + 1);
  const byLowest: number[][] = Array.from({ length: k }, () => []);
  const buf = new Int32Array(5);
  const pick = (from: number, depth: number, set: number): void => {
    if (depth >= 3) {
      if (work) work.scored++;
      const s = p.circleScore(buf, depth);
      if (s !== Number.NEGATIVE_INFINITY) {
        score[set] = s;
        byLowest[31 - Math.clz32(set & -set)]?.push(set);
      }
    }
    if (depth === 5) return;
    for (let i = from; i < k; i++) {
      buf[depth] = members[i] ?? 0;
      if (depth >= 1 && !p.pairAllowed(buf[0] ?? 0, buf[depth] ?? 0)) continue;
      pick(i + 1, depth + 1, set | (1 << i));
    }
  };
  pick(0, 0, 0);
  const best = new Float64Array(full + 1);
  const choice = new Int32Array(full + 1);
  for (let set = 1; set <= full; set++) {
    const lowest = 31 - Math.clz32(set & -set);
    let value = best[set & (set - 1)] ?? 0;
    let chosen = 0;
    const candidates = byLowest[lowest] ?? [];
    if (work) work.transitions += candidates.length;
    for (const circle of candidates) {
      if ((circle & set) !== circle) continue;
      const v = (score[circle] ?? 0) + (best[set ^ circle] ?? 0);
      if (v > value) {
        value = v;
        chosen = circle;
      }
    }
    best[set] = value;
    choice[set] = chosen;
  }
  const circles: number[][] = [];
  let set = full;
  while (set) {
    const chosen = choice[set] ?? 0;
    if (chosen === 0) {
      set &= set - 1;
      continue;
    }
    const circle: number[] = [];
    for (let i = 0; i < k; i++) if (chosen & (1 << i)) circle.push(members[i] ?? 0);
    circles.push(circle);
    set ^= chosen;
  }
  return circles;
}
