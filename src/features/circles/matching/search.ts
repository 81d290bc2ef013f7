/**
 * The heuristic for networks too large to solve exactly:
 *
 *  1. Seeds in isolation order (sole workers first, then the longest since last peer contact). Each seed's
 *     circle is filled greedily from members with the same or a similar mask (buckets of identical masks and
 *     each bucket's list of most-overlapping buckets), taking the candidate that keeps the most shared time,
 *     less penalties, and skipping conflicts and anyone who would take the circle under the overlap minimum.
 *     Passes run strict first, then for those still out with, in order, the overlap floor, repeats allowed,
 *     and sizes 3–5.
 *  2. Repair: everyone still out tries, in isolation order, a new circle with others still out, a seat in a
 *     circle of fewer than five, and a swap with someone whose place is worth less (a sole worker always
 *     displaces a non-sole member when the circle stays valid).
 *  3. A time-boxed local search: swaps and moves between a costly circle (the worst of three drawn) and the
 *     circle of a member with a similar mask, and seats taken by those still out, accepted by simulated
 *     annealing with the seeded PRNG. Small groups start hot enough to trade relaxations. The budget is a
 *     number of iterations derived from the time budget, so a seed gives the same circles on any machine.
 *  4. For groups up to LNS_MAX members, large-neighbourhood search: a costly circle, a few circles of members
 *     who could sit with it, and some of those still out (up to 12–14 people) are re-arranged exactly by
 *     exact.ts and kept if better; its work is counted against the same iteration budget.
 *  5. Repair again, as the searches reshaped circles.
 */
import { MaskBuckets } from "./buckets.js";
import { type ExactWork, exactSolve } from "./exact.js";
import { type Random, createRandom } from "./prng.js";
import type { Problem } from "./problem.js";
import {
  MASK_WORDS as MASK_WORDS_,
  SLOTS_PER_WEEK as SLOTS_PER_WEEK_,
  popcount32 as popcount32_,
} from "./week-mask.js";

// Module-local copies: some loaders (tsx) read imported bindings through getters, which costs in hot loops.
const MASK_WORDS = MASK_WORDS_;
const SLOTS_PER_WEEK = SLOTS_PER_WEEK_;
const popcount32 = popcount32_;

interface Mode {
  readonly overlapSlots: number;
  readonly allowRepeats: boolean;
  readonly flexibleSize: boolean;
}

export interface SearchBudget {
  /** Local search iterations. */
  readonly iterations: number;
  /** Wall-clock safety stop (performance.now() value); only reached on a badly overloaded machine. */
  readonly hardStop: number;
}

const NEAR_EXACT_MAX_BUCKETS = 600;
const NEAR_K = 16;
const NEAR_SAMPLES = 32;
/** The NN-descent round looks through the lists of this many of a bucket's nearest buckets. */
const NEAR_REFINE = 8;
const GREEDY_EVALUATIONS = 24;
const PROBES = 48;
const NO_GAIN = Number.NEGATIVE_INFINITY;
/** Large-neighbourhood search runs for groups up to this size, on neighbourhoods of up to LNS_MEMBERS. */
const LNS_MAX = 2_000;
const LNS_MEMBERS = 12;
/** Small groups afford larger neighbourhoods. */
const LNS_MEMBERS_SMALL = 14;
/** Exact-search work in local-search iterations: scoring a circle, and trying one subset transition. */
const LNS_ITERATIONS_PER_SCORE = 0.1;
const LNS_ITERATIONS_PER_TRANSITION = 0.001;
/** Rounds that find nothing to re-arrange still cost something: a cap keeps them finite. */
const LNS_MAX_ROUNDS = 20_000;
/** Up to this many members, the local search starts hot enough to trade relaxations, not just shared hours. */
const HOT_START_MAX = 300;
/** Repair takes the best of this many valid seats or swaps for one member. */
const REPAIR_OPTIONS = 32;
/** A swap must be worth at least this much placement weight (a sole worker over anyone else, or ~2% isolation). */
const SWAP_MARGIN = 1_000;

export class Search {
  readonly circleOf: Int32Array;
  private readonly cm: Int32Array;
  private readonly cs: Uint8Array;
  private readonly cscore: Float64Array;
  private readonly alive: Uint8Array;
  private readonly free: number[] = [];
  private high = 0;

