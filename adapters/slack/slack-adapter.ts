import { createHash } from "node:crypto";
import type { App, webApi } from "@slack/bolt";
import { BotError } from "../../src/errors.js";
import type {
  ChatPlatform,
  ConversationRef,
  Form,
  InboundHandler,
  MemberId,
  MessageRef,
  OutboundMessage,
  PostOptions,
} from "../../src/platform/chat-platform.js";
import { type SendGate, type SendLane, openGate } from "../../src/platform/send-gate.js";
import { type SlackMessage, messageBlocks, modalView, titleMessage } from "./block-kit.js";
import { createBoltApp } from "./bolt-app.js";
import { channelOf, slackConversation, teamOfMembers, threadOf } from "./conversations.js";
import { shareFiles, uploadFiles } from "./file-uploads.js";
import { registerListeners } from "./inbound-listeners.js";
import { MemberDirectory } from "./member-directory.js";
import { isSlackId, slackUserId } from "./member-ids.js";
import { SeenEvents } from "./seen-events.js";
import type { SlackAdapterConfig } from "./slack-adapter-config.js";
import { slackErrorOf, toPlatformError } from "./slack-errors.js";

export type { SlackAdapterConfig } from "./slack-adapter-config.js";

/** The message metadata event type a scheduled send carries, with its send id (hashed). */
export const SEND_EVENT_TYPE = "peer_bot_send";
/** How many of a conversation's latest messages `findSent` looks through. */
const RECENT_MESSAGES = 15;

/** What a message's metadata carries for a send: a hash of its id, so it names no member. */
export function sendTag(sendId: string): string {
  return createHash("sha256").update(sendId).digest("hex").slice(0, 32);
}

/** The Slack chat platform: a Bolt app over HTTP or Socket Mode. */
export class SlackAdapter implements ChatPlatform {
  readonly name = "slack";
  readonly capabilities = { buttons: true, forms: true } as const;
  /** A paced scheduled send's turn is awaited here, after the DM channel is found (see `post`). */
  readonly takesTurns = true;

  private readonly app: App;
  private readonly directory: MemberDirectory;
  private readonly inFlight = new Set<Promise<void>>();
  private state: "new" | "starting" | "started" | "stopped" = "new";
  /** Socket Mode: whether the WebSocket to Slack is open. */
  private socketOpen = false;
  private readonly gate: SendGate;

  constructor(private readonly config: SlackAdapterConfig) {
    this.app = createBoltApp(config, (open) => {
      this.socketOpen = open;
    });
    this.directory = new MemberDirectory(this.app.client, config.memberCache, config.logger);
    this.gate = config.gate ?? openGate;
  }

  async start(handler: InboundHandler): Promise<void> {
    if (this.state !== "new") throw new BotError("PLATFORM_FAILED", "the Slack adapter starts only once");
    this.state = "starting";
    registerListeners(this.app, {
      handler,
      directory: this.directory,
      seen: new SeenEvents(this.config.redis, this.config.keyPrefix, this.config.eventTtlSeconds),
      logger: this.config.logger,
      track: (work) => this.track(work),
      gate: this.gate,
      // A reply: each chat.postMessage takes a turn in the reply lane (see postParts).
      post: (channel, message, member) =>
        this.postIn(channel, message, member, undefined, undefined, "reply"),
      openModal: (triggerId, form, conversation) => this.openModal(triggerId, form, conversation),
    });
    this.app.error(async (error) => {
      this.config.logger.error(
        { code: "PLATFORM_FAILED", err: error.code ?? error.name },
        "slack event failed",
      );
    });
    try {
      await this.app.init();
      if (this.config.appToken) await this.app.start();
      else {
        const { port = 3000, host } = this.config;
        await this.app.start({ port, ...(host ? { host } : {}) });
      }
    } catch (error) {
      throw new BotError("PLATFORM_FAILED", "slack adapter could not start", { cause: error });
    }
    this.state = "started";
    this.config.logger.info(
      { transport: this.config.appToken ? "socket-mode" : "http", port: this.config.port },
      "slack adapter listening",
    );
  }

  /** Started and, in Socket Mode, with the WebSocket to Slack open (HTTP mode: listening). */
  connected(): boolean {
    return this.state === "started" && (this.config.appToken ? this.socketOpen : true);
  }

