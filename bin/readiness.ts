import type { Redis } from "ioredis";
import type { ChatPlatform } from "../src/platform/chat-platform.js";
import { within } from "../src/time/within.js";

export interface Readiness {
  readonly ready: boolean;
  /** What isn't ready: `redis`, and the names of platforms not connected. */
  readonly notReady: readonly string[];
}

/** How long /readyz waits for Redis's PONG. */
export const REDIS_PING_TIMEOUT_MS = 500;

/**
 * Ready when Redis answers a PING within `timeoutMs` and every platform says
 * it is connected (a platform without `connected()` counts as connected).
 */
export async function checkReadiness(
  redis: Redis,
  platforms: readonly ChatPlatform[],
  timeoutMs = REDIS_PING_TIMEOUT_MS,
): Promise<Readiness> {
  const notReady: string[] = [];
  // A client that isn't connected would hold the PING in its offline queue: not ready, without asking.
  const pong = redis.status === "ready" ? await within(redis.ping(), timeoutMs) : undefined;
  if (pong !== "PONG") notReady.push("redis");
  for (const platform of platforms) {
    if (platform.connected && !platform.connected()) notReady.push(platform.name);
  }
  return { ready: notReady.length === 0, notReady };
}
