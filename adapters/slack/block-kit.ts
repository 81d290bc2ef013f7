import type { types } from "@slack/bolt";
import type { Button, Form, OutboundMessage } from "../../src/platform/chat-platform.js";
import { escapeSlackText, splitForSections } from "./slack-text.js";

export interface SlackMessage {
  /** The whole text, escaped: the notification and screen-reader fallback. */
  readonly text: string;
  readonly blocks: types.KnownBlock[];
}

/** Slack's limits on a button label and on modal title and button texts. */
const BUTTON_LABEL_LIMIT = 75;
const MODAL_TEXT_LIMIT = 24;
/** Slack's limit on a header block's text. */
const HEADER_TEXT_LIMIT = 150;

/**
 * Sections per Slack message: 12 × 3000 characters stays under Slack's 40,000
 * for a message's text, and well under its 50 blocks.
 */
export const SECTIONS_PER_MESSAGE = 12;

/**
 * The text as mrkdwn section blocks of at most 3000 characters, then the
 * buttons in one actions block. Text too long for one Slack message (a long
 * `/peer export`) becomes several messages, sent in order, with the buttons
 * on the last; each carries its own part of the text as the fallback.
 */
export function messageBlocks(message: OutboundMessage): SlackMessage[] {
  const text = escapeSlackText(message.text);
  const pieces = splitForSections(text);
  const messages: SlackMessage[] = [];
  for (let start = 0; start < Math.max(pieces.length, 1); start += SECTIONS_PER_MESSAGE) {
    const part = pieces.slice(start, start + SECTIONS_PER_MESSAGE);
    messages.push({
      text: pieces.length <= SECTIONS_PER_MESSAGE ? text : part.join("\n"),
      blocks: part.map((piece) => ({ type: "section", text: { type: "mrkdwn", text: piece } })),
    });
  }
  const buttons = message.buttons ?? [];
  const last = messages.at(-1);
  if (last && buttons.length > 0) last.blocks.push(actionsBlock(buttons));
  return messages;
}

/**
 * A group DM's name, as its first message: Slack shows no name for a group DM,
 * so the title heads the conversation instead (a header block, the whole title
 * as the fallback text).
 */
export function titleMessage(title: string): SlackMessage {
  const text = title.trim() || "Peer group";
  let cut = HEADER_TEXT_LIMIT - 1;
  if (/[\uD800-\uDBFF]/.test(text.charAt(cut - 1))) cut -= 1;
  const shown = text.length <= HEADER_TEXT_LIMIT ? text : `${text.slice(0, cut)}…`;
  return {
    text: escapeSlackText(text),
    blocks: [{ type: "header", text: { type: "plain_text", text: shown } }],
  };
}

/**
 * Slack requires every action_id in a block to be different, while the core
 * may give several buttons one id and tell them apart by value (Yes / Partly
 * / No). The second and later buttons with an id get `~2`, `~3`…, which
 * `coreActionId` takes off again when a press comes in.
 */
function slackActionIds(buttons: readonly Button[]): string[] {
  const seen = new Map<string, number>();
  return buttons.map((button) => {
    const count = (seen.get(button.id) ?? 0) + 1;
    seen.set(button.id, count);
    return count === 1 ? button.id : `${button.id}${ACTION_SUFFIX}${count}`;
  });
}

const ACTION_SUFFIX = "~";

/** The core's button id for a pressed Slack action_id (see `slackActionIds`). */
export function coreActionId(actionId: string): string {
  return actionId.replace(/~\d+$/, "");
}

function actionsBlock(buttons: readonly Button[]): types.ActionsBlock {
  const ids = slackActionIds(buttons);
  return {
    type: "actions",
    block_id: "peer-buttons",
    elements: buttons.map((button, i) => ({
      type: "button",
      action_id: ids[i] ?? button.id,
      text: { type: "plain_text", text: button.label.slice(0, BUTTON_LABEL_LIMIT) },
      ...(button.style ? { style: button.style } : {}),
      ...(button.value !== undefined ? { value: button.value } : {}),
    })),
  };
}

/**
 * A modal whose callback_id is the form id and whose fields are input blocks
 * with block_id and action_id both the field id, so a submission maps straight
 * back to the form's values.
 */
export function modalView(form: Form): types.ModalView {
  return {
    type: "modal",
    callback_id: form.id,
    title: { type: "plain_text", text: form.title.slice(0, MODAL_TEXT_LIMIT) },
    submit: { type: "plain_text", text: form.submitLabel.slice(0, MODAL_TEXT_LIMIT) },
    close: { type: "plain_text", text: "Cancel" },
    blocks: form.fields.map(
      (field): types.InputBlock => ({
        type: "input",
        block_id: field.id,
        label: { type: "plain_text", text: field.label },
        optional: field.optional === true,
        ...(field.hint ? { hint: { type: "plain_text", text: field.hint } } : {}),
        element: {
          type: "plain_text_input",
          action_id: field.id,
          multiline: field.multiline === true,
          ...(field.initial !== undefined ? { initial_value: field.initial } : {}),
        },
      }),
    ),
  };
}

type ViewStateValues = Readonly<
  Record<string, Readonly<Record<string, { readonly value?: string | null | undefined }>>>
>;

/** A submitted modal's values by field id; empty optional fields are left out. */
export function formValues(values: ViewStateValues): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const value = actions[blockId]?.value;
    if (typeof value === "string") result[blockId] = value;
  }
  return result;
}
