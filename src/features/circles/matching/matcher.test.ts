import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Candidate, type MatchOptions, type MatchResult, matchCircles } from "./matcher.js";
import { type Weekday, overlapHours, weekMask } from "./week-mask.js";

const WEEK = new Date("2025-10-06T00:00:00Z");
const ZONES = [
  "Australia/Perth",
  "Australia/Brisbane",
  "Australia/Sydney",
  "Australia/Adelaide",
  "Pacific/Auckland",
];
const DAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat"];
const REGIONS = ["north", "south", "east", "west"];
const clock = (halfHours: number) =>
  `${String(Math.floor(halfHours / 2)).padStart(2, "0")}:${halfHours % 2 ? "30" : "00"}`;

interface Network {
  readonly candidates: Candidate[];
  readonly options: MatchOptions;
}

const rosterArb = fc.record({
  zone: fc.constantFrom(...ZONES),
  days: fc.subarray([...DAYS], { minLength: 1, maxLength: 4 }),
  start: fc.integer({ min: 14, max: 22 }),
  length: fc.integer({ min: 3, max: 16 }),
});

const memberArb = fc.record({
  roster: rosterArb,
  sole: fc.boolean(),
  last: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000_000 })),
  region: fc.constantFrom(...REGIONS),
  size: fc.option(fc.constantFrom(3 as const, 4 as const, 5 as const), { freq: 5 }),
});

/** Random networks: a few zones, part-time rosters, conflicts, history and, sometimes, same-region circles. */
function networkArb(maxMembers: number) {
  // "max" spreads sizes over the whole range, so the heuristic (over 16 members) is exercised as much as the exact path.
  return fc.array(memberArb, { minLength: 0, maxLength: maxMembers, size: "max" }).chain((members) => {
    const n = members.length;
    const id = fc.nat({ max: Math.max(0, n - 1) });
    return fc
      .record({
        conflicts:
          n > 1
            ? fc.array(fc.tuple(id, id), { maxLength: Math.ceil(n / 2) })
            : fc.constant<[number, number][]>([]),
        history:
          n > 1
            ? fc.array(
                fc.array(fc.uniqueArray(id, { minLength: 2, maxLength: 5 }), { maxLength: Math.ceil(n / 3) }),
                {
                  maxLength: 3,
                },
              )
            : fc.constant<number[][][]>([]),
        sameRegion: fc.integer({ min: 0, max: 3 }).map((k) => k === 0),
        minOverlapHours: fc.constantFrom(1, 2, 3),
        size: fc.constantFrom(3 as const, 4 as const, 5 as const, undefined),
        seed: fc.integer(),
        // Mostly a token budget (greedy and repair), sometimes enough for the local and exact searches to act.
        budget: fc.constantFrom(0, 5, 5, 40),
      })
      .map(({ conflicts, history, sameRegion, minOverlapHours, size, seed, budget }): Network => {
        const ids = members.map((_, i) => `p${String(i).padStart(2, "0")}`);
        const candidates = members.map(
          (m, i): Candidate => ({
            id: ids[i] ?? "",
            soleWorker: m.sole,
            lastPeerContact: m.last,
            region: m.region,
            week: weekMask(
              {
                timeZone: m.roster.zone,
                workingDays: m.roster.days,
                workingHours: { start: clock(m.roster.start), end: clock(m.roster.start + m.roster.length) },
              },
              WEEK,
            ),
            ...(m.size !== null ? { size: m.size } : {}),
          }),
        );
        return {
          candidates,
          options: {
            seed,
            minOverlapHours,
            sameRegion,
            ...(size ? { size } : {}),
            conflicts: conflicts.map(([a, b]) => [ids[a] ?? "", ids[b] ?? ""] as const),
            history: history.map((round) => round.map((circle) => circle.map((k) => ids[k] ?? ""))),
            timeBudgetMs: budget,
          },
        };
      });
  });
}

// ---- an independent model of the rules, for checking ----------------------------------------------------

