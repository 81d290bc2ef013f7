import { createHash } from "node:crypto";
import { type REST, RateLimitError, Routes } from "discord.js";
import { MemberUnreachableError } from "../../src/errors.js";
import type { MemberId, OutboundMessage } from "../../src/platform/chat-platform.js";
import type { MemberCache } from "../../src/platform/member-cache.js";
import { type SendGate, type SendLane, openGate } from "../../src/platform/send-gate.js";
import {
  CLOSED_DMS,
  UNKNOWN_CHANNEL,
  UNKNOWN_MESSAGE,
  discordErrorCode,
  toBotError,
} from "./discord-errors.js";
import { editBody, fileUploads, messageBodies } from "./message-bodies.js";

/** How many posts sent in parts are remembered, so deleting one deletes every part. */
const REMEMBERED_SPLITS = 500;

/** MemberCache names: the member's DM channel id, and when their DMs were found closed. */
export const DM_CHANNEL = "dm-channel";
export const UNREACHABLE = "unreachable";

/**
 * The nonce of one part of a scheduled send: derived from the send id (25 characters, Discord's
 * limit), so a second post of the same send carries the same nonce and, with `enforce_nonce`,
 * Discord returns the message the first created instead of posting again (for a few minutes).
 */
export function nonceOf(sendId: string, part: number): string {
  return createHash("sha256").update(`${sendId}#${part}`).digest("hex").slice(0, 25);
}

/** A message posted, and whether Discord returned one an earlier post with the same nonce made. */
export interface Posted {
  readonly id: string;
  readonly repeated: boolean;
}

export function userIdOf(member: MemberId): string {
  const match = /^discord:(\d+)$/.exec(member);
  if (!match?.[1]) throw new MemberUnreachableError(member, "not a Discord member id");
  return match[1];
}

/**
 * Sends into members' DMs, and into any channel the bot can write to. The DM
 * channel id is cached so scheduled sends don't open the channel again; a
 * member whose DMs are closed is marked, and not tried again until they next
 * interact with the bot.
 */
export class DirectMessages {
  /** `<channel id>/<last part id>` → the earlier parts of a post sent in several messages, oldest first. */
  private readonly earlierParts = new Map<string, string[]>();

  constructor(
    private readonly rest: REST,
    private readonly cache: MemberCache,
    private readonly gate: SendGate = openGate,
  ) {}

  /** The member did something: they can be reached again, and a DM channel they used is theirs. */
  async noteInbound(member: MemberId, dmChannelId: string | undefined): Promise<void> {
    await this.cache.delete(member, UNREACHABLE);
    if (dmChannelId && (await this.cache.get(member, DM_CHANNEL)) !== dmChannelId) {
      await this.cache.set(member, DM_CHANNEL, dmChannelId);
    }
  }

  /**
   * Sends into the member's DM; resolves with the id of the (last) message posted. With a
   * `lane` (a reply), each part takes a turn from the platform's pacer (see `post`).
   */
  async send(member: MemberId, message: OutboundMessage, lane?: SendLane): Promise<string> {
    if ((await this.cache.get(member, UNREACHABLE)) !== null) {
      throw new MemberUnreachableError(
        member,
        "their direct messages were closed; waiting until they interact",
      );
    }
    return this.inDm(member, "direct message", (channelId) => this.post(channelId, message, lane));
  }

  /** Sends one scheduled send into the member's DM, with its nonce (see `postOnce`). */
  async sendOnce(member: MemberId, message: OutboundMessage, sendId: string, paced = false): Promise<Posted> {
    if ((await this.cache.get(member, UNREACHABLE)) !== null) {
      throw new MemberUnreachableError(
        member,
        "their direct messages were closed; waiting until they interact",
      );
    }
    return this.inDm(member, "direct message", (channelId) =>
      this.postOnce(channelId, message, sendId, paced),
    );
  }

  /** Replaces a message the bot posted in the member's DM. */
  edit(member: MemberId, messageId: string, replacement: OutboundMessage): Promise<void> {
    return this.inDm(member, "direct message edit", (channelId) =>
      this.editIn(channelId, messageId, replacement),
    );
  }

  /** Deletes a message the bot posted in the member's DM; one already gone is not an error. */
  delete(member: MemberId, messageId: string): Promise<void> {
    return this.inDm(member, "direct message delete", (channelId) => this.deleteIn(channelId, messageId));
  }

  /**
   * Posts into a channel the bot can write to (a DM, a thread or a shared
   * channel). Text too long for one message goes in parts, the buttons and
   * files with the last; resolves with the last part's id (the earlier parts
   * are remembered, in this process, for `deleteIn`). Errors are discord.js's own, but for a
   * rate limit longer than the adapter sits out, which is RateLimitedError. With a `lane` (a
   * reply), each part takes its own turn from the platform's pacer and is retried alone after such
   * a rate limit, so no part goes twice. Scheduled sends have none: the outbound queue paces them.
   */
  async post(channelId: string, message: OutboundMessage, lane?: SendLane): Promise<string> {
    return (await this.postParts(channelId, message, undefined, lane)).id;
  }

