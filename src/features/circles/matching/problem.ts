/**
 * The matching problem in compact, index-based form, and the one objective every part of the matcher (greedy,
 * local search, exact search for small groups, the benchmark's exact model) maximises.
 *
 * Members are indices 0..n-1 in id order. Masks live in one Uint32Array (11 words each). Conflicts and recent
 * history are compressed sparse rows of sorted partner indices: memory grows with the number of pairs named,
 * never with n².
 *
 * The objective, per circle (higher is better), in tiers whose weights keep each tier above everything below
 * it for any change the search makes:
 *   placed members        10,000,000 per sole worker + 100,000 per member + up to 50,000 for isolation
 *   size relaxed          −10,000 per circle not of its members' preferred size, −1,000 per step of difference
 *   repeat-window relaxed −8,000 to −9,000 per pair who met in the window (more for a more recent meeting)
 *   overlap relaxed       −1,000 − 50 per half-hour below the minimum (at most −1,900) per circle
 *   soft                  + shared hours a week, −3 per pair from the same region (when mixing regions)
 * Hard, never traded: conflicts, 3–5 members, shared time ≥ the overlap floor, one region when `sameRegion`.
 */
import type { Candidate, MatchOptions } from "./types.js";
import { MASK_WORDS as MASK_WORDS_, popcount32 as popcount32_ } from "./week-mask.js";

// Module-local copies: some loaders (tsx) read imported bindings through getters, which costs in hot loops.
const MASK_WORDS = MASK_WORDS_;
const popcount32 = popcount32_;

export const WEIGHTS = {
  soleWorker: 10_000_000,
  placed: 100_000,
  isolation: 50_000,
  offSizeCircle: 10_000,
  offSizeStep: 1_000,
  repeatPair: 8_000,
  repeatRecency: 1_000,
  lowOverlapCircle: 1_000,
  lowOverlapSlot: 50,
  lowOverlapSlotCap: 900,
  sameRegionPair: 3,
} as const;

export const DEFAULTS = {
  size: 4,
  minOverlapHours: 2,
  repeatWindow: 6,
  timeBudgetMs: 500,
  floorHours: 1,
} as const;

export class Problem {
  readonly n: number;
  /** Candidates in id order; index i everywhere below is candidates[i]. */
  readonly candidates: readonly Candidate[];
  readonly masks: Uint32Array;
  readonly slots: Uint16Array;
  readonly sole: Uint8Array;
  /** Isolation in [0, 1]: 1 = never had peer contact, 0 = the most recent contact in this network. */
  readonly isolation: Float64Array;
  /** Placement weight: what the objective gains when this member is in a circle. */
  readonly place: Float64Array;
  readonly region: Int32Array;
  readonly pref: Uint8Array;
  readonly minSlots: number;
  readonly floorSlots: number;
  readonly sameRegion: boolean;
  readonly repeatWindow: number;
  private readonly confStart: Int32Array;
  private readonly confList: Int32Array;
  private readonly histStart: Int32Array;
  private readonly histList: Int32Array;
  private readonly pastPenalty: Float64Array;
  private readonly scratch = new Uint32Array(MASK_WORDS);

