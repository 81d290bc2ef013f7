import { once } from "node:events";
import {
  type AutocompleteInteraction,
  ChannelType,
  Client,
  type CloseEvent,
  Events,
  GatewayCloseCodes,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
  type PartialMessage,
  Partials,
  type User,
} from "discord.js";
import { BotError } from "../../src/errors.js";
import type { Logger } from "../../src/logging/logger.js";
import {
  type ChatPlatform,
  type ConversationRef,
  type InboundEvent,
  type InboundHandler,
  type MemberId,
  type MessageRef,
  type OutboundMessage,
  type PostOptions,
  type PostedRef,
  type Responder,
  dmWith,
} from "../../src/platform/chat-platform.js";
import type { MemberCache } from "../../src/platform/member-cache.js";
import { type SendGate, openGate, reportingDrops } from "../../src/platform/send-gate.js";
import { within } from "../../src/time/within.js";
import { destinationOf } from "./conversations.js";
import { DirectMessages } from "./direct-messages.js";
import { toBotError } from "./discord-errors.js";
import { formValues } from "./form-modal.js";
import { editedText, wasHandedOn } from "./group-changes.js";
import { GROUPS_CHANNEL_VARIABLE, GroupThreads } from "./group-threads.js";
import { InteractionReplies, type RepliableInteraction } from "./interaction-replies.js";
import { parseCustomId } from "./message-bodies.js";
import { guardPackets } from "./packet-guard.js";
import { commandText, suggestsTimeZones } from "./peer-command.js";
import { suggestTimeZones } from "./time-zones.js";

export interface DiscordAdapterConfig {
  readonly token: string;
  /** Kept with the token for registration; the running client learns it from the gateway. */
  readonly applicationId: string;
  /** Where `/peer` is registered (see register-commands.ts); the running bot answers it anywhere. */
  readonly guildId?: string | undefined;
  /** REST base of a stand-in API, without a trailing slash, e.g. `http://127.0.0.1:4020/api`. */
  readonly apiUrl?: string | undefined;
  readonly memberCache: MemberCache;
  readonly logger: Logger;
  /** How long a command or button is held open for a possible form before it is deferred. Discord allows 3 s. */
  readonly formDeadlineMs?: number;
  /** Rate-limit waits up to this long are sat out (and the request retried); longer ones throw RateLimitedError. */
  readonly maxRateLimitWaitMs?: number;
  /**
   * The text channel (by id) where groups are opened as private threads
   * (`DISCORD_GROUPS_CHANNEL_ID`). Without it `openGroup` throws
   * CONFIG_INVALID, and the bot asks for no guild-message intents.
   */
  readonly groupsChannelId?: string | undefined;
  /**
   * The platform's pacing (bin/app.ts gives the one the outbound queue uses): replies posted
   * as messages (in a DM) take turns in its reply lane, ahead of scheduled sends, and global
   * 429s discord.js sits out itself slow it down. Without it replies go straight out.
   */
  readonly gate?: SendGate;
}

type Interactive = Pick<InboundEvent, "member" | "displayName">;

/**
 * The gateway intents. Guilds (slash commands, and the threads the bot opens)
 * and DirectMessages (DMs carry their text without Message Content) always.
 * With a groups channel, also GuildMessages, to hear what members write in the
 * group threads, and Message Content, without which Discord sends those
 * messages with empty text. Message Content is privileged: it must be turned
 * on for the bot in the Developer Portal, or Discord refuses the connection.
 * The bot reads only messages in the threads it opened; the rest are dropped
 * unread. The same two bring the edits and deletions of those messages.
 */
export function discordIntents(groups: boolean): GatewayIntentBits[] {
  const always = [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages];
  return groups ? [...always, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent] : always;
}

/** How long an inbound event waits on the member cache before going on without it. */
const CACHE_WAIT_MS = 500;

