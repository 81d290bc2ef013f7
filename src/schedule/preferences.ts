import { UserInputError } from "../errors.js";
import type { Member, WorkingHours } from "../members/member.js";

export const PROMPT_CADENCES = ["daily", "weekly", "fortnightly", "off"] as const;
export type PromptCadence = (typeof PROMPT_CADENCES)[number];
export const TIP_CADENCES = ["weekly", "off"] as const;
export type TipCadence = (typeof TIP_CADENCES)[number];

/** How often a member hears from the bot. Stored on the member; absent fields take the defaults. */
export interface Preferences {
  readonly prompts: PromptCadence;
  /** Local `HH:MM` inside working hours; when unset, an hour before the end of the working day. */
  readonly promptTime?: string;
  readonly tips: TipCadence;
}

export const DEFAULT_PREFERENCES: Preferences = { prompts: "weekly", tips: "weekly" };

export function preferencesOf(member: Member): Preferences {
  return { ...DEFAULT_PREFERENCES, ...member.preferences };
}

export function toMinutes(time: string): number {
  const [hours, minutes] = time.split(":").map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

export function fromMinutes(total: number): string {
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}

/** The local time prompts arrive: the chosen time if it is inside working hours, else an hour before they end. */
export function promptMinutes(member: Member): number {
  const { start, end } = member.workingHours;
  const chosen = preferencesOf(member).promptTime;
  if (chosen && toMinutes(chosen) >= toMinutes(start) && toMinutes(chosen) < toMinutes(end))
    return toMinutes(chosen);
  return Math.max(toMinutes(start) + 15, toMinutes(end) - 60);
}

/** Tips arrive half an hour into the first working day of the week. */
export function tipMinutes(hours: WorkingHours): number {
  return Math.min(toMinutes(hours.start) + 30, toMinutes(hours.end) - 1);
}

export function parseCadence<T extends string>(raw: string, allowed: readonly T[], field: string): T {
  const value = raw.trim().toLowerCase();
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UserInputError(
    `${field} can be ${allowed.join(", ")} — not "${raw.trim()}".`,
    `/peer set ${field} ${allowed[1] ?? allowed[0]}`,
  );
}
