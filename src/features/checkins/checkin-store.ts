import type { MemberId } from "../../platform/chat-platform.js";
import type { AttendanceRecord, Rsvp, Series } from "./series.js";

/** What the bot noted about one session (no one's words): its tally post, facilitator, who was expected. */
export interface SessionNote {
  /** The outbox id of the "who's coming" post in the session's space(s), one per space. */
  readonly tallyPosts?: readonly string[];
  readonly facilitator?: MemberId;
  /** Who was expected when the agenda went out. */
  readonly coming?: readonly MemberId[];
  /** Set once the agenda went out. */
  readonly agendaAt?: number;
}

/** Where a member is in answering the after-session questions, in their DM. */
export interface FollowUpStep {
  readonly seriesId: string;
  readonly original: number;
  readonly step: "minutes" | "takeaway";
}

/**
 * Everything the check-ins feature keeps. A member's supervision record and
 * follow-up state are theirs (under their own keys); series and sessions
 * hold member ids and no one's words, except an entry a member chose to
 * bring, which waits sealed until the session.
 */
export interface CheckinStore {
  series(id: string): Promise<Series | null>;
  /** Stores a new series and indexes it under everyone invited. */
  createSeries(series: Series): Promise<void>;
  /**
   * Changes a series atomically: `change` sees the latest and returns the
   * new one, or null to leave it. Retried when someone else changed it
   * meanwhile. Returns what was stored (null: gone, or left as it was).
   */
  updateSeries(id: string, change: (series: Series) => Series | null): Promise<Series | null>;
  /** The series a member was invited to (any state). */
  seriesOf(member: MemberId): Promise<Series[]>;
  allSeries(): Promise<Series[]>;

  /** Records a member's answer for one session; returns everyone's answers so far. */
  setRsvp(seriesId: string, original: number, member: MemberId, rsvp: Rsvp): Promise<Record<MemberId, Rsvp>>;
  rsvps(seriesId: string, original: number): Promise<Record<MemberId, Rsvp>>;
  /** Forgets everyone's answers for one session (it moved: they are asked again). */
  clearRsvps(seriesId: string, original: number): Promise<void>;
  sessionNote(seriesId: string, original: number): Promise<SessionNote>;
  /** Sets the given fields; returns false when `onlyIfAbsent` names a field already set (the note is then unchanged). */
  noteSession(
    seriesId: string,
    original: number,
    patch: SessionNote,
    onlyIfAbsent?: keyof SessionNote,
  ): Promise<boolean>;

  /** Adds or replaces the member's line for one session (the take-away is sealed at rest). */
  recordAttendance(member: MemberId, record: AttendanceRecord): Promise<void>;
  attendanceFor(member: MemberId, seriesId: string, original: number): Promise<AttendanceRecord | null>;
  /** The member's whole record, oldest session first. */
  attendance(member: MemberId): Promise<AttendanceRecord[]>;

  followUp(member: MemberId): Promise<FollowUpStep | null>;
  setFollowUp(member: MemberId, step: FollowUpStep | null): Promise<void>;

  /** Keeps, sealed, what a member approved to bring to a session (one entry: a second replaces the first). */
  bring(seriesId: string, original: number, member: MemberId, text: string): Promise<void>;
  /** What was brought to a session, and forgets it (it is posted once). */
  takeBrought(seriesId: string, original: number): Promise<Array<{ member: MemberId; text: string }>>;

  /** Takes the member out of every series, session and other member's record. */
  forget(member: MemberId): Promise<void>;
}
