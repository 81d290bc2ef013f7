import { RateLimitedError } from "../../src/errors.js";
import type { Logger } from "../../src/logging/logger.js";
import { toPlatformError } from "./slack-errors.js";

/**
 * How long, in all, a lookup (conversations.open, users.info) keeps being tried again after 429s
 * before its error goes on: as long as a reply is retried (REPLY_RETRY_MS), since a welcome or a
 * reply waits on it.
 */
export const LOOKUP_RETRY_MS = 60_000;

/**
 * Runs a Web API lookup; after a 429 (the WebClient rejects rate-limited calls, see bolt-app.ts)
 * waits the Retry-After Slack gave and tries again, until `LOOKUP_RETRY_MS` would be passed. These
 * methods are on their own Slack tiers (conversations.open Tier 3, users.info Tier 4), not
 * chat.postMessage's, so they take no turns from the message pacer and a 429 on them does not
 * slow the messages down.
 */
export async function retryingRateLimits<T>(
  call: () => Promise<T>,
  method: string,
  logger: Logger,
  boundMs = LOOKUP_RETRY_MS,
): Promise<T> {
  let waited = 0;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      const limited = toPlatformError(error, method);
      if (!(limited instanceof RateLimitedError) || waited + limited.retryAfterMs > boundMs) throw error;
      logger.warn(
        { code: "RATE_LIMITED", platform: "slack", method, retryAfterMs: limited.retryAfterMs },
        "rate limited; trying the lookup again after the wait",
      );
      waited += limited.retryAfterMs;
      await new Promise((resolve) => setTimeout(resolve, limited.retryAfterMs));
    }
  }
}