  /** Stops taking events, then waits for the ones being handled. */
  async stop(): Promise<void> {
    if (this.state !== "started") return;
    this.state = "stopped";
    await this.app.stop();
    await this.idle();
  }

  /** Resolves once every event that has reached the adapter has been handled. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * A scheduled send (`options.sendId`) carries message metadata
   * (`peer_bot_send`, `{ send_id }` with the id hashed) on its last part, so
   * `findSent` can find it after a crash.
   */
  async post(
    conversation: ConversationRef,
    message: OutboundMessage,
    options?: PostOptions,
  ): Promise<MessageRef> {
    const member = conversation.kind === "dm" ? conversation.id : undefined;
    const channel = await this.channelFor(conversation);
    // Paced: the first part goes at the turn the outbound queue booked (`turn`, awaited right
    // before it) or has waited for; each further part takes its own.
    const lane = options?.paced ? "scheduled" : undefined;
    const first = { taken: true, ...(options?.turn ? { turn: options.turn } : {}) };
    const ts = await this.postIn(
      channel,
      message,
      member,
      threadOf(conversation),
      options?.sendId,
      lane,
      first,
    );
    return { conversation, id: ts };
  }

  /**
   * Looks through the conversation's latest messages (conversations.history
   * with `include_all_metadata`, the last 15, no thread replies) for the bot's
   * post carrying this send id. Only DMs and group DMs (scopes im:history and
   * mpim:history); null for a channel, and for any lookup Slack refuses.
   */
  async findSent(conversation: ConversationRef, sendId: string): Promise<MessageRef | null> {
    if (conversation.kind === "channel") return null;
    try {
      const channel = await this.channelFor(conversation);
      const history = await this.app.client.conversations.history({
        channel,
        limit: RECENT_MESSAGES,
        include_all_metadata: true,
      });
      const tag = sendTag(sendId);
      const found = history.messages?.find(
        (m) =>
          m.metadata?.event_type === SEND_EVENT_TYPE &&
          (m.metadata.event_payload as { send_id?: unknown } | undefined)?.send_id === tag,
      );
      return found?.ts ? { conversation, id: found.ts } : null;
    } catch (error) {
      this.config.logger.warn(
        { code: toPlatformError(error, "conversations.history").code },
        "could not look for an earlier send; posting again",
      );
      return null;
    }
  }

  /**
   * chat.update with the replacement's text and blocks (so its buttons replace
   * the old ones, and no buttons removes them). A replacement too long for one
   * Slack message keeps its first part in place and posts the rest after it.
   */
  async edit(message: MessageRef, replacement: OutboundMessage): Promise<void> {
    const member = message.conversation.kind === "dm" ? message.conversation.id : undefined;
    const channel = await this.channelFor(message.conversation);
    const [first, ...rest] = messageBlocks(replacement);
    if (first) {
      try {
        await this.app.client.chat.update({ channel, ts: message.id, ...first });
      } catch (error) {
        throw toPlatformError(error, "chat.update", member);
      }
    }
    if (rest.length > 0) await this.postParts(channel, rest, member, threadOf(message.conversation));
  }

  /**
   * chat.delete. A message already gone (`message_not_found`) is not an error;
   * other refusals are turned into the core's errors as for a post. A post too
   * long for one Slack message (over 36,000 characters) went out as several, and
   * only the last, which its reference names, is deleted.
   */
  async delete(message: MessageRef): Promise<void> {
    const member = message.conversation.kind === "dm" ? message.conversation.id : undefined;
    const channel = await this.channelFor(message.conversation);
    try {
      await this.app.client.chat.delete({ channel, ts: message.id });
    } catch (error) {
      if (slackErrorOf(error) === "message_not_found") return;
      throw toPlatformError(error, "chat.delete", member);
    }
  }

  /**
   * A group DM (mpim) with these members and the bot. Slack gives group DMs no
   * name, so the title is posted as the conversation's first message. Opening
   * the same members again gives the same group DM (as Slack does), headed
   * with the new title.
   */
  async openGroup(members: readonly MemberId[], title: string): Promise<ConversationRef> {
    const everyone = [...new Set(members)];
    if (everyone.length < 2) {
      throw new BotError("PLATFORM_FAILED", "a Slack group DM needs at least two members");
    }
    const team = teamOfMembers(everyone);
    const who = everyone.join(", ");
    let opened: webApi.ConversationsOpenResponse;
    try {
      opened = await this.app.client.conversations.open({ users: everyone.map(slackUserId).join(",") });
    } catch (error) {
      throw toPlatformError(error, "conversations.open", who);
    }
    const channel = opened.channel?.id;
    if (!isSlackId(channel)) {
      throw new BotError("PLATFORM_FAILED", "slack conversations.open returned no group channel");
    }
    await this.postParts(channel, [titleMessage(title)], who);
    return slackConversation("group", team, channel);
  }