/**
 * The Discord side of the bot: `/peer` slash commands, buttons and modals in
 * servers and DMs, direct messages both ways, and groups as private threads
 * in the configured groups channel (see `discordIntents` for what that asks
 * of the gateway).
 */
export class DiscordAdapter implements ChatPlatform {
  readonly name = "discord";
  readonly capabilities = { buttons: true, forms: true } as const;

  private readonly client: Client;
  private readonly dms: DirectMessages;
  private readonly groups: GroupThreads;
  private readonly logger: Logger;
  private handler: InboundHandler | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly gate: SendGate;

  constructor(private readonly config: DiscordAdapterConfig) {
    const maxWait = config.maxRateLimitWaitMs ?? 10_000;
    this.client = new Client({
      intents: discordIntents(config.groupsChannelId !== undefined),
      // DM channels are not cached at start, so their messages arrive as partial channels. A
      // member's edit of a message discord.js has not cached (sent before a restart) arrives as a
      // partial message, made whole by the update (which carries the author and text).
      partials: [Partials.Channel, Partials.Message],
      allowedMentions: { parse: [] },
      rest: {
        ...(config.apiUrl ? { api: config.apiUrl } : {}),
        rejectOnRateLimit: (limit) => limit.retryAfter > maxWait,
      },
    });
    // Set now so sends work before (or without) a gateway connection.
    this.client.rest.setToken(config.token);
    this.gate = config.gate ?? openGate;
    // discord.js reads X-RateLimit-Limit/Remaining/Reset-After/Bucket itself and sits out each
    // route's bucket (per channel), so the pacer need not; what it can't share with other
    // processes is a 429 on the global limit (50 requests a second for the whole bot), which it
    // retries after the wait without telling anyone. Seen here, such a 429 holds every sender
    // back, in every process, and slows the pace. Longer waits discord.js throws as a
    // RateLimitError instead, and whoever sent it backs off (counted there, not here).
    this.client.rest.on("response", (_request, response) => {
      // discord.js hands listeners a clone; its body is never read here, so it is let go at once.
      const body = response.body as { cancel?: () => Promise<void> } | null;
      body?.cancel?.().catch(() => {});
      if (response.status !== 429) return;
      const global =
        response.headers.get("x-ratelimit-global") !== null ||
        response.headers.get("x-ratelimit-scope") === "global";
      const retryAfterMs = Number(response.headers.get("retry-after") ?? "1") * 1000;
      if (global && retryAfterMs <= maxWait) this.gate.rateLimited(retryAfterMs);
    });
    guardPackets(this.client, config.logger.child({ platform: "discord" }));
    this.dms = new DirectMessages(this.client.rest, config.memberCache, this.gate);
    this.logger = config.logger.child({ platform: "discord" });
    this.groups = new GroupThreads(this.client.rest, config.groupsChannelId, this.logger);
  }

  async start(handler: InboundHandler): Promise<void> {
    this.handler = handler;
    // A rejection left unhandled would end the process, so each event is guarded.
    this.client.on(Events.InteractionCreate, (interaction) => this.guard(this.onInteraction(interaction)));
    this.client.on(Events.MessageCreate, (message) => this.guard(this.onMessage(message)));
    this.client.on(Events.MessageUpdate, (old, updated) => this.guard(this.onMessageUpdate(old, updated)));
    this.client.on(Events.MessageDelete, (message) => this.guard(this.onMessageDelete(message)));
    this.client.on(Events.MessageBulkDelete, (messages) => {
      for (const message of messages.values()) this.guard(this.onMessageDelete(message));
    });
    this.client.on(Events.Error, (error) =>
      this.logger.error({ code: "PLATFORM_FAILED", err: error.name }, "discord client error"),
    );
    // Discord closing the gateway for good (e.g. an intent not allowed) means Ready never comes.
    let refused: (event: CloseEvent) => void = () => {};
    const closed = new Promise<never>((_, reject) => {
      refused = (event) => reject(gatewayRefusal(event.code));
      this.client.once(Events.ShardDisconnect, refused);
    });
    try {
      // Ready comes once the guilds have arrived, after login resolves.
      await Promise.race([
        Promise.all([once(this.client, Events.ClientReady), this.client.login(this.config.token)]),
        closed,
      ]);
    } catch (error) {
      throw toBotError(error, "login");
    } finally {
      this.client.off(Events.ShardDisconnect, refused);
      closed.catch(() => {});
    }
    this.logger.info({ user: this.client.user?.id }, "discord connected");
  }

