import { randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseQuery } from "node:querystring";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * A stand-in for the Slack Web API on loopback: the methods the Slack adapter
 * calls, a response_url endpoint, and (optionally) a Socket Mode WebSocket.
 * Every call is recorded with its parsed arguments. Errors are answered as
 * Slack does, HTTP 200 with `{ ok: false, error }`; a rate limit as HTTP 429
 * with `Retry-After` in seconds.
 *
 * It also keeps what people would see: each conversation (the bot's IM with a
 * user, group DMs it opened, channels it posted in) with its messages, edits
 * applied, and the messages only one user sees (ephemerals and ephemeral
 * response_url replies). Trigger ids handed out with `trigger(user)` tie the
 * modals the bot opens to the person who will see them.
 *
 * People write, edit and delete their own messages with `personWrites`,
 * `personEdits` and `personDeletes`: what everyone sees changes, and each
 * gives the Events API request Slack would send the app (a `message` event,
 * with subtype `message_changed` or `message_deleted` for an edit or deletion)
 * for the test to deliver.
 *
 * Files go up as Slack's external upload has them: `files.getUploadURLExternal`
 * (filename and length in bytes) gives an upload URL on this fake's own port
 * and a file id; the bytes are POSTed there (raw, or as multipart form data
 * as the WebClient sends them); `files.completeUploadExternal` shares the
 * uploaded files into `channel_id`. Each shared file is kept with its channel,
 * name and content (`filesIn`, `filesSeenPrivatelyBy`).
 *
 * A message posted with `metadata` (`event_type`, `event_payload`) keeps it,
 * and `conversations.history` gives a conversation's messages newest first
 * (`limit`, default 100), with their metadata only when asked for with
 * `include_all_metadata`, as Slack does. `dropResponseNext` lets the next call
 * to a method take effect and then drops the connection unanswered, as when a
 * post reached Slack but its answer never reached the bot.
 */
export interface FakeSlackCall {
  /** A Web API method such as `chat.postMessage`, `response_url`, or `upload_url` (a file's bytes). */
  readonly method: string;
  readonly args: Readonly<Record<string, unknown>>;
  /** The bearer token the call carried, if any. */
  readonly token: string | undefined;
  /** 200, or 429 when the fake refused it as rate-limited. */
  readonly status: number;
  /** For `response_url`: the name in the URL (see `responseUrl`). */
  readonly responseUrlName?: string;
  /** When the fake received the call (epoch ms). */
  readonly at: number;
}

export interface FakeSlackUser {
  readonly id: string;
  readonly name: string;
  readonly realName?: string;
  readonly displayName?: string;
  /** Slack's `tz` for the user, e.g. "Pacific/Auckland". */
  readonly tz?: string;
}

export interface FakeSlackOptions {
  readonly botToken: string;
  /** Accept this app-level token for apps.connections.open and offer a Socket Mode WebSocket. */
  readonly appToken?: string;
  readonly teamId?: string;
  readonly botUserId?: string;
  readonly botId?: string;
}

