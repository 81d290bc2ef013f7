import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type {
  Button,
  ChatPlatform,
  Form,
  InboundEvent,
  InboundHandler,
  MemberId,
  OutboundMessage,
  Responder,
} from "../../src/platform/chat-platform.js";

export interface LocalAdapterConfig {
  readonly input: Readable;
  readonly output: Writable;
  /** The member you are at start, as a bare name (`alex` becomes `local:alex`). */
  readonly startAs?: string;
  /** Show a prompt and a greeting; off when input is a pipe. */
  readonly interactive?: boolean;
  /** The machine's time zone, passed on with every event (support lines before joining). */
  readonly timeZone?: string;
}

/** A form being filled in, one field per line. */
interface OpenForm {
  readonly form: Form;
  readonly values: Record<string, string>;
  next: number;
}

const SKIP_FIELD = "-";
const KEEP_FIELD = "=";

const NAME = /^[\w.-]{1,40}$/;

/**
 * The local terminal chat, like Hubot's shell adapter. Each line is typed as
 * the current member: `/peer ...` is a command, `/as <name>` changes member,
 * a number or a button's label presses a button from the last message, and
 * anything else is a direct message to the bot. What the bot sends to any
 * member is printed with that member's name. A form is filled in one field
 * per line (`-` leaves an optional field empty, `=` keeps what is there,
 * `/cancel` closes it).
 *
 * With piped input it reads every line in order and `done` resolves once the
 * input has ended and every reply is printed.
 */
export class LocalAdapter implements ChatPlatform {
  readonly name = "local";
  readonly capabilities = { buttons: true, forms: true } as const;
  /** Resolves when the input has ended and every line has been handled. */
  readonly done: Promise<void>;
  /** How many input lines have been handled so far (each one completely, in order). */
  handled = 0;

  private current: string;
  private handler: InboundHandler | undefined;
  private readonly buttons = new Map<MemberId, readonly Button[]>();
  private readonly forms = new Map<MemberId, OpenForm>();
  private finish: () => void = () => {};
  private stopped = false;
  private rl: ReturnType<typeof createInterface> | undefined;

  constructor(private readonly config: LocalAdapterConfig) {
    this.current = config.startAs && NAME.test(config.startAs) ? config.startAs : "alex";
    this.done = new Promise((resolve) => {
      this.finish = resolve;
    });
    // A closed terminal or pipe (EPIPE) ends the chat instead of crashing the bot.
    config.output.on("error", () => void this.stop());
  }