  private readonly buckets: MaskBuckets;
  private readonly liveList: Int32Array;
  private readonly livePos: Int32Array;
  private readonly liveCount: Int32Array;
  private nearStart: Int32Array = new Int32Array(1);
  private nearList: Int32Array = new Int32Array(0);
  private readonly blockLen: number;
  private blkStart: Int32Array = new Int32Array(SLOTS_PER_WEEK + 1);
  private blkList: Int32Array = new Int32Array(0);
  private readonly blkCount = new Int32Array(SLOTS_PER_WEEK);
  private readonly random: Random;
  readonly order: Int32Array;
  private readonly rank: Int32Array;
  private readonly shared = new Uint32Array(MASK_WORDS);
  private readonly buf = new Int32Array(10);
  private readonly stamp: Int32Array;
  private readonly hits: Int32Array;
  private stampValue = 0;

  constructor(
    private readonly p: Problem,
    seed: number,
  ) {
    const n = p.n;
    this.random = createRandom(seed);
    const cap = Math.floor(n / 3) + 2;
    this.circleOf = new Int32Array(n).fill(-1);
    this.cm = new Int32Array(cap * 5);
    this.cs = new Uint8Array(cap);
    this.cscore = new Float64Array(cap);
    this.alive = new Uint8Array(cap);
    this.buckets = new MaskBuckets(p);
    const B = this.buckets.count;
    this.liveList = this.buckets.list.slice();
    this.livePos = new Int32Array(n);
    for (let k = 0; k < n; k++) this.livePos[this.liveList[k] ?? 0] = k;
    this.liveCount = new Int32Array(B);
    for (let b = 0; b < B; b++) this.liveCount[b] = this.buckets.size(b);
    this.stamp = new Int32Array(Math.max(B, cap));
    this.hits = new Int32Array(Math.max(B, cap));
    this.blockLen = Math.min(4, Math.max(1, p.floorSlots));

    // Isolation order: sole workers, then the longest since peer contact; ties drawn with the seed.
    const tie = new Float64Array(n);
    for (let i = 0; i < n; i++) tie[i] = this.random.next();
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort(
      (a, b) =>
        (p.sole[b] ?? 0) - (p.sole[a] ?? 0) ||
        (p.isolation[b] ?? 0) - (p.isolation[a] ?? 0) ||
        (tie[a] ?? 0) - (tie[b] ?? 0),
    );
    this.order = Int32Array.from(order);
    this.rank = new Int32Array(n);
    for (let r = 0; r < n; r++) this.rank[this.order[r] ?? 0] = r;
    this.buildBlocks();
    this.buildNear();
  }

  get bucketsView(): MaskBuckets {
    return this.buckets;
  }

  /** The whole heuristic; returns the circles as member-index lists. */
  run(budget: SearchBudget): number[][] {
    const p = this.p;
    const modes: Mode[] = [{ overlapSlots: p.minSlots, allowRepeats: false, flexibleSize: false }];
    if (p.floorSlots < p.minSlots)
      modes.push({ overlapSlots: p.floorSlots, allowRepeats: false, flexibleSize: false });
    modes.push({ overlapSlots: p.floorSlots, allowRepeats: true, flexibleSize: false });
    modes.push({ overlapSlots: p.floorSlots, allowRepeats: true, flexibleSize: true });
    for (const mode of modes) {
      for (const seed of this.order) if (this.circleOf[seed] === -1) this.formCircle(seed, mode);
    }
    this.repair();
    const lnsShare = this.p.n <= HOT_START_MAX ? 0.75 : 0.5;
    const lnsBudget = this.p.n <= LNS_MAX ? Math.floor(budget.iterations * lnsShare) : 0;
    this.localSearch({ ...budget, iterations: budget.iterations - lnsBudget });
    this.repair();
    if (lnsBudget > 0) {
      this.largeNeighbourhood(lnsBudget, budget.hardStop);
      this.repair();
    }
    const circles: number[][] = [];
    for (let c = 0; c < this.high; c++) {
      if (!this.alive[c]) continue;
      circles.push(Array.from(this.cm.subarray(c * 5, c * 5 + (this.cs[c] ?? 0))));
    }
    return circles;
  }

  // ---- circles and live lists -------------------------------------------------------------------------

