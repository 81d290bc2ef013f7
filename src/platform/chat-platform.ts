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

export interface OutboundMessage {
  readonly text: string;
  readonly buttons?: readonly Button[];
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

interface InboundBase {
  readonly member: MemberId;
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

/** A direct message from the member to the bot. */
export interface DirectMessageEvent extends InboundBase {
  readonly kind: "message";
  readonly text: string;
}

export interface ButtonEvent extends InboundBase {
  readonly kind: "button";
  readonly actionId: string;
  readonly value?: string;
}

export interface FormEvent extends InboundBase {
  readonly kind: "form";
  readonly formId: string;
  readonly values: Readonly<Record<string, string>>;
}

export type InboundEvent = CommandEvent | DirectMessageEvent | ButtonEvent | FormEvent;

/**
 * How the core answers the member who caused an event: privately (ephemeral
 * or in their DM, never in a shared channel), and with a form where the
 * platform has forms and the event allows one (Slack needs a trigger id,
 * Discord an unanswered interaction).
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
  /** Send a direct message to a member this platform owns. */
  sendDirect(member: MemberId, message: OutboundMessage): Promise<void>;
  /** Post into a shared conversation (a channel or group DM) by its platform id. */
  postToConversation(conversationId: string, message: OutboundMessage): Promise<void>;
}

export function platformOf(member: MemberId): string {
  const index = member.indexOf(":");
  return index === -1 ? "" : member.slice(0, index);
}