function model(network: Network, result: MatchResult) {
  const { candidates, options } = network;
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const conflicts = new Set((options.conflicts ?? []).flatMap(([a, b]) => [`${a}|${b}`, `${b}|${a}`]));
  const minHours = options.minOverlapHours ?? 2;
  const floorHours = Math.min(1, minHours);
  const met = new Set<string>();
  for (const round of (options.history ?? []).slice(0, options.repeatWindow ?? 6)) {
    for (const circle of round)
      for (const a of circle) for (const b of circle) if (a !== b) met.add(`${a}|${b}`);
  }
  const get = (id: string) => byId.get(id) as Candidate;
  /** A group that may be a circle at all: 3–5, no conflict, one region if asked, shared time ≥ the floor. */
  const valid = (ids: readonly string[]) => {
    if (ids.length < 3 || ids.length > 5) return false;
    for (const a of ids) {
      for (const b of ids) {
        if (a === b) continue;
        if (conflicts.has(`${a}|${b}`)) return false;
        if (options.sameRegion && get(a).region !== get(b).region) return false;
      }
    }
    return overlapHours(ids.map((id) => get(id).week)) >= floorHours;
  };
  const repeats = (ids: readonly string[]) => {
    let count = 0;
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) if (met.has(`${ids[i]}|${ids[j]}`)) count++;
    }
    return count;
  };
  const sizeSteps = (ids: readonly string[]) =>
    ids.reduce((sum, id) => sum + Math.abs(ids.length - (get(id).size ?? options.size ?? 4)), 0);
  const placed = new Set(result.circles.flatMap((c) => c.members));
  return { get, valid, repeats, sizeSteps, placed, conflicts, minHours, floorHours };
}

function checkRules(network: Network, result: MatchResult): void {
  const { candidates, options } = network;
  const m = model(network, result);
  // Every candidate exactly once, placed or unplaced.
  const listed = [...result.circles.flatMap((c) => c.members), ...result.unplaced.map((u) => u.id)].sort();
  expect(listed).toEqual(candidates.map((c) => c.id).sort());
  for (const circle of result.circles) {
    // Sizes 3–5; no conflict pair; one region when asked.
    expect(circle.members.length).toBeGreaterThanOrEqual(3);
    expect(circle.members.length).toBeLessThanOrEqual(5);
    for (const a of circle.members) {
      for (const b of circle.members) if (a !== b) expect(m.conflicts.has(`${a}|${b}`)).toBe(false);
      if (options.sameRegion) expect(m.get(a).region).toBe(m.get(circle.members[0] ?? "").region);
    }
    // The overlap minimum, unless overlap was relaxed (and then never below the floor).
    const hours = overlapHours(circle.members.map((id) => m.get(id).week));
    expect(circle.overlapHours).toBe(hours);
    const required = result.relaxed.includes("overlap") ? m.floorHours : m.minHours;
    expect(hours).toBeGreaterThanOrEqual(Math.ceil(required * 2) / 2);
    if (hours < m.minHours) expect(result.relaxed).toContain("overlap");
    if (m.repeats(circle.members) > 0) expect(result.relaxed).toContain("repeat-window");
  }
  // Relaxations only in the fixed order, never conflicts.
  const order = ["overlap", "repeat-window", "size"];
  expect(result.relaxed).toEqual(order.filter((r) => result.relaxed.includes(r as never)));
  expect(result.quality.violations).toBe(0);
  expect(result.quality.soleWorkers).toBe(candidates.filter((c) => c.soleWorker).length);
  expect(result.quality.soleWorkersPlaced).toBe(
    candidates.filter((c) => c.soleWorker && m.placed.has(c.id)).length,
  );
}

/**
 * Isolation first, stated precisely. For every unplaced member u (sole or not), with "valid" meaning 3–5
 * members, no conflict, one region when asked, and shared time at least the overlap floor:
 *  - no circle of fewer than five stays valid with u added (a free seat would place u);
 *  - no three unplaced members including u form a valid circle;
 * and if u is a sole worker:
 *  - no circle stays valid with u in place of one of its non-sole members (such a swap would place u).
 */
function checkIsolationFirst(network: Network, result: MatchResult, trios = true): void {
  const m = model(network, result);
  const out = result.unplaced.map((u) => u.id);
  for (const u of out) {
    for (const circle of result.circles) {
      if (circle.members.length < 5)
        expect(m.valid([...circle.members, u]), `${u} fits ${circle.members}`).toBe(false);
      if (!m.get(u).soleWorker) continue;
      for (const x of circle.members) {
        if (m.get(x).soleWorker) continue;
        const swapped = [...circle.members.filter((y) => y !== x), u];
        expect(m.valid(swapped), `sole ${u} could replace ${x} in ${circle.members}`).toBe(false);
      }
    }
    if (!trios) continue;
    for (const a of out) {
      for (const b of out) {
        if (u < a && a < b) expect(m.valid([u, a, b]), `${u}, ${a}, ${b} could meet`).toBe(false);
      }
    }
  }
}