/** A message as people see it, with edits applied. */
export interface FakeSlackMessage {
  /** Order of arrival across the whole fake. */
  readonly seq: number;
  /** The channel it is in ("" for a response_url reply). */
  readonly channel: string;
  /** Its ts; for chat.postEphemeral the `message_ts` Slack answers; `response-N` for a response_url reply. */
  readonly ts: string;
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
  /** Set when only this user sees it. */
  readonly onlyFor?: string;
  /** Set when a person wrote it (their user id); the bot's messages have none. */
  readonly author?: string;
  /** How it got there: a Web API call of the bot's, or a person writing (`personWrites`). */
  readonly via: "chat.postMessage" | "chat.postEphemeral" | "response_url" | "person";
  /** How many times chat.update (or, for a person's message, its author) changed it. */
  readonly edits: number;
  /** The message metadata it was posted with, if any. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** Something a person did, as Slack tells the app about it. */
export interface FakeSlackEvent {
  /** The Events API request body (`event_callback`): sign and POST it, or send it in a Socket Mode envelope. */
  readonly body: Readonly<Record<string, unknown>> & { readonly event: Readonly<Record<string, unknown>> };
  /** The ts of the message it is about. */
  readonly ts: string;
}

/** A conversation the bot is in. */
export interface FakeSlackConversation {
  readonly id: string;
  readonly kind: "im" | "mpim" | "channel";
  /** The name Slack gives it in payloads: `directmessage`, `mpdm-a--b-1`, or a channel name. */
  readonly name: string;
  /** The users in it besides the bot (for a channel, unknown: empty). */
  readonly members: readonly string[];
}

/** A modal the bot opened. */
export interface FakeSlackView {
  readonly id: string;
  readonly triggerId: string;
  /** The user the trigger id was handed to, if it came from `trigger(user)`. */
  readonly user: string | undefined;
  readonly view: Readonly<Record<string, unknown>>;
  readonly closed: boolean;
}

/** A file uploaded and shared into a channel, as people there see it. */
export interface FakeSlackFile {
  /** Order of arrival across the whole fake (shared with messages). */
  readonly seq: number;
  readonly id: string;
  /** The channel it was shared into. */
  readonly channel: string;
  /** The name given to files.getUploadURLExternal. */
  readonly filename: string;
  /** The title given to files.completeUploadExternal (Slack shows the file name without one). */
  readonly title: string;
  /** The bytes uploaded. */
  readonly bytes: Buffer;
  /** The bytes read as UTF-8. */
  readonly content: string;
  readonly threadTs?: string;
  readonly initialComment?: string;
}

/** A file between files.getUploadURLExternal and files.completeUploadExternal. */
interface PendingUpload {
  readonly id: string;
  readonly key: string;
  readonly filename: string;
  readonly length: number;
  bytes?: Buffer;
}

/** A refusal for the next post into one channel. */
export type FakeSlackRefusal = { readonly error: string } | { readonly retryAfterSeconds: number };

type Args = Record<string, unknown>;
type Answer = Record<string, unknown>;

/** The methods that put a message into a channel, which `refuseNextPostIn` can refuse. */
const POSTS = new Set(["chat.postMessage", "chat.postEphemeral", "chat.update"]);
const SECTION_TEXT_LIMIT = 3000;
const MAX_BLOCKS = 50;
const MODAL_TITLE_LIMIT = 24;
const MESSAGE_TEXT_LIMIT = 40_000;
/** Slack's limit for one file, 1 GB. */
const FILE_SIZE_LIMIT = 1024 ** 3;

export class FakeSlackApi {
  readonly calls: FakeSlackCall[] = [];
  /** What the Socket Mode client sent back: one ack per envelope. */
  readonly socketAcks: Array<Record<string, unknown>> = [];

  private readonly users = new Map<string, FakeSlackUser>();
  private readonly rateLimits = new Map<string, { times: number; retryAfterSeconds: number }>();
  /** `enforceRate`: at most `perSecond` calls to these methods in each one-second window. */
  private rateWindow:
    | { perSecond: number; methods: ReadonlySet<string>; start: number; used: number }
    | undefined;
  private readonly failures = new Map<string, { times: number; error: string }>();
  private readonly holds = new Map<string, Promise<void>>();
  private readonly drops = new Map<string, number>();
  private readonly refusals = new Map<string, FakeSlackRefusal>();
  private readonly conversations = new Map<string, FakeSlackConversation>();
  /** Group DMs by their sorted users, so opening the same users again gives the same one (as Slack does). */
  private readonly mpimByUsers = new Map<string, string>();
  private readonly messages: Array<FakeSlackMessage & { edits: number; text: string; blocks: Args[] }> = [];
  private readonly responseUrlUsers = new Map<string, string>();
  private readonly triggers = new Map<string, string>();
  private readonly views: Array<FakeSlackView & { closed: boolean }> = [];
  private readonly uploads = new Map<string, PendingUpload>();
  private readonly sharedFiles: FakeSlackFile[] = [];
  private nextFile = 1;
  private nextSeq = 1;
  private nextMpim = 1;
  private nextView = 1;
  private nextTrigger = 1;
  private readonly sockets = new Set<WebSocket>();
  private readonly wss: WebSocketServer | undefined;
  private nextTs = 1;
  private nextEnvelope = 1;
  private port = 0;

  private readonly server: Server = createServer((request, response) => {
    void this.handle(request, response);
  });

  private constructor(private readonly options: FakeSlackOptions) {
    if (options.appToken) {
      this.wss = new WebSocketServer({ noServer: true });
      this.server.on("upgrade", (request, socket, head) => {
        this.wss?.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
      });
    }
  }