  constructor(input: readonly Candidate[], options: MatchOptions) {
    let sorted = true;
    for (let i = 1; i < input.length && sorted; i++) sorted = (input[i - 1]?.id ?? "") < (input[i]?.id ?? "");
    const candidates = sorted ? input : [...input].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const n = candidates.length;
    this.n = n;
    this.candidates = candidates;
    const index = new Map<string, number>();
    candidates.forEach((candidate, i) => {
      if (index.has(candidate.id))
        throw new RangeError(`duplicate candidate id ${JSON.stringify(candidate.id)}`);
      index.set(candidate.id, i);
    });

    const size = options.size ?? DEFAULTS.size;
    const minHours = Math.max(0, options.minOverlapHours ?? DEFAULTS.minOverlapHours);
    const floorHours = Math.max(0, Math.min(options.overlapFloorHours ?? DEFAULTS.floorHours, minHours));
    this.minSlots = Math.ceil(minHours * 2);
    this.floorSlots = Math.ceil(floorHours * 2);
    this.sameRegion = options.sameRegion ?? false;
    this.repeatWindow = Math.max(0, Math.floor(options.repeatWindow ?? DEFAULTS.repeatWindow));

    this.masks = new Uint32Array(n * MASK_WORDS);
    this.slots = new Uint16Array(n);
    this.sole = new Uint8Array(n);
    this.isolation = new Float64Array(n);
    this.place = new Float64Array(n);
    this.region = new Int32Array(n);
    this.pref = new Uint8Array(n);
    const regions = new Map<string, number>();
    let newest = Number.NEGATIVE_INFINITY;
    let oldest = Number.POSITIVE_INFINITY;
    for (const candidate of candidates) {
      if (candidate.lastPeerContact > 0) {
        newest = Math.max(newest, candidate.lastPeerContact);
        oldest = Math.min(oldest, candidate.lastPeerContact);
      }
    }
    for (let i = 0; i < n; i++) {
      const candidate = candidates[i] as Candidate;
      if (candidate.week.length !== MASK_WORDS) {
        throw new RangeError(`candidate ${candidate.id}: week must be a WeekMask of ${MASK_WORDS} words`);
      }
      let count = 0;
      for (let w = 0; w < MASK_WORDS; w++) {
        const word = (candidate.week[w] ?? 0) >>> 0;
        this.masks[i * MASK_WORDS + w] = word;
        count += popcount32(word);
      }
      this.slots[i] = count;
      this.sole[i] = candidate.soleWorker ? 1 : 0;
      const last = candidate.lastPeerContact;
      this.isolation[i] = last > 0 ? (newest > oldest ? (0.9 * (newest - last)) / (newest - oldest) : 0) : 1;
      this.place[i] =
        WEIGHTS.placed +
        (candidate.soleWorker ? WEIGHTS.soleWorker : 0) +
        WEIGHTS.isolation * (this.isolation[i] ?? 0);
      let region = regions.get(candidate.region);
      if (region === undefined) {
        region = regions.size;
        regions.set(candidate.region, region);
      }
      this.region[i] = region;
      this.pref[i] = candidate.size ?? size;
    }

    // Conflicts: both directions, sorted, deduplicated; unknown ids (people who left) are ignored.
    const conflictPairs = new PairBuffer(2 * (options.conflicts?.length ?? 0));
    for (const [a, b] of options.conflicts ?? []) {
      const x = index.get(a);
      const y = index.get(b);
      if (x === undefined || y === undefined || x === y) continue;
      conflictPairs.add(x, y, 0);
    }
    const conflicts = buildRows(n, conflictPairs);
    this.confStart = conflicts.start;
    this.confList = conflicts.list;

    // History inside the window, as each member's sorted list of past circles (numbered newest first), so two
    // members' most recent shared circle is the first match of a merge of two short lists.
    const rounds = options.history ?? [];
    const windowRounds = Math.min(rounds.length, this.repeatWindow);
    let entries = 0;
    let circleCount = 0;
    for (let age = 0; age < windowRounds; age++) {
      for (const circle of rounds[age] ?? []) {
        entries += circle.length;
        circleCount++;
      }
    }
    const who = new Int32Array(entries);
    const which = new Int32Array(entries);
    this.pastPenalty = new Float64Array(circleCount);
    this.histStart = new Int32Array(n + 1);
    let e = 0;
    let g = 0;
    for (let age = 0; age < windowRounds; age++) {
      const penalty = WEIGHTS.repeatPair + WEIGHTS.repeatRecency * (1 - age / this.repeatWindow);
      for (const circle of rounds[age] ?? []) {
        this.pastPenalty[g] = penalty;
        for (const id of circle) {
          const member = index.get(id);
          if (member === undefined) continue;
          who[e] = member;
          which[e++] = g;
          this.histStart[member + 1] = (this.histStart[member + 1] ?? 0) + 1;
        }
        g++;
      }
    }
    for (let i = 0; i < n; i++)
      this.histStart[i + 1] = (this.histStart[i + 1] ?? 0) + (this.histStart[i] ?? 0);
    const fill = this.histStart.slice(0, n);
    this.histList = new Int32Array(e);
    for (let k = 0; k < e; k++) {
      const member = who[k] ?? 0;
      const at = fill[member] ?? 0;
      fill[member] = at + 1;
      this.histList[at] = which[k] ?? 0;
    }
  }

