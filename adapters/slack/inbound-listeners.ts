import type { App, BlockAction, RespondFn, ViewSubmitAction } from "@slack/bolt";
import type { Logger } from "../../src/logging/logger.js";
import {
  type ConversationRef,
  type Form,
  type InboundEvent,
  type InboundHandler,
  type MemberId,
  type MessageRef,
  type OutboundMessage,
  type Responder,
  dmWith,
} from "../../src/platform/chat-platform.js";
import { type SendGate, reportingDrops } from "../../src/platform/send-gate.js";
import { within } from "../../src/time/within.js";
import { coreActionId, formValues, messageBlocks } from "./block-kit.js";
import { conversationAt, parseConversation, slackConversation } from "./conversations.js";
import { CACHE_WAIT_MS, type MemberDirectory } from "./member-directory.js";
import { isSlackId, slackMemberId } from "./member-ids.js";
import { type GroupChange, groupChange } from "./message-changes.js";
import type { SeenEvents } from "./seen-events.js";
import { toPlatformError } from "./slack-errors.js";
import { SLASH_COMMAND } from "./slack-scopes.js";
import { unescapeSlackText } from "./slack-text.js";

export interface InboundDeps {
  readonly handler: InboundHandler;
  readonly directory: MemberDirectory;
  readonly seen: SeenEvents;
  readonly logger: Logger;
  /** Counts a piece of work as in flight until it settles. */
  readonly track: (work: Promise<void>) => Promise<void>;
  /** The platform's pacing; a reply that finally fails is reported to it (counted, logged by code). */
  readonly gate: SendGate;
  /** Posts a reply into a Slack channel (paced, retried after a 429); resolves to the ts of the (last) message. */
  readonly post: (channel: string, message: OutboundMessage, member?: MemberId) => Promise<string>;
  readonly openModal: (triggerId: string, form: Form, conversation: ConversationRef) => Promise<void>;
}

const EVENT_ID = /^[\w-]{1,100}$/;

/** A slash command's or interaction's workspace and trigger id (the gate lets none through without them). */
function requestIdOf(body: unknown): { kind: string; team: string; trigger: string } | undefined {
  const fields = body as {
    type?: unknown;
    command?: unknown;
    trigger_id?: unknown;
    team_id?: unknown;
    team?: { id?: unknown } | null;
    user?: { team_id?: unknown } | null;
  };
  if (typeof fields.trigger_id !== "string" || fields.type === "event_callback") return undefined;
  const team = fields.team_id ?? fields.team?.id ?? fields.user?.team_id;
  const kind = typeof fields.command === "string" ? "command" : String(fields.type);
  return { kind, team: typeof team === "string" ? team : "", trigger: fields.trigger_id };
}

/**
 * Turns Slack's commands, messages (in a member's DM with the bot or in a
 * group DM it is in), button presses and modal submissions into the core's events.
 */