  /**
   * Posts one scheduled send as `post` does, each part with a nonce derived from `sendId` and
   * `enforce_nonce`: a second post of the same send within Discord's window (a few minutes) is
   * answered with the message the first created. `repeated` says so: the message returned was
   * created before this post began (by Discord's timestamp against this machine's clock). A
   * repeat discord.js itself makes after a dropped connection is stopped the same way but not
   * seen as one. `paced`: the caller took the first part's turn from the platform's pacer; each
   * further part takes its own in the scheduled lane.
   */
  postOnce(channelId: string, message: OutboundMessage, sendId: string, paced = false): Promise<Posted> {
    return this.postParts(channelId, message, sendId, paced ? "scheduled" : undefined, paced);
  }

  private async postParts(
    channelId: string,
    message: OutboundMessage,
    sendId?: string,
    lane?: SendLane,
    /** The first part's turn was taken by the caller (a paced scheduled send). */
    firstTaken = false,
  ): Promise<Posted> {
    const started = Date.now();
    let repeated = false;
    const bodies = messageBodies(message);
    const uploads = message.files && message.files.length > 0 ? fileUploads(message.files) : undefined;
    const ids: string[] = [];
    for (const [i, body] of bodies.entries()) {
      const withFiles = uploads && i === bodies.length - 1 ? uploads : undefined;
      const postOne = () =>
        this.rest
          .post(Routes.channelMessages(channelId), {
            body: {
              ...body,
              allowed_mentions: { parse: [] },
              ...(withFiles ? { attachments: withFiles.attachments } : {}),
              ...(sendId === undefined ? {} : { nonce: nonceOf(sendId, i), enforce_nonce: true }),
            },
            ...(withFiles ? { files: withFiles.files } : {}),
          })
          .catch((error: unknown) => {
            throw error instanceof RateLimitError ? toBotError(error, "post") : error;
          });
      const ownTurn = lane !== undefined && !(firstTaken && i === 0);
      const posted = (await (ownTurn ? this.gate.run(lane, postOne) : postOne())) as {
        id: string;
        timestamp?: string;
      };
      ids.push(posted.id);
      repeated = sendId !== undefined && Date.parse(posted.timestamp ?? "") < started;
    }
    const last = ids.pop() ?? "";
    if (ids.length > 0) {
      this.earlierParts.set(`${channelId}/${last}`, ids);
      const oldest = this.earlierParts.keys().next();
      if (this.earlierParts.size > REMEMBERED_SPLITS && !oldest.done) this.earlierParts.delete(oldest.value);
    }
    return { id: last, repeated };
  }

  /**
   * Deletes a message the bot posted in a channel, with the earlier parts of a
   * post sent in several (when this process sent it). A message already gone
   * (Unknown Message) is not an error; other errors are discord.js's own.
   */
  async deleteIn(channelId: string, messageId: string): Promise<void> {
    const key = `${channelId}/${messageId}`;
    for (const id of [...(this.earlierParts.get(key) ?? []), messageId]) {
      try {
        await this.rest.delete(Routes.channelMessage(channelId, id));
      } catch (error) {
        if (discordErrorCode(error) !== UNKNOWN_MESSAGE) throw error;
      }
    }
    this.earlierParts.delete(key);
  }

  /** Replaces the text and buttons of a message in a channel. Errors are discord.js's own. */
  async editIn(channelId: string, messageId: string, replacement: OutboundMessage): Promise<void> {
    await this.rest.patch(Routes.channelMessage(channelId, messageId), {
      body: { ...editBody(replacement), allowed_mentions: { parse: [] } },
    });
  }

  /**
   * Runs `action` on the member's DM channel: the cached one (opening a fresh
   * one once if it has vanished), else a newly opened one. Closed DMs mark the
   * member unreachable.
   */
  private async inDm<T>(
    member: MemberId,
    what: string,
    action: (channelId: string) => Promise<T>,
  ): Promise<T> {
    const userId = userIdOf(member);
    try {
      const cached = await this.cache.get(member, DM_CHANNEL);
      try {
        return await action(cached ?? (await this.openChannel(member, userId)));
      } catch (error) {
        // A cached channel can vanish; open a fresh one once.
        if (!cached || discordErrorCode(error) !== UNKNOWN_CHANNEL) throw error;
        await this.cache.delete(member, DM_CHANNEL);
        return await action(await this.openChannel(member, userId));
      }
    } catch (error) {
      if (discordErrorCode(error) === CLOSED_DMS) {
        await this.cache.set(member, UNREACHABLE, new Date().toISOString());
        throw new MemberUnreachableError(member, "they don't accept direct messages from the bot", {
          cause: error,
        });
      }
      throw toBotError(error, what);
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