  private take(m: number): void {
    const b = this.buckets.bucketOf[m] ?? 0;
    const pos = this.livePos[m] ?? 0;
    const last = (this.buckets.start[b] ?? 0) + (this.liveCount[b] ?? 0) - 1;
    const other = this.liveList[last] ?? 0;
    this.liveList[pos] = other;
    this.livePos[other] = pos;
    this.liveList[last] = m;
    this.livePos[m] = last;
    this.liveCount[b] = (this.liveCount[b] ?? 0) - 1;
  }

  private giveBack(m: number): void {
    const b = this.buckets.bucketOf[m] ?? 0;
    const slot = (this.buckets.start[b] ?? 0) + (this.liveCount[b] ?? 0);
    const pos = this.livePos[m] ?? 0;
    const other = this.liveList[slot] ?? 0;
    this.liveList[pos] = other;
    this.livePos[other] = pos;
    this.liveList[slot] = m;
    this.livePos[m] = slot;
    this.liveCount[b] = (this.liveCount[b] ?? 0) + 1;
  }

  private isLive(m: number): boolean {
    const b = this.buckets.bucketOf[m] ?? 0;
    return (this.livePos[m] ?? 0) < (this.buckets.start[b] ?? 0) + (this.liveCount[b] ?? 0);
  }

  /** Makes a circle of members already taken from the live lists. */
  private addCircle(members: ArrayLike<number>, count: number, score: number): number {
    const c = this.free.pop() ?? this.high++;
    for (let i = 0; i < count; i++) {
      const m = members[i] ?? 0;
      this.cm[c * 5 + i] = m;
      this.circleOf[m] = c;
    }
    this.cs[c] = count;
    this.cscore[c] = score;
    this.alive[c] = 1;
    return c;
  }

  private setCircle(c: number, members: ArrayLike<number>, count: number, score: number): void {
    for (let i = 0; i < count; i++) {
      const m = members[i] ?? 0;
      this.cm[c * 5 + i] = m;
      this.circleOf[m] = c;
    }
    this.cs[c] = count;
    this.cscore[c] = score;
  }

  // ---- neighbourhoods ---------------------------------------------------------------------------------

  /** For each start slot, the buckets whose mask holds `blockLen` half-hours from there. */
  private buildBlocks(): void {
    const B = this.buckets.count;
    const L = this.blockLen;
    const counts = new Int32Array(SLOTS_PER_WEEK + 1);
    const starts: number[][] = [];
    for (let b = 0; b < B; b++) {
      const list = blockStarts(this.p.masks, this.buckets.rep[b] ?? 0, L, 1);
      starts.push(list);
      for (const t of list) counts[t + 1] = (counts[t + 1] ?? 0) + 1;
    }
    for (let t = 0; t < SLOTS_PER_WEEK; t++) counts[t + 1] = (counts[t + 1] ?? 0) + (counts[t] ?? 0);
    this.blkStart = counts;
    const fill = counts.slice(0, SLOTS_PER_WEEK);
    this.blkList = new Int32Array(counts[SLOTS_PER_WEEK] ?? 0);
    for (let b = 0; b < B; b++) {
      for (const t of starts[b] ?? []) {
        const at = fill[t] ?? 0;
        fill[t] = at + 1;
        this.blkList[at] = b;
      }
    }
    for (let t = 0; t < SLOTS_PER_WEEK; t++) this.blkCount[t] = (counts[t + 1] ?? 0) - (counts[t] ?? 0);
  }

