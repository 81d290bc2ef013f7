import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
} from "discord.js";
import { BotError } from "../../src/errors.js";
import type { Logger } from "../../src/logging/logger.js";
import type { Form, OutboundMessage, Responder } from "../../src/platform/chat-platform.js";
import { toBotError } from "./discord-errors.js";
import { formModal } from "./form-modal.js";
import { type MessageBody, messageBodies } from "./message-bodies.js";

export type RepliableInteraction = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

/**
 * The core's Responder over one interaction. Discord wants an answer within
 * 3 s, and a modal can only be the first answer, so the interaction is held
 * unanswered while the core decides: its first reply defers (an ephemeral
 * reply for commands and forms, an update for buttons) and then edits the
 * deferred reply or follows up; `openForm` shows the modal; and if the core
 * has done neither by the deadline, the interaction is deferred anyway.
 * Every response goes through one queue, so they reach Discord in order.
 *
 * Not paced: interaction responses (the callback, edits of the original,
 * follow-ups) are not bound by the bot's global rate limit, which is what the
 * pacer guards; discord.js sits out their per-interaction buckets itself. Only
 * a reply with files, which goes to the member's DM as a message, takes a turn
 * (see `inDm`).
 */
export class InteractionReplies {
  private state: "open" | "deferred" | "answered" = "open";
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly interaction: RepliableInteraction,
    private readonly logger: Logger,
  ) {}

  /** Defers at the deadline unless the core has answered by then. */
  hold(deadlineMs: number): void {
    this.timer = setTimeout(() => {
      this.step(() => this.defer()).catch((error: unknown) =>
        this.logger.warn({ code: toBotError(error, "defer").code }, "could not defer an interaction"),
      );
    }, deadlineMs);
  }

  /** Defers straight away, for interactions that can't be answered with a modal. */
  deferNow(): Promise<void> {
    return this.step(() => this.defer());
  }

  /**
   * The core's Responder. A reply with files goes to the member's DM through
   * `inDm` (text, buttons and files together, so the files stay where the
   * member can find them again), and the interaction is acknowledged quietly.
   */
  responder(inDm: (message: OutboundMessage) => Promise<void>): Responder {
    const reply = (message: OutboundMessage) =>
      this.step(async () => {
        if (message.files && message.files.length > 0) {
          await this.defer();
          await inDm(message);
          return;
        }
        for (const body of messageBodies(message)) await this.send(body);
      });
    // A modal can't answer a modal.
    if (this.interaction.isModalSubmit()) return { reply };
    return { reply, openForm: (form: Form) => this.step(() => this.showModal(form)) };
  }

  /** The core is done. If it said nothing, acknowledge quietly rather than leave "interaction failed". */
  async finish(): Promise<void> {
    clearTimeout(this.timer);
    await this.step(async () => {
      if (this.state === "open") await this.defer();
      if (this.state === "deferred") await this.interaction.deleteReply();
    });
  }

  private step(run: () => Promise<void>): Promise<void> {
    const result = this.queue.then(run).catch((error: unknown) => {
      throw toBotError(error, "interaction response");
    });
    this.queue = result.catch(() => {});
    return result;
  }

  private async defer(): Promise<void> {
    if (this.state !== "open") return;
    clearTimeout(this.timer);
    if (this.interaction.isButton()) {
      await this.interaction.deferUpdate();
      this.state = "answered";
    } else {
      await this.interaction.deferReply({ flags: MessageFlags.Ephemeral });
      this.state = "deferred";
    }
  }

  private async send(body: MessageBody): Promise<void> {
    await this.defer();
    if (this.state === "deferred") await this.interaction.editReply(body);
    else await this.interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
    this.state = "answered";
  }

  private async showModal(form: Form): Promise<void> {
    const interaction = this.interaction;
    if (this.state !== "open" || interaction.isModalSubmit()) {
      throw new BotError("PLATFORM_FAILED", "a form can only be the first response to an interaction");
    }
    clearTimeout(this.timer);
    await interaction.showModal(formModal(form));
    this.state = "answered";
  }
}
