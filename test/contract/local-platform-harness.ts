import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { PassThrough } from "node:stream";
import { createLocalAdapter } from "../../adapters/local/local-adapter.js";
import type {
  ConversationRef,
  Form,
  InboundEvent,
  MemberId,
  MessageRef,
  Responder,
} from "../../src/platform/chat-platform.js";
import type {
  ContractHandler,
  PlatformHarness,
  SeenFile,
  SeenGroup,
  SeenMessage,
} from "./platform-harness.js";

const NAME = /^[\w.-]{1,40}$/;
/** The interactive prompt (`alex> `), printed once each typed line has been handled completely. */
const PROMPTS = /^(?:[\w.-]+> )+/;
const HEADING = /^bot → (#?[\w.-]+) \((?:edited )?#(\d+)\): (.*)$/;
const ROOM = /^Room "([^"]+)" \((.*)\) opened for (.+)$/;
/** The bot took a post back: `bot deleted #13 in #room`, or `bot deleted #12 in alex's DM`. */
const BOT_DELETED = /^bot deleted #(\d+) in (?:(#[\w.-]+)|([\w.-]+)'s DM)$/;

interface Printed {
  /** A member's name, or `#room`. */
  readonly to: string;
  readonly message: SeenMessage;
}

/** A file the chat showed under a message: `  📎 <name> → <path>`. */
interface Attached {
  /** A member's name, or `#room`. */
  readonly to: string;
  readonly name: string;
  readonly path: string;
}

const ATTACHED = "📎 ";

interface Screen {
  readonly messages: readonly Printed[];
  /** Files shown under the bot's posts, oldest first (an edit shows none, and keeps them). */
  readonly files: readonly Attached[];
  readonly rooms: ReadonlyMap<string, { title: string; names: readonly string[] }>;
}

/**
 * The terminal chat run interactively, as a person at the keyboard uses it:
 * everything is typed into its input (`/as`, `/peer`, `/in`, `/edit`,
 * `/delete`, `/press`, form answers), and everything seen is read back from
 * what it printed (a post the bot deleted is no longer seen). A typed
 * line is finished when the prompt comes back, as a person would tell.
 *
 * The form a person fills in is what the core asked the chat to open (read
 * where the core hands it over, as the local driver knows the diary form),
 * checked against what the chat printed: its title, then each field's label
 * before it is answered. The chat prints no form or field ids.
 *
 * Files sent with a post are read as a person would: from the 📎 line under
 * the post, then the file at the path it shows (in a folder of this harness's
 * own, removed at stop).
 */