  /** Each bucket's most-overlapping buckets, itself first: exact for few buckets, sampled otherwise. */
  private buildNear(): void {
    const B = this.buckets.count;
    const floor = this.p.floorSlots;
    const lists: Int32Array[] = [];
    if (B <= NEAR_EXACT_MAX_BUCKETS) {
      const value = new Int32Array(B);
      for (let b = 0; b < B; b++) {
        const list: number[] = [];
        for (let c = 0; c < B; c++) {
          if (c === b) continue;
          const v = this.buckets.pairSlots(b, c);
          if (v >= floor) {
            value[c] = v;
            list.push(c);
          }
        }
        list.sort((x, y) => (value[y] ?? 0) - (value[x] ?? 0) || x - y);
        lists.push(Int32Array.from([b, ...list]));
      }
    } else {
      const topIdx = new Int32Array(NEAR_K);
      const topVal = new Int32Array(NEAR_K);
      let size = 0;
      const consider = (b: number, c: number): void => {
        if (c === b || this.stamp[c] === this.stampValue) return;
        this.stamp[c] = this.stampValue;
        const v = this.buckets.pairSlots(b, c);
        if (v < floor) return;
        if (size === NEAR_K && v <= (topVal[NEAR_K - 1] ?? 0)) return;
        let at = size < NEAR_K ? size++ : NEAR_K - 1;
        while (at > 0 && (topVal[at - 1] ?? 0) < v) {
          topVal[at] = topVal[at - 1] ?? 0;
          topIdx[at] = topIdx[at - 1] ?? 0;
          at--;
        }
        topVal[at] = v;
        topIdx[at] = c;
      };
      const blocksOf: number[][] = [];
      for (let b = 0; b < B; b++)
        blocksOf.push(blockStarts(this.p.masks, this.buckets.rep[b] ?? 0, this.blockLen, 1));
      for (let b = 0; b < B; b++) {
        this.stampValue++;
        size = 0;
        const blocks = blocksOf[b] ?? [];
        for (let s = 0; s < NEAR_SAMPLES; s++) {
          if (blocks.length === 0) {
            consider(b, this.random.int(B));
            continue;
          }
          const t = blocks[this.random.int(blocks.length)] ?? 0;
          const len = this.blkCount[t] ?? 0;
          if (len > 0) consider(b, this.blkList[(this.blkStart[t] ?? 0) + this.random.int(len)] ?? 0);
        }
        lists.push(Int32Array.from([b, ...topIdx.subarray(0, size)]));
      }
      // One round of neighbours' neighbours (NN-descent) sharpens the sampled lists.
      const refined: Int32Array[] = [];
      for (let b = 0; b < B; b++) {
        this.stampValue++;
        size = 0;
        const own = lists[b] ?? new Int32Array(0);
        for (let k = 1; k < Math.min(own.length, NEAR_REFINE + 1); k++) {
          const c = own[k] ?? 0;
          consider(b, c);
          const theirs = lists[c] ?? new Int32Array(0);
          for (let q = 0; q < theirs.length; q++) consider(b, theirs[q] ?? 0);
        }
        refined.push(Int32Array.from([b, ...topIdx.subarray(0, size)]));
      }
      lists.splice(0, lists.length, ...refined);
    }
    this.nearStart = new Int32Array(B + 1);
    for (let b = 0; b < B; b++) this.nearStart[b + 1] = (this.nearStart[b] ?? 0) + (lists[b]?.length ?? 0);
    this.nearList = new Int32Array(this.nearStart[B] ?? 0);
    for (let b = 0; b < B; b++) this.nearList.set(lists[b] ?? [], this.nearStart[b] ?? 0);
  }

  // ---- greedy -----------------------------------------------------------------------------------------

  /** What adding m to the first k members of buf (sharing `shared`) is worth, or −∞ if not allowed. */
  private gain(m: number, k: number, mode: Mode, target: number): number {
    const p = this.p;
    const pref = p.pref[m] ?? target;
    if (!mode.flexibleSize && pref !== target) return NO_GAIN;
    let slots = 0;
    for (let w = 0; w < MASK_WORDS; w++)
      slots += popcount32((this.shared[w] ?? 0) & (p.masks[m * MASK_WORDS + w] ?? 0));
    if (slots < mode.overlapSlots) return NO_GAIN;
    let g = slots / 2;
    for (let j = 0; j < k; j++) {
      const a = this.buf[j] ?? 0;
      if (!p.pairAllowed(a, m)) return NO_GAIN;
      if (!p.sameRegion && p.region[a] === p.region[m]) g -= 3;
      const repeat = p.repeatPenalty(a, m);
      if (repeat > 0) {
        if (!mode.allowRepeats) return NO_GAIN;
        g -= repeat;
      }
    }
    if (mode.flexibleSize) g -= 1000 * Math.abs(target - pref);
    return g;
  }

