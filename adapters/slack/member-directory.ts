import type { webApi } from "@slack/bolt";
import { BotError } from "../../src/errors.js";
import type { Logger } from "../../src/logging/logger.js";
import type { MemberId } from "../../src/platform/chat-platform.js";
import type { MemberCache } from "../../src/platform/member-cache.js";
import { slackUserId } from "./member-ids.js";
import { toPlatformError } from "./slack-errors.js";

const DM_CHANNEL = "slackDm";
const DISPLAY_NAME = "slackName";

/**
 * A member's DM channel and display name, looked up on Slack once and then kept
 * in the MemberCache, so scheduled sends go straight to chat.postMessage.
 */
export class MemberDirectory {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly cache: MemberCache,
    private readonly logger: Logger,
  ) {}

  /** Records the DM channel an event came from (written each time, so it persists once they join). */
  async rememberDm(member: MemberId, channel: string): Promise<void> {
    await this.cache.set(member, DM_CHANNEL, channel);
  }

  async dmChannel(member: MemberId): Promise<string> {
    const cached = await this.cache.get(member, DM_CHANNEL);
    if (cached) return cached;
    let opened: webApi.ConversationsOpenResponse;
    try {
      opened = await this.client.conversations.open({ users: slackUserId(member) });
    } catch (error) {
      throw toPlatformError(error, "conversations.open", member);
    }
    const channel = opened.channel?.id;
    if (!channel) throw new BotError("PLATFORM_FAILED", "slack conversations.open returned no channel");
    await this.cache.set(member, DM_CHANNEL, channel);
    return channel;
  }

  /** Their Slack display name, or undefined if Slack won't say (the core then uses a fallback). */
  async displayName(member: MemberId): Promise<string | undefined> {
    const cached = await this.cache.get(member, DISPLAY_NAME);
    if (cached) return cached;
    try {
      const { user } = await this.client.users.info({ user: slackUserId(member) });
      const name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name;
      if (name) await this.cache.set(member, DISPLAY_NAME, name);
      return name || undefined;
    } catch (error) {
      this.logger.warn(
        { member, code: toPlatformError(error, "users.info").code },
        "could not look up a Slack display name",
      );
      return undefined;
    }
  }
}
