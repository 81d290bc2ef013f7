import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import type { RawFile } from "discord.js";
import { BotError } from "../../src/errors.js";
import type { Button, OutboundFile, OutboundMessage } from "../../src/platform/chat-platform.js";

/** Discord's limits: message length, custom id length, buttons per row, rows per message, label length. */
const MAX_CONTENT = 2000;
const MAX_CUSTOM_ID = 100;
const BUTTONS_PER_ROW = 5;
const MAX_ROWS = 5;
const MAX_LABEL = 80;
/** Files one message can carry, and the size of each (a bot's upload limit without server boosts). */
const MAX_FILES = 10;
const MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface MessageBody {
  readonly content: string;
  readonly components?: APIActionRowComponent<APIButtonComponentWithCustomId>[];
}

/** A button's custom id: its action id, then `|value` when it carries one. */
export function buttonCustomId(button: Button): string {
  const customId = button.value === undefined ? button.id : `${button.id}|${button.value}`;
  if (customId.length > MAX_CUSTOM_ID) {
    throw new BotError("PLATFORM_FAILED", `button ${button.id} has a custom id longer than ${MAX_CUSTOM_ID}`);
  }
  return customId;
}

export function parseCustomId(customId: string): { actionId: string; value?: string } {
  const bar = customId.indexOf("|");
  return bar === -1
    ? { actionId: customId }
    : { actionId: customId.slice(0, bar), value: customId.slice(bar + 1) };
}

const STYLES = { primary: ButtonStyle.Primary, danger: ButtonStyle.Danger } as const;

function buttonRows(buttons: readonly Button[]): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  if (buttons.length > BUTTONS_PER_ROW * MAX_ROWS) {
    throw new BotError(
      "PLATFORM_FAILED",
      `a message can carry at most ${BUTTONS_PER_ROW * MAX_ROWS} buttons`,
    );
  }
  const rows: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  for (let i = 0; i < buttons.length; i += BUTTONS_PER_ROW) {
    rows.push({
      type: ComponentType.ActionRow,
      components: buttons.slice(i, i + BUTTONS_PER_ROW).map((button) => ({
        type: ComponentType.Button,
        custom_id: buttonCustomId(button),
        label: button.label.slice(0, MAX_LABEL),
        style: button.style ? STYLES[button.style] : ButtonStyle.Secondary,
      })),
    });
  }
  return rows;
}

/** Splits long text at line breaks (else spaces, else anywhere) into pieces Discord accepts. */
export function splitText(text: string, max = MAX_CONTENT): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const line = window.lastIndexOf("\n");
    const space = window.lastIndexOf(" ");
    const at = line > max / 2 ? line : space > max / 2 ? space : max;
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^[\n ]/, "");
  }
  pieces.push(rest);
  return pieces;
}

/** One outbound message as one or more Discord message bodies; the buttons go with the last. */
export function messageBodies(message: OutboundMessage): MessageBody[] {
  const pieces = splitText(message.text === "" ? "\u200b" : message.text);
  const rows = message.buttons && message.buttons.length > 0 ? buttonRows(message.buttons) : undefined;
  return pieces.map((content, i) =>
    rows && i === pieces.length - 1 ? { content, components: rows } : { content },
  );
}

/**
 * A message's files as discord.js sends them (multipart/form-data: the JSON
 * body in `payload_json`, each file in a `files[n]` part), with the body's
 * `attachments` entries naming each part. Throws before anything is sent when
 * there are more than Discord takes on one message, or one is too large.
 */
export function fileUploads(files: readonly OutboundFile[]): {
  readonly attachments: Array<{ id: number; filename: string }>;
  readonly files: RawFile[];
} {
  if (files.length > MAX_FILES) {
    throw new BotError("PLATFORM_FAILED", `a Discord message can carry at most ${MAX_FILES} files`);
  }
  const raw = files.map(
    (file, id): RawFile => ({
      key: `files[${id}]`,
      name: file.name,
      data: Buffer.from(file.content, "utf8"),
      contentType: file.contentType,
    }),
  );
  const tooLarge = files.find((_, id) => (raw[id]?.data as Buffer).length > MAX_FILE_BYTES);
  if (tooLarge) {
    throw new BotError(
      "PLATFORM_FAILED",
      `${tooLarge.name} is over Discord's ${MAX_FILE_BYTES} bytes a file`,
    );
  }
  return { attachments: files.map((file, id) => ({ id, filename: file.name })), files: raw };
}

/**
 * The body that replaces a message the bot posted: its text and its buttons,
 * with an empty component list when there are none (so old buttons go). One
 * Discord message is edited, so the text must fit in one.
 */
export function editBody(message: OutboundMessage): Required<MessageBody> {
  const [body, ...more] = messageBodies(message);
  if (!body || more.length > 0) {
    throw new BotError(
      "PLATFORM_FAILED",
      `an edit replaces one Discord message, so its text must fit in ${MAX_CONTENT} characters`,
    );
  }
  return { content: body.content, components: body.components ?? [] };
}
