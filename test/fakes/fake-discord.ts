import { randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * A small stand-in for Discord on loopback: the REST routes the adapter and
 * discord.js use, and a gateway that identifies one client and dispatches the
 * events a test asks for. Every REST call is recorded; routes can be made to
 * answer 429 or a Discord error. Ids are snowflakes, absent fields are omitted.
 */

export interface FakeUser {
  readonly id: string;
  readonly username: string;
  readonly global_name?: string;
  readonly bot?: boolean;
}

export interface RecordedCall {
  readonly method: string;
  /** The path after `/api/v10`, without the query, e.g. `/channels/123/messages`. */
  readonly route: string;
  readonly query: string;
  readonly body: unknown;
  readonly auth: string | undefined;
  readonly status: number;
  readonly at: number;
}

/** A `{key: value}` JSON body, as the tests read it. */
export type Json = Record<string, unknown>;

/** A message object as Discord sends it, with the fields discord.js expects present. */
function messageObject(channelId: string, author: unknown, content: string, extra: Json): Json {
  return {
    id: snowflake(),
    type: 0,
    channel_id: channelId,
    author,
    content,
    timestamp: new Date().toISOString(),
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    ...extra,
  };
}

/** A message the bot created: in a channel, or for an interaction (its reply, the edit of it, a follow-up). */
export interface SentMessage {
  readonly via: "channel" | "reply" | "edit" | "followup";
  /** The interaction token, for interaction messages. */
  readonly token?: string;
  readonly message: Json;
}

export interface Invocation {
  readonly id: string;
  readonly token: string;
}

/** A command option as Discord sends it: subcommand groups and subcommands nest their options. */
export interface OptionData {
  readonly name: string;
  readonly type: number;
  readonly value?: string | number | boolean;
  readonly focused?: boolean;
  readonly options?: readonly OptionData[];
}

interface Failure {
  readonly method: string;
  readonly pattern: RegExp;
  remaining: number;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Json;
}

const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;

/** A fresh snowflake id: milliseconds since Discord's epoch, then a counter. */
export function snowflake(): string {
  increment = (increment + 1n) % 4096n;
  return ((BigInt(Date.now()) - DISCORD_EPOCH) * 4_194_304n + increment).toString();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `/channels/:id/messages` as a regex over concrete routes. */
function routePattern(pattern: string): RegExp {
  const escaped = pattern
    .split("/")
    .map((part) => (part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${escaped}$`);
}

export class FakeDiscord {
  readonly token = "fake-bot-token";
  readonly applicationId = snowflake();
  readonly guildId = snowflake();
  readonly guildChannelId = snowflake();
  readonly commandId = snowflake();
  readonly botUser = { id: snowflake(), username: "peer-bot", discriminator: "0", bot: true };
  readonly calls: RecordedCall[] = [];
  /** Identify payloads the gateway received. */
  readonly identifies: Json[] = [];
  /** Messages the bot created, in order. */
  readonly sent: SentMessage[] = [];

  private readonly users = new Map<string, FakeUser>();
  private readonly dmChannels = new Map<string, string>();
  /** Interactions by token: where they happened, and how the first response set the original message. */
  private readonly interactions = new Map<
    string,
    { channelId: string; acknowledged: boolean; flags: number }
  >();
  private readonly failures: Failure[] = [];
  private readonly sockets = new Set<WebSocket>();
  private client: WebSocket | undefined;
  private sequence = 0;

  private constructor(
    private readonly server: Server,
    private readonly gateway: WebSocketServer,
    readonly port: number,
  ) {}

  static async start(): Promise<FakeDiscord> {
    const server = createServer();
    const gateway = new WebSocketServer({ server });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const fake = new FakeDiscord(server, gateway, (server.address() as AddressInfo).port);
    server.on("request", (req, res) => void fake.onRequest(req, res));
    gateway.on("connection", (socket) => fake.onConnection(socket));
    return fake;
  }

  /** The REST base to give discord.js (`rest.api`). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** A member of the fake guild. */
  user(username: string): FakeUser {
    const user = { id: snowflake(), username, global_name: username[0]?.toUpperCase() + username.slice(1) };
    this.users.set(user.id, user);
    return user;
  }

  /** The DM channel between the bot and a user (Discord keeps one per pair). */
  dmChannelFor(userId: string): string {
    let id = this.dmChannels.get(userId);
    if (!id) {
      id = snowflake();
      this.dmChannels.set(userId, id);
    }
    return id;
  }

  // ---- failures -------------------------------------------------------------

  /** The next `times` calls to the route answer 429 with `Retry-After: seconds`. */
  rateLimit(method: string, pattern: string, times: number, seconds: number): void {
    this.failures.push({
      method,
      pattern: routePattern(pattern),
      remaining: times,
      status: 429,
      headers: { "retry-after": String(seconds), "x-ratelimit-scope": "user" },
      body: { message: "You are being rate limited.", retry_after: seconds, global: false },
    });
  }

  /** Calls to the route answer a Discord error, e.g. 403 with code 50007 "Cannot send messages to this user". */
  failWith(
    method: string,
    pattern: string,
    error: { status: number; code: number; message: string },
    times = 1,
  ): void {
    this.failures.push({
      method,
      pattern: routePattern(pattern),
      remaining: times,
      status: error.status,
      headers: {},
      body: { code: error.code, message: error.message },
    });
  }

  // ---- what was called -------------------------------------------------------

  callsTo(method: string, pattern: string): RecordedCall[] {
    const regex = routePattern(pattern);
    return this.calls.filter((call) => call.method === method && regex.test(call.route));
  }

  // ---- gateway events ----------------------------------------------------------

  /** Sends a dispatch (op 0) to the connected client. */
  dispatch(type: string, data: Json): void {
    if (!this.client) throw new Error("no client is connected to the fake gateway");
    this.sequence += 1;
    this.client.send(JSON.stringify({ op: 0, t: type, s: this.sequence, d: data }));
  }

  /** `/peer …` typed by `user`, in the guild channel or (with `inDm`) in their DM with the bot. */
  command(user: FakeUser, options: readonly OptionData[], where: { inDm?: boolean } = {}): Invocation {
    return this.interact(
      user,
      2,
      { id: this.commandId, name: "peer", type: 1, options },
      where.inDm ?? false,
    );
  }

  /** The member typing into an autocomplete option (mark it `focused`). */
  autocomplete(user: FakeUser, options: readonly OptionData[]): Invocation {
    return this.interact(user, 4, { id: this.commandId, name: "peer", type: 1, options }, false);
  }

  /** Presses the button with this custom id on the latest message that carries it. */
  press(user: FakeUser, customId: string): Invocation {
    const sent = this.sent.findLast((s) =>
      JSON.stringify(s.message.components ?? []).includes(`"${customId}"`),
    );
    if (!sent) throw new Error(`no message has a button ${customId}`);
    const inDm = sent.message.channel_id === this.dmChannels.get(user.id);
    return this.interact(user, 3, { custom_id: customId, component_type: 2 }, inDm, sent.message);
  }

  /** Submits the modal `customId` with text in each field, as label components (Discord's current shape). */
  submitModal(user: FakeUser, customId: string, values: Record<string, string>): Invocation {
    const components = Object.entries(values).map(([field, value], i) => ({
      type: 18,
      id: i * 2 + 1,
      component: { type: 4, id: i * 2 + 2, custom_id: field, value },
    }));
    return this.interact(user, 5, { custom_id: customId, components }, false);
  }

  /** A direct message from `user` to the bot. */
  directMessage(user: FakeUser, content: string): { id: string; channelId: string } {
    const channelId = this.dmChannelFor(user.id);
    const message = messageObject(channelId, user, content, { channel_type: 1, flags: 0 });
    this.dispatch("MESSAGE_CREATE", message);
    return { id: String(message.id), channelId };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.gateway.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- internals ---------------------------------------------------------------

  private interact(user: FakeUser, type: number, data: Json, inDm: boolean, message?: Json): Invocation {
    const id = snowflake();
    const token = `itok_${randomBytes(12).toString("hex")}`;
    const channelId = inDm ? this.dmChannelFor(user.id) : this.guildChannelId;
    this.interactions.set(token, { channelId, acknowledged: false, flags: 0 });
    const place = inDm
      ? {
          channel_id: this.dmChannelFor(user.id),
          channel: { id: this.dmChannelFor(user.id), type: 1, recipients: [user] },
          user,
          context: 1,
          authorizing_integration_owners: { "1": user.id },
        }
      : {
          guild_id: this.guildId,
          channel_id: this.guildChannelId,
          channel: { id: this.guildChannelId, type: 0, guild_id: this.guildId, name: "general" },
          member: {
            user,
            roles: [],
            permissions: "1024",
            joined_at: new Date().toISOString(),
            deaf: false,
            mute: false,
            flags: 0,
          },
          guild_locale: "en-US",
          context: 0,
          authorizing_integration_owners: { "0": this.guildId },
        };
    this.dispatch("INTERACTION_CREATE", {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      data,
      ...place,
      ...(message ? { message } : {}),
      app_permissions: "0",
      locale: "en-US",
      entitlements: [],
      attachment_size_limit: 10_485_760,
    });
    return { id, token };
  }

  private onConnection(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on("close", () => {
      this.sockets.delete(socket);
      if (this.client === socket) this.client = undefined;
    });
    // A long heartbeat keeps the tests quiet; the client's first beat is at a random point within it.
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 60_000 } }));
    socket.on("message", (raw) => {
      const payload = JSON.parse(String(raw)) as { op: number; d: unknown };
      if (payload.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (payload.op === 2) this.identify(socket, payload.d as Json);
    });
  }

  private identify(socket: WebSocket, data: Json): void {
    this.identifies.push(data);
    this.client = socket;
    this.sequence = 0;
    this.dispatch("READY", {
      v: 10,
      user: { ...this.botUser, verified: true, mfa_enabled: false, flags: 0 },
      guilds: [{ id: this.guildId, unavailable: true }],
      session_id: randomBytes(16).toString("hex"),
      resume_gateway_url: this.gatewayUrl,
      shard: [0, 1],
      application: { id: this.applicationId, flags: 0 },
    });
    // Without the guild arriving, discord.js waits 15 s before it is ready.
    this.dispatch("GUILD_CREATE", {
      id: this.guildId,
      name: "Peer Network",
      owner_id: snowflake(),
      unavailable: false,
      joined_at: new Date().toISOString(),
      member_count: 2,
      large: false,
      features: [],
      roles: [
        {
          id: this.guildId,
          name: "@everyone",
          permissions: "1024",
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      channels: [
        {
          id: this.guildChannelId,
          type: 0,
          guild_id: this.guildId,
          name: "general",
          position: 0,
          permission_overwrites: [],
        },
      ],
      members: [],
      threads: [],
      emojis: [],
      stickers: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    const route = decodeURIComponent(url.pathname).replace(/^\/api(\/v\d+)?/, "");
    const method = req.method ?? "GET";
    const body = text === "" ? undefined : parseJson(text);
    const auth = req.headers.authorization;

    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      this.calls.push({ method, route, query: url.search, body, auth, status, at: Date.now() });
      if (payload === undefined) res.writeHead(status, headers).end();
      else
        res
          .writeHead(status, { "content-type": "application/json", ...headers })
          .end(JSON.stringify(payload));
    };

    const failure = this.failures.find(
      (f) => f.remaining > 0 && f.method === method && f.pattern.test(route),
    );
    if (failure) {
      failure.remaining -= 1;
      return send(failure.status, failure.body, failure.headers);
    }
    const open = route.startsWith("/interactions/") || route.startsWith("/webhooks/");
    if (!open && auth !== `Bot ${this.token}`) return send(401, { message: "401: Unauthorized", code: 0 });

    const answer = this.route(method, route, body as Json | undefined);
    send(answer.status, answer.body);
  }

  private route(method: string, route: string, body: Json | undefined): { status: number; body?: unknown } {
    const parts = route.split("/").slice(1);
    const is = (pattern: string) => routePattern(pattern).test(route);

    if (method === "GET" && route === "/gateway/bot") {
      return {
        status: 200,
        body: {
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
        },
      };
    }
    if (method === "GET" && route === "/users/@me") return { status: 200, body: this.botUser };
    if (method === "POST" && route === "/users/@me/channels") {
      const recipient = String(body?.recipient_id);
      const user = this.users.get(recipient) ?? { id: recipient, username: `user${recipient}` };
      return { status: 200, body: { id: this.dmChannelFor(recipient), type: 1, recipients: [user] } };
    }
    if (method === "POST" && is("/channels/:id/messages")) {
      return { status: 200, body: this.created("channel", parts[1] ?? "", body) };
    }
    if (method === "POST" && is("/interactions/:id/:token/callback")) {
      const interaction = this.interactions.get(parts[2] ?? "");
      if (!interaction) return { status: 404, body: { code: 10062, message: "Unknown interaction" } };
      if (interaction.acknowledged) {
        return { status: 400, body: { code: 40060, message: "Interaction has already been acknowledged." } };
      }
      interaction.acknowledged = true;
      const data = (body?.data ?? {}) as Json;
      interaction.flags = Number(data.flags ?? 0);
      // A reply (type 4) is the original response message; a deferred reply (5) sets its flags for the edit.
      if (body?.type === 4) this.created("reply", interaction.channelId, data, parts[2]);
      return { status: 204 };
    }
    if (is("/webhooks/:app/:token") || is("/webhooks/:app/:token/messages/@original")) {
      const token = parts[2] ?? "";
      const interaction = this.interactions.get(token);
      if (parts[1] !== this.applicationId || !interaction?.acknowledged) {
        return { status: 404, body: { code: 10015, message: "Unknown Webhook" } };
      }
      if (method === "PATCH") {
        const edit = { ...body, flags: interaction.flags };
        return { status: 200, body: this.created("edit", interaction.channelId, edit, token) };
      }
      if (method === "POST")
        return { status: 200, body: this.created("followup", interaction.channelId, body, token) };
      if (method === "DELETE") return { status: 204 };
    }
    if (
      method === "PUT" &&
      (is("/applications/:app/commands") || is("/applications/:app/guilds/:guild/commands"))
    ) {
      const commands = Array.isArray(body) ? (body as Json[]) : [];
      return {
        status: 200,
        body: commands.map((command) => ({
          ...command,
          id: snowflake(),
          application_id: parts[1],
          version: snowflake(),
        })),
      };
    }
    return { status: 404, body: { message: "404: Not Found", code: 0 } };
  }

  /** Records a message the bot created and returns it as Discord would. */
  private created(via: SentMessage["via"], channelId: string, body: Json | undefined, token?: string): Json {
    const message = messageObject(channelId, this.botUser, String(body?.content ?? ""), {
      components: body?.components ?? [],
      flags: Number(body?.flags ?? 0),
      ...(token ? { webhook_id: this.applicationId, application_id: this.applicationId } : {}),
    });
    this.sent.push(token ? { via, token, message } : { via, message });
    return message;
  }
}
