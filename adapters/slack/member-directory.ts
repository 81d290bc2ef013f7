import type { webApi } from "@slack/bolt";
import { BotError } from "../../src/errors.js";
import type { Logger } from "../../src/logging/logger.js";
import type { MemberId } from "../../src/platform/chat-platform.js";
import type { MemberCache } from "../../src/platform/member-cache.js";
import { within } from "../../src/time/within.js";
import { retryingRateLimits } from "./lookup-retries.js";
import { slackUserId } from "./member-ids.js";
import { toPlatformError } from "./slack-errors.js";

const DM_CHANNEL = "slackDm";
const DISPLAY_NAME = "slackName";
const TIME_ZONE = "slackTz";

/**
 * How long an inbound event waits on the member cache (Redis) before going on
 * without it. A reply, above all the reply to someone who may be at risk, must
 * not wait for a slow Redis; what is missed is looked up on Slack or skipped.
 */
export const CACHE_WAIT_MS = 500;

/** What Slack tells us about a person, for the core's events. */
export interface SlackProfile {
  readonly displayName?: string;
  /** Slack's `tz`, an IANA zone. */
  readonly timeZone?: string;
}

/**
 * A member's DM channel, display name and time zone, looked up on Slack once
 * and then kept in the MemberCache, so scheduled sends go straight to
 * chat.postMessage. A lookup Slack answers with a 429 is tried again after the
 * wait it asks (see `retryingRateLimits`).
 */
export class MemberDirectory {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly cache: MemberCache,
    private readonly logger: Logger,
  ) {}

  /** Records the DM channel an event came from (written each time, so it persists once they join). */
  async rememberDm(member: MemberId, channel: string): Promise<void> {
    await within(this.keep(member, DM_CHANNEL, channel), CACHE_WAIT_MS);
  }

  async dmChannel(member: MemberId): Promise<string> {
    const cached = await within(this.cache.get(member, DM_CHANNEL), CACHE_WAIT_MS);
    if (cached) return cached;
    let opened: webApi.ConversationsOpenResponse;
    try {
      opened = await retryingRateLimits(
        () => this.client.conversations.open({ users: slackUserId(member) }),
        "conversations.open",
        this.logger,
      );
    } catch (error) {
      throw toPlatformError(error, "conversations.open", member);
    }
    const channel = opened.channel?.id;
    if (!channel) throw new BotError("PLATFORM_FAILED", "slack conversations.open returned no channel");
    void this.keep(member, DM_CHANNEL, channel);
    return channel;
  }

  /** Their Slack display name and time zone, as far as Slack will say (the core has fallbacks). */
  async profile(member: MemberId): Promise<SlackProfile> {
    const [name, zone] = (await within(
      Promise.all([this.cache.get(member, DISPLAY_NAME), this.cache.get(member, TIME_ZONE)]),
      CACHE_WAIT_MS,
    )) ?? [undefined, undefined];
    if (name) return { displayName: name, ...(zone ? { timeZone: zone } : {}) };
    try {
      const { user } = await retryingRateLimits(
        () => this.client.users.info({ user: slackUserId(member) }),
        "users.info",
        this.logger,
      );
      const displayName =
        user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name || undefined;
      const timeZone = user?.tz || undefined;
      if (displayName) void this.keep(member, DISPLAY_NAME, displayName);
      if (timeZone) void this.keep(member, TIME_ZONE, timeZone);
      return { ...(displayName ? { displayName } : {}), ...(timeZone ? { timeZone } : {}) };
    } catch (error) {
      this.logger.warn(
        { member, code: toPlatformError(error, "users.info").code },
        "could not look up a Slack profile",
      );
      return {};
    }
  }

  /** Writes to the cache; a failure is logged, never thrown into the event being handled. */
  private async keep(member: MemberId, field: string, value: string): Promise<void> {
    try {
      await this.cache.set(member, field, value);
    } catch (error) {
      this.logger.warn({ member, code: "REDIS_UNAVAILABLE", field }, "could not update the member cache");
    }
  }
}
