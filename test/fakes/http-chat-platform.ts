import { Agent, request } from "node:http";
import { BotError, RateLimitedError } from "../../src/errors.js";
import type {
  ChatPlatform,
  InboundHandler,
  MemberId,
  OutboundMessage,
} from "../../src/platform/chat-platform.js";

/** A ChatPlatform that sends over HTTP to a FakeChatServer, as a real adapter sends to its API. */
export class HttpChatPlatform implements ChatPlatform {
  readonly capabilities = { buttons: true, forms: false };
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(
    readonly name: string,
    private readonly url: string,
  ) {}

  async start(_handler: InboundHandler): Promise<void> {}

  async stop(): Promise<void> {
    this.agent.destroy();
  }

  sendDirect(member: MemberId, message: OutboundMessage): Promise<void> {
    const body = JSON.stringify({ member, text: message.text });
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.url}/send`,
        {
          method: "POST",
          agent: this.agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode === 200) resolve();
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

  async postToConversation(): Promise<void> {}
}
