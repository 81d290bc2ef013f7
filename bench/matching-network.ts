/**
 * Synthetic peer-worker networks for the matching benchmark: a realistic mix of Australian and New Zealand
 * zones, part-time rosters of 2–5 days with varied hours, 30% sole workers, conflict pairs and rounds of
 * history. Seeded, so a run can be repeated.
 */
import { type Random, createRandom, shuffle } from "../src/features/circles/matching/prng.js";
import type { Candidate, MatchOptions } from "../src/features/circles/matching/types.js";
import { type Weekday, weekMask } from "../src/features/circles/matching/week-mask.js";

/** Monday 6 October 2025: Sydney, Melbourne and Hobart are a day into daylight saving, Auckland a week. */
export const BENCH_WEEK = new Date("2025-10-06T00:00:00Z");

const ZONES: readonly { zone: string; share: number; regions: readonly string[] }[] = [
  {
    zone: "Australia/Sydney",
    share: 0.28,
    regions: ["NSW Metro", "NSW Hunter", "NSW Western", "NSW Illawarra", "ACT"],
  },
  {
    zone: "Australia/Melbourne",
    share: 0.22,
    regions: ["VIC Metro", "VIC Gippsland", "VIC Loddon", "VIC Barwon"],
  },
  {
    zone: "Australia/Brisbane",
    share: 0.17,
    regions: ["QLD Metro", "QLD North", "QLD Central", "QLD Darling Downs"],
  },
  { zone: "Australia/Perth", share: 0.1, regions: ["WA Metro", "WA Kimberley", "WA Goldfields"] },
  { zone: "Australia/Adelaide", share: 0.07, regions: ["SA Metro", "SA Country"] },
  { zone: "Australia/Hobart", share: 0.03, regions: ["TAS South", "TAS North"] },
  { zone: "Australia/Darwin", share: 0.02, regions: ["NT Top End", "NT Central"] },
  {
    zone: "Pacific/Auckland",
    share: 0.11,
    regions: ["NZ Auckland", "NZ Waikato", "NZ Wellington", "NZ Canterbury"],
  },
];
const WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri"];
const STARTS = [
  "07:00",
  "07:30",
  "08:00",
  "08:30",
  "09:00",
  "09:00",
  "09:00",
  "09:30",
  "10:00",
  "12:00",
  "13:00",
];
const LENGTHS = [4, 5, 6, 7.5, 7.5, 8, 8, 10];

function pick<T>(items: readonly T[], random: Random): T {
  return items[random.int(items.length)] as T;
}

function addHours(start: string, hours: number): string {
  const [h, m] = start.split(":").map(Number) as [number, number];
  const total = Math.min(24 * 60, h * 60 + m + hours * 60);
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}

export interface Network {
  readonly candidates: Candidate[];
  readonly options: Omit<MatchOptions, "seed">;
  /** Milliseconds spent computing week masks (with the weekMask cache). */
  readonly maskMs: number;
  /** Zone of each candidate (for reporting). */
  readonly zones: Map<string, string>;
}

export interface NetworkSpec {
  readonly members: number;
  readonly seed: number;
  readonly soleShare?: number;
  /** Conflict pairs as a share of members (default 0.01: 1,000 pairs for 100,000 members). */
  readonly conflictsPerMember?: number;
  /** Conflict pairs as a share of all possible pairs (used for small networks instead, when given). */
  readonly conflictPairShare?: number;
  readonly historyRounds?: number;
}

