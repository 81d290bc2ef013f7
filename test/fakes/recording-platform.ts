import { RateLimitedError } from "../../src/errors.js";
import type {
  ChatPlatform,
  ConversationRef,
  InboundEvent,
  InboundHandler,
  MemberId,
  MessageRef,
  OutboundFile,
  OutboundMessage,
  Responder,
} from "../../src/platform/chat-platform.js";
import { dmWith } from "../../src/platform/chat-platform.js";

/** An inbound event as a test writes it: in the member's DM unless it says otherwise. */
export type EventInDm = InboundEvent extends infer E
  ? E extends InboundEvent
    ? Omit<E, "conversation"> & { conversation?: ConversationRef }
    : never
  : never;

export interface Delivered {
  /** The member, for a DM; the conversation's id otherwise. */
  readonly member: MemberId;
  readonly conversation: ConversationRef;
  readonly id: string;
  /** As posted, `files` included; an edit replaces its text and buttons and keeps the files sent with it. */
  readonly message: OutboundMessage;
  readonly at: number;
}

/** An in-process ChatPlatform that records what it is given and can answer 429s. */
export class RecordingPlatform implements ChatPlatform {
  readonly capabilities = { buttons: true, forms: false };
  readonly sent: Delivered[] = [];
  /** 429s answered so far. */
  rejected = 0;
  private handler: InboundHandler | undefined;
  private rateLimitNext = 0;
  private posted = 0;
  private groups = 0;
  /** Groups opened, in order. */
  readonly opened: { id: string; members: readonly MemberId[]; title: string }[] = [];
  private retryAfterMs = 0;

  constructor(readonly name = "local") {}

  async start(handler: InboundHandler): Promise<void> {
    this.handler = handler;
  }

  async stop(): Promise<void> {}

  /** The next `count` sends are refused with a 429 asking to wait `retryAfterMs`. */
  rateLimit(count: number, retryAfterMs: number): void {
    this.rateLimitNext = count;
    this.retryAfterMs = retryAfterMs;
  }

  async post(conversation: ConversationRef, message: OutboundMessage): Promise<MessageRef> {
    if (this.rateLimitNext > 0) {
      this.rateLimitNext--;
      this.rejected++;
      throw new RateLimitedError(this.name, this.retryAfterMs);
    }
    const id = String(++this.posted);
    this.sent.push({ member: conversation.id, conversation, id, message, at: Date.now() });
    return { conversation, id };
  }

  async edit(ref: MessageRef, message: OutboundMessage): Promise<void> {
    const index = this.sent.findIndex((d) => d.id === ref.id);
    const was = this.sent[index];
    // As on every platform, an edit changes text and buttons; the files sent with the post stay.
    const { files: _ignored, ...replacement } = message;
    const files = was?.message.files;
    if (was) this.sent[index] = { ...was, message: files ? { ...replacement, files } : replacement };
  }

  async delete(ref: MessageRef): Promise<void> {
    const index = this.sent.findIndex((d) => d.id === ref.id);
    if (index !== -1) this.sent.splice(index, 1);
  }

  async openGroup(members: readonly MemberId[], title: string): Promise<ConversationRef> {
    const id = `${this.name}:group-${++this.groups}`;
    this.opened.push({ id, members, title });
    return { kind: "group", id };
  }

  /** Delivers an inbound event as the platform would; returns the bot's replies (each also given to `onReply` as it is sent). */
  async inbound(event: EventInDm, onReply?: (message: OutboundMessage) => void): Promise<OutboundMessage[]> {
    const replies: OutboundMessage[] = [];
    const responder: Responder = {
      reply: async (message) => {
        replies.push(message);
        onReply?.(message);
      },
    };
    await this.handler?.({ conversation: dmWith(event.member), ...event } as InboundEvent, responder);
    return replies;
  }

  to(member: MemberId): Delivered[] {
    return this.sent.filter((d) => d.member === member);
  }

  /** The files posted to this member (or into this conversation), oldest first. */
  filesTo(member: MemberId): OutboundFile[] {
    return this.to(member).flatMap((d) => d.message.files ?? []);
  }
}
