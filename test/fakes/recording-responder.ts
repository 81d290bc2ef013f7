import type { Form, OutboundMessage, Responder } from "../../src/platform/chat-platform.js";

/** A Responder that keeps what the bot said (and the forms it opened), for assertions. */
export class RecordingResponder {
  readonly replies: OutboundMessage[] = [];
  readonly forms: Form[] = [];

  constructor(private readonly withForms = false) {}

  /** The responder to hand to the bot: with `openForm` only when forms are on. */
  get responder(): Responder {
    const reply = async (message: OutboundMessage) => {
      this.replies.push(message);
    };
    if (!this.withForms) return { reply };
    return {
      reply,
      openForm: async (form: Form) => {
        this.forms.push(form);
      },
    };
  }

  get last(): OutboundMessage {
    const message = this.replies.at(-1);
    if (!message) throw new Error("the bot has not replied");
    return message;
  }
}
