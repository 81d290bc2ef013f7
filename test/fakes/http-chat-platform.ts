import { Pool } from "undici";
import { BotError, RateLimitedError } from "../../src/errors.js";
import type {
  ChatPlatform,
  ConversationRef,
  InboundHandler,
  MessageRef,
  OutboundMessage,
} from "../../src/platform/chat-platform.js";

/**
 * A ChatPlatform that sends over HTTP to a FakeChatServer, as a real adapter sends to its API:
 * through an undici pool of keep-alive connections, one request at a time on each (no
 * pipelining), as discord.js's REST client sends to Discord.
 */
export class HttpChatPlatform implements ChatPlatform {
  readonly capabilities = { buttons: true, forms: false };
  private readonly pool: Pool;
  private posted = 0;

  constructor(
    readonly name: string,
    url: string,
    /** Sent as `x-sender`, so the fake server can tell processes apart. */
    private readonly sender = "",
  ) {
    this.pool = new Pool(url, { connections: 64, pipelining: 1 });
  }

  async start(_handler: InboundHandler): Promise<void> {}

  async stop(): Promise<void> {
    await this.pool.destroy();
  }

  async post(conversation: ConversationRef, message: OutboundMessage): Promise<MessageRef> {
    const files = message.files && message.files.length > 0 ? { files: message.files } : {};
    const res = await this.pool.request({
      path: "/send",
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(this.sender ? { "x-sender": this.sender } : {}),
      },
      body: JSON.stringify({ member: conversation.id, text: message.text, ...files }),
    });
    await res.body.dump();
    if (res.statusCode === 200) return { conversation, id: String(++this.posted) };
    if (res.statusCode === 429)
      throw new RateLimitedError(this.name, Number(res.headers["retry-after"] ?? 1) * 1000);
    throw new BotError("PLATFORM_FAILED", `fake platform answered ${res.statusCode}`);
  }

  async edit(): Promise<void> {
    throw new BotError("PLATFORM_FAILED", "the fake chat server keeps no messages to edit");
  }

  async delete(): Promise<void> {
    throw new BotError("PLATFORM_FAILED", "the fake chat server keeps no messages to delete");
  }

  async openGroup(): Promise<ConversationRef> {
    throw new BotError("PLATFORM_FAILED", "the fake chat server has no groups");
  }
}