  private formCircle(seed: number, mode: Mode): boolean {
    const p = this.p;
    const target = p.pref[seed] ?? 4;
    this.take(seed);
    this.buf[0] = seed;
    let k = 1;
    for (let w = 0; w < MASK_WORDS; w++) this.shared[w] = p.masks[seed * MASK_WORDS + w] ?? 0;
    if ((p.slots[seed] ?? 0) < mode.overlapSlots) {
      this.giveBack(seed);
      return false;
    }
    const home = this.buckets.bucketOf[seed] ?? 0;
    while (k < target) {
      let best = -1;
      let bestGain = NO_GAIN;
      let evaluated = 0;
      const end = this.nearStart[home + 1] ?? 0;
      for (let q = this.nearStart[home] ?? 0; q < end && evaluated < GREEDY_EVALUATIONS; q++) {
        const nb = this.nearList[q] ?? 0;
        const live = Math.min(this.liveCount[nb] ?? 0, 3);
        const from = this.buckets.start[nb] ?? 0;
        for (let r = 0; r < live; r++) {
          const m = this.liveList[from + r] ?? 0;
          const g = this.gain(m, k, mode, target);
          evaluated++;
          if (g > bestGain) {
            bestGain = g;
            best = m;
          }
        }
      }
      if (best < 0) best = this.probe(k, mode, target);
      if (best < 0) break;
      this.take(best);
      this.buf[k++] = best;
      for (let w = 0; w < MASK_WORDS; w++)
        this.shared[w] = (this.shared[w] ?? 0) & (p.masks[best * MASK_WORDS + w] ?? 0);
    }
    const enough = mode.flexibleSize ? k >= 3 : k === target;
    const score = enough ? p.circleScore(this.buf, k) : NO_GAIN;
    if (score === NO_GAIN) {
      for (let i = 0; i < k; i++) this.giveBack(this.buf[i] ?? 0);
      return false;
    }
    this.addCircle(this.buf, k, score);
    return true;
  }

  /** Random probes of buckets that cover a block of the shared time, when the near lists have run dry. */
  private probe(k: number, mode: Mode, target: number): number {
    const starts = blockStartsOf(this.shared, this.blockLen, 1);
    let best = -1;
    let bestGain = NO_GAIN;
    let feasible = 0;
    for (let s = 0; s < PROBES && feasible < 8; s++) {
      let b: number;
      if (starts.length > 0) {
        const t = starts[this.random.int(starts.length)] ?? 0;
        const len = this.blkCount[t] ?? 0;
        if (len === 0) continue;
        const at = (this.blkStart[t] ?? 0) + this.random.int(len);
        b = this.blkList[at] ?? 0;
        if ((this.liveCount[b] ?? 0) === 0) {
          // Drop the exhausted bucket from this block's list (it may come back to life; the near lists still know it).
          const last = (this.blkStart[t] ?? 0) + len - 1;
          this.blkList[at] = this.blkList[last] ?? 0;
          this.blkList[last] = b;
          this.blkCount[t] = len - 1;
          continue;
        }
      } else {
        b = this.random.int(this.buckets.count);
        if ((this.liveCount[b] ?? 0) === 0) continue;
      }
      const m = this.liveList[(this.buckets.start[b] ?? 0) + this.random.int(this.liveCount[b] ?? 1)] ?? 0;
      const g = this.gain(m, k, mode, target);
      if (g === NO_GAIN) continue;
      feasible++;
      if (g > bestGain) {
        bestGain = g;
        best = m;
      }
    }
    return best;
  }

  // ---- repair -----------------------------------------------------------------------------------------

  private repair(): void {
    let out = Array.from(this.order).filter((u) => this.circleOf[u] === -1);
    for (let pass = 0; pass < 64 && out.length > 0; pass++) {
      let changed = false;
      for (const u of out) if (this.circleOf[u] === -1 && this.repairOne(u)) changed = true;
      if (!changed) return;
      // Members displaced by swaps are out again: keep isolation order.
      const rank = this.rank;
      out = [];
      for (let m = 0; m < this.p.n; m++) if (this.circleOf[m] === -1) out.push(m);
      out.sort((a, b) => (rank[a] ?? 0) - (rank[b] ?? 0));
    }
  }

