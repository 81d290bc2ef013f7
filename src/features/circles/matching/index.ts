export { countViolations, matchCircles } from "./matcher.js";
export type {
  Candidate,
  CircleSize,
  MatchOptions,
  MatchQuality,
  MatchResult,
  MatchedCircle,
  Relaxation,
  UnplacedReason,
} from "./matcher.js";
export { overlapHours, weekMask, type Roster, type WeekMask, type Weekday } from "./week-mask.js";
