import type {
  ChatPlatform,
  ConversationRef,
  Form,
  InboundEvent,
  MemberId,
  MessageRef,
  Responder,
} from "../../src/platform/chat-platform.js";

/**
 * One adapter, started against its platform (the local terminal, or the fake
 * Slack or Discord server on loopback), with a way to act as people on that
 * platform and to see what they see. `chat-platform.contract.ts` runs the same
 * scenarios through every harness: a new adapter is done when it passes them.
 *
 * The harness never reaches into the adapter: people act through the
 * platform (a typed line, an Events API request, a gateway dispatch) and what
 * they see is read back from the platform (the terminal's output, the fake
 * server's record of API calls).
 */
export interface SeenMessage {
  /** The platform's id for it, as the bot's MessageRef gives it. */
  readonly id: string;
  readonly text: string;
  readonly buttons: readonly string[];
}

/** A file as the person it was sent to sees it: its name, and its text (read as UTF-8). */
export interface SeenFile {
  readonly name: string;
  readonly content: string;
}

export interface SeenGroup {
  /** The name people see for the conversation (empty where the platform shows none). */
  readonly title: string;
  readonly members: readonly MemberId[];
  /** What the bot posted in it, oldest first, with edits applied (not what members wrote). */
  readonly messages: readonly SeenMessage[];
}

/** What the core does with an inbound event, chosen per test. */
export type ContractHandler = (event: InboundEvent, responder: Responder) => Promise<void>;

export interface PlatformHarness {
  readonly platform: ChatPlatform;
  /** The failures this platform can produce on demand (the local chat has no rate limits). */
  readonly canFail: readonly ("rate-limited" | "unreachable")[];
  /** Whether titles given to openGroup are shown to people. */
  readonly showsGroupTitles: boolean;
  /** Replaces what the core does with each inbound event (the default records and does nothing). */
  handle(handler: ContractHandler): void;
  /** A person on the platform; the same name always gives the same member. */
  person(name: string): Promise<MemberId>;
  /** The person writes to the bot in their DM. Resolves when the core has finished with it. */
  sendDm(member: MemberId, text: string): Promise<void>;
  /** The person writes in a group conversation they are in. Resolves when the core has finished. */
  sendInGroup(member: MemberId, group: ConversationRef, text: string): Promise<void>;
  /** The person edits a message they wrote in a group (its reference came on the message event). */
  editInGroup(member: MemberId, message: MessageRef, text: string): Promise<void>;
  /** The person deletes a message they wrote in a group. Resolves when the core has finished. */
  deleteInGroup(member: MemberId, message: MessageRef): Promise<void>;
  /** The person runs `/peer <text>` (in their DM, or wherever the platform runs commands). */
  command(member: MemberId, text: string): Promise<void>;
  /** The person presses the button with this label on a message the bot posted. */
  press(member: MemberId, message: MessageRef, label: string): Promise<void>;
  /** The form the bot last opened for the person, if one is open. */
  openForm(member: MemberId): Promise<Form | undefined>;
  /** The person fills in the open form and submits it. Resolves when the core has finished. */
  submitForm(member: MemberId, values: Readonly<Record<string, string>>): Promise<void>;
  /** Everything the bot showed this person privately (their DM, ephemeral and interaction replies), in order. */
  seenPrivately(member: MemberId): Promise<readonly SeenMessage[]>;
  /**
   * The files the bot sent this person privately (into their DM), oldest first,
   * as they would open them: the terminal's 📎 line and the file it names, or
   * what the fake platform keeps of the uploads shared into their DM channel.
   */
  filesSeenPrivately(member: MemberId): Promise<readonly SeenFile[]>;
  /** A group conversation as its members see it. */
  seenInGroup(group: ConversationRef): Promise<SeenGroup>;
  /** Makes the platform refuse the bot's next post: a rate limit, or this member cannot be messaged. */
  failNextPost(failure: "rate-limited" | "unreachable", member: MemberId): void;
  stop(): Promise<void>;
}
