import { BotError } from "../errors.js";
import {
  type ChatPlatform,
  type ConversationRef,
  type MemberId,
  type MessageRef,
  type OutboundMessage,
  platformOf,
} from "./chat-platform.js";

/** Sends to a member through whichever platform owns their id. */
export class PlatformRouter {
  private readonly byName: ReadonlyMap<string, ChatPlatform>;

  constructor(platforms: readonly ChatPlatform[]) {
    this.byName = new Map(platforms.map((platform) => [platform.name, platform]));
  }

  get platforms(): readonly ChatPlatform[] {
    return [...this.byName.values()];
  }

  platformFor(member: MemberId): ChatPlatform {
    const platform = this.byName.get(platformOf(member));
    if (!platform) {
      throw new BotError(
        "PLATFORM_FAILED",
        `no platform is running for member ids starting "${platformOf(member)}:"`,
      );
    }
    return platform;
  }

  /** Posts into a conversation on whichever platform owns it. */
  async post(conversation: ConversationRef, message: OutboundMessage): Promise<MessageRef> {
    return this.platformFor(conversation.id).post(conversation, message);
  }

  async edit(message: MessageRef, replacement: OutboundMessage): Promise<void> {
    return this.platformFor(message.conversation.id).edit(message, replacement);
  }

  async delete(message: MessageRef): Promise<void> {
    return this.platformFor(message.conversation.id).delete(message);
  }

  /** Opens a group on the members' platform; they must all be on the same one. */
  async openGroup(members: readonly MemberId[], title: string): Promise<ConversationRef> {
    const platforms = new Set(members.map(platformOf));
    const [only] = platforms;
    if (platforms.size !== 1 || only === undefined) {
      throw new BotError("PLATFORM_FAILED", "a group's members must all be on one platform");
    }
    return this.platformFor(`${only}:`).openGroup(members, title);
  }
}
