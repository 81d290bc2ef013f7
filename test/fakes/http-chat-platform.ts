import { Agent, request } from "node:http";
import { BotError, RateLimitedError } from "../../src/errors.js";
import type {
  ChatPlatform,
  ConversationRef,
  InboundHandler,
  MessageRef,
  OutboundMessage,
} from "../../src/platform/chat-platform.js";

/** A ChatPlatform that sends over HTTP to a FakeChatServer, as a real adapter sends to its API. */
export class HttpChatPlatform implements ChatPlatform {
  readonly capabilities = { buttons: true, forms: false };
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private posted = 0;

  constructor(
    readonly name: string,
    private readonly url: string,
    /** Sent as `x-sender`, so the fake server can tell processes apart. */
    private readonly sender = "",
  ) {}

  async start(_handler: InboundHandler): Promise<void> {}

  async stop(): Promise<void> {
    this.agent.destroy();
  }

  post(conversation: ConversationRef, message: OutboundMessage): Promise<MessageRef> {
    const files = message.files && message.files.length > 0 ? { files: message.files } : {};
    const body = JSON.stringify({ member: conversation.id, text: message.text, ...files });
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.url}/send`,
        {
          method: "POST",
          agent: this.agent,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            ...(this.sender ? { "x-sender": this.sender } : {}),
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode === 200) resolve({ conversation, id: String(++this.posted) });
            else if (res.statusCode === 429)
              reject(new RateLimitedError(this.name, Number(res.headers["retry-after"] ?? 1) * 1000));
            else reject(new BotError("PLATFORM_FAILED", `fake platform answered ${res.statusCode}`));
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
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