  /** The Slack channel a conversation reference names: a member's IM is found (or opened). */
  private async channelFor(conversation: ConversationRef): Promise<string> {
    if (conversation.kind === "dm") return this.directory.dmChannel(conversation.id);
    return channelOf(conversation);
  }

  /**
   * Posts a message (several Slack messages when it is long); returns the ts
   * of the last. Its files go up first, unseen (so a file that can't be
   * uploaded fails the post before anything shows), and are shared into the
   * channel right after the text. If sharing them fails, the text is taken
   * back (as far as Slack lets it) before the error is thrown, so a retry
   * does not leave the words twice.
   */
  private async postIn(
    channel: string,
    message: OutboundMessage,
    member?: MemberId,
    thread?: string,
    sendId?: string,
    lane?: SendLane,
    first?: FirstTurn,
  ): Promise<string> {
    const uploaded = await uploadFiles(this.app.client, message.files ?? [], member);
    const ts = await this.postParts(channel, messageBlocks(message), member, thread, sendId, lane, first);
    if (uploaded.length === 0) return ts;
    try {
      await shareFiles(this.app.client, channel, uploaded, member, thread);
    } catch (error) {
      await this.app.client.chat.delete({ channel, ts }).catch((undone: unknown) => {
        this.config.logger.warn(
          { code: toPlatformError(undone, "chat.delete").code },
          "could not take back a post whose files failed",
        );
      });
      throw error;
    }
    return ts;
  }

  /**
   * With a `lane` (replies), each part takes its own turn from the platform's pacer and is retried
   * alone after a 429, so no part goes twice. `first.taken` (a paced scheduled send): the caller
   * has the first part's turn (`first.turn`, awaited right before it, or already waited for) and
   * retries that part itself; the parts after it take turns here, as replies do. Without a lane
   * (an unpaced scheduled send, a group's title) the parts go straight out.
   */
  private async postParts(
    channel: string,
    parts: readonly SlackMessage[],
    member?: string,
    thread?: string,
    sendId?: string,
    lane?: SendLane,
    first?: FirstTurn,
  ): Promise<string> {
    await first?.turn?.();
    let last = "";
    for (const [i, part] of parts.entries()) {
      // The last part carries the send id: found, it means the whole post went.
      const metadata =
        sendId !== undefined && i === parts.length - 1
          ? { metadata: { event_type: SEND_EVENT_TYPE, event_payload: { send_id: sendTag(sendId) } } }
          : {};
      const postOne = async () => {
        try {
          return await this.app.client.chat.postMessage({
            channel,
            ...part,
            ...(thread ? { thread_ts: thread } : {}),
            ...metadata,
          });
        } catch (error) {
          throw toPlatformError(error, "chat.postMessage", member);
        }
      };
      const posted: webApi.ChatPostMessageResponse =
        lane && !(first?.taken && i === 0) ? await this.gate.run(lane, postOne) : await postOne();
      if (!posted.ts) throw new BotError("PLATFORM_FAILED", "slack chat.postMessage returned no ts");
      last = posted.ts;
    }
    return last;
  }

  /** Opens the form as a modal; the conversation it was opened from comes back with the submission. */
  private async openModal(triggerId: string, form: Form, conversation: ConversationRef): Promise<void> {
    const view = { ...modalView(form), private_metadata: JSON.stringify(conversation) };
    try {
      await this.app.client.views.open({ trigger_id: triggerId, view });
    } catch (error) {
      throw toPlatformError(error, "views.open");
    }
  }

  private track(work: Promise<void>): Promise<void> {
    this.inFlight.add(work);
    const settle = () => this.inFlight.delete(work);
    work.then(settle, settle);
    return work;
  }
}

/** The first part of a paced scheduled send: its turn was taken by the caller, or comes with it. */
interface FirstTurn {
  readonly taken: boolean;
  readonly turn?: () => Promise<void>;
}

export function createSlackAdapter(config: SlackAdapterConfig): SlackAdapter {
  return new SlackAdapter(config);
}
