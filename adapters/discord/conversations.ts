import { BotError } from "../../src/errors.js";
import type { ConversationRef, MemberId } from "../../src/platform/chat-platform.js";

/** Where a conversation's messages go: a member's DM (found or opened), or a channel or thread by id. */
export type Destination =
  | { readonly kind: "dm"; readonly member: MemberId }
  | { readonly kind: "channel"; readonly channelId: string };

const SNOWFLAKE = /^\d{5,25}$/;

/**
 * A conversation reference as a Discord destination:
 * - `dm`: `discord:<user id>`, the member;
 * - `group`: `discord:<thread id>`, a private thread the bot opened;
 * - `channel`: `discord:<channel id>`, with `thread` (a thread id) to post in one of its threads.
 */
export function destinationOf(conversation: ConversationRef): Destination {
  if (conversation.kind === "dm") return { kind: "dm", member: conversation.id };
  const match = /^discord:(\d+)$/.exec(conversation.id);
  const channelId = conversation.kind === "channel" && conversation.thread ? conversation.thread : match?.[1];
  if (!match || !channelId || !SNOWFLAKE.test(channelId)) {
    throw new BotError("PLATFORM_FAILED", `not a Discord ${conversation.kind} conversation reference`);
  }
  return { kind: "channel", channelId };
}
