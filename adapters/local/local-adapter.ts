import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { BotError, MemberUnreachableError } from "../../src/errors.js";
import {
  type Button,
  type ChatPlatform,
  type ConversationRef,
  type Form,
  type InboundEvent,
  type InboundHandler,
  type MemberId,
  type MessageRef,
  type OutboundFile,
  type OutboundMessage,
  type Responder,
  dmWith,
  sameConversation,
} from "../../src/platform/chat-platform.js";
import type { TimeTravel } from "../../src/time/clock.js";

export interface LocalAdapterConfig {
  readonly input: Readable;
  readonly output: Writable;
  /** The member you are at start, as a bare name (`alex` becomes `local:alex`). */
  readonly startAs?: string;
  /** Show a prompt and a greeting; off when input is a pipe. */
  readonly interactive?: boolean;
  /** The machine's time zone, passed on with every event (support lines before joining). */
  readonly timeZone?: string;
  /** Lets `/clock +3d` move the bot's time forward (the local demo); without it `/clock` says so. */
  readonly timeTravel?: TimeTravel;
  /**
   * Where files sent with messages are written, each post's in a folder of its
   * own (`12-sam/check-ins.ics`). Default `<os temp dir>/peer-bot-files/<run id>`,
   * made (owner-only) when the first file is sent.
   */
  readonly filesDir?: string;
}

/** A form being filled in, one field per line. */
interface OpenForm {
  readonly form: Form;
  /** Where the event that opened it happened; the filled-in form is delivered from there. */
  readonly conversation: ConversationRef;
  readonly values: Record<string, string>;
  next: number;
  /** Lines so far of a multiline answer continued with a trailing `\`. */
  partial: string[];
}

/** A room opened by `openGroup`. */
interface Room {
  readonly slug: string;
  readonly title: string;
  readonly members: readonly MemberId[];
}

/** A numbered message: one the bot printed, or one a member wrote in a room with `/in`. */
interface Printed {
  readonly ref: MessageRef;
  /** The member who wrote it; absent for the bot's own messages. */
  readonly author?: MemberId;
  /** What it says now (so a member's edit to the same text is refused). */
  text: string;
  buttons: readonly Button[];
  /** Deleted by the bot (`delete`) or by its author (`/delete`): kept only to say so. */
  deleted: boolean;
}

/** The buttons on the last message to a member, for pressing by number or label. */
interface Pending {
  readonly ref: MessageRef;
  readonly buttons: readonly Button[];
}

const SKIP_FIELD = "-";
const KEEP_FIELD = "=";
const CONTINUE_LINE = "\\";

const NAME = /^[\w.-]{1,40}$/;
/** The longest file name written, in characters (the extension kept). */
const LONGEST_FILE_NAME = 100;
/** How many numbered messages `/press`, `/edit`, `/delete`, `edit` and `delete` remember. */
const REMEMBERED = 10_000;

const MINUTE = 60_000;
const UNITS: Record<string, { ms: number; word: string }> = {
  w: { ms: 7 * 24 * 60 * MINUTE, word: "week" },
  d: { ms: 24 * 60 * MINUTE, word: "day" },
  h: { ms: 60 * MINUTE, word: "hour" },
  m: { ms: MINUTE, word: "minute" },
};
const LONGEST_JUMP = 52 * 7 * 24 * 60 * MINUTE;

const IN_USAGE = "Usage: /in <room> <text> — e.g. /in peer-circle-tuesdays Tuesday works for me";
const PRESS_USAGE = "Usage: /press <message-id> <number|label> — e.g. /press 12 1, or /press 12 Yes";
const EDIT_USAGE = "Usage: /edit <message-id> <new text> — e.g. /edit 14 Thursday works too";
const DELETE_USAGE = "Usage: /delete <message-id> — e.g. /delete 14";
const CLOCK_USAGE =
  "Usage: /clock shows the bot's time; /clock +<amount> moves it forward — e.g. /clock +3d, +2h, +30m, +1w or +1d12h";

