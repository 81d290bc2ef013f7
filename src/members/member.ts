import type { MemberId } from "../platform/chat-platform.js";
import type { Preferences } from "../schedule/preferences.js";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local clock times in the member's zone, `HH:MM`, start before end. */
export interface WorkingHours {
  readonly start: string;
  readonly end: string;
}

export type MemberRole = "peer-worker" | "coordinator";

export type MemberStatus =
  | { readonly state: "active" }
  /** `until` is a local date (YYYY-MM-DD) in the member's zone: they are back from that day. */
  | { readonly state: "paused"; readonly since: string; readonly until?: string };

export interface Member {
  readonly id: MemberId;
  readonly displayName: string;
  /** Free text, e.g. "Pilbara", "Wide Bay". */
  readonly region: string;
  /** A canonical IANA zone, e.g. "Australia/Perth". */
  readonly timeZone: string;
  /** In week order, at least one. */
  readonly workingDays: readonly Weekday[];
  readonly workingHours: WorkingHours;
  /** The only peer worker in their service or region. */
  readonly soleWorker: boolean;
  readonly role: MemberRole;
  readonly status: MemberStatus;
  /** ISO instant the member agreed to how their data is kept. */
  readonly consentedAt: string;
  readonly joinedAt: string;
  /** How often prompts and tips come; absent fields take the defaults. */
  readonly preferences?: Partial<Preferences>;
}

/** The settings a member chooses when joining or with `/peer set`. */
export type MemberSettings = Pick<
  Member,
  "region" | "timeZone" | "workingDays" | "workingHours" | "soleWorker"
>;