  conflict(a: number, b: number): boolean {
    const end = this.confStart[a + 1] ?? 0;
    for (let k = this.confStart[a] ?? 0; k < end; k++) if (this.confList[k] === b) return true;
    return false;
  }

  /** The penalty for a and b meeting again (0 if they have not shared a circle within the window). */
  repeatPenalty(a: number, b: number): number {
    let i = this.histStart[a] ?? 0;
    const iEnd = this.histStart[a + 1] ?? 0;
    let j = this.histStart[b] ?? 0;
    const jEnd = this.histStart[b + 1] ?? 0;
    const list = this.histList;
    while (i < iEnd && j < jEnd) {
      const x = list[i] ?? 0;
      const y = list[j] ?? 0;
      if (x === y) return this.pastPenalty[x] ?? 0;
      if (x < y) i++;
      else j++;
    }
    return 0;
  }

  /** Whether a and b may share a circle at all (no conflict, and the same region when asked). */
  pairAllowed(a: number, b: number): boolean {
    if (this.sameRegion && this.region[a] !== this.region[b]) return false;
    return !this.conflict(a, b);
  }

  /** Shared half-hours of two members. */
  pairSlots(a: number, b: number): number {
    const m = this.masks;
    let count = 0;
    for (let w = 0; w < MASK_WORDS; w++) {
      count += popcount32((m[a * MASK_WORDS + w] ?? 0) & (m[b * MASK_WORDS + w] ?? 0));
    }
    return count;
  }

  /** Shared half-hours of the first `count` members listed. */
  sharedSlots(members: ArrayLike<number>, count: number, offset = 0): number {
    const m = this.masks;
    let total = 0;
    for (let w = 0; w < MASK_WORDS; w++) {
      let word = 0xffffffff;
      for (let i = 0; i < count; i++) word &= m[(members[offset + i] ?? 0) * MASK_WORDS + w] ?? 0;
      total += popcount32(word);
    }
    return total;
  }

  /** The mask of the members' shared time, in a scratch buffer (valid until the next call). */
  sharedMask(members: ArrayLike<number>, count: number, offset = 0): Uint32Array {
    const m = this.masks;
    for (let w = 0; w < MASK_WORDS; w++) {
      let word = 0xffffffff;
      for (let i = 0; i < count; i++) word &= m[(members[offset + i] ?? 0) * MASK_WORDS + w] ?? 0;
      this.scratch[w] = word;
    }
    return this.scratch;
  }

  /**
   * The objective of one circle: the first `count` entries of `members` from `offset`.
   * −Infinity when the circle breaks a hard rule.
   */
  circleScore(members: ArrayLike<number>, count: number, offset = 0): number {
    if (count < 3 || count > 5) return Number.NEGATIVE_INFINITY;
    const slots = this.sharedSlots(members, count, offset);
    if (slots < this.floorSlots) return Number.NEGATIVE_INFINITY;
    let score = slots / 2;
    if (slots < this.minSlots) {
      score -=
        WEIGHTS.lowOverlapCircle +
        Math.min(WEIGHTS.lowOverlapSlotCap, WEIGHTS.lowOverlapSlot * (this.minSlots - slots));
    }
    let offSize = 0;
    for (let i = 0; i < count; i++) {
      const a = members[offset + i] ?? 0;
      score += this.place[a] ?? 0;
      offSize += Math.abs(count - (this.pref[a] ?? count));
      for (let j = i + 1; j < count; j++) {
        const b = members[offset + j] ?? 0;
        if (this.region[a] === this.region[b]) {
          if (!this.sameRegion) score -= WEIGHTS.sameRegionPair;
        } else if (this.sameRegion) return Number.NEGATIVE_INFINITY;
        if (this.conflict(a, b)) return Number.NEGATIVE_INFINITY;
        score -= this.repeatPenalty(a, b);
      }
    }
    if (offSize > 0) score -= WEIGHTS.offSizeCircle + WEIGHTS.offSizeStep * offSize;
    return score;
  }

