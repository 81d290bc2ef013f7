/**
 * The chat port: what every platform adapter (local terminal, Slack, Discord)
 * must do, and the neutral events it hands to the core.
 *
 * Members are identified platform-qualified, e.g. `slack:T01:U02`,
 * `discord:1234`, `local:alex`, so one network can span platforms.
 */
export type MemberId = string;

export interface Button {
  /** Stable action id the core routes on, e.g. `consent:yes`. */
  readonly id: string;
  readonly label: string;
  readonly style?: "primary" | "danger";
  /** Optional opaque value (an id, never a member's words). */
  readonly value?: string;
}

/** A small text file sent with a message (a calendar invite, a CSV, a printable page). */
export interface OutboundFile {
  /** e.g. "check-ins.ics" */
  readonly name: string;
  /** e.g. "text/calendar" */
  readonly contentType: string;
  /** The file's text (UTF-8). */
  readonly content: string;
}

export interface OutboundMessage {
  readonly text: string;
  readonly buttons?: readonly Button[];
  /** Files sent with the message, in this order. Only `post` sends files; `edit` keeps them as they were. */
  readonly files?: readonly OutboundFile[];
}

export interface FormField {
  readonly id: string;
  readonly label: string;
  readonly hint?: string;
  readonly multiline?: boolean;
  readonly optional?: boolean;
  readonly initial?: string;
}

export interface Form {
  readonly id: string;
  readonly title: string;
  readonly submitLabel: string;
  readonly fields: readonly FormField[];
}

/**
 * Where a message lives. Every id is platform-qualified (its first segment is
 * the platform's name), so a reference can be stored, routed and compared
 * without knowing the platform:
 * - `dm`: the direct conversation between the bot and one member; `id` is the
 *   member's id, and the adapter finds (or opens) the platform's DM channel.
 * - `group`: a small private conversation the bot opened for several members
 *   (a Slack group DM, a Discord private thread, a local room).
 * - `channel`: a shared channel, optionally one `thread` in it.
 */
export interface ConversationRef {
  readonly kind: "dm" | "group" | "channel";
  readonly id: string;
  /** A thread within a channel, by the platform's id for it. */
  readonly thread?: string;
}

/** One message the bot posted (or received), so it can be edited or answered later. */
export interface MessageRef {
  readonly conversation: ConversationRef;
  /** The platform's id for the message (Slack `ts`, Discord snowflake, local counter). */
  readonly id: string;
}

/**
 * Options for `post`. `sendId` is the stable id of one scheduled send (the same
 * item and slot always give the same id); a platform that can recognise a
 * second post with the same id does so: Discord through the message `nonce`
 * (with `enforce_nonce`), Slack by carrying the id in the message's metadata so
 * `findSent` can find it in the conversation's recent history.
 */
export interface PostOptions {
  readonly sendId?: string;
  /**
   * The caller took a turn from the platform's pacer for this post (the outbound queue does, for
   * a paced platform). A post that goes out as several messages takes a further turn for each
   * message after the first, through the adapter's SendGate in the scheduled lane (which also
   * retries such a part alone after a 429, so the parts before it don't go twice).
   */
  readonly paced?: boolean;
  /**
   * The turn booked with the platform's pacer for this post: resolves when it comes. Given only to
   * an adapter that asks for it (see TakesTurns in scheduler/outbound-queue.ts), which awaits it
   * just before its first call to the platform, after any lookups of its own.
   */
  readonly turn?: () => Promise<void>;
}

/** What `post` returns: the message, and whether the platform gave back one posted earlier. */
export interface PostedRef extends MessageRef {
  /**
   * True when the platform did not post again but returned the message an
   * earlier post with the same `sendId` created (Discord's nonce within its
   * window). Never stored: only counted.
   */
  readonly repeated?: boolean;
}

/** The direct conversation with one member. */
export function dmWith(member: MemberId): ConversationRef {
  return { kind: "dm", id: member };
}

/** True when both refer to the same conversation. */
export function sameConversation(a: ConversationRef, b: ConversationRef): boolean {
  return a.kind === b.kind && a.id === b.id && (a.thread ?? "") === (b.thread ?? "");
}

interface InboundBase {
  readonly member: MemberId;
  /** Where it happened: the member's DM with the bot, a group, or a channel. */
  readonly conversation: ConversationRef;
  /** The member's display name on the platform, when it is known. */
  readonly displayName?: string;
  /**
   * The IANA time zone the platform (or the machine, in the terminal chat) gives
   * for this person, when it is known. Used before they have joined, to offer
   * support lines for where they are.
   */
  readonly timeZone?: string;
  /** The platform payload, for the rare case that needs it. Never logged. */
  readonly raw?: unknown;
}

/** `/peer <text>`: text is everything after `/peer`. */
export interface CommandEvent extends InboundBase {
  readonly kind: "command";
  readonly text: string;
}

