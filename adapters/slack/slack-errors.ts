import { webApi } from "@slack/bolt";
import { BotError, MemberUnreachableError, RateLimitedError } from "../../src/errors.js";
import type { MemberId } from "../../src/platform/chat-platform.js";

/**
 * Slack errors that mean this member cannot be reached by DM: they left or were
 * deactivated (their DM is then archived), or the id is another bot.
 */
const UNREACHABLE = new Set([
  "user_not_found",
  "user_not_visible",
  "user_disabled",
  "account_inactive",
  "cannot_dm_bot",
  "is_archived",
]);

/**
 * Turns a Web API failure into the core's errors: a 429 (never retried inside
 * the WebClient, see `rejectRateLimitedCalls`) into RateLimitedError with Slack's
 * wait, so the outbound queue delays the send; a member who can't be reached
 * into MemberUnreachableError when sending to `member`; anything else into
 * PLATFORM_FAILED with the original as cause.
 */
/** The `error` of a Web API answer `{ ok: false, error }`, or undefined for any other failure. */
export function slackErrorOf(error: unknown): string | undefined {
  const { code, data } = (error ?? {}) as { code?: unknown; data?: { error?: unknown } };
  if (code !== webApi.ErrorCode.PlatformError) return undefined;
  return typeof data?.error === "string" ? data.error : undefined;
}

export function toPlatformError(error: unknown, action: string, member?: MemberId): BotError {
  if (error instanceof BotError) return error;
  const { code } = (error ?? {}) as { code?: unknown };
  if (code === webApi.ErrorCode.RateLimitedError) {
    const { retryAfter } = error as { retryAfter?: unknown };
    const seconds = typeof retryAfter === "number" && retryAfter >= 0 ? retryAfter : 1;
    return new RateLimitedError("slack", seconds * 1000, { cause: error });
  }
  if (code === webApi.ErrorCode.PlatformError) {
    const slackError = String((error as { data?: { error?: unknown } }).data?.error ?? "unknown_error");
    if (member && UNREACHABLE.has(slackError)) {
      return new MemberUnreachableError(member, `slack ${slackError}`, { cause: error });
    }
    return new BotError("PLATFORM_FAILED", `slack ${action} failed: ${slackError}`, { cause: error });
  }
  return new BotError("PLATFORM_FAILED", `slack ${action} failed`, { cause: error });
}