/** The stated reason for each unplaced member, checked against all trios in the network. */
function checkReasons(network: Network, result: MatchResult): void {
  const m = model(network, result);
  const all = network.candidates.map((c) => c.id);
  for (const { id, reason } of result.unplaced) {
    // With sameRegion, each region is matched on its own.
    const ids = network.options.sameRegion ? all.filter((x) => m.get(x).region === m.get(id).region) : all;
    let overlapping = false;
    let clean = false;
    for (const a of ids) {
      for (const b of ids) {
        if (a >= b || a === id || b === id) continue;
        const trio = [id, a, b];
        if (overlapHours(trio.map((x) => m.get(x).week)) < m.floorHours) continue;
        overlapping = true;
        if (m.valid(trio)) clean = true;
      }
    }
    const expected =
      ids.length < 3 ? "too-few" : !overlapping ? "no-overlap" : clean ? "too-few" : "conflicts";
    expect(reason, id).toBe(expected);
  }
}

// ---- brute force, for small networks -------------------------------------------------------------------

/** Every arrangement of valid circles (the rest unplaced) of a network of at most ~10 members. */
function* arrangements(ids: readonly string[], valid: (group: string[]) => boolean): Generator<string[][]> {
  if (ids.length === 0) {
    yield [];
    return;
  }
  const [first, ...rest] = ids as [string, ...string[]];
  for (const arrangement of arrangements(rest, valid)) yield arrangement;
  const pick = function* (from: number, group: string[]): Generator<string[]> {
    if (group.length >= 3 && valid(group)) yield [...group];
    if (group.length === 5) return;
    for (let i = from; i < rest.length; i++) yield* pick(i + 1, [...group, rest[i] as string]);
  };
  for (const group of pick(0, [first])) {
    const remaining = rest.filter((id) => !group.includes(id));
    for (const arrangement of arrangements(remaining, valid)) yield [group, ...arrangement];
  }
}

describe("matchCircles: properties over random networks", () => {
  it("keeps every hard rule, lists everyone once, and relaxes only in order", () => {
    fc.assert(
      fc.property(networkArb(40), (network) => {
        checkRules(network, matchCircles(network.candidates, network.options));
      }),
      { numRuns: 120 },
    );
  });

  it("puts isolation first: no free seat, trio or sole-worker swap is left unused, and reasons are true", () => {
    fc.assert(
      fc.property(networkArb(30), (network) => {
        const result = matchCircles(network.candidates, network.options);
        checkIsolationFirst(network, result);
        checkReasons(network, result);
      }),
      { numRuns: 120 },
    );
  });

  it("is deterministic for a seed, whatever the order of the candidates", () => {
    fc.assert(
      fc.property(networkArb(40), fc.integer(), (network, shuffleSeed) => {
        const once = matchCircles(network.candidates, network.options);
        const again = matchCircles(network.candidates, network.options);
        expect(again).toEqual(once);
        const shuffled = [...network.candidates].sort(
          (a, b) =>
            ((a.id.charCodeAt(2) * 31 + shuffleSeed) % 7) - ((b.id.charCodeAt(2) * 31 + shuffleSeed) % 7),
        );
        expect(matchCircles(shuffled, network.options)).toEqual(once);
      }),
      { numRuns: 40 },
    );
  });

  it("on small networks, places as many sole workers, then members, as any arrangement can", () => {
    fc.assert(
      fc.property(networkArb(9), (network) => {
        const result = matchCircles(network.candidates, network.options);
        const m = model(network, result);
        const ids = network.candidates.map((c) => c.id);
        let best = [0, 0];
        for (const arrangement of arrangements(ids, m.valid)) {
          const placed = arrangement.flat();
          const [sole, all] = [placed.filter((id) => m.get(id).soleWorker).length, placed.length];
          const [bestSole, bestAll] = best as [number, number];
          if (sole > bestSole || (sole === bestSole && all > bestAll)) best = [sole, all];
        }
        expect([result.quality.soleWorkersPlaced, m.placed.size]).toEqual(best);
      }),
      { numRuns: 80 },
    );
  });

  it("on small networks, avoids repeats whenever a repeat-free arrangement of the same members exists", () => {
    // Precisely: if the members we placed could be arranged with no pair who met in the window, without more
    // size relaxation than we used (members' steps away from their preferred size), we repeat no pair.
    fc.assert(
      fc.property(networkArb(9), (network) => {
        const result = matchCircles(network.candidates, network.options);
        const m = model(network, result);
        const ours = result.circles.map((c) => c.members);
        const ourRepeats = ours.reduce((sum, c) => sum + m.repeats(c), 0);
        expect(result.quality.repeatPairs).toBe(ourRepeats);
        if (ourRepeats === 0) return;
        const ourSteps = ours.reduce((sum, c) => sum + m.sizeSteps(c), 0);
        const ourOffSize = ours.filter((c) => m.sizeSteps(c) > 0).length;
        const placed = [...m.placed].sort();
        for (const arrangement of arrangements(placed, m.valid)) {
          if (arrangement.flat().length !== placed.length) continue;
          if (arrangement.some((c) => m.repeats(c) > 0)) continue;
          const steps = arrangement.reduce((sum, c) => sum + m.sizeSteps(c), 0);
          const offSize = arrangement.filter((c) => m.sizeSteps(c) > 0).length;
          expect(
            steps > ourSteps || offSize > ourOffSize,
            `repeat-free: ${JSON.stringify(arrangement)}`,
          ).toBe(true);
        }
      }),
      { numRuns: 80 },
    );
  });
});

