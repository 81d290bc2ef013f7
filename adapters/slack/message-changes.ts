import { isSlackId } from "./member-ids.js";

/**
 * What a `message_changed` or `message_deleted` event (subtypes of the
 * `message` event that `message.mpim` brings) means for the core: a member
 * edited or deleted a message they wrote in a group DM the bot is in.
 */
export type GroupChange =
  | {
      readonly kind: "message-edited";
      readonly channel: string;
      /** The author's Slack user id. */
      readonly user: string;
      /** The ts of the message edited (not of the event). */
      readonly ts: string;
      /** The new text, as Slack sends it (escaped). */
      readonly text: string;
    }
  | {
      readonly kind: "message-deleted";
      readonly channel: string;
      readonly user: string;
      readonly ts: string;
    };

type Fields = Record<string, unknown>;

const isRecord = (value: unknown): value is Fields => typeof value === "object" && value !== null;
const MESSAGE_TS = /^\d{1,12}\.\d{1,12}$/;
const isTs = (value: unknown): value is string => typeof value === "string" && MESSAGE_TS.test(value);

/**
 * The person who wrote a message, when it is one the adapter hands to the core
 * as it arrives: a plain message (no subtype, so no bot message, thread
 * broadcast or file-only join notice) with text, from a user who isn't a bot
 * or this bot. Undefined otherwise.
 */
function author(message: Fields, botUserId: string | undefined): string | undefined {
  if (message.subtype !== undefined || message.bot_id !== undefined) return undefined;
  if (!isSlackId(message.user) || message.user === botUserId) return undefined;
  return message.user;
}

/**
 * The edit or deletion a `message` event with subtype `message_changed` or
 * `message_deleted` reports, when it is one the core follows: in a group DM
 * (`channel_type: "mpim"`), of a message a member wrote with text (as the core
 * was given it). Never the bot's own messages or another bot's, nothing in a
 * DM or channel, and no change that leaves the text as it was (Slack sends
 * `message_changed` for link previews too). A message with thread replies is
 * not removed when deleted: Slack leaves a `tombstone` in its place, which is
 * its deletion here. With no `previous_message` Slack doesn't say whose
 * message went, and it is dropped (the adapter keeps no record of authors).
 */
export function groupChange(event: Fields, botUserId: string | undefined): GroupChange | undefined {
  const { channel } = event;
  if (event.channel_type !== "mpim" || !isSlackId(channel)) return undefined;
  const previous = isRecord(event.previous_message) ? event.previous_message : undefined;
  const previousAuthor = previous ? author(previous, botUserId) : undefined;
  const previousText = previous?.text;
  // A message the core was never given (a bot's, a file with no words) has nothing to follow.
  if (previous && (!previousAuthor || typeof previousText !== "string" || previousText === "")) {
    return undefined;
  }

  if (event.subtype === "message_deleted") {
    const ts = event.deleted_ts ?? previous?.ts;
    if (!previousAuthor || !isTs(ts)) return undefined;
    return { kind: "message-deleted", channel, user: previousAuthor, ts };
  }

  if (event.subtype !== "message_changed" || !isRecord(event.message)) return undefined;
  const message = event.message;
  if (!isTs(message.ts)) return undefined;
  if (message.subtype === "tombstone") {
    return previousAuthor
      ? { kind: "message-deleted", channel, user: previousAuthor, ts: message.ts }
      : undefined;
  }
  const user = author(message, botUserId);
  const { text } = message;
  if (!user || typeof text !== "string" || text === "") return undefined;
  if (previousAuthor !== undefined && previousAuthor !== user) return undefined;
  if (text === previousText) return undefined;
  return { kind: "message-edited", channel, user, ts: message.ts, text };
}