  /** A new circle with others still out, a free seat, or a swap that is worth it; true if u was placed. */
  private repairOne(u: number): boolean {
    const p = this.p;
    const floor = p.floorSlots;
    const compatible = this.buckets.compatible(this.buckets.bucketOf[u] ?? 0);
    const out: number[] = [];
    this.stampValue++;
    const touched: number[] = [];
    for (const b of compatible) {
      const from = this.buckets.start[b] ?? 0;
      const to = this.buckets.start[b + 1] ?? 0;
      for (let k = from; k < to; k++) {
        const m = this.buckets.list[k] ?? 0;
        if (m === u || !p.pairAllowed(u, m)) continue;
        const c = this.circleOf[m] ?? -1;
        if (c === -1) {
          if (this.isLive(m)) out.push(m);
          continue;
        }
        if (this.stamp[c] !== this.stampValue) {
          this.stamp[c] = this.stampValue;
          this.hits[c] = 0;
          touched.push(c);
        }
        this.hits[c] = (this.hits[c] ?? 0) + 1;
      }
    }
    // 1. A new circle from those still out.
    if (out.length >= 2 && this.isLive(u)) {
      const buf = this.buf;
      let bestScore = NO_GAIN;
      let bestA = -1;
      let bestB = -1;
      for (let i = 0; i < out.length && bestA < 0; i++) {
        for (let j = i + 1; j < out.length; j++) {
          buf[0] = u;
          buf[1] = out[i] ?? 0;
          buf[2] = out[j] ?? 0;
          if (p.sharedSlots(buf, 3) < floor) continue;
          const s = p.circleScore(buf, 3);
          if (s > bestScore) {
            bestScore = s;
            bestA = buf[1] ?? 0;
            bestB = buf[2] ?? 0;
          }
        }
      }
      if (bestA >= 0) {
        buf[0] = u;
        buf[1] = bestA;
        buf[2] = bestB;
        let k = 3;
        let score = bestScore;
        const target = p.pref[u] ?? 4;
        for (const m of out) {
          if (k >= target) break;
          if (m === bestA || m === bestB) continue;
          buf[k] = m;
          const s = p.circleScore(buf, k + 1);
          if (s > score) {
            score = s;
            k++;
          }
        }
        for (let i = 0; i < k; i++) this.take(buf[i] ?? 0);
        this.addCircle(buf, k, score);
        return true;
      }
    }
    // 2. A free seat, else 3. a swap with a member whose place is worth less: among circles where all (or all
    // but one) members can sit with u. The best of the first few valid options is taken.
    const buf = this.buf;
    let bestDelta = 0;
    let bestCircle = -1;
    let bestOut = -1;
    let options = 0;
    for (const c of touched) {
      const size = this.cs[c] ?? 0;
      if ((this.hits[c] ?? 0) !== size || size >= 5) continue;
      for (let i = 0; i < size; i++) buf[i] = this.cm[c * 5 + i] ?? 0;
      buf[size] = u;
      const delta = p.circleScore(buf, size + 1) - (this.cscore[c] ?? 0);
      if (delta <= 0) continue;
      if (delta > bestDelta) {
        bestDelta = delta;
        bestCircle = c;
      }
      if (++options >= REPAIR_OPTIONS) break;
    }
    if (bestCircle < 0) {
      const worth = (p.place[u] ?? 0) - SWAP_MARGIN;
      for (const c of touched) {
        const size = this.cs[c] ?? 0;
        if ((this.hits[c] ?? 0) < size - 1) continue;
        for (let drop = 0; drop < size; drop++) {
          const out = this.cm[c * 5 + drop] ?? 0;
          if ((p.place[out] ?? 0) >= worth) continue;
          let k = 0;
          for (let i = 0; i < size; i++) if (i !== drop) buf[k++] = this.cm[c * 5 + i] ?? 0;
          buf[k++] = u;
          const delta = p.circleScore(buf, k) - (this.cscore[c] ?? 0);
          if (delta <= 0) continue;
          options++;
          if (delta > bestDelta) {
            bestDelta = delta;
            bestCircle = c;
            bestOut = out;
          }
        }
        if (options >= REPAIR_OPTIONS) break;
      }
    }
    if (bestCircle < 0) return false;
    const c = bestCircle;
    const size = this.cs[c] ?? 0;
    let k = 0;
    for (let i = 0; i < size; i++) {
      const m = this.cm[c * 5 + i] ?? 0;
      if (m !== bestOut) buf[k++] = m;
    }
    buf[k++] = u;
    this.take(u);
    if (bestOut >= 0) {
      this.circleOf[bestOut] = -1;
      this.giveBack(bestOut);
    }
    this.setCircle(c, buf, k, p.circleScore(buf, k));
    return true;
  }

  // ---- local search -----------------------------------------------------------------------------------

