import type { MemberId } from "../platform/chat-platform.js";

/** A button a typed answer stands for. */
export interface TypedAnswer {
  readonly actionId: string;
  readonly value?: string;
}

/**
 * The yes/no question last put to a member (consent, forget), so that typing
 * `yes` or `no` in their DM answers it like pressing the button. Kept in Redis
 * with a short expiry, so any process can take the answer; anything else the
 * member does first clears it.
 */
export interface AskedQuestions {
  ask(member: MemberId, answers: { readonly yes?: TypedAnswer; readonly no?: TypedAnswer }): Promise<void>;
  /** The answers of the question waiting, if one is (without taking it). */
  peek(member: MemberId): Promise<{ readonly yes?: TypedAnswer; readonly no?: TypedAnswer } | undefined>;
  /** Removes and returns the answer for `yes` or `no`, if a question is waiting. */
  take(member: MemberId, answer: "yes" | "no"): Promise<TypedAnswer | undefined>;
  clear(member: MemberId): Promise<void>;
}