export async function startLocalPlatformHarness(_name: string): Promise<PlatformHarness> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  let onPrint: () => void = () => {};
  output.on("data", (chunk) => {
    printed += chunk.toString();
    onPrint();
  });
  const filesDir = mkdtempSync(join(tmpdir(), "peer-bot-contract-files-"));
  const adapter = createLocalAdapter({ input, output, interactive: true, filesDir });
  const recordNothing: ContractHandler = async () => {};
  let handler = recordNothing;
  /** The form the core last asked to open for each person. */
  const asked = new Map<MemberId, Form>();
  await adapter.start(async (event: InboundEvent, responder: Responder) => {
    const { openForm } = responder;
    await handler(event, {
      reply: (message) => responder.reply(message),
      ...(openForm
        ? {
            openForm: async (form: Form) => {
              asked.set(event.member, form);
              await openForm(form);
            },
          }
        : {}),
    });
  });

  let typed = 0;
  let current = "alex";

  /** How many prompts the chat has printed: one at the start and one after each line. */
  function prompts(): number {
    let count = 0;
    for (const line of printed.split("\n")) {
      const match = PROMPTS.exec(line);
      if (match) count += match[0].split("> ").length - 1;
    }
    return count;
  }

  function untilPrompts(count: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        onPrint = () => {};
        reject(new Error(`timed out waiting for the chat to handle typed lines; it printed:\n${printed}`));
      }, 10_000);
      const check = () => {
        if (prompts() < count) return;
        clearTimeout(timer);
        onPrint = () => {};
        resolve();
      };
      onPrint = check;
      check();
    });
  }

  /** Types lines as this person; resolves once the chat has handled them all. */
  async function type(member: MemberId, ...lines: string[]): Promise<void> {
    const who = nameOf(member);
    const as = who === current ? [] : [`/as ${who}`];
    current = who;
    const all = [...as, ...lines];
    for (const line of all) {
      if (line.includes("\n")) throw new Error(`a line typed into the chat can't hold a newline: ${line}`);
    }
    typed += all.length;
    input.write(`${all.join("\n")}\n`);
    await untilPrompts(1 + typed);
  }

  /** Lets anything already written reach the screen. */
  function settle(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  /** What the chat printed, read as the bot's messages (edits applied in place, deletions dropped) and rooms. */
  function screen(): Screen {
    const lines = printed.split("\n").map((line) => line.replace(PROMPTS, ""));
    const messages: Printed[] = [];
    const files: Attached[] = [];
    const rooms = new Map<string, { title: string; names: string[] }>();
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? "";
      const deleted = BOT_DELETED.exec(line);
      if (deleted) {
        const [, id = "", room = "", name = ""] = deleted;
        const gone = messages.findIndex((m) => m.to === (room || name) && m.message.id === id);
        if (gone !== -1) messages.splice(gone, 1);
        continue;
      }
      const room = ROOM.exec(line);
      if (room) {
        rooms.set(room[1] ?? "", { title: room[2] ?? "", names: (room[3] ?? "").split(", ") });
        continue;
      }
      const heading = HEADING.exec(line);
      if (!heading) continue;
      const [, to = "", id = "", first = ""] = heading;
      const body = [first];
      while (lines[i + 1]?.startsWith("  ")) {
        i += 1;
        body.push((lines[i] ?? "").slice(2));
      }
      const buttonLine = body.length > 1 && body.at(-1)?.startsWith("[1] ") ? body.pop() : undefined;
      const buttons = [...(buttonLine ?? "").matchAll(/\[\d+\] (.+?)(?= {3}\[\d+\] |$)/g)].map((m) =>
        (m[1] ?? "").trim(),
      );
      const shown: Attached[] = [];
      while (body.length > 1 && body.at(-1)?.startsWith(ATTACHED)) {
        shown.unshift({ to, ...attachedFile((body.pop() ?? "").slice(ATTACHED.length)) });
      }
      files.push(...shown);
      const message: SeenMessage = { id, text: body.join("\n"), buttons };
      const earlier = messages.findIndex((m) => m.to === to && m.message.id === id);
      if (earlier === -1) messages.push({ to, message });
      else messages[earlier] = { to, message };
    }
    return { messages, files, rooms };
  }

  async function seenPrivately(member: MemberId): Promise<readonly SeenMessage[]> {
    await settle();
    const who = nameOf(member);
    return screen()
      .messages.filter((m) => m.to === who)
      .map((m) => m.message);
  }

  async function filesSeenPrivately(member: MemberId): Promise<readonly SeenFile[]> {
    await settle();
    const who = nameOf(member);
    return screen()
      .files.filter((file) => file.to === who)
      .map((file) => ({ name: file.name, content: readFileSync(file.path, "utf8") }));
  }

  async function seenInGroup(group: ConversationRef): Promise<SeenGroup> {
    await settle();
    const slug = roomOf(group);
    const { messages, rooms } = screen();
    const room = rooms.get(slug);
    if (!room) throw new Error(`the chat never said room "${slug}" was opened`);
    return {
      title: room.title,
      members: room.names.map((name) => `local:${name}`),
      messages: messages.filter((m) => m.to === `#${slug}`).map((m) => m.message),
    };
  }

  /** The form the core asked to open, if the chat shows it opened for this person. */
  async function shownForm(member: MemberId): Promise<Form | undefined> {
    await settle();
    const form = asked.get(member);
    if (!form) return undefined;
    const heading = `bot → ${nameOf(member)}: ${form.title} — one answer per line`;
    return printed.includes(heading) ? form : undefined;
  }

  return {
    platform: adapter,
    // A post can only fail on a name the chat can't print, and every person here has a good one.
    canFail: [],
    showsGroupTitles: true,
    handle(next) {
      handler = next;
    },
    async person(name) {
      if (!NAME.test(name)) throw new Error(`"${name}" isn't a name the local chat takes`);
      return `local:${name}`;
    },
    async sendDm(member, text) {
      if (text.startsWith("/")) throw new Error(`"${text}" would be read as a command, not a message`);
      await type(member, text);
    },
    async sendInGroup(member, group, text) {
      await type(member, `/in ${roomOf(group)} ${text}`);
    },
    async editInGroup(member, message, text) {
      const from = printed.length;
      await type(member, `/edit ${message.id} ${text}`);
      // The person sees their edited message, or the chat's reason for refusing it.
      const shown = `${nameOf(member)} → #${roomOf(message.conversation)} (edited #${message.id}): ${text}`;
      if (!printed.slice(from).includes(shown)) {
        throw new Error(`the chat didn't show the edit; it printed:\n${printed.slice(from)}`);
      }
    },
    async deleteInGroup(member, message) {
      const from = printed.length;
      await type(member, `/delete ${message.id}`);
      const shown = `${nameOf(member)} deleted #${message.id} in #${roomOf(message.conversation)}`;
      if (!printed.slice(from).includes(shown)) {
        throw new Error(`the chat didn't show the deletion; it printed:\n${printed.slice(from)}`);
      }
    },
    async command(member, text) {
      await type(member, `/peer ${text}`);
    },
    async press(member, message: MessageRef, label) {
      const seen =
        message.conversation.kind === "dm"
          ? message.conversation.id === member
            ? await seenPrivately(member)
            : []
          : (await seenInGroup(message.conversation)).messages;
      const shown = seen.find((m) => m.id === message.id);
      if (!shown) throw new Error(`${member} can't see message #${message.id}`);
      const index = shown.buttons.indexOf(label);
      if (index === -1)
        throw new Error(`message #${message.id} shows no "${label}" button: ${shown.buttons}`);
      await type(member, `/press ${message.id} ${index + 1}`);
    },
    openForm: shownForm,
    async submitForm(member, values) {
      const form = await shownForm(member);
      if (!form) throw new Error(`no form is open for ${member}`);
      for (const field of form.fields) {
        // The person reads the label the chat asks for before answering it.
        const label = `  ${field.label}${field.optional ? " (optional)" : ""}:`;
        if (!printed.slice(printed.lastIndexOf(`bot → ${nameOf(member)}: `)).includes(label)) {
          throw new Error(`the chat didn't ask for "${field.label}"; it printed:\n${printed}`);
        }
        await type(member, ...answer(field, values[field.id]));
      }
      asked.delete(member);
    },
    seenPrivately,
    filesSeenPrivately,
    seenInGroup,
    failNextPost(failure) {
      throw new Error(`the local chat can't be made to refuse a post (${failure})`);
    },
    async stop() {
      input.end();
      await adapter.stop();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

function nameOf(member: MemberId): string {
  const name = member.startsWith("local:") ? member.slice("local:".length) : "";
  if (!NAME.test(name)) throw new Error(`${member} isn't a local chat member`);
  return name;
}

/** `<name> → <path>`, split where the path ends in that name (a name may itself hold an arrow). */
function attachedFile(line: string): { name: string; path: string } {
  for (let at = line.indexOf(" → "); at !== -1; at = line.indexOf(" → ", at + 1)) {
    const name = line.slice(0, at);
    const path = line.slice(at + " → ".length);
    if (basename(path) === name) return { name, path };
  }
  throw new Error(`a 📎 line that names no file: ${line}`);
}

function roomOf(group: ConversationRef): string {
  if (group.kind !== "group" || !group.id.startsWith("local:")) throw new Error(`${group.id} isn't a room`);
  return group.id.slice("local:".length);
}

/** The lines a person types to answer one field: `=` keeps, `-` skips, a trailing `\` goes on to a new line. */
function answer(field: Form["fields"][number], value: string | undefined): string[] {
  if (value === undefined) return [field.initial ? "=" : "-"];
  if (value === "") return ["-"];
  const lines = value.split("\n");
  if (lines.length > 1 && !field.multiline) throw new Error(`"${field.label}" takes one line only`);
  if (value === "=" || value === "-" || lines.some((line) => line.endsWith("\\") || line !== line.trim())) {
    throw new Error(`"${value}" can't be typed as it is into the local chat`);
  }
  return lines.map((line, i) => (i < lines.length - 1 ? `${line}\\` : line));
}
