import { RateLimitedError } from "../../src/errors.js";
import type {
  ChatPlatform,
  InboundEvent,
  InboundHandler,
  MemberId,
  OutboundMessage,
  Responder,
} from "../../src/platform/chat-platform.js";

export interface Delivered {
  readonly member: MemberId;
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

  async sendDirect(member: MemberId, message: OutboundMessage): Promise<void> {
    if (this.rateLimitNext > 0) {
      this.rateLimitNext--;
      this.rejected++;
      throw new RateLimitedError(this.name, this.retryAfterMs);
    }
    this.sent.push({ member, message, at: Date.now() });
  }

  async postToConversation(conversationId: string, message: OutboundMessage): Promise<void> {
    this.sent.push({ member: `#${conversationId}`, message, at: Date.now() });
  }

  /** Delivers an inbound event as the platform would; returns the bot's replies. */
  async inbound(event: InboundEvent): Promise<OutboundMessage[]> {
    const replies: OutboundMessage[] = [];
    const responder: Responder = {
      reply: async (message) => {
        replies.push(message);
      },
    };
    await this.handler?.(event, responder);
    return replies;
  }

  to(member: MemberId): Delivered[] {
    return this.sent.filter((d) => d.member === member);
  }
}
