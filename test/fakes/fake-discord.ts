import { randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * A small stand-in for Discord on loopback: the REST routes the adapter and
 * discord.js use, and a gateway that identifies one client and dispatches the
 * events a test asks for. Every REST call is recorded; routes can be made to
 * answer 429 or a Discord error. Ids are snowflakes, absent fields are omitted.
 *
 * It keeps what people would see: every message in every channel (the bot's
 * posts, interaction replies, people's messages, Discord's notices) with edits
 * and deletions applied, and the private threads the bot opens with their
 * members. People can edit and delete their own messages (`editMessage`,
 * `deleteMessage`). The gateway behaves as Discord's does for the intents the
 * client asked for: guild messages (created, updated, deleted) only with
 * GuildMessages, their text only with Message Content, the bot's own messages,
 * edits and deletions echoed back, and privileged intents refused (close code
 * 4014) unless `privilegedIntents` allows them.
 *
 * Messages can carry files, sent as Discord takes them: multipart/form-data
 * with the JSON body in `payload_json` and each file in a `files[n]` part,
 * listed in the body's `attachments` (`{ id: n, filename }`). The message
 * comes back with `attachments` (id, filename, size, url, …) as Discord
 * returns them, and each file's bytes can be fetched from its `url` on this
 * fake's port (no token, as from Discord's CDN). At most 10 files a message,
 * each at most 10 MiB. An edit that lists `attachments` keeps only those.
 *
 * A message posted with a `nonce` and `enforce_nonce: true` is remembered by
 * its nonce for `nonceWindowMs` (Discord says "the past few minutes"): a post
 * with the same nonce in that time creates nothing and is answered with the
 * message the first created, as it stands now. `holdResponses` lets the next
 * posts to a route take effect without ever being answered, as a platform
 * that took a message while the connection to the bot was lost.
 */

export interface FakeUser {
  readonly id: string;
  readonly username: string;
  readonly global_name?: string;
  readonly bot?: boolean;
}

/** A file part of a multipart request. */
export interface UploadedPart {
  /** The form field, e.g. `files[0]`. */
  readonly key: string;
  readonly filename: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

export interface RecordedCall {
  readonly method: string;
  /** The path after `/api/v10`, without the query, e.g. `/channels/123/messages`. */
  readonly route: string;
  readonly query: string;
  /** The JSON body (for multipart, its `payload_json`). */
  readonly body: unknown;
  /** The file parts of a multipart request. */
  readonly files?: readonly UploadedPart[];
  readonly auth: string | undefined;
  readonly status: number;
  readonly at: number;
}

/** A `{key: value}` JSON body, as the tests read it. */
export type Json = Record<string, unknown>;

/** Gateway intents the fake acts on. */
export const INTENTS = {
  guilds: 1 << 0,
  guildMembers: 1 << 1,
  guildPresences: 1 << 8,
  guildMessages: 1 << 9,
  directMessages: 1 << 12,
  messageContent: 1 << 15,
} as const;
const PRIVILEGED = INTENTS.guildMembers | INTENTS.guildPresences | INTENTS.messageContent;

const CHANNEL_TYPE = { text: 0, dm: 1, privateThread: 12, publicThread: 11 } as const;

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

/**
 * A message the bot created or changed, in order: in a channel, for an
 * interaction (its reply, the edit that fills a deferred reply, a follow-up),
 * or an edit of a channel message (`update`).
 */
export interface SentMessage {
  readonly via: "channel" | "reply" | "edit" | "followup" | "update";
  /** The interaction token, for interaction messages. */
  readonly token?: string;
  readonly message: Json;
}

/** A message as it stands now, with who made it and, for interaction messages, whose interaction it answered. */
export interface StoredMessage {
  readonly id: string;
  readonly channelId: string;
  /** The bot posting (`bot`), the bot answering an interaction, a person, or Discord itself. */
  readonly source: "bot" | "interaction" | "person" | "system";
  readonly token?: string;
  /** The user whose interaction this answers. */
  readonly interactionUser?: string;
  /** The message as Discord would return it now. */
  readonly object: Json;
}

/** A private (or public) thread in a guild channel. */
export interface FakeThread {
  readonly id: string;
  readonly parentId: string;
  readonly ownerId: string;
  readonly type: number;
  readonly name: string;
  readonly invitable: boolean;
  readonly autoArchiveDuration: number;
  /** User ids, the creator first. */
  readonly members: readonly string[];
  readonly archived: boolean;
  readonly deleted: boolean;
}

export interface Invocation {
  readonly id: string;
  readonly token: string;
}

/** A modal the bot opened in answer to an interaction. */
export interface OpenedModal {
  readonly userId: string;
  readonly token: string;
  readonly channelId: string;
  /** The modal as the bot sent it (`custom_id`, `title`, `components`). */
  readonly data: Json;
  readonly submitted: boolean;
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

interface Stored {
  readonly id: string;
  readonly channelId: string;
  readonly source: StoredMessage["source"];
  readonly token?: string;
  readonly interactionUser?: string;
  object: Json;
  deleted: boolean;
}

interface Thread {
  readonly id: string;
  readonly parentId: string;
  readonly ownerId: string;
  readonly type: number;
  name: string;
  readonly invitable: boolean;
  readonly autoArchiveDuration: number;
  readonly members: string[];
  readonly createdAt: string;
  archived: boolean;
  deleted: boolean;
}

interface Interaction {
  readonly id: string;
  readonly userId: string;
  readonly channelId: string;
  /** The message a component was on. */
  readonly messageId?: string;
  acknowledged: boolean;
  flags: number;
  /** The original response message, once there is one. */
  originalId?: string;
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

const notFound = (code: number, message: string) => ({ status: 404, body: { code, message } });

/** Discord's limits on files: how many a message carries, and the size of each (the interaction's attachment_size_limit). */
const MAX_ATTACHMENTS = 10;
const MAX_ATTACHMENT_BYTES = 10_485_760;

const invalidFormBody = (field: string, code: string, message: string) => ({
  status: 400,
  body: { code: 50035, message: "Invalid Form Body", errors: { [field]: { _errors: [{ code, message }] } } },
});

/** The `payload_json` and file parts of a multipart/form-data body (Node's own parser, as fetch's Response reads it). */
async function parseMultipart(
  raw: Buffer,
  contentType: string,
): Promise<{ payload: string | undefined; files: UploadedPart[] } | undefined> {
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
  } catch {
    return undefined;
  }
  let payload: string | undefined;
  const files: UploadedPart[] = [];
  for (const [key, value] of form.entries()) {
    if (typeof value === "string") {
      if (key === "payload_json") payload = value;
      continue;
    }
    files.push({
      key,
      filename: value.name,
      contentType: value.type,
      bytes: Buffer.from(await value.arrayBuffer()),
    });
  }
  return { payload, files };
}

export class FakeDiscord {
  readonly token = "fake-bot-token";
  readonly applicationId = snowflake();
  readonly guildId = snowflake();
  readonly guildChannelId = snowflake();
  /** A second text channel, for groups (the adapter's `groupsChannelId`). */
  readonly groupsChannelId = snowflake();
  readonly commandId = snowflake();
  readonly botUser = { id: snowflake(), username: "peer-bot", discriminator: "0", bot: true };
  readonly calls: RecordedCall[] = [];
  /** Identify payloads the gateway received. */
  readonly identifies: Json[] = [];
  /** Messages the bot created, in order. */
  readonly sent: SentMessage[] = [];
  /** The privileged intents the bot is allowed (all, unless a test says otherwise). */
  privilegedIntents = PRIVILEGED;