/**
 * The local terminal chat, like Hubot's shell adapter. Each line is typed as
 * the current member: `/peer ...` is a command, `/as <name>` changes member,
 * a number or a button's label presses a button from the last message to
 * you, `/press <message-id> <number|label>` presses one on any earlier
 * message you can see, `/in <room> <text>` writes in a room the bot opened,
 * `/edit <message-id> <new text>` and `/delete <message-id>` change or remove
 * your own message in a room, `/clock` shows (and, in the local demo, moves)
 * the bot's time, and anything else is a direct message to the bot. What the
 * bot sends to any member is printed with that member's name and the message's
 * number (`bot → sam (#12): …`); what it posts in a room with the room's name.
 * A member's message in a room is numbered from the same counter and printed
 * (`alex → #peer-circle-tuesdays (#14): …`) so it can be edited or deleted
 * (`(edited #14)`, `alex deleted #14 in #…`). A form is filled in one
 * field per line (`-` leaves an optional field empty, `=` keeps what is there,
 * a trailing `\` goes on to a new line of a multiline answer, `/cancel`
 * closes it).
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
  private readonly buttons = new Map<MemberId, Pending>();
  private readonly forms = new Map<MemberId, OpenForm>();
  private readonly rooms = new Map<string, Room>();
  private readonly printed = new Map<string, Printed>();
  private lastId = 0;
  private finish: () => void = () => {};
  private stopped = false;
  private rl: ReturnType<typeof createInterface> | undefined;
  /** Where this run writes files sent with messages. */
  readonly filesDir: string;

  constructor(private readonly config: LocalAdapterConfig) {
    this.current = config.startAs && NAME.test(config.startAs) ? config.startAs : "alex";
    this.filesDir = config.filesDir ?? join(tmpdir(), "peer-bot-files", runId());
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
      this.print(
        "Also: /in <room> <text> writes in a room, /edit <message-id> <new text> and /delete <message-id> change or remove your own message there, /press <message-id> <number|label> presses a button on an earlier message (#12 is message 12), /clock shows the bot's time and /clock +3d moves it forward.",
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

  /** The terminal chat has nothing to connect to: always true. */
  connected(): boolean {
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.rl?.close();
    this.finish();
  }

  async post(conversation: ConversationRef, message: OutboundMessage): Promise<MessageRef> {
    const to = this.addressee(conversation);
    const ref: MessageRef = { conversation, id: String(this.lastId + 1) };
    // Written (synchronously) before anything is shown or numbered: a file that can't be written
    // fails the whole post, and the next post takes the number.
    const files = this.writeFiles(`${ref.id}-${to.replace(/^#/, "")}`, message.files ?? []);
    this.lastId += 1;
    this.remember({ ref, text: message.text, buttons: message.buttons ?? [], deleted: false });
    if (conversation.kind === "dm" && message.buttons && message.buttons.length > 0) {
      this.buttons.set(conversation.id, { ref, buttons: message.buttons });
    }
    this.show(`bot → ${to} (#${ref.id})`, message, files);
    return ref;
  }

  async edit(ref: MessageRef, replacement: OutboundMessage): Promise<void> {
    const to = this.addressee(ref.conversation);
    const known = this.printed.get(ref.id);
    const id = /^\d+$/.test(ref.id) ? Number(ref.id) : 0;
    if (known ? !sameConversation(known.ref.conversation, ref.conversation) : id < 1 || id > this.lastId) {
      throw new BotError("PLATFORM_FAILED", `local: no message #${ref.id} in ${ref.conversation.id}`);
    }
    if (known?.author) {
      throw new BotError(
        "PLATFORM_FAILED",
        `local: #${ref.id} is a member's message; the bot edits only its own`,
      );
    }
    if (known?.deleted) throw new BotError("PLATFORM_FAILED", `local: message #${ref.id} was deleted`);
    const buttons = replacement.buttons ?? [];
    if (known) {
      known.buttons = buttons;
      known.text = replacement.text;
    }
    const pending = this.buttons.get(ref.conversation.id);
    if (ref.conversation.kind === "dm" && pending?.ref.id === ref.id) {
      if (buttons.length > 0) this.buttons.set(ref.conversation.id, { ref: pending.ref, buttons });
      else this.buttons.delete(ref.conversation.id);
    }
    // An edit changes text and buttons; the files sent with the post stay where they were written.
    this.show(`bot → ${to} (edited #${ref.id})`, replacement, []);
  }

  async delete(ref: MessageRef): Promise<void> {
    const known = this.printed.get(ref.id);
    // A message never printed, already deleted, or not where the reference says is already gone.
    if (!known || known.deleted || !sameConversation(known.ref.conversation, ref.conversation)) return;
    if (known.author) {
      throw new BotError(
        "PLATFORM_FAILED",
        `local: #${ref.id} is a member's message; the bot deletes only its own`,
      );
    }
    known.deleted = true;
    known.buttons = [];
    if (ref.conversation.kind === "dm" && this.buttons.get(ref.conversation.id)?.ref.id === ref.id) {
      this.buttons.delete(ref.conversation.id);
    }
    this.print(`bot deleted #${ref.id} ${this.where(ref.conversation)}`);
  }

  async openGroup(members: readonly MemberId[], title: string): Promise<ConversationRef> {
    const names = members.map((member) => this.localName(member));
    if (names.length === 0) throw new BotError("PLATFORM_FAILED", "local: a room needs at least one member");
    const base = slugOf(title);
    let slug = base;
    for (let n = 2; this.rooms.has(`local:${slug}`); n++) slug = `${base}-${n}`;
    const shown = title.replace(/\s+/g, " ").trim();
    this.rooms.set(`local:${slug}`, { slug, title: shown, members: [...new Set(members)] });
    this.print(`Room "${slug}" (${shown}) opened for ${[...new Set(names)].join(", ")}`);
    return { kind: "group", id: `local:${slug}` };
  }

  /** How a conversation is printed: the member's name, or the room's `#name`. Throws if there is no such place. */
  private addressee(conversation: ConversationRef): string {
    if (conversation.kind === "dm") return this.localName(conversation.id);
    if (conversation.kind === "group") {
      const room = this.rooms.get(conversation.id);
      if (!room) throw new BotError("PLATFORM_FAILED", `local: there is no room ${conversation.id}`);
      return `#${room.slug}`;
    }
    throw new BotError("PLATFORM_FAILED", "local: the terminal chat has no channels");
  }

  /** Where a message was, for the line saying it was deleted: `in #room`, or `in alex's DM`. */
  private where(conversation: ConversationRef): string {
    const to = this.addressee(conversation);
    return conversation.kind === "dm" ? `in ${to}'s DM` : `in ${to}`;
  }

  /** `local:alex` → `alex`; anything that isn't a local name can't be messaged here. */
  private localName(member: MemberId): string {
    const name = member.startsWith("local:") ? member.slice("local:".length) : "";
    if (!NAME.test(name)) throw new MemberUnreachableError(member, "not a local chat name");
    return name;
  }

  private remember(message: Printed): void {
    this.printed.set(message.ref.id, message);
    if (this.printed.size > REMEMBERED) {
      const oldest = this.printed.keys().next().value;
      if (oldest !== undefined) this.printed.delete(oldest);
    }
  }

  private responder(member: MemberId, conversation: ConversationRef): Responder {
    return {
      // Always privately, even for something written in a room.
      reply: async (message) => {
        await this.post(dmWith(member), message);
      },
      openForm: async (form) => this.openForm(member, conversation, form),
    };
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
    const filling = this.forms.get(member);
    if (filling) {
      const event = this.fillForm(member, filling, line);
      if (event) await this.handler?.(event, this.responder(member, event.conversation));
      return true;
    }
    if (/^\/clock(\s|$)/.test(line)) {
      await this.clock(line.slice("/clock".length).trim());
      return true;
    }
    const event = this.typed(member, line);
    if (event === null) return true;
    if (!event) {
      this.print(
        `"${line.split(/\s/)[0]}" isn't a command here. Commands start with /peer (try /peer help); /as <name> changes who you are; /in <room> <text> writes in a room; /edit <message-id> <new text> or /delete <message-id> changes or removes your own message there; /press <message-id> <number|label> presses a button; /clock [+3d] shows or moves the bot's time; /quit leaves.`,
      );
      return true;
    }
    await this.handler?.(event, this.responder(member, event.conversation));
    return true;
  }

  /** The event a typed line is: null after explaining what was wrong, undefined for an unknown `/` command. */
  private typed(member: MemberId, line: string): InboundEvent | null | undefined {
    const command = /^\/(in|press|edit|delete)(?:\s|$)/.exec(line)?.[1];
    const rest = command ? line.slice(command.length + 1).trim() : "";
    switch (command) {
      case "in":
        return this.inRoom(member, rest);
      case "press":
        return this.press(member, rest);
      case "edit":
        return this.editOwn(member, rest);
      case "delete":
        return this.deleteOwn(member, rest);
      default:
        return this.eventFor(member, line);
    }
  }

  /** `/in <room> <text>`: a message (or `/peer` command) in a room; null after explaining what was wrong. */
  private inRoom(member: MemberId, rest: string): InboundEvent | null {
    const match = /^#?(\S+)\s+([\s\S]+)$/.exec(rest);
    if (!match) {
      this.print(
        `${rest === "" ? "Which room, and what to say?" : "What do you want to say there?"} ${IN_USAGE}`,
      );
      return null;
    }
    const [, typed = "", text = ""] = match;
    const name = typed.toLowerCase();
    const mine = [...this.rooms.values()].filter((room) => room.members.includes(member));
    const yours = mine.length > 0 ? `Your rooms: ${mine.map((room) => room.slug).join(", ")}.` : "";
    const room = this.rooms.get(`local:${name}`);
    if (!room) {
      this.print(`There's no room "${name}". ${yours || "You aren't in any rooms yet."} ${IN_USAGE}`);
      return null;
    }
    if (!room.members.includes(member)) {
      this.print(
        `You (${this.current}) aren't in room "${name}". ${yours || "You aren't in any rooms yet."} ${IN_USAGE}`,
      );
      return null;
    }
    const conversation: ConversationRef = { kind: "group", id: `local:${room.slug}` };
    const base = this.base(member, conversation);
    if (/^\/peer(\s|$)/i.test(text))
      return { ...base, kind: "command", text: text.replace(/^\/peer\s*/i, "") };
    // Numbered and printed, so the person can refer to it with /edit or /delete.
    const ref: MessageRef = { conversation, id: String(++this.lastId) };
    this.remember({ ref, author: member, text, buttons: [], deleted: false });
    this.print(`${this.current} → #${room.slug} (#${ref.id}): ${text}`);
    return { ...base, kind: "message", text, message: ref };
  }

  /** `/edit <message-id> <new text>`: changes your own message in a room; null after explaining. */
  private editOwn(member: MemberId, rest: string): InboundEvent | null {
    const match = /^#?(\S+)\s+([\s\S]+)$/.exec(rest);
    if (!match) {
      const id = rest.replace(/^#/, "");
      this.print(
        `${rest === "" ? "Which message, and what should it say now?" : `What should message #${id} say now?`} ${EDIT_USAGE}`,
      );
      return null;
    }
    const [, id = "", text = ""] = match;
    const message = this.ownRoomMessage(member, id, "edit", EDIT_USAGE);
    if (!message) return null;
    if (message.text === text) {
      this.print(`Message #${id} already says that; nothing changed.`);
      return null;
    }
    message.text = text;
    this.print(`${this.current} → ${this.addressee(message.ref.conversation)} (edited #${id}): ${text}`);
    return {
      ...this.base(member, message.ref.conversation),
      kind: "message-edited",
      message: message.ref,
      text,
    };
  }

  /** `/delete <message-id>`: removes your own message in a room; null after explaining. */
  private deleteOwn(member: MemberId, rest: string): InboundEvent | null {
    const match = /^#?(\S+)$/.exec(rest);
    if (!match) {
      this.print(
        `${rest === "" ? "Which message?" : "Just the message's number, nothing after it."} ${DELETE_USAGE}`,
      );
      return null;
    }
    const [, id = ""] = match;
    const message = this.ownRoomMessage(member, id, "delete", DELETE_USAGE);
    if (!message) return null;
    message.deleted = true;
    this.print(`${this.current} deleted #${id} ${this.where(message.ref.conversation)}`);
    return { ...this.base(member, message.ref.conversation), kind: "message-deleted", message: message.ref };
  }

  /** Message `#id` when it is this member's own, still there, in a room; undefined after saying why not. */
  private ownRoomMessage(
    member: MemberId,
    id: string,
    verb: "edit" | "delete",
    usage: string,
  ): Printed | undefined {
    const message = this.printed.get(id);
    const refusal = !message
      ? `There's no message #${id}. ${usage}`
      : message.deleted
        ? `Message #${id} was deleted; there's nothing to ${verb}.`
        : !message.author
          ? message.ref.conversation.kind === "dm"
            ? `Message #${id} is the bot's, in a DM; you can only ${verb} your own messages in a room (written with /in <room> <text>).`
            : `Message #${id} is the bot's; you can only ${verb} your own messages in a room.`
          : message.author !== member
            ? `Message #${id} is ${message.author.replace(/^local:/, "")}'s, not yours (${this.current}); you can only ${verb} your own messages.`
            : undefined;
    if (refusal) {
      this.print(refusal);
      return undefined;
    }
    return message;
  }

  /** `/press <message-id> <number|label>`: a button on any message you can see; null after explaining. */
  private press(member: MemberId, rest: string): InboundEvent | null {
    const match = /^#?(\S+)\s+(.+)$/.exec(rest);
    if (!match) {
      this.print(`${rest === "" ? "Which message, and which button?" : "Which button?"} ${PRESS_USAGE}`);
      return null;
    }
    const [, id = "", choice = ""] = match;
    const message = this.printed.get(id);
    if (!message) {
      this.print(`There's no message #${id}. ${PRESS_USAGE}`);
      return null;
    }
    const { conversation } = message.ref;
    const seen =
      conversation.kind === "dm"
        ? conversation.id === member
        : (this.rooms.get(conversation.id)?.members.includes(member) ?? false);
    if (!seen) {
      this.print(`Message #${id} wasn't sent to you (${this.current}), so you can't press its buttons.`);
      return null;
    }
    if (message.deleted) {
      this.print(`Message #${id} was deleted, so its buttons can't be pressed.`);
      return null;
    }
    if (message.buttons.length === 0) {
      this.print(`Message #${id} has no buttons.`);
      return null;
    }
    const pressed = pick(message.buttons, choice);
    if (!pressed) {
      this.print(`Message #${id} has no button "${choice}"; its buttons are ${numbered(message.buttons)}.`);
      return null;
    }
    // Pressing the last message's button this way counts as pressing it by number.
    if (this.buttons.get(member)?.ref.id === id) this.buttons.delete(member);
    return this.buttonEvent(member, message.ref, pressed);
  }

  private async clock(rest: string): Promise<void> {
    const travel = this.config.timeTravel;
    if (!travel) {
      this.print("Time travel is only available in the local demo (npm start with no chat credentials).");
      return;
    }
    if (rest === "") {
      this.print(
        `Bot time: ${this.when(travel.now())}. Move it forward with /clock +<amount>, e.g. /clock +3d, +2h, +30m, +1w or +1d12h.`,
      );
      return;
    }
    const jump = parseJump(rest);
    if (typeof jump === "string") {
      this.print(`${jump} ${CLOCK_USAGE}`);
      return;
    }
    this.print(`Moving the bot's clock forward ${jump.words}…`);
    try {
      await travel.advance(jump.ms);
    } catch (error) {
      this.print(
        `The clock couldn't move forward: ${error instanceof Error ? error.message : String(error)}. Bot time: ${this.when(travel.now())}.`,
      );
      return;
    }
    this.print(`Bot time is now ${this.when(travel.now())}.`);
  }

  private when(date: Date): string {
    const zone = this.config.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    const shown = new Intl.DateTimeFormat("en-GB", {
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone: zone,
    }).format(date);
    return `${shown} (${zone})`;
  }

  private openForm(member: MemberId, conversation: ConversationRef, form: Form): void {
    this.buttons.delete(member);
    const open: OpenForm = { form, conversation, values: {}, next: 0, partial: [] };
    this.forms.set(member, open);
    const multiline = form.fields.some((field) => field.multiline)
      ? ` End a line with ${CONTINUE_LINE} to go on to a new line of the same answer.`
      : "";
    this.print(
      `bot → ${member.replace(/^local:/, "")}: ${form.title} — one answer per line. ${SKIP_FIELD} leaves an optional one empty; /cancel closes the form.${multiline}`,
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
    if (field.multiline && line.endsWith(CONTINUE_LINE)) {
      open.partial.push(line.slice(0, -CONTINUE_LINE.length).trimEnd());
      return undefined;
    }
    const value =
      open.partial.length > 0
        ? [...open.partial, line].join("\n")
        : line === KEEP_FIELD
          ? (field.initial ?? "")
          : line === SKIP_FIELD
            ? ""
            : line;
    open.partial = [];
    if (value.trim() === "" && !field.optional) {
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
    return {
      ...this.base(member, open.conversation),
      kind: "form",
      formId: open.form.id,
      values: { ...open.values },
    };
  }

  private base(
    member: MemberId,
    conversation: ConversationRef,
  ): Pick<InboundEvent, "member" | "conversation" | "displayName" | "timeZone"> {
    return {
      member,
      conversation,
      displayName: this.current,
      ...(this.config.timeZone ? { timeZone: this.config.timeZone } : {}),
    };
  }

  private buttonEvent(member: MemberId, ref: MessageRef, pressed: Button): InboundEvent {
    return {
      ...this.base(member, ref.conversation),
      kind: "button",
      actionId: pressed.id,
      ...(pressed.value ? { value: pressed.value } : {}),
      message: ref,
    };
  }

  private eventFor(member: MemberId, line: string): InboundEvent | undefined {
    const pending = this.buttons.get(member);
    const pressed = pending && pick(pending.buttons, line);
    if (pending && pressed) {
      this.buttons.delete(member);
      return this.buttonEvent(member, pending.ref, pressed);
    }
    const base = this.base(member, dmWith(member));
    if (/^\/peer(\s|$)/i.test(line))
      return { ...base, kind: "command", text: line.replace(/^\/peer\s*/i, "") };
    if (line.startsWith("/")) return undefined;
    return { ...base, kind: "message", text: line };
  }

  /**
   * Writes a post's files into a folder of their own under `filesDir`, with
   * safe names (no path separators or control characters; a name already there
   * gets a number). Returns each file's name and where it is.
   */
  private writeFiles(folder: string, files: readonly OutboundFile[]): WrittenFile[] {
    if (files.length === 0) return [];
    const dir = join(this.filesDir, folder);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      return files.map((file) => writeNew(dir, safeFileName(file.name), file.content));
    } catch (error) {
      throw new BotError("PLATFORM_FAILED", `local: could not write a file into ${dir}`, { cause: error });
    }
  }

  private show(heading: string, message: OutboundMessage, files: readonly WrittenFile[]): void {
    const lines = [`${heading}: ${message.text.replace(/\n/g, "\n  ")}`];
    for (const file of files) lines.push(`  📎 ${file.name} → ${file.path}`);
    if (message.buttons && message.buttons.length > 0) lines.push(`  ${numbered(message.buttons)}`);
    this.print(lines.join("\n"));
  }

  private print(text: string): void {
    this.config.output.write(`${text}\n`);
  }

  private showPrompt(): void {
    if (this.config.interactive && !this.stopped) this.config.output.write(`${this.current}> `);
  }
}

/** A file a post sent, as written to disk. */
interface WrittenFile {
  /** Its name on disk (the name it was sent with, made safe). */
  readonly name: string;
  readonly path: string;
}

/** A name for this run's folder of files: when it started, and a random part. */
function runId(): string {
  const started = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  return `${started}-${randomBytes(4).toString("hex")}`;
}

/**
 * A file name that stays in its folder and prints on one line: path
 * separators and characters Windows forbids become `_`, control characters go,
 * leading dots and spaces go (no `..`, no hidden file), and a long name is cut
 * to 100 characters keeping its extension. `file` when nothing is left.
 */
export function safeFileName(name: string): string {
  const cleaned = name
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, "")
    .replace(/[/\\:*?"<>|]/g, "_")
    .replace(/^[.\s]+/, "")
    .replace(/[.\s]+$/, "");
  const chars = [...cleaned];
  if (chars.length <= LONGEST_FILE_NAME) return cleaned || "file";
  const dot = cleaned.lastIndexOf(".");
  const extension = dot > 0 && cleaned.length - dot <= 16 ? [...cleaned.slice(dot)] : [];
  return [...chars.slice(0, LONGEST_FILE_NAME - extension.length), ...extension].join("");
}

/** Writes a new file (never over one already there, nor through a link): `name`, else `name (2)`, `name (3)`… */
function writeNew(dir: string, name: string, content: string): WrittenFile {
  const dot = name.lastIndexOf(".");
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${stem} (${n})${extension}`;
    const path = join(dir, candidate);
    try {
      writeFileSync(path, content, { encoding: "utf8", mode: 0o600, flag: "wx" });
      return { name: candidate, path };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || n >= 100) throw error;
    }
  }
}

/** The button a line names: its number (from 1) or its label, in any case. */
function pick(buttons: readonly Button[], choice: string): Button | undefined {
  const index = /^\d+$/.test(choice) ? Number(choice) - 1 : -1;
  return buttons[index] ?? buttons.find((button) => button.label.toLowerCase() === choice.toLowerCase());
}

function numbered(buttons: readonly Button[]): string {
  return buttons.map((button, i) => `[${i + 1}] ${button.label}`).join("   ");
}

/** A room's name from its title: `Peer circle: Tuesdays` → `peer-circle-tuesdays`. */
function slugOf(title: string): string {
  const slug = title
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return slug || "room";
}

/** `+1d12h` → 36 hours, with words for it; or what is wrong with it. */
function parseJump(text: string): { ms: number; words: string } | string {
  if (text.startsWith("-")) return "The clock only moves forward.";
  if (!text.startsWith("+")) return `Put a + before how far to move it ("${text}").`;
  const amount = text.slice(1);
  if (!/^(\d+[wdhm])+$/.test(amount)) {
    return `"${text}" isn't an amount of time: use numbers with w (weeks), d (days), h (hours) or m (minutes).`;
  }
  let ms = 0;
  const words: string[] = [];
  for (const [, count = "0", unit = ""] of amount.matchAll(/(\d+)([wdhm])/g)) {
    const { ms: each, word } = UNITS[unit] ?? { ms: 0, word: "" };
    const n = Number(count);
    ms += n * each;
    if (n > 0) words.push(`${n} ${word}${n === 1 ? "" : "s"}`);
  }
  if (ms < MINUTE) return "Move it forward by at least a minute.";
  if (ms > LONGEST_JUMP) return "That's more than a year; move it forward at most +52w at a time.";
  return { ms, words: words.join(" ") };
}

export function createLocalAdapter(config: LocalAdapterConfig): LocalAdapter {
  return new LocalAdapter(config);
}
