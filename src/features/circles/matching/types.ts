import type { WeekMask } from "./week-mask.js";

export type CircleSize = 3 | 4 | 5;

export interface Candidate {
  readonly id: string;
  readonly soleWorker: boolean;
  /** Epoch ms of the member's last peer contact; 0 = never. */
  readonly lastPeerContact: number;
  readonly region: string;
  readonly week: WeekMask;
  /** The circle size this member prefers; defaults to `MatchOptions.size`. */
  readonly size?: CircleSize;
}

export interface MatchOptions {
  readonly seed: number;
  /** Default 4. */
  readonly size?: CircleSize;
  /** Default 2. */
  readonly minOverlapHours?: number;
  /** The shared hours a circle may fall to when overlap has to be relaxed; default min(1, minOverlapHours). */
  readonly overlapFloorHours?: number;
  /** Default false: mix regions. */
  readonly sameRegion?: boolean;
  /** Hard: never in one circle (coordinator pairs and members' private "not with"). */
  readonly conflicts?: readonly (readonly [string, string])[];
  /** Past rounds, newest first: each round's circles as member-id lists. */
  readonly history?: readonly (readonly (readonly string[])[])[];
  /** Default 6 rounds. */
  readonly repeatWindow?: number;
  /** Local search budget (default 500). */
  readonly timeBudgetMs?: number;
}

export type Relaxation = "overlap" | "repeat-window" | "size";
export type UnplacedReason = "no-overlap" | "conflicts" | "too-few";

export interface MatchedCircle {
  readonly members: readonly string[];
  readonly overlapHours: number;
}

export interface MatchQuality {
  soleWorkersPlaced: number;
  soleWorkers: number;
  meanOverlapHours: number;
  minOverlapHours: number;
  repeatPairs: number;
  violations: number;
}

export interface MatchResult {
  readonly circles: readonly MatchedCircle[];
  readonly unplaced: readonly { readonly id: string; readonly reason: UnplacedReason }[];
  /** What had to be relaxed, in order, when a round was infeasible: "overlap", "repeat-window", "size". Never conflicts. */
  readonly relaxed: readonly Relaxation[];
  readonly quality: MatchQuality;
}