  /** Logged in and the gateway ready (not while it reconnects, nor after stop). */
  connected(): boolean {
    return this.client.isReady();
  }

  /** Stops taking events, then waits for the ones being handled. */
  async stop(): Promise<void> {
    this.client.removeAllListeners();
    await this.idle();
    await this.client.destroy();
  }

  /** Resolves once every event that has reached the adapter has been handled. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Posts into a member's DM (opening it if need be), a group thread or a
   * channel. Text over 2000 characters goes as several messages, the buttons
   * and files (as attachments) on the last; the reference is to that last one.
   * A scheduled send (`options.sendId`) carries a nonce with `enforce_nonce`.
   */
  async post(
    conversation: ConversationRef,
    message: OutboundMessage,
    options?: PostOptions,
  ): Promise<PostedRef> {
    const to = destinationOf(conversation);
    const sendId = options?.sendId;
    if (sendId !== undefined) {
      // A scheduled send: with its nonce, so a second post of it returns the first (see postOnce).
      // Paced, the outbound queue took the first part's turn; each further part takes its own.
      const paced = options?.paced === true;
      const posted =
        to.kind === "dm"
          ? await this.dms.sendOnce(to.member, message, sendId, paced)
          : await this.dms.postOnce(to.channelId, message, sendId, paced).catch((error: unknown) => {
              throw toBotError(error, `${conversation.kind} post`);
            });
      return { conversation, id: posted.id, ...(posted.repeated ? { repeated: true } : {}) };
    }
    if (to.kind === "dm") return { conversation, id: await this.dms.send(to.member, message) };
    try {
      return { conversation, id: await this.dms.post(to.channelId, message) };
    } catch (error) {
      throw toBotError(error, `${conversation.kind} post`);
    }
  }

  /** Replaces a message's text and buttons (no buttons removes them). The text must fit in one message. */
  async edit(message: MessageRef, replacement: OutboundMessage): Promise<void> {
    const to = destinationOf(message.conversation);
    if (to.kind === "dm") return this.dms.edit(to.member, message.id, replacement);
    try {
      await this.dms.editIn(to.channelId, message.id, replacement);
    } catch (error) {
      throw toBotError(error, `${message.conversation.kind} edit`);
    }
  }

  /**
   * Deletes a message the bot posted (every part of one sent in several, when
   * this process sent it). One already gone resolves quietly.
   */
  async delete(message: MessageRef): Promise<void> {
    const to = destinationOf(message.conversation);
    if (to.kind === "dm") return this.dms.delete(to.member, message.id);
    try {
      await this.dms.deleteIn(to.channelId, message.id);
    } catch (error) {
      throw toBotError(error, `${message.conversation.kind} delete`);
    }
  }

  /** A private thread in the groups channel, named `title`, with each member added. */
  openGroup(members: readonly MemberId[], title: string): Promise<ConversationRef> {
    return this.groups.open(members, title);
  }

