import { BotError } from "../../src/errors.js";
import { type ConversationRef, type MemberId, dmWith } from "../../src/platform/chat-platform.js";
import { isSlackId, slackTeamId } from "./member-ids.js";

/**
 * Conversation references on Slack:
 * - `dm`: `slack:<team>:<user>`, the member; the adapter finds (or opens) the
 *   bot's IM channel with them;
 * - `group`: `slack:<team>:<channel>`, a group DM (mpim) the bot opened;
 * - `channel`: `slack:<team>:<channel>`, with `thread` (a message ts) to post in
 *   one of its threads.
 */
const SLACK_CONVERSATION = /^slack:([A-Z0-9]+):([A-Z0-9]+)$/;
const THREAD_TS = /^\d{1,12}\.\d{1,12}$/;

/** A group DM or channel as a conversation reference. */
export function slackConversation(
  kind: "group" | "channel",
  teamId: string,
  channel: string,
): ConversationRef {
  return { kind, id: `slack:${teamId}:${channel}` };
}

/** The channel id in a group or channel reference (a DM's channel is looked up by the member). */
export function channelOf(conversation: ConversationRef): string {
  const channel = SLACK_CONVERSATION.exec(conversation.id)?.[2];
  if (conversation.kind === "dm" || !channel) {
    throw new BotError("PLATFORM_FAILED", `not a Slack ${conversation.kind} conversation reference`);
  }
  return channel;
}

/** The thread a channel reference points into, as Slack's `thread_ts`. */
export function threadOf(conversation: ConversationRef): string | undefined {
  if (conversation.kind !== "channel" || conversation.thread === undefined) return undefined;
  if (!THREAD_TS.test(conversation.thread)) {
    throw new BotError("PLATFORM_FAILED", "not a Slack thread reference");
  }
  return conversation.thread;
}

/** The members' shared workspace, checking each is a Slack member id. */
export function teamOfMembers(members: readonly MemberId[]): string {
  const teams = new Set(members.map(slackTeamId));
  const [team] = teams;
  if (teams.size !== 1 || team === undefined) {
    throw new BotError("PLATFORM_FAILED", "a Slack group's members must all be in one workspace");
  }
  return team;
}

/** A Slack channel as an event, command or button press gives it. */
export interface ChannelSeen {
  readonly id?: string | undefined;
  /** `directmessage` for a DM, `mpdm-…` for a group DM, the channel's name otherwise. */
  readonly name?: string | undefined;
  readonly threadTs?: string | undefined;
}

/**
 * Where something a member did happened: a D channel is their DM with the
 * bot (the bot's own messages and `/peer` typed in a DM land there), an
 * `mpdm-` channel a group DM, anything else a channel (with its thread). With
 * no channel (a modal), their DM.
 */
export function conversationAt(teamId: string, member: MemberId, channel: ChannelSeen): ConversationRef {
  const { id, name, threadTs } = channel;
  if (!isSlackId(id) || id.startsWith("D")) return dmWith(member);
  if (name?.startsWith("mpdm-")) return slackConversation("group", teamId, id);
  const thread = threadTs !== undefined && THREAD_TS.test(threadTs) ? { thread: threadTs } : {};
  return { ...slackConversation("channel", teamId, id), ...thread };
}

/** A conversation reference the adapter itself wrote into a modal's private_metadata, or undefined. */
export function parseConversation(text: string): ConversationRef | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { kind, id, thread } = value as Record<string, unknown>;
  if (kind !== "dm" && kind !== "group" && kind !== "channel") return undefined;
  if (typeof id !== "string" || !id.startsWith("slack:")) return undefined;
  if (thread !== undefined && typeof thread !== "string") return undefined;
  return { kind, id, ...(thread !== undefined ? { thread } : {}) };
}
