import type { Responder } from "./chat-platform.js";

/**
 * Which queue a send waits in. Interactive replies (an answer to a command, a
 * consent, a welcome, an apology for an error) go ahead of scheduled sends
 * whenever both are waiting for a turn: a member is looking at the screen.
 */
export type SendLane = "reply" | "scheduled";

/** Why a reply to a member could not go out, for the `replyDropped` count. */
export type ReplyDropReason = "rate_limited" | "unreachable" | "failed";

/**
 * The pacing port, one per platform connection, shared by the adapter's reply
 * paths and the scheduler's outbound queue (so both take turns from one
 * pacer, shared through Redis by every process). Implemented in
 * `scheduler/paced-sends.ts`; adapters without one use `openGate`.
 */
export interface SendGate {
  /**
   * Runs one call to the platform (one message posted) when its turn comes.
   * After a RateLimitedError every sender is held back for the time the
   * platform asked and the call is tried again: a reply for a bounded time
   * (then the RateLimitedError is thrown), a scheduled send until it goes.
   */
  run<T>(lane: SendLane, call: () => Promise<T>): Promise<T>;
  /**
   * The platform answered 429 and its SDK sits the wait out itself (so the
   * call never fails): every sender is held back and the pace slows down.
   */
  rateLimited(retryAfterMs: number): void;
  /** A reply to a member that could not go out: counted and logged by its code, never its text. */
  replyDropped(error: unknown): void;
}

/** No pacing and no retries: the calls go straight through (the terminal chat, bare adapter tests). */
export const openGate: SendGate = {
  run: (_lane, call) => call(),
  rateLimited() {},
  replyDropped() {},
};

/** The reason a reply failed, from the error's code. */
export function dropReasonOf(error: unknown): ReplyDropReason {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "RATE_LIMITED") return "rate_limited";
  if (code === "MEMBER_UNREACHABLE") return "unreachable";
  return "failed";
}

/**
 * The responder, with every reply that finally fails reported to the gate
 * (counted, logged by code) before the error goes on to the core as before.
 */
export function reportingDrops(responder: Responder, gate: SendGate): Responder {
  const reply: Responder["reply"] = (message) =>
    responder.reply(message).catch((error: unknown) => {
      gate.replyDropped(error);
      throw error;
    });
  return responder.openForm
    ? { reply, openForm: (form) => responder.openForm?.(form) ?? Promise.resolve() }
    : { reply };
}
