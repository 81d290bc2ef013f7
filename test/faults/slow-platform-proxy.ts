import {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
  request,
} from "node:http";
import type { AddressInfo } from "node:net";

/** What a request to the platform is, for choosing where a bot is killed. */
export type RequestRole = "open" | "post" | "other";

/** Slack's Web API: conversations.open opens a DM, chat.postMessage posts. */
export function slackRole(method: string, path: string): RequestRole {
  if (method !== "POST") return "other";
  if (path.endsWith("/conversations.open")) return "open";
  if (path.endsWith("/chat.postMessage")) return "post";
  return "other";
}

/** Discord's REST API: POST /users/@me/channels opens a DM, POST /channels/:id/messages posts. */
export function discordRole(method: string, path: string): RequestRole {
  if (method !== "POST") return "other";
  if (/\/users\/@me\/channels$/.test(path)) return "open";
  if (/\/channels\/\d+\/messages$/.test(path)) return "post";
  return "other";
}

/**
 * Where the platform stops answering, counted from when `freeze` is called:
 * - `open`: the n-th DM open and everything after it wait unanswered, never
 *   reaching the platform (the send is claimed, its post not yet made);
 * - `request`: the n-th post and everything after it wait at the platform,
 *   still being worked on (the platform takes them once `afterKill` is called:
 *   a request that reached a platform is posted even if its sender dies);
 * - `response`: the n-th post and everything after it are accepted by the
 *   platform, but their answers never come back (no sent marker is recorded).
 */
export type FreezeAt = "open" | "request" | "response";

interface Held {
  readonly forward: () => Promise<void>;
  readonly res: ServerResponse;
}

/**
 * A slow platform: an HTTP proxy in front of a fake platform API (the fake
 * Slack Web API or the fake Discord REST) that takes `delayMs` over every
 * request before the platform sees it, and can freeze at a chosen step of a
 * send so a bot can be killed there. Not a fake of its own: the fake behind it
 * decides what is delivered.
 */
export class SlowPlatformProxy {
  /** Posts that reached the platform (forwarded), with when. */
  readonly posts: number[] = [];
  private server: Server | undefined;
  private frozen: { at: FreezeAt; from: number; reached: () => void } | undefined;
  private readonly held: Held[] = [];
  private opens = 0;
  private postsSeen = 0;
  private readonly withheld = new Set<ServerResponse>();

  constructor(
    private readonly upstream: string,
    private readonly role: (method: string, path: string) => RequestRole,
    public delayMs = 300,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Freezes at the n-th (1-based, from now) request of the step; resolves once it has arrived. */
  freeze(at: FreezeAt, nth: number): Promise<void> {
    return new Promise((reached) => {
      this.frozen = { at, from: (at === "open" ? this.opens : this.postsSeen) + nth, reached };
    });
  }

  /**
   * After the bot was killed: posts waiting at the platform (`request`) are
   * taken by it; everything else held is dropped. Then it answers normally again.
   */
  async afterKill(): Promise<void> {
    const at = this.frozen?.at;
    this.frozen = undefined;
    const held = this.held.splice(0);
    for (const res of this.withheld) res.destroy();
    this.withheld.clear();
    if (at === "request") await Promise.all(held.map((h) => h.forward()));
    for (const { res } of held) res.destroy();
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const role = this.role(method, new URL(path, "http://x").pathname);
    if (role === "open") this.opens++;
    if (role === "post") this.postsSeen++;
    let answer = true;
    const frozen = this.frozen;
    if (frozen) {
      const count = frozen.at === "open" ? this.opens : this.postsSeen;
      const matches = frozen.at === "open" ? role === "open" : role === "post";
      // From the n-th on, every open and post waits (the platform has stopped answering).
      if (count >= frozen.from && role !== "other") {
        if (matches && count === frozen.from) frozen.reached();
        if (frozen.at === "response") answer = false;
        else {
          // Waits unanswered; for `request`, the platform takes it after the kill.
          this.held.push({
            res,
            forward: () => this.forward(method, path, req.headers, body, role).then(() => {}),
          });
          return;
        }
      }
    }
    await sleep(this.delayMs);
    const result = await this.forward(method, path, req.headers, body, role).catch(() => undefined);
    if (!answer || !result) {
      if (answer) res.destroy();
      else this.withheld.add(res);
      return;
    }
    if (res.destroyed) return;
    res.writeHead(result.status, result.headers);
    res.end(result.body);
  }

  private forward(
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    body: Buffer,
    role: RequestRole,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    const target = new URL(path, this.upstream);
    return new Promise((resolve, reject) => {
      const out = request(
        target,
        { method, headers: { ...headers, host: target.host, "content-length": String(body.length) } },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => parts.push(chunk));
          answer.on("end", () => {
            if (role === "post") this.posts.push(Date.now());
            const { connection: _c, "keep-alive": _k, "transfer-encoding": _t, ...kept } = answer.headers;
            resolve({ status: answer.statusCode ?? 502, headers: kept, body: Buffer.concat(parts) });
          });
          answer.on("error", reject);
        },
      );
      out.on("error", reject);
      out.end(body);
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