describe("matchCircles: examples", () => {
  const nineToFive = { start: "09:00", end: "17:00" };
  const member = (id: string, zone: string, extra: Partial<Candidate> = {}): Candidate => ({
    id,
    soleWorker: false,
    lastPeerContact: 1,
    region: id,
    week: weekMask({ timeZone: zone, workingDays: ["mon", "tue", "wed"], workingHours: nineToFive }, WEEK),
    ...extra,
  });

  it("forms circles across regions and reports too few people", () => {
    const result = matchCircles([member("a", "Australia/Sydney"), member("b", "Australia/Sydney")], {
      seed: 1,
    });
    expect(result.circles).toEqual([]);
    expect(result.unplaced).toEqual([
      { id: "a", reason: "too-few" },
      { id: "b", reason: "too-few" },
    ]);
  });

  it("never relaxes a conflict: conflicting members stay out with the reason", () => {
    const people = ["a", "b", "c"].map((id) => member(id, "Australia/Brisbane"));
    const result = matchCircles(people, { seed: 1, conflicts: [["a", "b"]] });
    expect(result.circles).toEqual([]);
    expect(result.unplaced.map((u) => u.reason)).toEqual(["conflicts", "conflicts", "conflicts"]);
  });

  it("reports no-overlap for someone who shares no working time", () => {
    const people = [
      ...["a", "b", "c"].map((id) => member(id, "Australia/Brisbane")),
      {
        ...member("night", "Australia/Brisbane"),
        week: weekMask(
          { timeZone: "Australia/Brisbane", workingDays: ["sat"], workingHours: nineToFive },
          WEEK,
        ),
      },
    ];
    const result = matchCircles(people, { seed: 1 });
    expect(result.circles.map((c) => c.members)).toEqual([["a", "b", "c"]]);
    expect(result.unplaced).toEqual([{ id: "night", reason: "no-overlap" }]);
    expect(result.relaxed).toEqual(["size"]);
  });

  it("relaxes overlap before repeats, and says so", () => {
    // Perth, Brisbane and Auckland 9–5 share 3 h a day; a 4 h minimum can only be met by relaxing it.
    const people = [
      member("perth", "Australia/Perth"),
      member("brisbane", "Australia/Brisbane"),
      member("auckland", "Pacific/Auckland"),
    ];
    const result = matchCircles(people, { seed: 1, size: 3, minOverlapHours: 10, overlapFloorHours: 1 });
    expect(result.circles).toEqual([{ members: ["auckland", "brisbane", "perth"], overlapHours: 9 }]);
    expect(result.relaxed).toEqual(["overlap"]);
    const sameAgain = matchCircles(people, {
      seed: 1,
      size: 3,
      history: [[["auckland", "brisbane", "perth"]]],
    });
    expect(sameAgain.relaxed).toEqual(["repeat-window"]);
    expect(sameAgain.quality.repeatPairs).toBe(3);
  });

  it("prefers new partners to repeats and mixes regions", () => {
    const groups = [
      ["a", "b", "c"],
      ["d", "e", "f"],
      ["g", "h", "i"],
    ];
    const regionOf = (id: string) => `r${groups.findIndex((g) => g.includes(id))}`;
    const people = groups.flat().map((id) => member(id, "Australia/Sydney", { region: regionOf(id) }));
    const result = matchCircles(people, { seed: 3, size: 3, history: [groups] });
    expect(result.quality.repeatPairs).toBe(0);
    expect(result.relaxed).toEqual([]);
    expect(result.circles).toHaveLength(3);
    for (const circle of result.circles) expect(new Set(circle.members.map(regionOf)).size).toBe(3);
  });

  it("places a sole worker ahead of others when only one more can join", () => {
    const people = [
      ...["a", "b", "c", "d", "e"].map((id) => member(id, "Australia/Melbourne")),
      member("sole", "Australia/Melbourne", { soleWorker: true, lastPeerContact: 5 }),
    ];
    // "sole" conflicts with a, b and c: only a circle with d and e can take it, leaving one other out.
    const result = matchCircles(people, {
      seed: 1,
      size: 5,
      conflicts: [
        ["sole", "a"],
        ["sole", "b"],
        ["sole", "c"],
        ["d", "a"],
        ["e", "a"],
        ["d", "b"],
        ["e", "b"],
      ],
    });
    expect(result.quality.soleWorkersPlaced).toBe(1);
  });

  it("handles a network of 2,000 within its budget and keeps the rules", () => {
    const zones = ["Australia/Perth", "Australia/Brisbane", "Australia/Sydney", "Pacific/Auckland"];
    const candidates: Candidate[] = Array.from({ length: 2000 }, (_, i) => ({
      id: `m${i}`,
      soleWorker: i % 3 === 0,
      lastPeerContact: i % 10 === 0 ? 0 : 1_000 + i,
      region: `r${i % 17}`,
      week: weekMask(
        {
          timeZone: zones[i % 4] ?? "UTC",
          workingDays: (["mon", "tue", "wed", "thu", "fri"] as const).filter((_, d) => (i >> d) % 3 !== 0),
          workingHours: { start: clock(14 + (i % 7)), end: clock(28 + (i % 11)) },
        },
        WEEK,
      ),
    }));
    const options = { seed: 9, timeBudgetMs: 50, conflicts: [["m1", "m2"] as const] };
    const result = matchCircles(candidates, options);
    checkRules({ candidates, options }, result);
    checkIsolationFirst({ candidates, options }, result, false);
    expect(result.quality.soleWorkersPlaced).toBeGreaterThan(0.9 * result.quality.soleWorkers);
  });

  it("rejects a bad size or seed and duplicate ids", () => {
    const a = member("a", "Australia/Perth");
    expect(() => matchCircles([a], { seed: Number.NaN })).toThrow(RangeError);
    expect(() => matchCircles([a], { seed: 1, size: 6 as never })).toThrow(RangeError);
    expect(() => matchCircles([a, a], { seed: 1 })).toThrow(RangeError);
  });
});

describe("the matching folder", () => {
  it("imports only its own modules, luxon, and (in tests) node, vitest and fast-check", () => {
    const folder = import.meta.dirname;
    for (const file of readdirSync(folder).filter((f) => f.endsWith(".ts"))) {
      const source = readFileSync(join(folder, file), "utf8");
      const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map(
        (match) => match[1] ?? "",
      );
      const allowed = file.endsWith(".test.ts")
        ? /^(\.\/[\w.-]+\.js|luxon|vitest|fast-check|node:[\w/]+)$/
        : /^(\.\/[\w.-]+\.js|luxon)$/;
      for (const specifier of specifiers) expect(specifier, `${file} imports ${specifier}`).toMatch(allowed);
    }
  });
});