  private readonly users = new Map<string, FakeUser>();
  private readonly dmChannels = new Map<string, string>();
  private readonly messageStore = new Map<string, Stored>();
  /** The bytes behind each attachment's url, by attachment id. */
  private readonly attachmentBytes = new Map<
    string,
    { messageId: string; bytes: Buffer; contentType: string }
  >();
  private readonly threadStore = new Map<string, Thread>();
  private readonly interactions = new Map<string, Interaction>();
  private readonly modals: Array<{ -readonly [K in keyof OpenedModal]: OpenedModal[K] }> = [];
  private readonly failures: Failure[] = [];
  /** `enforceGlobalRate`: at most `perSecond` bot requests in each one-second window. */
  private globalWindow: { perSecond: number; start: number; used: number } | undefined;
  /** Messages posted with `enforce_nonce`, by nonce: the message id and when. */
  private readonly nonces = new Map<string, { messageId: string; at: number }>();
  /** How long a nonce is enforced (Discord: a few minutes). */
  nonceWindowMs = 5 * 60_000;
  private readonly holds: Array<{ method: string; pattern: RegExp; remaining: number }> = [];
  /** Requests taken in but never answered (`holdResponses`). */
  readonly held: RecordedCall[] = [];
  private readonly sockets = new Set<WebSocket>();
  private client: WebSocket | undefined;
  /** The intents the connected client identified with. */
  private intents = 0;
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

  /**
   * Enforces Discord's global rate limit at `perSecond`: at most that many requests with the bot's
   * token in each one-second window (counted as they arrive, windows back to back from the first).
   * Interaction responses (`/interactions/…`, `/webhooks/…`) are not counted, as Discord exempts
   * them. One more is answered 429 as Discord does for the global limit: `Retry-After` (seconds to
   * the window's end), `X-RateLimit-Global: true`, `X-RateLimit-Scope: global`, and
   * `{ global: true, retry_after }`; it has no effect. `rateLimitedCalls()` lists them.
   */
  enforceGlobalRate(perSecond: number): void {
    this.globalWindow = { perSecond, start: 0, used: 0 };
  }

