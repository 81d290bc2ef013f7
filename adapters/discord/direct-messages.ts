import { type REST, Routes } from "discord.js";
import { MemberUnreachableError } from "../../src/errors.js";
import type { MemberId, OutboundMessage } from "../../src/platform/chat-platform.js";
import type { MemberCache } from "../../src/platform/member-cache.js";
import { CLOSED_DMS, UNKNOWN_CHANNEL, discordErrorCode, toBotError } from "./discord-errors.js";
import { messageBodies } from "./message-bodies.js";

/** MemberCache names: the member's DM channel id, and when their DMs were found closed. */
export const DM_CHANNEL = "dm-channel";
export const UNREACHABLE = "unreachable";

export function userIdOf(member: MemberId): string {
  const match = /^discord:(\d+)$/.exec(member);
  if (!match?.[1]) throw new MemberUnreachableError(member, "not a Discord member id");
  return match[1];
}

/**
 * Sends into members' DMs. The DM channel id is cached so scheduled sends
 * don't open the channel again; a member whose DMs are closed is marked, and
 * not tried again until they next interact with the bot.
 */
export class DirectMessages {
  constructor(
    private readonly rest: REST,
    private readonly cache: MemberCache,
  ) {}

  /** The member did something: they can be reached again, and a DM channel they used is theirs. */
  async noteInbound(member: MemberId, dmChannelId: string | undefined): Promise<void> {
    await this.cache.delete(member, UNREACHABLE);
    if (dmChannelId && (await this.cache.get(member, DM_CHANNEL)) !== dmChannelId) {
      await this.cache.set(member, DM_CHANNEL, dmChannelId);
    }
  }

  async send(member: MemberId, message: OutboundMessage): Promise<void> {
    const userId = userIdOf(member);
    if ((await this.cache.get(member, UNREACHABLE)) !== null) {
      throw new MemberUnreachableError(
        member,
        "their direct messages were closed; waiting until they interact",
      );
    }
    try {
      const cached = await this.cache.get(member, DM_CHANNEL);
      try {
        await this.post(cached ?? (await this.openChannel(member, userId)), message);
      } catch (error) {
        // A cached channel can vanish; open a fresh one once.
        if (!cached || discordErrorCode(error) !== UNKNOWN_CHANNEL) throw error;
        await this.cache.delete(member, DM_CHANNEL);
        await this.post(await this.openChannel(member, userId), message);
      }
    } catch (error) {
      if (discordErrorCode(error) === CLOSED_DMS) {
        await this.cache.set(member, UNREACHABLE, new Date().toISOString());
        throw new MemberUnreachableError(member, "they don't accept direct messages from the bot", {
          cause: error,
        });
      }
      throw toBotError(error, "direct message");
    }
  }

  /** Posts into a channel the bot can write to (a DM or a shared channel). Errors are discord.js's own. */
  async post(channelId: string, message: OutboundMessage): Promise<void> {
    for (const body of messageBodies(message)) {
      await this.rest.post(Routes.channelMessages(channelId), {
        body: { ...body, allowed_mentions: { parse: [] } },
      });
    }
  }

  private async openChannel(member: MemberId, userId: string): Promise<string> {
    const channel = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
      id: string;
    };
    await this.cache.set(member, DM_CHANNEL, channel.id);
    return channel.id;
  }
}
