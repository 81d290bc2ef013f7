/**
 * Every Web API method this adapter calls (and Bolt calls for it), with the bot
 * scopes it needs; `null` when it needs none. The manifest's scope list is
 * checked against this map (manifest.test.ts), so add a method here before
 * calling it. Replies to slash commands go to the command's response_url, which
 * needs no scope; Socket Mode's apps.connections.open uses the app-level token
 * (scope connections:write on that token), not the bot's.
 */
export const SCOPE_BY_METHOD = {
  /** Bolt, at start, to learn the bot's own ids (skipped when botId and botUserId are given). */
  "auth.test": null,
  "chat.postMessage": "chat:write",
  /** Deletes the bot's own messages (a bot token may delete only those). */
  "chat.delete": "chat:write",
  /** Edits the bot's own messages. */
  "chat.update": "chat:write",
  /**
   * A DM's or group DM's latest messages, with metadata: before retrying a scheduled send, to see
   * whether it went (the same scopes as the message events).
   */
  "conversations.history": ["im:history", "mpim:history"],
  /** A DM with one member, and a group DM (mpim) with several. */
  "conversations.open": ["im:write", "mpim:write"],
  /** Files sent with a message: an upload URL for each file's bytes, then sharing them into the channel. */
  "files.getUploadURLExternal": "files:write",
  "files.completeUploadExternal": "files:write",
  "users.info": "users:read",
  /** Needs only the trigger_id of the command or button press. */
  "views.open": null,
} as const satisfies Record<string, string | readonly string[] | null>;

/** Events the app subscribes to, with the scope Slack requires for each. */
export const SCOPE_BY_EVENT = {
  "message.im": "im:history",
  /** Members' messages in group DMs the bot opened, with their edits and deletions (subtypes of it). */
  "message.mpim": "mpim:history",
} as const satisfies Record<string, string>;

export const SLASH_COMMAND = "/peer";
export const COMMAND_SCOPE = "commands";

/** The bot scopes the code needs, sorted: exactly what the manifest must ask for. */
export function requiredBotScopes(): string[] {
  const scopes = new Set<string>([COMMAND_SCOPE, ...Object.values(SCOPE_BY_EVENT)]);
  for (const scope of Object.values(SCOPE_BY_METHOD).flat()) if (scope !== null) scopes.add(scope);
  return [...scopes].sort();
}
