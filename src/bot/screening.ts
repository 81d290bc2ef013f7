import type { Member } from "../members/member.js";
import type { InboundEvent, OutboundMessage } from "../platform/chat-platform.js";

/**
 * The safety screen every piece of free text passes before any feature sees it.
 * The core owns this seam; the safety feature (src/features/safety) fills it.
 */
export type ScreenOutcome = "own-risk" | "vicarious" | "none";

export interface ScreenResult {
  readonly outcome: ScreenOutcome;
  /** False when the words are often meant another way: support is offered all the same, more softly. */
  readonly sure: boolean;
}

export const NOTHING_FOUND: ScreenResult = { outcome: "none", sure: true };

/** What is known of where a person is, to choose support lines. Either may be missing. */
export interface Whereabouts {
  readonly timeZone?: string;
  readonly region?: string;
}

export interface SafetyScreen {
  /** Pure and fast (no I/O), so it can run before anything is read from Redis. */
  assess(text: string): ScreenResult;
  /** The private reply to someone who may be at risk, with support lines for where they are. */
  crisisReply(where: Whereabouts, sure: boolean): OutboundMessage;
  /** The warm reply to someone shaken by another person's crisis or worn down by the work. */
  debriefReply(where: Whereabouts): OutboundMessage;
}

/**
 * What features are told once the crisis reply has gone: the member's own
 * words, so that nothing they wrote is silently dropped. Never logged, never
 * put in a job.
 */
export interface HardMessage {
  readonly source: "message" | "form" | "command";
  /** The message or command text, or the form's fields joined. */
  readonly text: string;
  /** For a form: which form, and what was in each field. */
  readonly formId?: string;
  readonly values?: Readonly<Record<string, string>>;
}

/** Where someone is, as far as we know: their settings once they've joined, else what the platform says. */
export function whereaboutsOf(member: Member | null, event: InboundEvent): Whereabouts {
  if (member) return { timeZone: member.timeZone, region: member.region };
  return event.timeZone ? { timeZone: event.timeZone } : {};
}

/** The words a member typed into an event, for screening; empty for a button. */
export function freeTextOf(event: InboundEvent): string {
  switch (event.kind) {
    case "message":
    case "message-edited":
    case "command":
      return event.text;
    case "message-deleted":
      return "";
    case "form":
      return Object.values(event.values).join("\n");
    case "button":
      return "";
  }
}
