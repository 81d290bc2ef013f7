import { once } from "node:events";
import {
  type AutocompleteInteraction,
  ChannelType,
  Client,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  Partials,
  type User,
} from "discord.js";
import type { Logger } from "../../src/logging/logger.js";
import type {
  ChatPlatform,
  InboundEvent,
  InboundHandler,
  MemberId,
  OutboundMessage,
  Responder,
} from "../../src/platform/chat-platform.js";
import type { MemberCache } from "../../src/platform/member-cache.js";
import { within } from "../../src/time/within.js";
import { DirectMessages } from "./direct-messages.js";
import { toBotError } from "./discord-errors.js";
import { formValues } from "./form-modal.js";
import { InteractionReplies, type RepliableInteraction } from "./interaction-replies.js";
import { parseCustomId } from "./message-bodies.js";
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
}

type Interactive = Pick<InboundEvent, "member" | "displayName">;

/** How long an inbound event waits on the member cache before going on without it. */
const CACHE_WAIT_MS = 500;

/**
 * The Discord side of the bot: `/peer` slash commands, buttons and modals in
 * servers and DMs, and direct messages both ways. Needs only the Guilds and
 * DirectMessages intents: DMs to the bot carry their text without the
 * privileged Message Content intent.
 */
export class DiscordAdapter implements ChatPlatform {
  readonly name = "discord";
  readonly capabilities = { buttons: true, forms: true } as const;

  private readonly client: Client;
  private readonly dms: DirectMessages;
  private readonly logger: Logger;
  private handler: InboundHandler | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly config: DiscordAdapterConfig) {
    const maxWait = config.maxRateLimitWaitMs ?? 10_000;
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
      // DM channels are not cached at start, so their messages arrive as partial channels.
      partials: [Partials.Channel],
      allowedMentions: { parse: [] },
      rest: {
        ...(config.apiUrl ? { api: config.apiUrl } : {}),
        rejectOnRateLimit: (limit) => limit.retryAfter > maxWait,
      },
    });
    // Set now so sends work before (or without) a gateway connection.
    this.client.rest.setToken(config.token);
    this.dms = new DirectMessages(this.client.rest, config.memberCache);
    this.logger = config.logger.child({ platform: "discord" });
  }

  async start(handler: InboundHandler): Promise<void> {
    this.handler = handler;
    // A rejection left unhandled would end the process, so each event is guarded.
    this.client.on(Events.InteractionCreate, (interaction) => this.guard(this.onInteraction(interaction)));
    this.client.on(Events.MessageCreate, (message) => this.guard(this.onMessage(message)));
    this.client.on(Events.Error, (error) =>
      this.logger.error({ code: "PLATFORM_FAILED", err: error.name }, "discord client error"),
    );
    try {
      // Ready comes once the guilds have arrived, after login resolves.
      await Promise.all([once(this.client, Events.ClientReady), this.client.login(this.config.token)]);
    } catch (error) {
      throw toBotError(error, "login");
    }
    this.logger.info({ user: this.client.user?.id }, "discord connected");
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

  sendDirect(member: MemberId, message: OutboundMessage): Promise<void> {
    return this.dms.send(member, message);
  }

  async postToConversation(conversationId: string, message: OutboundMessage): Promise<void> {
    try {
      await this.dms.post(conversationId, message);
    } catch (error) {
      throw toBotError(error, "channel post");
    }
  }

  private async onInteraction(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) return this.suggest(interaction);
    if (interaction.isChatInputCommand() && interaction.commandName === "peer") {
      const text = commandText(interaction.options.data);
      return this.answer(interaction, { ...who(interaction.user), kind: "command", text, raw: interaction });
    }
    if (interaction.isButton()) {
      const pressed = parseCustomId(interaction.customId);
      return this.answer(interaction, {
        ...who(interaction.user),
        kind: "button",
        ...pressed,
        raw: interaction,
      });
    }
    if (interaction.isModalSubmit()) {
      const values = formValues(interaction);
      return this.answer(interaction, {
        ...who(interaction.user),
        kind: "form",
        formId: interaction.customId,
        values,
        raw: interaction,
      });
    }
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
      await this.deliver(event, replies.responder(), dmChannel ?? undefined);
    } finally {
      await replies
        .finish()
        .catch((error: unknown) =>
          this.logger.warn({ code: toBotError(error, "finish").code }, "could not close an interaction"),
        );
    }
  }

  private async onMessage(message: Message): Promise<void> {
    if (message.author.bot || message.guildId !== null || message.channel.type !== ChannelType.DM) return;
    const channelId = message.channelId;
    const responder: Responder = {
      reply: async (reply) => {
        try {
          await this.dms.post(channelId, reply);
        } catch (error) {
          throw toBotError(error, "direct reply");
        }
      },
    };
    await this.deliver(
      { ...who(message.author), kind: "message", text: message.content, raw: message },
      responder,
      channelId,
    );
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
      await this.handler?.(event, responder);
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

export function createDiscordAdapter(config: DiscordAdapterConfig): DiscordAdapter {
  return new DiscordAdapter(config);
}