  /** The sum of the members' placement weights (the part of a circle's score that is about who is placed). */
  placeSum(members: ArrayLike<number>, count: number, offset = 0): number {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += this.place[members[offset + i] ?? 0] ?? 0;
    return sum;
  }
}

/** A growable list of symmetric pairs with a value each. */
class PairBuffer {
  a: Int32Array;
  b: Int32Array;
  v: Float64Array;
  length = 0;

  constructor(capacity: number) {
    this.a = new Int32Array(Math.max(16, capacity));
    this.b = new Int32Array(Math.max(16, capacity));
    this.v = new Float64Array(Math.max(16, capacity));
  }

  add(a: number, b: number, value: number): void {
    if (this.length + 2 > this.a.length) {
      const grow = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
        const next = make(old.length * 2);
        next.set(old);
        return next;
      };
      this.a = grow(this.a, (n) => new Int32Array(n));
      this.b = grow(this.b, (n) => new Int32Array(n));
      this.v = grow(this.v, (n) => new Float64Array(n));
    }
    this.a[this.length] = a;
    this.b[this.length] = b;
    this.v[this.length++] = value;
    this.a[this.length] = b;
    this.b[this.length] = a;
    this.v[this.length++] = value;
  }
}

/** Compressed sparse rows of the pairs, each row sorted and deduplicated (a duplicate keeps the larger value). */
function buildRows(
  n: number,
  pairs: PairBuffer,
): { start: Int32Array; list: Int32Array; values: Float64Array } {
  const start = new Int32Array(n + 1);
  const total = pairs.length;
  for (let k = 0; k < total; k++) start[(pairs.a[k] ?? 0) + 1] = (start[(pairs.a[k] ?? 0) + 1] ?? 0) + 1;
  for (let i = 0; i < n; i++) start[i + 1] = (start[i + 1] ?? 0) + (start[i] ?? 0);
  const fill = start.slice(0, n);
  const list = new Int32Array(total);
  const vals = new Float64Array(total);
  for (let k = 0; k < total; k++) {
    const row = pairs.a[k] ?? 0;
    const at = fill[row] ?? 0;
    fill[row] = at + 1;
    list[at] = pairs.b[k] ?? 0;
    vals[at] = pairs.v[k] ?? 0;
  }
  // Rows are short: insertion sort each, then drop duplicates.
  const outStart = new Int32Array(n + 1);
  let out = 0;
  for (let i = 0; i < n; i++) {
    const from = start[i] ?? 0;
    const to = start[i + 1] ?? 0;
    for (let x = from + 1; x < to; x++) {
      const key = list[x] ?? 0;
      const value = vals[x] ?? 0;
      let y = x - 1;
      while (y >= from && (list[y] ?? 0) > key) {
        list[y + 1] = list[y] ?? 0;
        vals[y + 1] = vals[y] ?? 0;
        y--;
      }
      list[y + 1] = key;
      vals[y + 1] = value;
    }
    outStart[i] = out;
    for (let x = from; x < to; x++) {
      if (out > (outStart[i] ?? 0) && list[out - 1] === list[x]) {
        vals[out - 1] = Math.max(vals[out - 1] ?? 0, vals[x] ?? 0);
        continue;
      }
      list[out] = list[x] ?? 0;
      vals[out] = vals[x] ?? 0;
      out++;
    }
  }
  outStart[n] = out;
  return { start: outStart, list: list.slice(0, out), values: vals.slice(0, out) };
}
