import { BotError } from "../errors.js";
import { type ChatPlatform, type MemberId, type OutboundMessage, platformOf } from "./chat-platform.js";

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

  sendDirect(member: MemberId, message: OutboundMessage): Promise<void> {
    return this.platformFor(member).sendDirect(member, message);
  }
}
