import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { OutboundFile } from "../../src/platform/chat-platform.js";

export interface Received {
  readonly member: string;
  readonly text: string;
  /** Files sent with the message, when there were any. */
  readonly files?: readonly OutboundFile[];
  readonly at: number;
  /** Which bot process sent it (its `x-sender` header), when it says. */
  readonly from?: string;
}

/**
 * A chat platform's "send a message" endpoint on loopback: POST /send with
 * {member, text, files?}. A message counts as delivered when the server answers it.
 * It can stop answering from the n-th request on (to kill a sender mid-send), and
 * can enforce a rate, answering 429 with Retry-After past it.
 */
export class FakeChatServer {
  readonly delivered: Received[] = [];
  /** Requests answered 429. */
  rejected = 0;
  held = 0;
  /** What the unanswered requests carried (each may or may not count as delivered). */
  readonly heldRequests: Received[] = [];
  private server: Server | undefined;
  private requests = 0;
  private holdAt = 0;
  private rate: { perSecond: number; windowStart: number; count: number } | undefined;

  /**
   * Leave the n-th request from now (1-based) and every later one unanswered, as a platform
   * that has stopped answering; a dropped connection means the message was never delivered.
   */
  holdFrom(n: number): void {
    this.holdAt = this.requests + n;
  }

  /** Answer requests again. */
  release(): void {
    this.holdAt = 0;
  }

  /** Answer 429 beyond `perSecond` requests in any one-second window. */
  enforceRate(perSecond: number): void {
    this.rate = { perSecond, windowStart: Date.now(), count: 0 };
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  countFor(member: string): number {
    return this.delivered.filter((d) => d.member === member).length;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      this.requests++;
      if (this.holdAt !== 0 && this.requests >= this.holdAt) {
        this.held++;
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { member: string; text: string };
        this.heldRequests.push({ member: body.member, text: body.text, at: Date.now() });
        return;
      }
      if (this.rate) {
        const now = Date.now();
        if (now - this.rate.windowStart >= 1000) this.rate = { ...this.rate, windowStart: now, count: 0 };
        if (this.rate.count >= this.rate.perSecond) {
          this.rejected++;
          const retryAfter = Math.max(1, Math.ceil((this.rate.windowStart + 1000 - now) / 1000));
          res.writeHead(429, { "retry-after": String(retryAfter), "content-type": "application/json" });
          res.end('{"ok":false,"error":"ratelimited"}');
          return;
        }
        this.rate.count++;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        member: string;
        text: string;
        files?: OutboundFile[];
      };
      const from = req.headers["x-sender"];
      this.delivered.push({
        member: body.member,
        text: body.text,
        ...(body.files ? { files: body.files } : {}),
        at: Date.now(),
        ...(typeof from === "string" ? { from } : {}),
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":true}');
    });
  }
}
