import { type Channel, ChannelType, type REST, Routes, ThreadAutoArchiveDuration } from "discord.js";
import { ConfigError, MemberUnreachableError } from "../../src/errors.js";
import type { Logger } from "../../src/logging/logger.js";
import type { ConversationRef, MemberId } from "../../src/platform/chat-platform.js";
import { userIdOf } from "./direct-messages.js";
import { CLOSED_DMS, UNKNOWN_MEMBER, UNKNOWN_USER, discordErrorCode, toBotError } from "./discord-errors.js";

/** Discord's thread name limit. */
const MAX_THREAD_NAME = 100;

/** The environment variable the lead wires to `groupsChannelId`, named in the error when it is missing. */
export const GROUPS_CHANNEL_VARIABLE = "DISCORD_GROUPS_CHANNEL_ID";

/** A group as the core sees it: `discord:<thread id>`. */
export function groupRef(threadId: string): ConversationRef {
  return { kind: "group", id: `discord:${threadId}` };
}

/**
 * Groups on Discord are private threads (invitable: false, so only the bot and
 * moderators add people) in one configured text channel, each member added by
 * the bot. The threads the bot opened are known in memory, and after a restart
 * by what they are: a private thread in the groups channel that the bot owns.
 * discord.js learns those from the gateway (the guild's active threads when it
 * connects, and a thread's update when a message unarchives it).
 */
export class GroupThreads {
  private readonly opened = new Set<string>();

  constructor(
    private readonly rest: REST,
    private readonly channelId: string | undefined,
    private readonly logger: Logger,
  ) {}

  async open(members: readonly MemberId[], title: string): Promise<ConversationRef> {
    if (!this.channelId) {
      throw new ConfigError(
        GROUPS_CHANNEL_VARIABLE,
        "not set, and groups on Discord need it: the id of a text channel in the server where the bot " +
          "opens private threads (the bot needs View Channel, Create Private Threads and Send Messages in " +
          "Threads there, and members need View Channel)",
      );
    }
    // Checked before anything is created, so a bad id leaves nothing behind.
    const users = [...new Set(members)].map((member) => ({ member, userId: userIdOf(member) }));
    const name = title.trim().slice(0, MAX_THREAD_NAME) || "Peer group";
    let threadId: string;
    try {
      const thread = (await this.rest.post(Routes.threads(this.channelId), {
        body: {
          name,
          type: ChannelType.PrivateThread,
          invitable: false,
          // The longest Discord allows; a member's message brings an archived thread back anyway.
          auto_archive_duration: ThreadAutoArchiveDuration.OneWeek,
        },
      })) as { id: string };
      threadId = thread.id;
    } catch (error) {
      throw toBotError(error, "group open");
    }
    this.opened.add(threadId);
    for (const { member, userId } of users) {
      try {
        await this.rest.put(Routes.threadMembers(threadId, userId));
      } catch (error) {
        // Half a group is no group: remove the thread, so the core can try again without a stray one.
        await this.discard(threadId);
        const code = discordErrorCode(error);
        if (code === UNKNOWN_MEMBER || code === UNKNOWN_USER || code === CLOSED_DMS) {
          throw new MemberUnreachableError(member, "not in the server, so they can't be added to a group", {
            cause: error,
          });
        }
        throw toBotError(error, "group member add");
      }
    }
    return groupRef(threadId);
  }

  /** The group this channel is, if it is one the bot opened. */
  groupOf(channel: Channel | null, botUserId: string | undefined): ConversationRef | undefined {
    if (!channel?.isThread()) return undefined;
    if (this.opened.has(channel.id)) return groupRef(channel.id);
    const ours =
      this.channelId !== undefined &&
      channel.type === ChannelType.PrivateThread &&
      channel.parentId === this.channelId &&
      botUserId !== undefined &&
      channel.ownerId === botUserId;
    if (!ours) return undefined;
    this.opened.add(channel.id);
    return groupRef(channel.id);
  }

  private async discard(threadId: string): Promise<void> {
    this.opened.delete(threadId);
    try {
      await this.rest.delete(Routes.channel(threadId));
    } catch (error) {
      // Deleting a thread needs Manage Threads; without it the empty thread stays, unused.
      this.logger.warn(
        { code: toBotError(error, "group discard").code },
        "could not remove a half-opened group",
      );
    }
  }
}