  private localSearch(budget: SearchBudget): void {
    const p = this.p;
    const ids: number[] = [];
    for (let c = 0; c < this.high; c++) if (this.alive[c]) ids.push(c);
    if (ids.length === 0 || budget.iterations <= 0) return;
    const soft = new Float64Array(this.high);
    for (const c of ids) soft[c] = (this.cscore[c] ?? 0) - p.placeSum(this.cm, this.cs[c] ?? 0, c * 5);
    const random = this.random;
    const a = new Int32Array(5);
    const d5 = new Int32Array(5);
    // Small networks can afford to anneal through the relaxation tier too; large ones polish shared hours.
    const T0 = p.n <= HOT_START_MAX ? 3_000 : 2;
    const T1 = 0.02;
    const decay = (T1 / T0) ** (1 / budget.iterations);
    let T = T0;
    for (let it = 0; it < budget.iterations; it++, T *= decay) {
      if ((it & 4095) === 0 && performance.now() > budget.hardStop) break;
      let c = ids[random.int(ids.length)] ?? 0;
      for (let t = 0; t < 2; t++) {
        const other = ids[random.int(ids.length)] ?? 0;
        if ((soft[other] ?? 0) < (soft[c] ?? 0)) c = other;
      }
      const sizeC = this.cs[c] ?? 0;
      const xi = random.int(sizeC);
      const x = this.cm[c * 5 + xi] ?? 0;
      const bx = this.buckets.bucketOf[x] ?? 0;
      const nearFrom = this.nearStart[bx] ?? 0;
      const nb = this.nearList[nearFrom + random.int((this.nearStart[bx + 1] ?? 0) - nearFrom)] ?? 0;
      const y = this.buckets.list[(this.buckets.start[nb] ?? 0) + random.int(this.buckets.size(nb))] ?? 0;
      const d = this.circleOf[y] ?? -1;
      if (y === x || d === c) continue;
      if (d < 0) {
        // y is out: take x's seat, or a free seat beside x.
        const insert = sizeC < 5 && random.next() < 0.5;
        let ka = 0;
        for (let i = 0; i < sizeC; i++) if (insert || i !== xi) a[ka++] = this.cm[c * 5 + i] ?? 0;
        a[ka++] = y;
        const sa = p.circleScore(a, ka);
        if (sa === NO_GAIN) continue;
        const delta = sa - (this.cscore[c] ?? 0);
        if (delta >= 0 || random.next() < Math.exp(delta / T)) {
          this.take(y);
          if (!insert) {
            this.circleOf[x] = -1;
            this.giveBack(x);
          }
          this.setCircle(c, a, ka, sa);
          soft[c] = sa - p.placeSum(a, ka);
        }
        continue;
      }
      const sizeD = this.cs[d] ?? 0;
      let yi = 0;
      while (this.cm[d * 5 + yi] !== y) yi++;
      // 0: swap x and y; 1: move x to y's circle; 2: move y to x's circle.
      const r = random.next();
      const kind = r < 0.2 && sizeC > 3 && sizeD < 5 ? 1 : r > 0.8 && sizeD > 3 && sizeC < 5 ? 2 : 0;
      let ka = 0;
      for (let i = 0; i < sizeC; i++) if (kind === 2 || i !== xi) a[ka++] = this.cm[c * 5 + i] ?? 0;
      let kd = 0;
      for (let i = 0; i < sizeD; i++) if (kind === 1 || i !== yi) d5[kd++] = this.cm[d * 5 + i] ?? 0;
      if (kind !== 1) a[ka++] = y;
      if (kind !== 2) d5[kd++] = x;
      const sa = p.circleScore(a, ka);
      if (sa === NO_GAIN) continue;
      const sd = p.circleScore(d5, kd);
      if (sd === NO_GAIN) continue;
      const delta = sa + sd - (this.cscore[c] ?? 0) - (this.cscore[d] ?? 0);
      if (delta >= 0 || random.next() < Math.exp(delta / T)) {
        this.setCircle(c, a, ka, sa);
        this.setCircle(d, d5, kd, sd);
        soft[c] = sa - p.placeSum(a, ka);
        soft[d] = sd - p.placeSum(d5, kd);
      }
    }
  }