  async start(handler: InboundHandler): Promise<void> {
    this.handler = handler;
    const rl = createInterface({
      input: this.config.input,
      terminal: false,
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    this.rl = rl;
    if (this.config.interactive) {
      this.print(
        `Local peer-bot chat. You are "${this.current}". Type /peer help to begin, /as <name> to be someone else, /quit to leave.`,
      );
      this.showPrompt();
    }
    // Lines are handled strictly one after another, in the order typed.
    void (async () => {
      for await (const line of rl) {
        if (this.stopped) break;
        const keepGoing = await this.handleLine(line.trim());
        this.handled += 1;
        if (!keepGoing) break;
        this.showPrompt();
      }
      rl.close();
      this.finish();
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.rl?.close();
    this.finish();
  }

  async sendDirect(member: MemberId, message: OutboundMessage): Promise<void> {
    this.show(`bot → ${member.replace(/^local:/, "")}`, member, message);
  }

  async postToConversation(conversationId: string, message: OutboundMessage): Promise<void> {
    this.show(`bot → #${conversationId}`, undefined, message);
  }

  private async handleLine(line: string): Promise<boolean> {
    if (line === "") return true;
    if (line === "/quit" || line === "/exit") return false;
    const as = /^\/as(?:\s+(.*))?$/.exec(line);
    if (as) {
      const name = (as[1] ?? "").trim();
      if (!NAME.test(name)) {
        this.print(
          "Usage: /as <name> — a name of letters, digits, dots, dashes or underscores, e.g. /as sam",
        );
      } else {
        this.current = name;
        this.print(`You are now "${name}".`);
      }
      return true;
    }
    const member = `local:${this.current}`;
    const responder: Responder = {
      reply: (message) => this.sendDirect(member, message),
      openForm: async (form) => this.openForm(member, form),
    };
    const filling = this.forms.get(member);
    if (filling) {
      const event = this.fillForm(member, filling, line);
      if (event) await this.handler?.(event, responder);
      return true;
    }
    const event = this.eventFor(member, line);
    if (!event) {
      this.print(
        `"${line.split(/\s/)[0]}" isn't a command here. Commands start with /peer (try /peer help); /as <name> changes who you are; /quit leaves.`,
      );
      return true;
    }
    await this.handler?.(event, responder);
    return true;
  }

  private openForm(member: MemberId, form: Form): void {
    this.buttons.delete(member);
    const open: OpenForm = { form, values: {}, next: 0 };
    this.forms.set(member, open);
    this.print(
      `bot → ${member.replace(/^local:/, "")}: ${form.title} — one answer per line. ${SKIP_FIELD} leaves an optional one empty; /cancel closes the form.`,
    );
    this.askField(open);
  }

  private askField(open: OpenForm): void {
    const field = open.form.fields[open.next];
    if (!field) return;
    const lines = [`  ${field.label}${field.optional ? " (optional)" : ""}:`];
    if (field.hint) lines.push(`  (${field.hint})`);
    if (field.initial) lines.push(`  Now: “${field.initial}” — ${KEEP_FIELD} keeps it as it is.`);
    this.print(lines.join("\n"));
  }

  /** Takes one line as the answer to the current field; the whole form is an event once complete. */
  private fillForm(member: MemberId, open: OpenForm, line: string): InboundEvent | undefined {
    if (line === "/cancel") {
      this.forms.delete(member);
      this.print("Form closed. Nothing was sent.");
      return undefined;
    }
    const field = open.form.fields[open.next];
    if (!field) return undefined;
    const value = line === KEEP_FIELD ? (field.initial ?? "") : line === SKIP_FIELD ? "" : line;
    if (value === "" && !field.optional) {
      this.print(`  "${field.label}" needs an answer (or /cancel to close the form).`);
      return undefined;
    }
    open.values[field.id] = value;
    open.next += 1;
    if (open.next < open.form.fields.length) {
      this.askField(open);
      return undefined;
    }
    this.forms.delete(member);
    return { ...this.base(member), kind: "form", formId: open.form.id, values: { ...open.values } };
  }

  private base(member: MemberId): Pick<InboundEvent, "member" | "displayName" | "timeZone"> {
    return {
      member,
      displayName: this.current,
      ...(this.config.timeZone ? { timeZone: this.config.timeZone } : {}),
    };
  }

  private eventFor(member: MemberId, line: string): InboundEvent | undefined {
    const base = this.base(member);
    const pending = this.buttons.get(member);
    if (pending) {
      const index = /^\d+$/.test(line) ? Number(line) - 1 : -1;
      const pressed =
        pending[index] ?? pending.find((button) => button.label.toLowerCase() === line.toLowerCase());
      if (pressed) {
        this.buttons.delete(member);
        return {
          ...base,
          kind: "button",
          actionId: pressed.id,
          ...(pressed.value ? { value: pressed.value } : {}),
        };
      }
    }
    if (/^\/peer(\s|$)/i.test(line))
      return { ...base, kind: "command", text: line.replace(/^\/peer\s*/i, "") };
    if (line.startsWith("/")) return undefined;
    return { ...base, kind: "message", text: line };
  }

  private show(heading: string, member: MemberId | undefined, message: OutboundMessage): void {
    const lines = [`${heading}: ${message.text.replace(/\n/g, "\n  ")}`];
    if (member && message.buttons && message.buttons.length > 0) {
      this.buttons.set(member, message.buttons);
      lines.push(`  ${message.buttons.map((button, i) => `[${i + 1}] ${button.label}`).join("   ")}`);
    }
    this.print(lines.join("\n"));
  }

  private print(text: string): void {
    this.config.output.write(`${text}\n`);
  }

  private showPrompt(): void {
    if (this.config.interactive && !this.stopped) this.config.output.write(`${this.current}> `);
  }
}

export function createLocalAdapter(config: LocalAdapterConfig): LocalAdapter {
  return new LocalAdapter(config);
}
