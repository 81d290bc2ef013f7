import type { Redis } from "ioredis";

/** The one Redis command the seen-set needs. */
export type SeenEventsRedis = Pick<Redis, "set">;

/** Long enough to outlast Slack's retries (three, within about half an hour). */
export const SEEN_EVENT_TTL_SECONDS = 60 * 60;

/**
 * Event ids Slack has already delivered, so a retry (`X-Slack-Retry-Num`) of an
 * event we handled has no second effect. The key holds an event id only, nothing
 * about a member, so it lives outside the member keys and simply expires.
 */
export class SeenEvents {
  constructor(
    private readonly redis: SeenEventsRedis,
    private readonly keyPrefix: string,
    private readonly ttlSeconds = SEEN_EVENT_TTL_SECONDS,
  ) {}

  key(eventId: string): string {
    return `${this.keyPrefix}slack:event:${eventId}`;
  }

  /** True for the first delivery of an event id; false for any repeat within the TTL. */
  async claim(eventId: string): Promise<boolean> {
    const set = await this.redis.set(this.key(eventId), "1", "EX", this.ttlSeconds, "NX");
    return set === "OK";
  }
}