export function registerListeners(app: App, deps: InboundDeps): void {
  app.use(async ({ next }) => deps.track(next()));

  app.use(async (args) => {
    const { body, context, next } = args;
    const eventId = (body as { event_id?: unknown }).event_id;
    // A slow Redis must not hold an event up: unanswered, the claim counts as a first delivery.
    const first =
      typeof eventId !== "string" || !EVENT_ID.test(eventId)
        ? true
        : ((await within(deps.seen.claim(eventId), CACHE_WAIT_MS)) ?? true);
    if (!first) {
      deps.logger.info({ eventId, retryNum: context.retryNum }, "skipped a Slack event already handled");
      return;
    }
    // A slash command or interaction has no event id, and Slack never retries one: the same
    // trigger id twice is the same signed request sent again. It is acknowledged, and not run.
    const request = requestIdOf(body);
    if (request) {
      const fresh =
        (await within(deps.seen.claimRequest(request.team, request.trigger), CACHE_WAIT_MS)) ?? true;
      if (!fresh) {
        if ("ack" in args && typeof args.ack === "function") await args.ack();
        deps.logger.warn(
          { code: "REPLAYED_REQUEST", kind: request.kind },
          "skipped a replayed Slack request",
        );
        return;
      }
    }
    await next();
  });

  app.command(SLASH_COMMAND, async ({ command, ack, respond }) => {
    await ack();
    const member = slackMemberId(command.team_id, command.user_id);
    const conversation = conversationAt(command.team_id, member, {
      id: command.channel_id,
      name: command.channel_name,
    });
    // Replies to a command are ephemeral, through the command's response_url:
    // only the member sees them, in whichever conversation they typed /peer,
    // with no membership or scope needed there. Never a channel message.
    // A response_url can't carry files, so a reply with files goes to their DM.
    const uses = { left: RESPONSE_URL_USES };
    const responder: Responder = {
      reply: (message) =>
        message.files && message.files.length > 0
          ? replyInDm(deps, member, message)
          : respondPrivately(deps, respond, message, uses, () => replyInDm(deps, member, message)),
      openForm: (form) => deps.openModal(command.trigger_id, form, conversation),
    };
    const text = unescapeSlackText(command.text);
    await dispatch(deps, { kind: "command", member, conversation, text, raw: command }, responder);
  });

  // A member's own new messages in their DM with the bot, or in a group DM the bot is in,
  // each with its reference; in a group DM, also their edits and deletions of those.
  // Never bot messages or anything in a channel.
  app.event("message", async ({ event, body, context }) => {
    if (event.subtype === "message_changed" || event.subtype === "message_deleted") {
      const change = groupChange(event as unknown as Record<string, unknown>, context.botUserId);
      if (change) await dispatchGroupChange(deps, body.team_id, change, event);
      return;
    }
    if (event.subtype !== undefined || event.bot_id || !event.text) return;
    if (event.channel_type !== "im" && event.channel_type !== "mpim") return;
    if (!isSlackId(event.user) || !isSlackId(event.channel)) return;
    const member = slackMemberId(body.team_id, event.user);
    const text = unescapeSlackText(event.text);
    if (event.channel_type === "im") {
      await deps.directory.rememberDm(member, event.channel);
      const responder: Responder = {
        reply: async (message) => {
          await deps.post(event.channel, message, member);
        },
      };
      const conversation = dmWith(member);
      const message = { conversation, id: event.ts };
      await dispatch(deps, { kind: "message", member, conversation, text, message, raw: event }, responder);
      return;
    }
    // An answer to one member's words in a group goes to their DM, never in front of the group.
    const responder: Responder = { reply: (message) => replyInDm(deps, member, message) };
    const conversation = slackConversation("group", body.team_id, event.channel);
    const message = { conversation, id: event.ts };
    await dispatch(deps, { kind: "message", member, conversation, text, message, raw: event }, responder);
  });

  app.action<BlockAction>({ type: "block_actions" }, async ({ ack, body, action }) => {
    await ack();
    if (action.type !== "button") return;
    const team = body.team?.id ?? body.user.team_id ?? "";
    const member = slackMemberId(team, body.user.id);
    const channel = body.channel?.id;
    const { container } = body;
    const conversation = conversationAt(team, member, {
      id: channel,
      name: body.channel?.name,
      threadTs: typeof container.thread_ts === "string" ? container.thread_ts : undefined,
    });
    // A message the bot posted (not an ephemeral reply, which can't be edited), so the core can edit it.
    const onPost =
      container.type === "message" && !container.is_ephemeral && typeof container.message_ts === "string";
    const message: MessageRef | undefined =
      onPost && isSlackId(channel) ? { conversation, id: String(container.message_ts) } : undefined;
    // A message with our buttons in a D channel is our DM with them.
    if (message && conversation.kind === "dm" && channel) await deps.directory.rememberDm(member, channel);
    const responder: Responder = {
      reply: (reply) => replyInDm(deps, member, reply),
      openForm: (form) => deps.openModal(body.trigger_id, form, conversation),
    };
    const value = action.value !== undefined ? { value: action.value } : {};
    await dispatch(
      deps,
      {
        kind: "button",
        member,
        conversation,
        actionId: coreActionId(action.action_id),
        ...value,
        ...(message ? { message } : {}),
        raw: body,
      },
      responder,
    );
  });

  app.view<ViewSubmitAction>({ type: "view_submission" }, async ({ ack, body, view }) => {
    await ack();
    const member = slackMemberId(body.team?.id ?? body.user.team_id ?? "", body.user.id);
    const values = formValues(view.state.values);
    // Where the form was opened from, as openModal wrote it; the member's DM otherwise.
    const conversation = parseConversation(view.private_metadata ?? "") ?? dmWith(member);
    const responder: Responder = { reply: (message) => replyInDm(deps, member, message) };
    await dispatch(
      deps,
      { kind: "form", member, conversation, formId: view.callback_id, values, raw: body },
      responder,
    );
  });
}