export function makeNetwork(spec: NetworkSpec): Network {
  const random = createRandom(spec.seed);
  const n = spec.members;
  const candidates: Candidate[] = [];
  const zones = new Map<string, string>();
  const regionOf: string[] = [];
  const rosterKey: string[] = [];
  let maskMs = 0;
  const day = 24 * 60 * 60 * 1000;
  const now = BENCH_WEEK.getTime();
  for (let i = 0; i < n; i++) {
    let r = random.next();
    let zone = ZONES[0] as (typeof ZONES)[number];
    for (const z of ZONES) {
      zone = z;
      r -= z.share;
      if (r < 0) break;
    }
    const region = pick(zone.regions, random);
    const dayCount = [2, 3, 3, 4, 4, 5][random.int(6)] ?? 3;
    const pool: Weekday[] = random.next() < 0.1 ? [...WEEKDAYS, "sat", "sun"] : [...WEEKDAYS];
    const days = shuffle(pool, random).slice(0, dayCount);
    let start = pick(STARTS, random);
    let length = pick(LENGTHS, random);
    if (random.next() < 0.05) {
      start = "16:00";
      length = 6;
    }
    const roster = {
      timeZone: zone.zone,
      workingDays: days,
      workingHours: { start, end: addHours(start, length) },
    };
    const t0 = performance.now();
    const week = weekMask(roster, BENCH_WEEK);
    maskMs += performance.now() - t0;
    const id = `m${String(i).padStart(6, "0")}`;
    const never = random.next() < 0.1;
    const sizeDraw = random.next();
    const candidate: Candidate = {
      id,
      soleWorker: random.next() < (spec.soleShare ?? 0.3),
      lastPeerContact: never ? 0 : now - Math.floor(random.next() * 180 * day),
      region,
      week,
      ...(sizeDraw < 0.05 ? { size: 3 as const } : sizeDraw < 0.1 ? { size: 5 as const } : {}),
    };
    candidates.push(candidate);
    zones.set(id, zone.zone);
    regionOf.push(region);
    rosterKey.push(`${zone.zone}|${start}`);
  }

  // Conflicts: half coordinator pairs (same region), half members' own "not with" (anyone).
  const conflictCount =
    spec.conflictPairShare !== undefined
      ? Math.max(1, Math.round((spec.conflictPairShare * n * (n - 1)) / 2))
      : Math.max(1, Math.round((spec.conflictsPerMember ?? 0.01) * n));
  const byRegion = new Map<string, number[]>();
  regionOf.forEach((region, i) => {
    const list = byRegion.get(region) ?? [];
    list.push(i);
    byRegion.set(region, list);
  });
  const conflicts: [string, string][] = [];
  const seen = new Set<string>();
  for (let tries = 0; conflicts.length < conflictCount && tries < conflictCount * 20; tries++) {
    const a = random.int(n);
    const sameRegion = random.next() < 0.5 ? (byRegion.get(regionOf[a] ?? "") ?? []) : null;
    const b = sameRegion ? (sameRegion[random.int(sameRegion.length)] ?? a) : random.int(n);
    if (a === b) continue;
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    conflicts.push([candidates[a]?.id ?? "", candidates[b]?.id ?? ""]);
  }

  // History: past rounds grouped the way a coordinator would by hand, by zone and start time (so they collide
  // with the best new circles), 90% of members taking part in each.
  const history: string[][][] = [];
  for (let round = 0; round < (spec.historyRounds ?? 6); round++) {
    const present = candidates.map((_, i) => i).filter(() => random.next() < 0.9);
    const tie = new Map(present.map((i) => [i, random.next()]));
    present.sort((a, b) =>
      (rosterKey[a] ?? "") < (rosterKey[b] ?? "")
        ? -1
        : rosterKey[a] === rosterKey[b]
          ? (tie.get(a) ?? 0) - (tie.get(b) ?? 0)
          : 1,
    );
    const circles: string[][] = [];
    for (let k = 0; k + 4 <= present.length; k += 4) {
      circles.push(present.slice(k, k + 4).map((i) => candidates[i]?.id ?? ""));
    }
    history.push(circles);
  }
  return {
    candidates,
    options: { conflicts, history, size: 4, minOverlapHours: 2, repeatWindow: 6 },
    maskMs,
    zones,
  };
}
