import type { App } from "@slack/bolt";
import { BotError } from "../../src/errors.js";
import type {
  ChatPlatform,
  Form,
  InboundHandler,
  MemberId,
  OutboundMessage,
} from "../../src/platform/chat-platform.js";
import { messageBlocks, modalView } from "./block-kit.js";
import { createBoltApp } from "./bolt-app.js";
import { registerListeners } from "./inbound-listeners.js";
import { MemberDirectory } from "./member-directory.js";
import { SeenEvents } from "./seen-events.js";
import type { SlackAdapterConfig } from "./slack-adapter-config.js";
import { toPlatformError } from "./slack-errors.js";

export type { SlackAdapterConfig } from "./slack-adapter-config.js";

/** The Slack chat platform: a Bolt app over HTTP or Socket Mode. */
export class SlackAdapter implements ChatPlatform {
  readonly name = "slack";
  readonly capabilities = { buttons: true, forms: true } as const;

  private readonly app: App;
  private readonly directory: MemberDirectory;
  private readonly inFlight = new Set<Promise<void>>();
  private state: "new" | "starting" | "started" | "stopped" = "new";

  constructor(private readonly config: SlackAdapterConfig) {
    this.app = createBoltApp(config);
    this.directory = new MemberDirectory(this.app.client, config.memberCache, config.logger);
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
      post: (channel, message, member) => this.post(channel, message, member),
      openModal: (triggerId, form) => this.openModal(triggerId, form),
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

  async sendDirect(member: MemberId, message: OutboundMessage): Promise<void> {
    await this.post(await this.directory.dmChannel(member), message, member);
  }

  async postToConversation(conversationId: string, message: OutboundMessage): Promise<void> {
    await this.post(conversationId, message);
  }

  private async post(channel: string, message: OutboundMessage, member?: MemberId): Promise<void> {
    for (const part of messageBlocks(message)) {
      try {
        await this.app.client.chat.postMessage({ channel, ...part });
      } catch (error) {
        throw toPlatformError(error, "chat.postMessage", member);
      }
    }
  }

  private async openModal(triggerId: string, form: Form): Promise<void> {
    try {
      await this.app.client.views.open({ trigger_id: triggerId, view: modalView(form) });
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

export function createSlackAdapter(config: SlackAdapterConfig): SlackAdapter {
  return new SlackAdapter(config);
}
