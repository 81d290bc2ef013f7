import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** The one Redis command the seen-set needs. */
export type SeenEventsRedis = Pick<Redis, "set">;

/** Long enough to outlast Slack's retries (three, within about half an hour). */
export const SEEN_EVENT_TTL_SECONDS = 60 * 60;

/**
 * How long a slash command's or interaction's trigger id is remembered. Bolt
 * and the screen accept a signed request only within five minutes either side
 * of its timestamp, so a replay can come at most ten minutes after the first
 * delivery; a minute more covers a clock that steps.
 */
export const SEEN_REQUEST_TTL_SECONDS = 11 * 60;

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

  /**
   * The key for a slash command or interaction, which carry no event id: the
   * workspace and the request's trigger id, which Slack makes new for every
   * command, button press and submission, hashed so the key is short and
   * holds nothing the sender chose.
   */
  requestKey(teamId: string, triggerId: string): string {
    const hash = createHash("sha256").update(`${teamId}\n${triggerId}`).digest("hex").slice(0, 40);
    return `${this.keyPrefix}slack:request:${hash}`;
  }

  /**
   * True for the first delivery of a command or interaction; false for a
   * replay of the same signed request (same trigger id) within the window a
   * signature is accepted in.
   */
  async claimRequest(teamId: string, triggerId: string): Promise<boolean> {
    const key = this.requestKey(teamId, triggerId);
    const set = await this.redis.set(key, "1", "EX", SEEN_REQUEST_TTL_SECONDS, "NX");
    return set === "OK";
  }
}