  static async start(options: FakeSlackOptions): Promise<FakeSlackApi> {
    const fake = new FakeSlackApi(options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once("error", reject);
      fake.server.listen(0, "127.0.0.1", () => resolve());
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** The Web API base URL to give the adapter as `apiUrl`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /**
   * A response_url whose posts are recorded as method `response_url` with this
   * name; with `forUser`, its ephemeral replies are what that user sees.
   */
  responseUrl(name: string, forUser?: string): string {
    if (forUser !== undefined) this.responseUrlUsers.set(name, forUser);
    return `http://127.0.0.1:${this.port}/response/${encodeURIComponent(name)}`;
  }

  /** A trigger id for something this user did (a command, a button press), as Slack issues one. */
  trigger(user: string): string {
    const id = `${this.nextTrigger++}.${Date.now()}.fake`;
    this.triggers.set(id, user);
    return id;
  }

  /** The bot's IM channel with this user (as Slack has one once they open the app's Messages tab). */
  imChannel(user: string): string {
    const id = `D${user}`;
    if (!this.conversations.has(id)) {
      this.conversations.set(id, { id, kind: "im", name: "directmessage", members: [user] });
    }
    return id;
  }

  conversation(channel: string): FakeSlackConversation | undefined {
    return this.conversations.get(channel);
  }

  /** The IMs and group DMs this user is in (as the fake knows them: channels have no member list), oldest first. */
  conversationsOf(user: string): FakeSlackConversation[] {
    return [...this.conversations.values()].filter((c) => c.kind !== "channel" && c.members.includes(user));
  }

  /** The bot's messages everyone in the channel sees, oldest first, with edits applied and deletions gone. */
  messagesIn(channel: string): FakeSlackMessage[] {
    return this.messages
      .filter((m) => m.channel === channel && m.onlyFor === undefined && m.author === undefined)
      .map((m) => ({ ...m }));
  }

  /** What people wrote in the channel (`personWrites`), oldest first, with their edits and deletions applied. */
  writtenIn(channel: string): FakeSlackMessage[] {
    return this.messages
      .filter((m) => m.channel === channel && m.author !== undefined)
      .map((m) => ({ ...m }));
  }

  /** What the bot showed this user privately: their IM with it, and ephemerals to them, in order. */
  seenPrivatelyBy(user: string): FakeSlackMessage[] {
    const im = `D${user}`;
    return this.messages
      .filter(
        (m) =>
          m.author === undefined && (m.onlyFor === user || (m.onlyFor === undefined && m.channel === im)),
      )
      .map((m) => ({ ...m }));
  }

  /** The files shared into a channel, oldest first. */
  filesIn(channel: string): FakeSlackFile[] {
    return this.sharedFiles.filter((file) => file.channel === channel).map((file) => ({ ...file }));
  }

  /** The files the bot shared into its IM with this user: what they alone see. */
  filesSeenPrivatelyBy(user: string): FakeSlackFile[] {
    return this.filesIn(`D${user}`);
  }

  /** Files uploaded but never shared (no files.completeUploadExternal, or one without channel_id). */
  get unsharedUploads(): number {
    return this.uploads.size;
  }

  /**
   * A person writes `text` (escaped as Slack sends it) in a conversation they
   * are in: their IM with the bot, or a group DM. Everyone there sees it; the
   * app is told with a `message` event (`message.im` / `message.mpim`).
   */
  personWrites(user: string, channel: string, text: string): FakeSlackEvent {
    const conversation = this.conversationOf(user, channel);
    const ts = this.newTs();
    this.messages.push({
      seq: this.nextSeq++,
      channel,
      ts,
      text,
      blocks: [],
      author: user,
      via: "person",
      edits: 0,
    });
    return {
      ts,
      body: this.eventBody({
        type: "message",
        channel,
        channel_type: conversation.kind,
        user,
        text,
        ts,
        event_ts: ts,
        team: this.teamId,
      }),
    };
  }

  /**
   * A person edits a message they wrote: everyone sees the new text, and the
   * app is told with a `message` event of subtype `message_changed`, carrying
   * the message as it is now and as it was.
   */
  personEdits(user: string, channel: string, ts: string, text: string): FakeSlackEvent {
    const conversation = this.conversationOf(user, channel);
    const message = this.ownMessage(user, channel, ts);
    const previous = { type: "message", user, text: message.text, ts, team: this.teamId };
    message.text = text;
    message.edits += 1;
    const eventTs = this.newTs();
    return {
      ts,
      body: this.eventBody({
        type: "message",
        subtype: "message_changed",
        hidden: true,
        channel,
        channel_type: conversation.kind,
        message: { type: "message", user, text, ts, team: this.teamId, edited: { user, ts: eventTs } },
        previous_message: previous,
        ts: eventTs,
        event_ts: eventTs,
      }),
    };
  }

  /**
   * A person deletes a message they wrote: it is gone for everyone, and the
   * app is told with a `message` event of subtype `message_deleted`, carrying
   * the message as it was.
   */
  personDeletes(user: string, channel: string, ts: string): FakeSlackEvent {
    const conversation = this.conversationOf(user, channel);
    const message = this.ownMessage(user, channel, ts);
    this.messages.splice(this.messages.indexOf(message), 1);
    const eventTs = this.newTs();
    return {
      ts,
      body: this.eventBody({
        type: "message",
        subtype: "message_deleted",
        hidden: true,
        channel,
        channel_type: conversation.kind,
        deleted_ts: ts,
        previous_message: { type: "message", user, text: message.text, ts, team: this.teamId },
        ts: eventTs,
        event_ts: eventTs,
      }),
    };
  }

  /** The modal last opened with a trigger this user was given, unless it was submitted. */
  openViewFor(user: string): FakeSlackView | undefined {
    const view = this.views.findLast((v) => v.user === user);
    return view && !view.closed ? { ...view } : undefined;
  }

  /** Closes a modal (Slack does when a submission is acknowledged without errors). */
  closeView(id: string): void {
    const view = this.views.find((v) => v.id === id);
    if (view) view.closed = true;
  }

  /**
   * Refuses the next chat.postMessage, chat.postEphemeral or chat.update into
   * this channel: with `{ ok: false, error }`, or HTTP 429 and Retry-After.
   */
  refuseNextPostIn(channel: string, refusal: FakeSlackRefusal): void {
    this.refusals.set(channel, refusal);
  }

  get teamId(): string {
    return this.options.teamId ?? "T0TEST";
  }

  addUser(user: FakeSlackUser): void {
    this.users.set(user.id, user);
  }

  /** Calls to `method` (all methods when omitted) that were answered, not rate-limited. */
  callsTo(method?: string): FakeSlackCall[] {
    return this.calls.filter(
      (call) => (method === undefined || call.method === method) && call.status === 200,
    );
  }

  /**
   * Enforces a rate limit as a platform does: at most `perSecond` calls to `methods` in each
   * one-second window (counted as they arrive, windows back to back from the first call);
   * one more is answered HTTP 429 with `Retry-After` (whole seconds, as Slack gives) and has
   * no effect. `rateLimited()` counts them.
   */
  enforceRate(perSecond: number, methods: readonly string[] = ["chat.postMessage"]): void {
    this.rateWindow = { perSecond, methods: new Set(methods), start: 0, used: 0 };
  }

  /** Calls to `method` (all methods when omitted) answered HTTP 429. */
  rateLimited(method?: string): FakeSlackCall[] {
    return this.calls.filter(
      (call) => (method === undefined || call.method === method) && call.status === 429,
    );
  }

  /** Answers the next `times` calls to `method` with HTTP 429 and `Retry-After: retryAfterSeconds`. */
  rateLimitNext(method: string, times: number, retryAfterSeconds: number): void {
    this.rateLimits.set(method, { times, retryAfterSeconds });
  }

  /** Answers the next `times` calls to `method` with `{ ok: false, error }`. */
  failNext(method: string, error: string, times = 1): void {
    this.failures.set(method, { times, error });
  }

  /** The next `times` calls to `method` take effect, then the connection is dropped unanswered. */
  dropResponseNext(method: string, times = 1): void {
    this.drops.set(method, times);
  }

  /** Leaves the next call to `method` unanswered until the returned function is called. */
  holdNext(method: string): () => void {
    let release = () => {};
    this.holds.set(
      method,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    return () => release();
  }

  /** Whether a Socket Mode client is connected. */
  get socketConnected(): boolean {
    return this.sockets.size > 0;
  }

  /** Sends a Socket Mode envelope (e.g. `slash_commands`, `events_api`, `interactive`); returns its id. */
  sendEnvelope(type: string, payload: Record<string, unknown>, retryAttempt = 0): string {
    const envelopeId = `env-${this.nextEnvelope++}`;
    const envelope = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== "events_api",
      ...(type === "events_api" ? { retry_attempt: retryAttempt, retry_reason: "" } : {}),
    };
    for (const socket of this.sockets) socket.send(JSON.stringify(envelope));
    return envelopeId;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.wss?.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A conversation this user is in (as the fake knows them: channels have no member list). */
  private conversationOf(user: string, channel: string): FakeSlackConversation {
    const conversation = this.conversations.get(channel);
    if (!conversation) throw new Error(`the fake knows no conversation ${channel}`);
    if (conversation.kind !== "channel" && !conversation.members.includes(user)) {
      throw new Error(`${user} isn't in ${channel}`);
    }
    return conversation;
  }

  /** The message `ts` this user wrote in the channel, still there. */
  private ownMessage(user: string, channel: string, ts: string) {
    const message = this.messages.find((m) => m.channel === channel && m.ts === ts);
    if (!message) throw new Error(`there is no message ${ts} in ${channel}`);
    if (message.author !== user) throw new Error(`${user} didn't write message ${ts} in ${channel}`);
    return message;
  }

  private newTs(): string {
    return `1700000000.${String(this.nextTs++).padStart(6, "0")}`;
  }

  /** An Events API request for one event, as Slack wraps it for this app. */
  private eventBody(event: Args): FakeSlackEvent["body"] {
    return {
      token: "legacy-verification-token",
      team_id: this.teamId,
      api_app_id: "A0TEST",
      type: "event_callback",
      event_id: `Ev${randomBytes(5).toString("hex").toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      event,
      authorizations: [
        {
          enterprise_id: null,
          team_id: this.teamId,
          user_id: this.options.botUserId ?? "U0BOT",
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
    };
  }

  /** Keeps a posted message as people will see it. */
  private record(method: "chat.postMessage" | "chat.postEphemeral", args: Args, ts: string): void {
    const channel = String(args.channel);
    if (!this.conversations.has(channel) && !channel.startsWith("D")) {
      this.conversations.set(channel, {
        id: channel,
        kind: "channel",
        name: channel.toLowerCase(),
        members: [],
      });
    }
    this.messages.push({
      seq: this.nextSeq++,
      channel,
      ts,
      text: typeof args.text === "string" ? args.text : "",
      blocks: Array.isArray(args.blocks) ? (args.blocks as Args[]) : [],
      ...(method === "chat.postEphemeral" ? { onlyFor: String(args.user) } : {}),
      ...(method === "chat.postMessage" && typeof args.metadata === "object" && args.metadata !== null
        ? { metadata: args.metadata as Args }
        : {}),
      via: method,
      edits: 0,
    });
  }

  /** A channel the bot can share into: one the fake knows (an IM, a group DM it opened, a channel it posted in). */
  private knowsChannel(channel: string): boolean {
    return this.conversations.has(channel);
  }

  /**
   * The bytes of a file, POSTed to the upload URL files.getUploadURLExternal
   * gave: raw, or the one file part of multipart form data. Slack answers
   * `OK - <bytes>`; an unknown URL is a 404, and (stricter than Slack
   * promises) bytes of another length than was declared are a 400.
   */
  private async receiveUpload(
    key: string,
    request: IncomingMessage,
    raw: Buffer,
    response: ServerResponse,
  ): Promise<void> {
    const at = Date.now();
    const upload = [...this.uploads.values()].find((u) => u.key === key && u.bytes === undefined);
    const contentType = request.headers["content-type"] ?? "";
    let bytes: Buffer | undefined = raw;
    if (contentType.startsWith("multipart/form-data")) {
      bytes = await multipartFile(raw, contentType);
    }
    const status = !upload ? 404 : bytes === undefined || bytes.length !== upload.length ? 400 : 200;
    this.calls.push({
      method: "upload_url",
      args: { file_id: upload?.id, length: bytes?.length },
      token: /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1],
      status,
      at,
    });
    if (upload && status === 200 && bytes) upload.bytes = bytes;
    response.writeHead(status, { "content-type": "text/plain" });
    response.end(status === 200 ? `OK - ${bytes?.length}` : status === 404 ? "Not Found" : "Bad Request");
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on("close", () => this.sockets.delete(ws));
    ws.on("message", (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      if (typeof message.envelope_id === "string") this.socketAcks.push(message);
    });
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: 1,
        debug_info: { host: "fake-slack", approximate_connection_time: 3600 },
        connection_info: { app_id: "A0TEST" },
      }),
    );
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const raw = await readBody(request);
    const body = raw.toString("utf8");
    const at = Date.now();
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];

    const responseUrl = /^\/response\/(.+)$/.exec(url.pathname);
    if (responseUrl?.[1] && request.method === "POST") {
      const args = JSON.parse(body || "{}") as Args;
      const name = decodeURIComponent(responseUrl[1]);
      this.calls.push({ method: "response_url", args, token, status: 200, responseUrlName: name, at });
      const user = this.responseUrlUsers.get(name);
      if (user !== undefined && args.response_type !== "in_channel") {
        const seq = this.nextSeq++;
        this.messages.push({
          seq,
          channel: "",
          ts: `response-${seq}`,
          text: typeof args.text === "string" ? args.text : "",
          blocks: Array.isArray(args.blocks) ? (args.blocks as Args[]) : [],
          onlyFor: user,
          via: "response_url",
          edits: 0,
        });
      }
      return send(response, 200, { ok: true });
    }

    const upload = /^\/upload\/v1\/([\w-]+)$/.exec(url.pathname);
    if (upload?.[1] && request.method === "POST")
      return this.receiveUpload(upload[1], request, raw, response);

    const method = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
    if (!method || request.method !== "POST") return send(response, 404, { ok: false, error: "not_found" });
    const args = parseArgs(body, request.headers["content-type"]);

    const refusal = POSTS.has(method) ? this.refusals.get(String(args.channel)) : undefined;
    if (refusal) {
      this.refusals.delete(String(args.channel));
      if ("retryAfterSeconds" in refusal) {
        this.calls.push({ method, args, token, status: 429, at });
        response.setHeader("Retry-After", String(refusal.retryAfterSeconds));
        return send(response, 429, { ok: false, error: "ratelimited" });
      }
      this.calls.push({ method, args, token, status: 200, at });
      return send(response, 200, { ok: false, error: refusal.error });
    }
    const window = this.rateWindow;
    if (window?.methods.has(method)) {
      if (at - window.start >= 1000) {
        window.start = window.start === 0 ? at : window.start + Math.floor((at - window.start) / 1000) * 1000;
        window.used = 0;
      }
      if (window.used >= window.perSecond) {
        this.calls.push({ method, args, token, status: 429, at });
        response.setHeader("Retry-After", String(Math.max(1, Math.ceil((window.start + 1000 - at) / 1000))));
        return send(response, 429, { ok: false, error: "ratelimited" });
      }
      window.used += 1;
    }
    const limit = this.rateLimits.get(method);
    if (limit && limit.times > 0) {
      limit.times -= 1;
      this.calls.push({ method, args, token, status: 429, at });
      response.setHeader("Retry-After", String(limit.retryAfterSeconds));
      return send(response, 429, { ok: false, error: "ratelimited" });
    }
    this.calls.push({ method, args, token, status: 200, at });
    const hold = this.holds.get(method);
    if (hold) {
      this.holds.delete(method);
      await hold;
    }

    const expected = method === "apps.connections.open" ? this.options.appToken : this.options.botToken;
    if (!token || token !== expected) return send(response, 200, { ok: false, error: "invalid_auth" });
    const failure = this.failures.get(method);
    if (failure && failure.times > 0) {
      failure.times -= 1;
      return send(response, 200, { ok: false, error: failure.error });
    }
    const answer = this.answer(method, args);
    const drops = this.drops.get(method) ?? 0;
    if (drops > 0) {
      this.drops.set(method, drops - 1);
      response.socket?.destroy();
      return;
    }
    return send(response, 200, answer);
  }

  private answer(method: string, args: Args): Answer {
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: "https://peer-test.slack.com/",
          team: "Peer Test",
          user: "peer-bot",
          team_id: this.teamId,
          user_id: this.options.botUserId ?? "U0BOT",
          bot_id: this.options.botId ?? "B0BOT",
        };
      case "chat.postMessage":
      case "chat.postEphemeral": {
        if (typeof args.channel !== "string" || args.channel === "") return fail("channel_not_found");
        // The group DMs here are only those conversations.open made.
        if (args.channel.startsWith("G") && !this.conversations.has(args.channel)) {
          return fail("channel_not_found");
        }
        const invalid = invalidMessage(args);
        if (invalid) return fail(invalid);
        if (method === "chat.postEphemeral" && typeof args.user !== "string") return fail("user_not_found");
        const ts = this.newTs();
        this.record(method, args, ts);
        if (method === "chat.postEphemeral") return { ok: true, message_ts: ts };
        return {
          ok: true,
          channel: args.channel,
          ts,
          message: { type: "message", text: args.text, user: this.options.botUserId ?? "U0BOT", ts },
        };
      }
      case "chat.update": {
        const message = this.messages.find(
          (m) => m.channel === args.channel && m.ts === args.ts && m.via === "chat.postMessage",
        );
        if (!message) return fail("message_not_found");
        const invalid = invalidMessage(args);
        if (invalid) return fail(invalid);
        message.text = typeof args.text === "string" ? args.text : "";
        // As on Slack, blocks left out of an update stay as they were.
        if (Array.isArray(args.blocks)) message.blocks = args.blocks as Args[];
        message.edits += 1;
        return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
      }
      case "chat.delete": {
        // As with a bot token on Slack: only the bot's own messages, never an ephemeral.
        const message = this.messages.find(
          (m) => m.channel === args.channel && m.ts === args.ts && m.onlyFor === undefined,
        );
        if (!message || message.via === "response_url") return fail("message_not_found");
        if (message.author !== undefined) return fail("cant_delete_message");
        this.messages.splice(this.messages.indexOf(message), 1);
        return { ok: true, channel: message.channel, ts: message.ts };
      }
      case "conversations.history": {
        const channel = typeof args.channel === "string" ? args.channel : "";
        if (!this.conversations.has(channel)) return fail("channel_not_found");
        const limit = Math.min(Number(args.limit ?? 100) || 100, 999);
        const withMetadata = args.include_all_metadata === true || args.include_all_metadata === "true";
        const messages = this.messages
          .filter((m) => m.channel === channel && m.onlyFor === undefined && m.via !== "response_url")
          .reverse()
          .slice(0, limit)
          .map((m) => ({
            type: "message",
            ts: m.ts,
            text: m.text,
            ...(m.author
              ? { user: m.author }
              : { user: this.options.botUserId ?? "U0BOT", bot_id: this.options.botId ?? "B0BOT" }),
            ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
          }));
        return { ok: true, messages, has_more: false };
      }
      case "conversations.open": {
        const users = (typeof args.users === "string" ? args.users : "").split(",").filter(Boolean);
        if (users.length === 0) return fail("no_user");
        if (users.some((user) => !this.users.has(user))) return fail("user_not_found");
        if (users.length === 1) return { ok: true, channel: { id: this.imChannel(users[0] ?? "") } };
        if (users.length > 8) return fail("too_many_users");
        const key = [...users].sort().join(",");
        let id = this.mpimByUsers.get(key);
        if (!id) {
          id = `GMPIM${this.nextMpim++}`;
          const names = users.map((user) => this.users.get(user)?.name ?? user);
          this.mpimByUsers.set(key, id);
          this.conversations.set(id, {
            id,
            kind: "mpim",
            name: `mpdm-${names.join("--")}-1`,
            members: users,
          });
        }
        return { ok: true, channel: { id, is_mpim: true } };
      }
      case "users.info": {
        const user = this.users.get(typeof args.user === "string" ? args.user : "");
        if (!user) return fail("user_not_found");
        return {
          ok: true,
          user: {
            id: user.id,
            team_id: this.teamId,
            name: user.name,
            real_name: user.realName ?? user.name,
            ...(user.tz ? { tz: user.tz } : {}),
            profile: { display_name: user.displayName ?? "", real_name: user.realName ?? user.name },
          },
        };
      }
      case "views.open": {
        const view = args.view as Args | undefined;
        if (typeof args.trigger_id !== "string" || !args.trigger_id) return fail("invalid_trigger_id");
        const title = (view?.title as { text?: string } | undefined)?.text ?? "";
        if (view?.type !== "modal" || title.length === 0 || title.length > MODAL_TITLE_LIMIT) {
          return fail("invalid_arguments");
        }
        const id = `V0VIEW${this.nextView++}`;
        const trigger = args.trigger_id;
        this.views.push({ id, triggerId: trigger, user: this.triggers.get(trigger), view, closed: false });
        return { ok: true, view: { ...view, id } };
      }
      case "files.getUploadURLExternal": {
        const { filename, length } = args;
        if (typeof filename !== "string" || filename.trim() === "") return fail("invalid_arguments");
        if (length === undefined || length === "" || length === "0") return fail("missing_argument");
        if (typeof length !== "string" || !/^\d+$/.test(length)) return fail("invalid_arguments");
        if (Number(length) > FILE_SIZE_LIMIT) return fail("file_upload_size_restricted");
        const id = `F0FILE${this.nextFile++}`;
        const key = randomBytes(12).toString("hex");
        this.uploads.set(id, { id, key, filename, length: Number(length) });
        return { ok: true, upload_url: `http://127.0.0.1:${this.port}/upload/v1/${key}`, file_id: id };
      }
      case "files.completeUploadExternal": {
        const files = args.files;
        if (!Array.isArray(files) || files.length === 0) return fail("invalid_arguments");
        const wanted: Array<{ upload: PendingUpload; title: string }> = [];
        for (const file of files as unknown[]) {
          const { id, title } = (file ?? {}) as { id?: unknown; title?: unknown };
          if (typeof id !== "string" || (title !== undefined && typeof title !== "string")) {
            return fail("invalid_arguments");
          }
          const upload = this.uploads.get(id);
          // Only a file whose bytes have all arrived can be completed, and only once.
          if (!upload?.bytes) return fail("file_not_found");
          wanted.push({ upload, title: title ?? upload.filename });
        }
        const channel = args.channel_id;
        if (channel !== undefined && (typeof channel !== "string" || !this.knowsChannel(channel))) {
          return fail("channel_not_found");
        }
        const threadTs = typeof args.thread_ts === "string" ? args.thread_ts : undefined;
        if (
          threadTs !== undefined &&
          !this.messages.some((m) => m.channel === channel && m.ts === threadTs)
        ) {
          return fail("invalid_thread_ts");
        }
        for (const { upload, title } of wanted) {
          this.uploads.delete(upload.id);
          if (channel === undefined) continue; // Uploaded, but private to the bot: nobody sees it.
          const bytes = upload.bytes ?? Buffer.alloc(0);
          this.sharedFiles.push({
            seq: this.nextSeq++,
            id: upload.id,
            channel,
            filename: upload.filename,
            title,
            bytes,
            content: bytes.toString("utf8"),
            ...(threadTs !== undefined ? { threadTs } : {}),
            ...(typeof args.initial_comment === "string" ? { initialComment: args.initial_comment } : {}),
          });
        }
        return { ok: true, files: wanted.map(({ upload, title }) => ({ id: upload.id, title })) };
      }
      case "apps.connections.open":
        if (!this.wss) return fail("not_allowed_token_type");
        return { ok: true, url: `ws://127.0.0.1:${this.port}/link` };
      default:
        return fail("unknown_method");
    }
  }
}

export function startFakeSlackApi(options: FakeSlackOptions): Promise<FakeSlackApi> {
  return FakeSlackApi.start(options);
}

/** Slack's checks the adapter must pass: text or blocks, text ≤ 40,000, section text ≤ 3000, ≤ 50 blocks. */
function invalidMessage(args: Args): string | undefined {
  if (typeof args.text === "string" && args.text.length > MESSAGE_TEXT_LIMIT) return "msg_too_long";
  const blocks = args.blocks;
  if (blocks === undefined) return typeof args.text === "string" && args.text !== "" ? undefined : "no_text";
  if (!Array.isArray(blocks) || blocks.length === 0 || blocks.length > MAX_BLOCKS) return "invalid_blocks";
  for (const block of blocks as Args[]) {
    const text = (block.text as { text?: unknown } | undefined)?.text;
    if (block.type === "section" && (typeof text !== "string" || text.length > SECTION_TEXT_LIMIT)) {
      return "invalid_blocks";
    }
    // As Slack: every action_id within one block must be different.
    if (block.type === "actions" && Array.isArray(block.elements)) {
      const ids = (block.elements as Args[]).map((element) => element.action_id);
      if (new Set(ids).size !== ids.length) return "invalid_blocks";
    }
  }
  return undefined;
}

function fail(error: string): Answer {
  return { ok: false, error };
}

/** The WebClient posts form-encoded arguments with nested values (blocks, view) as JSON strings. */
function parseArgs(body: string, contentType: string | undefined): Args {
  if (contentType?.startsWith("application/json")) return JSON.parse(body || "{}") as Args;
  const args: Args = {};
  for (const [key, value] of Object.entries(parseQuery(body))) {
    const text = Array.isArray(value) ? value.join(",") : (value ?? "");
    args[key] = /^[[{]/.test(text) ? tryJson(text) : text;
  }
  return args;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The one file in a multipart/form-data body (Node's own parser, as fetch's Response reads it); undefined unless exactly one. */
async function multipartFile(body: Buffer, contentType: string): Promise<Buffer | undefined> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    return undefined;
  }
  const files = [...form.values()].flatMap((value) => (typeof value === "string" ? [] : [value]));
  const [file] = files;
  return files.length === 1 && file ? Buffer.from(await file.arrayBuffer()) : undefined;
}

function send(response: ServerResponse, status: number, body: Answer): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
