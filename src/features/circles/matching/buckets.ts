/**
 * Members grouped by identical week mask. A network shares far fewer distinct rosters than it has members, so
 * anything that compares masks does it once per bucket.
 */
import type { Problem } from "./problem.js";
import { MASK_WORDS as MASK_WORDS_ } from "./week-mask.js";

// Module-local copies: some loaders (tsx) read imported bindings through getters, which costs in hot loops.
const MASK_WORDS = MASK_WORDS_;

export class MaskBuckets {
  readonly count: number;
  readonly bucketOf: Int32Array;
  /** Members of bucket b: list[start[b] .. start[b + 1]), in index order. */
  readonly start: Int32Array;
  readonly list: Int32Array;
  /** One member of each bucket, whose mask stands for the bucket's. */
  readonly rep: Int32Array;
  private readonly compatibleCache = new Map<number, Int32Array>();

  constructor(private readonly p: Problem) {
    const n = p.n;
    const m = p.masks;
    this.bucketOf = new Int32Array(n);
    const first = new Map<number, number>();
    const next: number[] = [];
    const reps: number[] = [];
    for (let i = 0; i < n; i++) {
      let h = 0x811c9dc5;
      for (let w = 0; w < MASK_WORDS; w++) h = Math.imul(h ^ (m[i * MASK_WORDS + w] ?? 0), 0x01000193);
      let b = first.get(h);
      let found = -1;
      while (b !== undefined && b >= 0) {
        const r = reps[b] ?? 0;
        let same = true;
        for (let w = 0; w < MASK_WORDS && same; w++) same = m[r * MASK_WORDS + w] === m[i * MASK_WORDS + w];
        if (same) {
          found = b;
          break;
        }
        b = next[b];
      }
      if (found < 0) {
        found = reps.length;
        reps.push(i);
        next.push(first.get(h) ?? -1);
        first.set(h, found);
      }
      this.bucketOf[i] = found;
    }
    this.count = reps.length;
    this.rep = Int32Array.from(reps);
    this.start = new Int32Array(this.count + 1);
    for (let i = 0; i < n; i++) {
      const b = this.bucketOf[i] ?? 0;
      this.start[b + 1] = (this.start[b + 1] ?? 0) + 1;
    }
    for (let b = 0; b < this.count; b++) this.start[b + 1] = (this.start[b + 1] ?? 0) + (this.start[b] ?? 0);
    const fill = this.start.slice(0, this.count);
    this.list = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const b = this.bucketOf[i] ?? 0;
      const at = fill[b] ?? 0;
      fill[b] = at + 1;
      this.list[at] = i;
    }
  }

  size(b: number): number {
    return (this.start[b + 1] ?? 0) - (this.start[b] ?? 0);
  }

  /** Shared half-hours of two buckets' masks. */
  pairSlots(b: number, c: number): number {
    return this.p.pairSlots(this.rep[b] ?? 0, this.rep[c] ?? 0);
  }

  /** Buckets (the member's own included) sharing at least the overlap floor with bucket b. */
  compatible(b: number): Int32Array {
    const cached = this.compatibleCache.get(b);
    if (cached) return cached;
    const out: number[] = [];
    for (let c = 0; c < this.count; c++) if (this.pairSlots(b, c) >= this.p.floorSlots) out.push(c);
    const result = Int32Array.from(out);
    this.compatibleCache.set(b, result);
    return result;
  }
}