  private async onInteraction(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) return this.suggest(interaction);
    if (!interaction.isChatInputCommand() && !interaction.isButton() && !interaction.isModalSubmit()) return;
    const person = who(interaction.user);
    const conversation = this.conversationOf(interaction, person.member);
    if (interaction.isChatInputCommand()) {
      if (interaction.commandName !== "peer") return;
      const text = commandText(interaction.options.data);
      return this.answer(interaction, { ...person, conversation, kind: "command", text, raw: interaction });
    }
    if (interaction.isButton()) {
      const pressed = parseCustomId(interaction.customId);
      // An ephemeral message can only be edited through its interaction, so it gets no reference.
      const onMessage = interaction.message.flags.has(MessageFlags.Ephemeral)
        ? {}
        : { message: { conversation, id: interaction.message.id } };
      return this.answer(interaction, {
        ...person,
        conversation,
        kind: "button",
        ...pressed,
        ...onMessage,
        raw: interaction,
      });
    }
    const values = formValues(interaction);
    return this.answer(interaction, {
      ...person,
      conversation,
      kind: "form",
      formId: interaction.customId,
      values,
      raw: interaction,
    });
  }

  /** Where an interaction happened: the member's DM, a group thread, or a channel (and thread) in a server. */
  private conversationOf(interaction: RepliableInteraction, member: MemberId): ConversationRef {
    const channel = interaction.channel;
    if (!interaction.guildId || channel?.type === ChannelType.DM) return dmWith(member);
    const group = this.groups.groupOf(channel, this.client.user?.id);
    if (group) return group;
    if (channel?.isThread() && channel.parentId) {
      return { kind: "channel", id: `discord:${channel.parentId}`, thread: channel.id };
    }
    return { kind: "channel", id: `discord:${interaction.channelId ?? interaction.guildId}` };
  }

  private async answer(interaction: RepliableInteraction, event: InboundEvent): Promise<void> {
    const replies = new InteractionReplies(interaction, this.logger);
    if (interaction.isModalSubmit()) {
      try {
        await replies.deferNow();
      } catch (error) {
        // Unacknowledged, the interaction is dead: running the core would act without being able to answer.
        this.logger.warn({ code: toBotError(error, "defer").code, kind: event.kind }, "interaction expired");
        return;
      }
    } else {
      replies.hold(this.config.formDeadlineMs ?? 2000);
    }
    const dmChannel = interaction.channel?.type === ChannelType.DM ? interaction.channelId : null;
    try {
      const inDm = async (message: OutboundMessage) => {
        await this.dms.send(event.member, message, "reply");
      };
      await this.deliver(event, replies.responder(inDm), dmChannel ?? undefined);
    } finally {
      await replies
        .finish()
        .catch((error: unknown) =>
          this.logger.warn({ code: toBotError(error, "finish").code }, "could not close an interaction"),
        );
    }
  }

  private async onMessage(message: Message): Promise<void> {
    // Other bots (and the bot itself), and Discord's own notices ("… added … to the thread").
    if (message.author.bot || message.system) return;
    if (message.guildId !== null) return this.onGroupMessage(message);
    if (message.channel.type !== ChannelType.DM) return;
    const person = who(message.author);
    const channelId = message.channelId;
    const conversation = dmWith(person.member);
    const responder: Responder = {
      reply: async (reply) => {
        try {
          await this.dms.post(channelId, reply, "reply");
        } catch (error) {
          throw toBotError(error, "direct reply");
        }
      },
    };
    await this.deliver(
      {
        ...person,
        conversation,
        kind: "message",
        text: message.content,
        message: { conversation, id: message.id },
        raw: message,
      },
      responder,
      channelId,
    );
  }

  /**
   * A message in a group thread the bot opened; messages anywhere else in the
   * server are dropped unread. The answer goes to the member's DM, never into
   * the thread in front of the group.
   */
  private async onGroupMessage(message: Message): Promise<void> {
    const conversation = this.groups.groupOf(message.channel, this.client.user?.id);
    // Attachments or stickers alone carry no words for the core.
    if (!conversation || message.content === "") return;
    const person = who(message.author);
    await this.deliver(
      {
        ...person,
        conversation,
        kind: "message",
        text: message.content,
        message: { conversation, id: message.id },
        raw: message,
      },
      this.answerInDm(person.member),
      undefined,
    );
  }

  /**
   * A member's edit of a message they wrote in a group thread the bot opened,
   * when its text changed (see `editedText`). Discord sends the author with
   * the update. Everything else is dropped.
   */
  private async onMessageUpdate(old: Message | PartialMessage, updated: Message): Promise<void> {
    const text = editedText(old, updated);
    if (text === undefined) return;
    const conversation = this.groups.groupOf(updated.channel, this.client.user?.id);
    if (!conversation) return;
    const person = who(updated.author);
    await this.deliver(
      {
        ...person,
        conversation,
        kind: "message-edited",
        message: { conversation, id: updated.id },
        text,
        raw: updated,
      },
      this.answerInDm(person.member),
      undefined,
    );
  }

  /**
   * A deletion in a group thread the bot opened, of a message a member wrote
   * there. Discord does not say whose message it was (nor who deleted it), so
   * the author is the one discord.js cached when it arrived. A message it
   * has no record of (a partial: sent before a restart, or pushed out of the
   * cache of each channel's latest 200 messages) has no known author, and its
   * deletion is dropped.
   */
  private async onMessageDelete(message: Message | PartialMessage): Promise<void> {
    if (!wasHandedOn(message)) return;
    const conversation = this.groups.groupOf(message.channel, this.client.user?.id);
    if (!conversation) return;
    const person = who(message.author);
    await this.deliver(
      {
        ...person,
        conversation,
        kind: "message-deleted",
        message: { conversation, id: message.id },
        raw: message,
      },
      this.answerInDm(person.member),
      undefined,
    );
  }

  /** An answer to something a member did in a group goes to their DM, never in front of the group. */
  private answerInDm(member: MemberId): Responder {
    return {
      reply: async (reply) => {
        await this.dms.send(member, reply, "reply");
      },
    };
  }

  private async deliver(
    event: InboundEvent,
    responder: Responder,
    dmChannel: string | undefined,
  ): Promise<void> {
    // Waits a little for the member cache (Redis), never long: a reply, above all to someone who
    // may be at risk, must not be held up by a slow Redis.
    const noted = this.dms.noteInbound(event.member, dmChannel).catch((error: unknown) => {
      this.logger.warn({ code: toBotError(error, "member cache").code }, "could not update the member cache");
    });
    await within(noted, CACHE_WAIT_MS);
    try {
      await this.handler?.(event, reportingDrops(responder, this.gate));
    } catch (error) {
      this.logger.error(
        { code: toBotError(error, "inbound").code, kind: event.kind },
        "inbound event failed",
      );
    }
  }

  private guard(handling: Promise<void>): void {
    const settled = handling.catch((error: unknown) =>
      this.logger.error({ code: toBotError(error, "event").code }, "discord event failed"),
    );
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
  }

  private async suggest(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    const zones =
      interaction.commandName === "peer" && suggestsTimeZones(interaction.options.data, focused.name)
        ? suggestTimeZones(String(focused.value))
        : [];
    try {
      await interaction.respond(zones.map((zone) => ({ name: zone, value: zone })));
    } catch (error) {
      this.logger.warn({ code: toBotError(error, "autocomplete").code }, "could not send suggestions");
    }
  }
}

function who(user: User): Interactive {
  return { member: `discord:${user.id}`, displayName: user.globalName ?? user.username };
}

/** Why Discord closed the gateway for good, as one of our errors. */
function gatewayRefusal(code: number): BotError {
  if (code === GatewayCloseCodes.DisallowedIntents) {
    return new BotError(
      "CONFIG_INVALID",
      `Discord refused the Message Content intent, which reading group threads needs (${GROUPS_CHANNEL_VARIABLE} is set): turn on Message Content Intent under Bot → Privileged Gateway Intents in the Developer Portal, or leave ${GROUPS_CHANNEL_VARIABLE} unset`,
    );
  }
  return new BotError("PLATFORM_FAILED", `Discord closed the gateway (close code ${code})`);
}

export function createDiscordAdapter(config: DiscordAdapterConfig): DiscordAdapter {
  return new DiscordAdapter(config);
}