/** A member's edit or deletion of their message in a group DM; an answer to it goes to their DM. */
async function dispatchGroupChange(
  deps: InboundDeps,
  team: string,
  change: GroupChange,
  raw: unknown,
): Promise<void> {
  const member = slackMemberId(team, change.user);
  const conversation = slackConversation("group", team, change.channel);
  const message: MessageRef = { conversation, id: change.ts };
  const responder: Responder = { reply: (reply) => replyInDm(deps, member, reply) };
  const event: InboundEvent =
    change.kind === "message-edited"
      ? { kind: "message-edited", member, conversation, message, text: unescapeSlackText(change.text), raw }
      : { kind: "message-deleted", member, conversation, message, raw };
  await dispatch(deps, event, responder);
}

/** Adds the member's display name and time zone, then hands the event to the core. */
async function dispatch(deps: InboundDeps, event: InboundEvent, responder: Responder): Promise<void> {
  const profile = await deps.directory.profile(event.member);
  await deps.handler({ ...event, ...profile }, reportingDrops(responder, deps.gate));
}

/** A private answer by DM: for button presses, forms, and words written in a group. */
async function replyInDm(deps: InboundDeps, member: MemberId, message: OutboundMessage): Promise<void> {
  await deps.post(await deps.directory.dmChannel(member), message, member);
}

/** Slack takes at most five posts to one response_url (within 30 minutes). */
export const RESPONSE_URL_USES = 5;

/**
 * The parts of a reply, through the command's response_url while it has uses
 * left for all of them; otherwise (a reply long enough to need more parts than
 * are left) the whole reply goes to the member's DM, so a command never posts
 * more than five times to its response_url, however long its replies.
 *
 * Not paced: a response_url post is not a Web API call and does not count
 * against chat.postMessage's workspace limit, which is what the pacer guards;
 * Slack limits each response_url on its own (5 uses in 30 minutes, kept to
 * above). If a post to it fails (refused, rate-limited, expired), the reply is
 * not lost: it goes to the member's DM, through the pacer's reply lane.
 */
async function respondPrivately(
  deps: InboundDeps,
  respond: RespondFn,
  message: OutboundMessage,
  uses: { left: number },
  inDm: () => Promise<void>,
): Promise<void> {
  const parts = messageBlocks(message);
  if (parts.length > uses.left) return inDm();
  uses.left -= parts.length;
  for (const part of parts) {
    try {
      await respond({ response_type: "ephemeral", replace_original: false, ...part });
    } catch (error) {
      // The whole reply goes (a long one's earlier parts may then be seen twice: better than none).
      deps.logger.warn(
        { code: toPlatformError(error, "response_url").code },
        "response_url refused a reply; sending it by DM",
      );
      uses.left = 0;
      return inDm();
    }
  }
}
