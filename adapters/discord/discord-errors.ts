import { DiscordAPIError, RateLimitError } from "discord.js";
import { BotError, RateLimitedError } from "../../src/errors.js";

/** "Cannot send messages to this user": they closed DMs, blocked the bot or left every shared server. */
export const CLOSED_DMS = 50007;
/** "Unknown Channel": a cached DM channel id that no longer exists. */
export const UNKNOWN_CHANNEL = 10003;
/** "Unknown Message": a message already deleted (or never there). */
export const UNKNOWN_MESSAGE = 10008;
/** "Unknown Member" / "Unknown User": someone who is not in the server (or not on Discord), so can't be added to a thread. */
export const UNKNOWN_MEMBER = 10007;
export const UNKNOWN_USER = 10013;

export function discordErrorCode(error: unknown): number | undefined {
  return error instanceof DiscordAPIError && typeof error.code === "number" ? error.code : undefined;
}

/**
 * A failure from discord.js as one of our errors. REST sits out short rate
 * limits itself; it only rejects with RateLimitError for waits longer than
 * the adapter allows, and the caller (the outbound queue) retries later.
 */
export function toBotError(error: unknown, action: string): BotError {
  if (error instanceof BotError) return error;
  if (error instanceof RateLimitError) {
    return new RateLimitedError("discord", Math.ceil(error.retryAfter), { cause: error });
  }
  const detail =
    error instanceof DiscordAPIError ? ` (HTTP ${error.status}, Discord code ${String(error.code)})` : "";
  return new BotError("PLATFORM_FAILED", `discord ${action} failed${detail}`, { cause: error });
}
