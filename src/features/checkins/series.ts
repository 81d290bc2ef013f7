import type { Weekday } from "../../members/member.js";
import type { ConversationRef, MemberId } from "../../platform/chat-platform.js";

/**
 * When a series of check-ins meets: every N weeks on a weekday at a local
 * time in one zone (the proposer's, or the one they named), for a length.
 * Local wall-clock time is what recurs, so a session stays at 10:00 in its
 * zone through a daylight-saving change (and moves in UTC).
 */
export interface SeriesRule {
  readonly everyWeeks: number;
  readonly day: Weekday;
  /** `HH:MM`, 24-hour, in `timeZone`. */
  readonly time: string;
  readonly timeZone: string;
  readonly lengthMinutes: number;
  /** The local date (YYYY-MM-DD, in `timeZone`) of the first session; later ones follow every N weeks. */
  readonly firstDate: string;
}

/**
 * One session of a series. `original` is when the rule puts it (ms), and
 * names it for good; `start` is when it is (the same, unless it was moved).
 */
export interface Occurrence {
  readonly original: number;
  readonly start: number;
  readonly end: number;
}

/** One-off changes to single sessions: original start (ms, as a string key) → new start, or null (called off). */
export type Moves = Readonly<Record<string, number | null>>;

export type Answer = "invited" | "accepted" | "declined";

/** A participant's answer to a session's reminder. Absent: not answered yet. */
export type Rsvp = "coming" | "not-coming";

/** A recurring co-supervision check-in for two to five members. */
export interface Series {
  readonly id: string;
  readonly proposedBy: MemberId;
  readonly createdAt: string;
  readonly rule: SeriesRule;
  readonly moves: Moves;
  /** Everyone invited, in the order they were named, with their answer. */
  readonly people: Readonly<Record<MemberId, Answer>>;
  /** Set when the series is for a peer circle: its space is the circle's. */
  readonly circleId?: string;
  /**
   * draft: the proposer is choosing a time that suits everyone (nobody told yet);
   * proposed: invitations out, waiting for two acceptances; running: sessions are scheduled; ended.
   */
  readonly state: "draft" | "proposed" | "running" | "ended";
  /** Where sessions happen: a group per platform, or a member's DM when alone on theirs. */
  readonly spaces: readonly ConversationRef[];
  /** Who the spaces were opened for (a platform's space is opened again when this changes). */
  readonly spaceMembers: readonly MemberId[];
  /** Bumped on every change of time, so an updated calendar file replaces the last. */
  readonly sequence: number;
  /** Members who took a calendar file, and so get an updated one on a change. */
  readonly calendars: readonly MemberId[];
  /** How many sessions each member has facilitated. */
  readonly facilitated: Readonly<Record<MemberId, number>>;
}

/** What a member said happened, after a session. */
export type Happened = "yes" | "partly" | "no";

/** One line of a member's supervision record: theirs alone. */
export interface AttendanceRecord {
  readonly seriesId: string;
  /** The session's original start (its name). */
  readonly original: number;
  /** When it was held (ms). */
  readonly start: number;
  readonly happened: Happened;
  /** How long it ran, as they said (null: not said). */
  readonly minutes: number | null;
  /** Whether they were its facilitator. */
  readonly facilitated: boolean;
  /** The others expected there. */
  readonly with: readonly MemberId[];
  /** Their own take-away, if they wrote one (kept encrypted at rest). */
  readonly takeaway?: string;
  readonly recordedAt: string;
}

/** The people a time must suit: where they are and when they work. */
export interface Availability {
  readonly id: MemberId;
  readonly timeZone: string;
  readonly workingDays: readonly Weekday[];
  readonly workingHours: { readonly start: string; readonly end: string };
}