  /** Calls answered 429 (by `enforceGlobalRate` or `rateLimit`). */
  rateLimitedCalls(): RecordedCall[] {
    return this.calls.filter((call) => call.status === 429);
  }

  /**
   * The next `times` calls to the route take effect (a post creates its message) but are never
   * answered: the connection stays open, silent, until the fake closes.
   */
  holdResponses(method: string, pattern: string, times = 1): void {
    this.holds.push({ method, pattern: routePattern(pattern), remaining: times });
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

  // ---- what was called, and what people see -----------------------------------

  callsTo(method: string, pattern: string): RecordedCall[] {
    const regex = routePattern(pattern);
    return this.calls.filter((call) => call.method === method && regex.test(call.route));
  }

  /** Every message that has not been deleted, oldest first, as it stands now. */
  messages(): StoredMessage[] {
    return [...this.messageStore.values()].filter((m) => !m.deleted).map((m) => ({ ...m }));
  }

  /** One message as it stands now. */
  message(id: string): StoredMessage | undefined {
    const stored = this.messageStore.get(id);
    return stored && !stored.deleted ? { ...stored } : undefined;
  }

  thread(id: string): FakeThread | undefined {
    const thread = this.threadStore.get(id);
    return thread ? { ...thread, members: [...thread.members] } : undefined;
  }

  threads(): FakeThread[] {
    return [...this.threadStore.keys()].flatMap((id) => this.thread(id) ?? []);
  }

  /** Whether the interaction has had its first response. */
  acknowledged(invocation: Invocation): boolean {
    return this.interactions.get(invocation.token)?.acknowledged ?? false;
  }

  /** The modal the bot last opened for this user that has not been submitted. */
  openModal(userId: string): OpenedModal | undefined {
    return this.modals.findLast((modal) => modal.userId === userId && !modal.submitted);
  }

  /** Archives a thread, as Discord does after its auto-archive time. */
  archiveThread(id: string): void {
    const thread = this.threadStore.get(id);
    if (!thread) throw new Error(`no thread ${id}`);
    thread.archived = true;
    if (this.client) this.dispatch("THREAD_UPDATE", this.threadObject(thread));
  }

  // ---- gateway events ----------------------------------------------------------

  /** Sends a dispatch (op 0) to the connected client. */
  dispatch(type: string, data: Json): void {
    if (!this.client) throw new Error("no client is connected to the fake gateway");
    this.sequence += 1;
    this.client.send(JSON.stringify({ op: 0, t: type, s: this.sequence, d: data }));
  }

  /** `/peer …` typed by `user`: in the guild channel, in their DM with the bot (`inDm`), or in a given channel or thread. */
  command(
    user: FakeUser,
    options: readonly OptionData[],
    where: { inDm?: boolean; channelId?: string } = {},
  ): Invocation {
    const channelId = where.inDm ? this.dmChannelFor(user.id) : (where.channelId ?? this.guildChannelId);
    return this.interact(user, 2, { id: this.commandId, name: "peer", type: 1, options }, channelId);
  }

  /** The member typing into an autocomplete option (mark it `focused`). */
  autocomplete(user: FakeUser, options: readonly OptionData[]): Invocation {
    return this.interact(
      user,
      4,
      { id: this.commandId, name: "peer", type: 1, options },
      this.guildChannelId,
    );
  }

  /** Presses the button with this custom id on the latest message that carries it. */
  press(user: FakeUser, customId: string): Invocation {
    const found = this.messages().findLast((m) =>
      JSON.stringify(m.object.components ?? []).includes(`"${customId}"`),
    );
    if (!found) throw new Error(`no message has a button ${customId}`);
    return this.pressOn(user, found.id, customId);
  }

  /** Presses the button with this custom id on one message, where that message is. */
  pressOn(user: FakeUser, messageId: string, customId: string): Invocation {
    const found = this.message(messageId);
    if (!found) throw new Error(`no message ${messageId}`);
    if (!JSON.stringify(found.object.components ?? []).includes(`"${customId}"`)) {
      throw new Error(`message ${messageId} has no button ${customId}`);
    }
    return this.interact(user, 3, { custom_id: customId, component_type: 2 }, found.channelId, found.object);
  }

  /**
   * Submits the modal `customId` with text in each field, as label components (Discord's current shape),
   * from where the modal was opened (the guild channel if the bot opened none).
   */
  submitModal(user: FakeUser, customId: string, values: Record<string, string>): Invocation {
    const modal = this.modals.findLast(
      (m) => m.userId === user.id && !m.submitted && m.data.custom_id === customId,
    );
    if (modal) modal.submitted = true;
    const components = Object.entries(values).map(([field, value], i) => ({
      type: 18,
      id: i * 2 + 1,
      component: { type: 4, id: i * 2 + 2, custom_id: field, value },
    }));
    return this.interact(
      user,
      5,
      { custom_id: customId, components },
      modal?.channelId ?? this.guildChannelId,
    );
  }

  /** A direct message from `user` to the bot. */
  directMessage(user: FakeUser, content: string): { id: string; channelId: string } {
    const channelId = this.dmChannelFor(user.id);
    const message = messageObject(channelId, user, content, { channel_type: 1, flags: 0 });
    this.store(message, "person");
    this.dispatch("MESSAGE_CREATE", message);
    return { id: String(message.id), channelId };
  }

  /**
   * `user` writes in a guild channel or thread. In an archived thread the
   * message brings it back first (THREAD_UPDATE), as on Discord.
   */
  guildMessage(user: FakeUser, channelId: string, content: string): { id: string } {
    const thread = this.threadStore.get(channelId);
    if (thread) {
      if (thread.deleted) throw new Error(`thread ${channelId} was deleted`);
      if (!thread.members.includes(user.id))
        throw new Error(`${user.username} is not in thread ${channelId}`);
      if (thread.archived) {
        thread.archived = false;
        this.dispatch("THREAD_UPDATE", this.threadObject(thread));
      }
    }
    const message = messageObject(channelId, user, content, {
      guild_id: this.guildId,
      member: this.guildMember(),
      flags: 0,
    });
    this.store(message, "person");
    this.dispatchMessage(message);
    return { id: String(message.id) };
  }

  /**
   * `user` edits a message they wrote (in a thread, a channel or their DM):
   * its text changes and the client gets MESSAGE_UPDATE with the whole
   * message, as Discord sends it.
   */
  editMessage(user: FakeUser, messageId: string, content: string): void {
    const stored = this.ownMessage(user, messageId);
    this.apply(stored, { content });
    this.dispatchMessage(stored.object, "MESSAGE_UPDATE");
  }

  /** `user` deletes a message they wrote: it is gone, and the client gets MESSAGE_DELETE (id and channel only). */
  deleteMessage(user: FakeUser, messageId: string): void {
    this.remove(this.ownMessage(user, messageId));
  }

  /** A thread someone else opens (the bot added to it), for tests of threads the bot did not open. */
  personThread(
    owner: FakeUser,
    parentId: string,
    name: string,
    type: number = CHANNEL_TYPE.privateThread,
  ): string {
    const thread = this.addThread(parentId, owner.id, name, type, true, 1440);
    thread.members.push(this.botUser.id);
    this.dispatch("THREAD_CREATE", { ...this.threadObject(thread), newly_created: true });
    return thread.id;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.gateway.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- internals ---------------------------------------------------------------

  private guildMember(): Json {
    return { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 };
  }

  /** A guild channel or thread as Discord describes it. */
  private channelObject(channelId: string): Json | undefined {
    const thread = this.threadStore.get(channelId);
    if (thread) return thread.deleted ? undefined : this.threadObject(thread);
    if (channelId === this.guildChannelId) return this.textChannel(channelId, "general", 0);
    if (channelId === this.groupsChannelId) return this.textChannel(channelId, "peer-groups", 1);
    return undefined;
  }

  private textChannel(id: string, name: string, position: number): Json {
    return { id, type: CHANNEL_TYPE.text, guild_id: this.guildId, name, position, permission_overwrites: [] };
  }

  private threadObject(thread: Thread): Json {
    return {
      id: thread.id,
      type: thread.type,
      guild_id: this.guildId,
      parent_id: thread.parentId,
      owner_id: thread.ownerId,
      name: thread.name,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0,
      message_count: 0,
      member_count: thread.members.length,
      total_message_sent: 0,
      thread_metadata: {
        archived: thread.archived,
        auto_archive_duration: thread.autoArchiveDuration,
        archive_timestamp: thread.createdAt,
        locked: false,
        invitable: thread.invitable,
        create_timestamp: thread.createdAt,
      },
    };
  }

  private addThread(
    parentId: string,
    ownerId: string,
    name: string,
    type: number,
    invitable: boolean,
    autoArchiveDuration: number,
  ): Thread {
    const thread: Thread = {
      id: snowflake(),
      parentId,
      ownerId,
      type,
      name,
      invitable,
      autoArchiveDuration,
      members: [ownerId],
      createdAt: new Date().toISOString(),
      archived: false,
      deleted: false,
    };
    this.threadStore.set(thread.id, thread);
    return thread;
  }

  private store(
    object: Json,
    source: Stored["source"],
    interaction?: { token: string; userId: string },
  ): Stored {
    const stored: Stored = {
      id: String(object.id),
      channelId: String(object.channel_id),
      source,
      ...(interaction ? { token: interaction.token, interactionUser: interaction.userId } : {}),
      object,
      deleted: false,
    };
    this.messageStore.set(stored.id, stored);
    return stored;
  }

  /** A message `user` wrote that is still there, in a thread that is. */
  private ownMessage(user: FakeUser, messageId: string): Stored {
    const stored = this.messageStore.get(messageId);
    if (!stored || stored.deleted) throw new Error(`no message ${messageId}`);
    const author = stored.object.author as { id?: string } | undefined;
    if (stored.source !== "person" || author?.id !== user.id) {
      throw new Error(`${user.username} did not write message ${messageId}`);
    }
    if (this.threadStore.get(stored.channelId)?.deleted)
      throw new Error(`thread ${stored.channelId} was deleted`);
    return stored;
  }

  /** Deletes a message, and tells the client as Discord does: its id and channel, nothing of who wrote it. */
  private remove(stored: Stored): void {
    stored.deleted = true;
    this.dispatchMessage({ id: stored.id, channel_id: stored.channelId }, "MESSAGE_DELETE");
  }

  /** A channel or thread of the guild (not a DM). */
  private inGuild(channelId: string): boolean {
    return (
      this.threadStore.has(channelId) ||
      channelId === this.guildChannelId ||
      channelId === this.groupsChannelId
    );
  }

  /**
   * MESSAGE_CREATE (or _UPDATE, or _DELETE) as the connected client would get
   * it, given its intents: guild messages carry guild_id, and without Message
   * Content arrive without the text of anyone but the bot.
   */
  private dispatchMessage(
    message: Json,
    type: "MESSAGE_CREATE" | "MESSAGE_UPDATE" | "MESSAGE_DELETE" = "MESSAGE_CREATE",
  ): void {
    if (!this.client) return;
    const inGuild = this.inGuild(String(message.channel_id));
    if (!(this.intents & (inGuild ? INTENTS.guildMessages : INTENTS.directMessages))) return;
    const author = message.author as { id?: string } | undefined;
    const blind =
      type !== "MESSAGE_DELETE" &&
      inGuild &&
      !(this.intents & INTENTS.messageContent) &&
      author?.id !== this.botUser.id;
    this.dispatch(type, {
      ...message,
      ...(inGuild ? { guild_id: this.guildId } : {}),
      ...(blind ? { content: "" } : {}),
    });
  }

  private interact(user: FakeUser, type: number, data: Json, channelId: string, message?: Json): Invocation {
    const id = snowflake();
    const token = `itok_${randomBytes(12).toString("hex")}`;
    this.interactions.set(token, {
      id,
      userId: user.id,
      channelId,
      ...(message ? { messageId: String(message.id) } : {}),
      acknowledged: false,
      flags: 0,
    });
    const inDm = channelId === this.dmChannelFor(user.id);
    const place = inDm
      ? {
          channel_id: channelId,
          channel: { id: channelId, type: CHANNEL_TYPE.dm, recipients: [user] },
          user,
          context: 1,
          authorizing_integration_owners: { "1": user.id },
        }
      : {
          guild_id: this.guildId,
          channel_id: channelId,
          channel: this.channelObject(channelId) ?? this.textChannel(channelId, "general", 0),
          member: { user, ...this.guildMember(), permissions: "1024" },
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
    const intents = Number(data.intents ?? 0);
    if (intents & PRIVILEGED & ~this.privilegedIntents) {
      socket.close(4014, "Disallowed intent(s).");
      return;
    }
    this.client = socket;
    this.intents = intents;
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
        this.textChannel(this.guildChannelId, "general", 0),
        this.textChannel(this.groupsChannelId, "peer-groups", 1),
      ],
      members: [],
      // The active threads the bot can see: so after a restart it knows the threads it is in.
      threads: [...this.threadStore.values()]
        .filter((t) => !t.deleted && !t.archived && t.members.includes(this.botUser.id))
        .map((t) => this.threadObject(t)),
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
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", "http://fake");
    if (req.method === "GET" && url.pathname.startsWith("/attachments/"))
      return this.serveAttachment(url, res);
    const route = decodeURIComponent(url.pathname).replace(/^\/api(\/v\d+)?/, "");
    const method = req.method ?? "GET";
    const contentType = req.headers["content-type"] ?? "";
    const multipart = contentType.startsWith("multipart/form-data")
      ? await parseMultipart(raw, contentType)
      : undefined;
    const text = multipart ? (multipart.payload ?? "") : raw.toString("utf8");
    const body = text === "" ? undefined : parseJson(text);
    const files = multipart?.files ?? [];
    const auth = req.headers.authorization;

    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      this.calls.push({
        method,
        route,
        query: url.search,
        body,
        ...(multipart ? { files } : {}),
        auth,
        status,
        at: Date.now(),
      });
      if (payload === undefined) res.writeHead(status, headers).end();
      else
        res
          .writeHead(status, { "content-type": "application/json", ...headers })
          .end(JSON.stringify(payload));
    };

    const exempt = route.startsWith("/interactions/") || route.startsWith("/webhooks/");
    const window = this.globalWindow;
    if (window && !exempt && auth === `Bot ${this.token}`) {
      const now = Date.now();
      if (now - window.start >= 1000) {
        window.start =
          window.start === 0 ? now : window.start + Math.floor((now - window.start) / 1000) * 1000;
        window.used = 0;
      }
      if (window.used >= window.perSecond) {
        const seconds = (window.start + 1000 - now) / 1000;
        return send(
          429,
          { message: "You are being rate limited.", retry_after: seconds, global: true },
          {
            "retry-after": String(seconds),
            "x-ratelimit-global": "true",
            "x-ratelimit-scope": "global",
          },
        );
      }
      window.used += 1;
    }
    const failure = this.failures.find(
      (f) => f.remaining > 0 && f.method === method && f.pattern.test(route),
    );
    if (failure) {
      failure.remaining -= 1;
      return send(failure.status, failure.body, failure.headers);
    }
    const open = route.startsWith("/interactions/") || route.startsWith("/webhooks/");
    if (!open && auth !== `Bot ${this.token}`) return send(401, { message: "401: Unauthorized", code: 0 });

    if (contentType.startsWith("multipart/form-data")) {
      if (!multipart) return send(400, { code: 50035, message: "Invalid Form Body" });
      if (multipart.payload !== undefined && typeof body !== "object") {
        return send(400, { code: 50109, message: "The request body contains invalid JSON." });
      }
    }
    const answer = this.route(method, route, body as Json | undefined, files);
    const hold = this.holds.find((h) => h.remaining > 0 && h.method === method && h.pattern.test(route));
    if (hold) {
      hold.remaining -= 1;
      this.held.push({ method, route, query: url.search, body, auth, status: answer.status, at: Date.now() });
      return;
    }
    send(answer.status, answer.body);
  }

  /** An attachment's bytes at its url, as Discord's CDN serves them. */
  private serveAttachment(url: URL, res: ServerResponse): void {
    const id = url.pathname.split("/")[3] ?? "";
    const found = this.attachmentBytes.get(id);
    const message = found ? this.messageStore.get(found.messageId) : undefined;
    if (!found || !message || message.deleted) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
      return;
    }
    res.writeHead(200, { "content-type": found.contentType }).end(found.bytes);
  }