/** A message from the member: in their DM with the bot, or in a group the bot is in. */
export interface DirectMessageEvent extends InboundBase {
  readonly kind: "message";
  readonly text: string;
  /** The message itself, where the platform says (always for a group), so an edit or deletion can follow it. */
  readonly message?: MessageRef;
}

/** A member changed the text of a message they wrote in a group the bot is in. */
export interface MessageEditedEvent extends InboundBase {
  readonly kind: "message-edited";
  readonly message: MessageRef;
  readonly text: string;
}

/** A message a member wrote in a group the bot is in was deleted. */
export interface MessageDeletedEvent extends InboundBase {
  readonly kind: "message-deleted";
  readonly message: MessageRef;
}

export interface ButtonEvent extends InboundBase {
  readonly kind: "button";
  readonly actionId: string;
  readonly value?: string;
  /** The message the button was on, when the platform says (so it can be edited). */
  readonly message?: MessageRef;
}

export interface FormEvent extends InboundBase {
  readonly kind: "form";
  readonly formId: string;
  readonly values: Readonly<Record<string, string>>;
}

export type InboundEvent =
  | CommandEvent
  | DirectMessageEvent
  | MessageEditedEvent
  | MessageDeletedEvent
  | ButtonEvent
  | FormEvent;

/**
 * How the core answers the member who caused an event: privately (ephemeral
 * or in their DM, never in a shared channel), and with a form where the
 * platform has forms and the event allows one (Slack needs a trigger id,
 * Discord an unanswered interaction). A reply with `files` always goes to the
 * member's DM, text and files together (an ephemeral reply can't carry files
 * everywhere, and the member should find them again).
 */
export interface Responder {
  reply(message: OutboundMessage): Promise<void>;
  openForm?(form: Form): Promise<void>;
}

/** The narrow way back into the core an adapter is given. */
export type InboundHandler = (event: InboundEvent, responder: Responder) => Promise<void>;

export interface PlatformCapabilities {
  readonly buttons: boolean;
  readonly forms: boolean;
}

export interface ChatPlatform {
  /** `local`, `slack` or `discord`: the first segment of the member ids it owns. */
  readonly name: string;
  readonly capabilities: PlatformCapabilities;
  start(handler: InboundHandler): Promise<void>;
  stop(): Promise<void>;
  /**
   * Whether the platform can take events and sends right now: started and,
   * for a connection-based transport (Slack's Socket Mode, Discord's
   * gateway), connected. `/readyz` reports a platform without it as
   * connected. Optional, so a platform that can't tell need not say.
   */
  connected?(): boolean;
  /**
   * Posts into a conversation this platform owns (`dmWith(member)` for a DM)
   * and returns a reference to the message. The message's `files` are sent
   * with it, into the same conversation (for a DM, privately to that member)
   * beside its text; the reference is to the text. Throws RateLimitedError
   * when the platform asks to wait, MemberUnreachableError when a member
   * cannot be messaged, BotError("PLATFORM_FAILED") otherwise. With
   * `options.sendId` (scheduled sends), a platform that can make a second post
   * of the same send harmless does (see PostOptions); others ignore it.
   */
  post(conversation: ConversationRef, message: OutboundMessage, options?: PostOptions): Promise<PostedRef>;
  /**
   * Optional: whether a post with this `sendId` already reached the
   * conversation (for a retry after a crash, when the platform may have taken
   * the message but the bot never recorded it). Resolves with the message, or
   * null when it isn't found or the platform can't tell. Looks only at recent
   * messages; never throws for a lookup it can't make (it resolves null).
   * Slack implements it (message metadata, conversations.history); platforms
   * without it (the terminal chat, test platforms) are simply posted to again.
   */
  findSent?(conversation: ConversationRef, sendId: string): Promise<MessageRef | null>;
  /**
   * Replaces the text and buttons of a message the bot posted. Files sent with
   * it stay as they were; `replacement.files` is ignored.
   */
  edit(message: MessageRef, replacement: OutboundMessage): Promise<void>;
  /**
   * Deletes a message the bot posted. A message already gone is not an error.
   * Files sent with it may stay (Slack shares them beside the text, the
   * terminal chat writes them to disk); on Discord they go with it.
   */
  delete(message: MessageRef): Promise<void>;
  /**
   * Opens a private conversation for these members (all on this platform) and
   * the bot, named `title` where the platform shows names. The adapter then
   * delivers what members write there to the core, with this reference.
   */
  openGroup(members: readonly MemberId[], title: string): Promise<ConversationRef>;
}

/** The platform an id belongs to: its first segment (`slack:T01:U02` → `slack`). */
export function platformOf(id: string): string {
  const index = id.indexOf(":");
  return index === -1 ? "" : id.slice(0, index);
}