  /**
   * Large-neighbourhood search: a costly circle, a few circles of members who could sit with it, and those
   * still out, re-arranged exactly (exact.ts) and kept if better.
   */
  private largeNeighbourhood(budget: number, hardStop: number): void {
    const p = this.p;
    const random = this.random;
    const ids: number[] = [];
    for (let c = 0; c < this.high; c++) if (this.alive[c]) ids.push(c);
    if (ids.length === 0) return;
    const soft = (c: number) => (this.cscore[c] ?? 0) - p.placeSum(this.cm, this.cs[c] ?? 0, c * 5);
    const chosen: number[] = [];
    const members: number[] = [];
    // The budget is in local-search iterations; exact search work is converted at a measured rate.
    const work: ExactWork = { scored: 0, transitions: 0 };
    const spent = () =>
      work.scored * LNS_ITERATIONS_PER_SCORE + work.transitions * LNS_ITERATIONS_PER_TRANSITION;
    for (let round = 0; spent() < budget && round < LNS_MAX_ROUNDS; round++) {
      if ((round & 15) === 0 && performance.now() > hardStop) return;
      const live = ids.filter((c) => this.alive[c]);
      if (live.length === 0) return;
      // Mostly the worst of three, sometimes any circle (shared hours can improve anywhere).
      let c = live[random.int(live.length)] ?? 0;
      for (let t = 0; t < 2 && round % 3 !== 2; t++) {
        const other = live[random.int(live.length)] ?? 0;
        if (soft(other) < soft(c)) c = other;
      }
      chosen.length = 0;
      members.length = 0;
      chosen.push(c);
      for (let i = 0; i < (this.cs[c] ?? 0); i++) members.push(this.cm[c * 5 + i] ?? 0);
      const outs: number[] = [];
      for (const m of this.order) {
        if (this.circleOf[m] === -1) outs.push(m);
        if (outs.length >= 64) break;
      }
      const limit = p.n <= HOT_START_MAX ? LNS_MEMBERS_SMALL : LNS_MEMBERS;
      for (let t = 0; t < 10 && members.length < limit; t++) {
        if (outs.length > 0 && random.next() < 0.3) {
          const u = outs[random.int(outs.length)] ?? 0;
          if (!members.includes(u)) members.push(u);
          continue;
        }
        const x = members[random.int(members.length)] ?? 0;
        const bx = this.buckets.bucketOf[x] ?? 0;
        const from = this.nearStart[bx] ?? 0;
        const nb = this.nearList[from + random.int((this.nearStart[bx + 1] ?? 0) - from)] ?? 0;
        const y = this.buckets.list[(this.buckets.start[nb] ?? 0) + random.int(this.buckets.size(nb))] ?? 0;
        const d = this.circleOf[y] ?? -1;
        if (d === -1) {
          if (!members.includes(y)) members.push(y);
          continue;
        }
        if (chosen.includes(d) || members.length + (this.cs[d] ?? 0) > limit) continue;
        chosen.push(d);
        for (let i = 0; i < (this.cs[d] ?? 0); i++) members.push(this.cm[d * 5 + i] ?? 0);
      }
      if (chosen.length < 2 && members.length === (this.cs[c] ?? 0)) continue;
      let current = 0;
      for (const d of chosen) current += this.cscore[d] ?? 0;
      const arrangement = exactSolve(p, members, work);
      let better = 0;
      for (const circle of arrangement) better += p.circleScore(circle, circle.length);
      if (better <= current + 1e-6) continue;
      for (const d of chosen) {
        this.alive[d] = 0;
        this.free.push(d);
      }
      for (const m of members) {
        if (this.circleOf[m] !== -1) {
          this.circleOf[m] = -1;
          this.giveBack(m);
        }
      }
      for (const circle of arrangement) {
        for (const m of circle) this.take(m);
        const id = this.addCircle(circle, circle.length, p.circleScore(circle, circle.length));
        if (!ids.includes(id)) ids.push(id);
      }
    }
  }
}

/** Starts of runs of `len` set bits in member m's mask, every `stride` slots. */
function blockStarts(masks: Uint32Array, m: number, len: number, stride: number): number[] {
  return blockStartsOf(masks.subarray(m * MASK_WORDS, (m + 1) * MASK_WORDS), len, stride);
}

function blockStartsOf(mask: Uint32Array, len: number, stride: number): number[] {
  const out: number[] = [];
  let run = 0;
  for (let slot = 0; slot < SLOTS_PER_WEEK; slot++) {
    if ((((mask[slot >>> 5] ?? 0) >>> (slot & 31)) & 1) === 1) {
      run++;
      const start = slot - len + 1;
      if (run >= len && start % stride === 0) out.push(start);
    } else run = 0;
  }
  return out;
}