  /**
   * The attachments of a new message from its file parts, as Discord makes
   * them: the body's `attachments` (when given) name the parts kept, by
   * `id` (the n of `files[n]`), and may rename them; without it every part is
   * kept. Or the error Discord answers for too many, too large or unknown files.
   */
  private attachmentsOf(
    channelId: string,
    body: Json | undefined,
    files: readonly UploadedPart[],
  ): { attachments: Json[]; bytes: Buffer[] } | { status: number; body: unknown } {
    if (files.length > MAX_ATTACHMENTS) {
      return invalidFormBody("files", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
    }
    if (files.some((file) => file.bytes.length > MAX_ATTACHMENT_BYTES)) {
      return { status: 413, body: { code: 40005, message: "Request entity too large" } };
    }
    const parts = new Map(files.map((file) => [/^files\[(\d+)\]$/.exec(file.key)?.[1] ?? file.key, file]));
    const listed: Json[] = Array.isArray(body?.attachments)
      ? (body.attachments as Json[])
      : [...parts.keys()].map((id) => ({ id }));
    const attachments: Json[] = [];
    const bytes: Buffer[] = [];
    for (const entry of listed) {
      const part = parts.get(String(entry.id));
      if (!part)
        return invalidFormBody("attachments", "ATTACHMENT_NOT_FOUND", `Unknown attachment ${entry.id}`);
      const id = snowflake();
      const filename = typeof entry.filename === "string" ? entry.filename : part.filename;
      const url = `http://127.0.0.1:${this.port}/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
      attachments.push({
        id,
        filename,
        size: part.bytes.length,
        url,
        proxy_url: url,
        ...(part.contentType ? { content_type: part.contentType } : {}),
        ...(typeof entry.description === "string" ? { description: entry.description } : {}),
      });
      bytes.push(part.bytes);
    }
    return { attachments, bytes };
  }

  private route(
    method: string,
    route: string,
    body: Json | undefined,
    files: readonly UploadedPart[] = [],
  ): { status: number; body?: unknown } {
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
    if (is("/channels/:id")) return this.channelRoute(method, parts[1] ?? "");
    if (method === "POST" && is("/channels/:id/messages")) {
      const channelId = parts[1] ?? "";
      const nonce = body?.enforce_nonce === true && body.nonce !== undefined ? String(body.nonce) : undefined;
      const earlier = nonce === undefined ? undefined : this.nonces.get(nonce);
      const original = earlier ? this.messageStore.get(earlier.messageId) : undefined;
      if (earlier && original && !original.deleted && Date.now() - earlier.at < this.nonceWindowMs) {
        // Another post with the same nonce: nothing new, the first message comes back.
        return { status: 200, body: original.object };
      }
      const thread = this.threadStore.get(channelId);
      if (thread?.deleted) return notFound(10003, "Unknown Channel");
      if (thread?.archived) {
        // The bot posting brings an archived thread back.
        thread.archived = false;
        if (this.client) this.dispatch("THREAD_UPDATE", this.threadObject(thread));
      }
      const attached = this.attachmentsOf(channelId, body, files);
      if ("status" in attached) return attached;
      const created = this.created("channel", channelId, body, undefined, attached);
      if (nonce !== undefined) this.nonces.set(nonce, { messageId: String(created.id), at: Date.now() });
      this.dispatchMessage(created);
      return { status: 200, body: created };
    }
    if (method === "PATCH" && is("/channels/:id/messages/:message")) {
      const stored = this.messageStore.get(parts[3] ?? "");
      if (!stored || stored.deleted || stored.channelId !== parts[1])
        return notFound(10008, "Unknown Message");
      if (stored.source !== "bot") {
        return {
          status: 403,
          body: { code: 50005, message: "Cannot edit a message authored by another user" },
        };
      }
      this.apply(stored, body);
      this.sent.push({ via: "update", message: stored.object });
      this.dispatchMessage(stored.object, "MESSAGE_UPDATE");
      return { status: 200, body: stored.object };
    }
    if (method === "DELETE" && is("/channels/:id/messages/:message")) {
      if (this.threadStore.get(parts[1] ?? "")?.deleted) return notFound(10003, "Unknown Channel");
      const stored = this.messageStore.get(parts[3] ?? "");
      if (!stored || stored.deleted || stored.channelId !== parts[1])
        return notFound(10008, "Unknown Message");
      // Anyone else's message needs Manage Messages, which the bot is not given.
      if (stored.source !== "bot")
        return { status: 403, body: { code: 50013, message: "Missing Permissions" } };
      this.remove(stored);
      return { status: 204 };
    }
    if (method === "POST" && is("/channels/:id/threads")) return this.openThread(parts[1] ?? "", body);
    if (is("/channels/:id/thread-members/:user")) {
      return this.threadMember(method, parts[1] ?? "", parts[3] ?? "");
    }
    if (method === "POST" && is("/interactions/:id/:token/callback")) {
      return this.callback(parts[2] ?? "", body);
    }
    if (is("/webhooks/:app/:token") || is("/webhooks/:app/:token/messages/:message")) {
      return this.webhook(method, parts, body);
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

  private channelRoute(method: string, channelId: string): { status: number; body?: unknown } {
    const channel = this.channelObject(channelId);
    if (!channel) return notFound(10003, "Unknown Channel");
    if (method === "GET") return { status: 200, body: channel };
    const thread = this.threadStore.get(channelId);
    if (method === "DELETE" && thread) {
      thread.deleted = true;
      if (this.client) {
        this.dispatch("THREAD_DELETE", {
          id: thread.id,
          guild_id: this.guildId,
          parent_id: thread.parentId,
          type: thread.type,
        });
      }
      return { status: 200, body: channel };
    }
    return { status: 405, body: { message: "405: Method Not Allowed", code: 0 } };
  }

  /** POST /channels/:id/threads without a message: a thread the bot owns, with THREAD_CREATE to the bot. */
  private openThread(parentId: string, body: Json | undefined): { status: number; body?: unknown } {
    if (parentId !== this.guildChannelId && parentId !== this.groupsChannelId) {
      return notFound(10003, "Unknown Channel");
    }
    const name = body?.name;
    const type = body?.type ?? CHANNEL_TYPE.privateThread;
    if (typeof name !== "string" || name.length < 1 || name.length > 100) {
      return { status: 400, body: { code: 50035, message: "Invalid Form Body", errors: { name: {} } } };
    }
    if (type !== CHANNEL_TYPE.privateThread && type !== CHANNEL_TYPE.publicThread) {
      return { status: 400, body: { code: 50035, message: "Invalid Form Body", errors: { type: {} } } };
    }
    const thread = this.addThread(
      parentId,
      this.botUser.id,
      name,
      Number(type),
      body?.invitable !== false,
      Number(body?.auto_archive_duration ?? 1440),
    );
    const object = this.threadObject(thread);
    const member = { id: thread.id, user_id: this.botUser.id, join_timestamp: thread.createdAt, flags: 0 };
    if (this.client) this.dispatch("THREAD_CREATE", { ...object, newly_created: true, member });
    return { status: 201, body: { ...object, member } };
  }

  private threadMember(method: string, threadId: string, userId: string): { status: number; body?: unknown } {
    const thread = this.threadStore.get(threadId);
    if (!thread || thread.deleted) return notFound(10003, "Unknown Channel");
    if (method !== "PUT") return { status: 405, body: { message: "405: Method Not Allowed", code: 0 } };
    const user = this.users.get(userId);
    if (!user) return notFound(10007, "Unknown Member");
    if (thread.archived) return { status: 400, body: { code: 50083, message: "Thread is archived" } };
    if (!thread.members.includes(userId)) {
      thread.members.push(userId);
      // Discord notes the addition in the thread itself.
      const notice = messageObject(thread.id, this.botUser, "", {
        type: 1,
        mentions: [user],
        flags: 0,
      });
      this.store(notice, "system");
      this.dispatchMessage(notice);
    }
    return { status: 204 };
  }

  private callback(token: string, body: Json | undefined): { status: number; body?: unknown } {
    const interaction = this.interactions.get(token);
    if (!interaction) return notFound(10062, "Unknown interaction");
    if (interaction.acknowledged) {
      return { status: 400, body: { code: 40060, message: "Interaction has already been acknowledged." } };
    }
    interaction.acknowledged = true;
    const data = (body?.data ?? {}) as Json;
    interaction.flags = Number(data.flags ?? 0);
    // A reply (type 4) is the original response message; a deferred reply (5) sets its flags for the edit.
    if (body?.type === 4) {
      interaction.originalId = String(this.created("reply", interaction.channelId, data, token).id);
    }
    // An update (7) edits the message the component was on.
    if (body?.type === 7 && interaction.messageId) {
      const stored = this.messageStore.get(interaction.messageId);
      if (stored) {
        this.apply(stored, data);
        this.sent.push({ via: "update", token, message: stored.object });
      }
    }
    if (body?.type === 9) {
      this.modals.push({
        userId: interaction.userId,
        token,
        channelId: interaction.channelId,
        data,
        submitted: false,
      });
    }
    return { status: 204 };
  }

  private webhook(
    method: string,
    parts: string[],
    body: Json | undefined,
  ): { status: number; body?: unknown } {
    const token = parts[2] ?? "";
    const interaction = this.interactions.get(token);
    if (parts[1] !== this.applicationId || !interaction?.acknowledged) {
      return notFound(10015, "Unknown Webhook");
    }
    const which = parts[4];
    if (which === undefined) {
      if (method !== "POST") return { status: 405, body: { message: "405: Method Not Allowed", code: 0 } };
      return { status: 200, body: this.created("followup", interaction.channelId, body, token) };
    }
    const messageId = which === "@original" ? interaction.originalId : which;
    const stored = messageId ? this.messageStore.get(messageId) : undefined;
    if (method === "PATCH") {
      if (stored && !stored.deleted && stored.token === token) {
        this.apply(stored, body);
        this.sent.push({ via: "edit", token, message: stored.object });
        return { status: 200, body: stored.object };
      }
      if (which !== "@original") return notFound(10008, "Unknown Message");
      // The edit that fills a deferred reply: the original response appears, with the deferral's flags.
      const created = this.created(
        "edit",
        interaction.channelId,
        { ...body, flags: interaction.flags },
        token,
      );
      interaction.originalId = String(created.id);
      return { status: 200, body: created };
    }
    if (method === "DELETE") {
      if (stored && stored.token === token) stored.deleted = true;
      return { status: 204 };
    }
    if (method === "GET" && stored && !stored.deleted) return { status: 200, body: stored.object };
    return notFound(10008, "Unknown Message");
  }

  /**
   * Replaces the fields an edit gives (content, components), as Discord's
   * PATCH does; `attachments`, when given, lists (by id) the ones to keep.
   */
  private apply(stored: Stored, body: Json | undefined): void {
    const kept = Array.isArray(body?.attachments)
      ? new Set((body.attachments as Json[]).map((entry) => String(entry.id)))
      : undefined;
    const attachments = (stored.object.attachments ?? []) as Json[];
    stored.object = {
      ...stored.object,
      ...(body?.content !== undefined ? { content: String(body.content) } : {}),
      ...(body?.components !== undefined ? { components: body.components } : {}),
      ...(kept ? { attachments: attachments.filter((a) => kept.has(String(a.id))) } : {}),
      edited_timestamp: new Date().toISOString(),
    };
  }

  /** Records a message the bot created and returns it as Discord would. */
  private created(
    via: SentMessage["via"],
    channelId: string,
    body: Json | undefined,
    token?: string,
    attached?: { attachments: Json[]; bytes: Buffer[] },
  ): Json {
    const interaction = token ? this.interactions.get(token) : undefined;
    const message = messageObject(channelId, this.botUser, String(body?.content ?? ""), {
      components: body?.components ?? [],
      flags: Number(body?.flags ?? 0),
      ...(attached ? { attachments: attached.attachments } : {}),
      ...(token ? { webhook_id: this.applicationId, application_id: this.applicationId } : {}),
    });
    for (const [i, attachment] of (attached?.attachments ?? []).entries()) {
      this.attachmentBytes.set(String(attachment.id), {
        messageId: String(message.id),
        bytes: attached?.bytes[i] ?? Buffer.alloc(0),
        contentType: String(attachment.content_type ?? "application/octet-stream"),
      });
    }
    this.store(
      message,
      token ? "interaction" : "bot",
      token && interaction ? { token, userId: interaction.userId } : undefined,
    );
    this.sent.push(token ? { via, token, message } : { via, message });
    return message;
  }
}
