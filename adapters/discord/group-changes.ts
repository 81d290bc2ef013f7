import type { Message, PartialMessage } from "discord.js";

/**
 * A message the adapter handed to the core, as discord.js cached it: a
 * person's (not a bot's, the bot's own included, nor Discord's notice), with
 * words, or edited (it may have had words, then had them all taken away, an
 * edit the core is not handed). A partial message is one discord.js never saw
 * arrive (it came before a restart, or fell out of the cache), so whose it was
 * is not known.
 */
export function wasHandedOn(message: Message | PartialMessage): message is Message {
  if (message.partial || message.author.bot || message.system) return false;
  return message.content !== "" || message.editedTimestamp !== null;
}

/**
 * The new text of a member's edit, or undefined when the update is not one
 * to follow: a bot's message (the bot's own edits come back too), an update
 * that leaves the text as it was (Discord updates a message when a link
 * preview arrives, or when it is pinned), a message that had no words for the
 * core, or an edit that removes all its words (an attachment stays). When
 * discord.js did not have the message cached (`old` is partial) it can't
 * compare, so a message marked edited counts: at worst the core is handed the
 * text it already has.
 */
export function editedText(
  old: Message | PartialMessage,
  updated: Message | PartialMessage,
): string | undefined {
  if (updated.partial || updated.author.bot || updated.system) return undefined;
  const text = updated.content;
  if (text === "") return undefined;
  if (old.partial) return updated.editedTimestamp !== null ? text : undefined;
  return old.content !== "" && old.content !== text ? text : undefined;
}
