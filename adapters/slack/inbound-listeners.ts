import type { App, BlockAction, RespondFn, ViewSubmitAction } from "@slack/bolt";
import type { Logger } from "../../src/logging/logger.js";
import type {
  Form,
  InboundEvent,
  InboundHandler,
  MemberId,
  OutboundMessage,
  Responder,
} from "../../src/platform/chat-platform.js";
import { within } from "../../src/time/within.js";
import { formValues, messageBlocks } from "./block-kit.js";
import { CACHE_WAIT_MS, type MemberDirectory } from "./member-directory.js";
import { isSlackId, slackMemberId } from "./member-ids.js";
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
  readonly post: (channel: string, message: OutboundMessage, member?: MemberId) => Promise<void>;
  readonly openModal: (triggerId: string, form: Form) => Promise<void>;
}

const EVENT_ID = /^[\w-]{1,100}$/;

/** Turns Slack's commands, DMs, button presses and modal submissions into the core's events. */
export function registerListeners(app: App, deps: InboundDeps): void {
  app.use(async ({ next }) => deps.track(next()));

  app.use(async ({ body, context, next }) => {
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
    await next();
  });

  app.command(SLASH_COMMAND, async ({ command, ack, respond }) => {
    await ack();
    const member = slackMemberId(command.team_id, command.user_id);
    // Replies to a command are ephemeral, through the command's response_url:
    // only the member sees them, in whichever conversation they typed /peer,
    // with no membership or scope needed there. Never a channel message.
    const responder: Responder = {
      reply: (message) => respondPrivately(respond, message),
      openForm: (form) => deps.openModal(command.trigger_id, form),
    };
    const text = unescapeSlackText(command.text);
    await dispatch(deps, { kind: "command", member, text, raw: command }, responder);
  });

  app.event("message", async ({ event, body }) => {
    if (event.subtype !== undefined || event.channel_type !== "im" || event.bot_id || !event.text) return;
    if (!isSlackId(event.user) || !isSlackId(event.channel)) return;
    const member = slackMemberId(body.team_id, event.user);
    await deps.directory.rememberDm(member, event.channel);
    const responder: Responder = { reply: (message) => deps.post(event.channel, message, member) };
    const text = unescapeSlackText(event.text);
    await dispatch(deps, { kind: "message", member, text, raw: event }, responder);
  });

  app.action<BlockAction>({ type: "block_actions" }, async ({ ack, body, action }) => {
    await ack();
    if (action.type !== "button") return;
    const member = slackMemberId(body.team?.id ?? body.user.team_id ?? "", body.user.id);
    // A (non-ephemeral) message with our buttons in a D channel is our DM with them.
    const channel = body.channel?.id;
    if (channel?.startsWith("D") && body.container.type === "message" && !body.container.is_ephemeral) {
      await deps.directory.rememberDm(member, channel);
    }
    const responder: Responder = {
      reply: (message) => replyInDm(deps, member, message),
      openForm: (form) => deps.openModal(body.trigger_id, form),
    };
    const value = action.value !== undefined ? { value: action.value } : {};
    await dispatch(
      deps,
      { kind: "button", member, actionId: action.action_id, ...value, raw: body },
      responder,
    );
  });

  app.view<ViewSubmitAction>({ type: "view_submission" }, async ({ ack, body, view }) => {
    await ack();
    const member = slackMemberId(body.team?.id ?? body.user.team_id ?? "", body.user.id);
    const values = formValues(view.state.values);
    const responder: Responder = { reply: (message) => replyInDm(deps, member, message) };
    await dispatch(deps, { kind: "form", member, formId: view.callback_id, values, raw: body }, responder);
  });
}

/** Adds the member's display name and time zone, then hands the event to the core. */
async function dispatch(deps: InboundDeps, event: InboundEvent, responder: Responder): Promise<void> {
  const profile = await deps.directory.profile(event.member);
  await deps.handler({ ...event, ...profile }, responder);
}

async function replyInDm(deps: InboundDeps, member: MemberId, message: OutboundMessage): Promise<void> {
  await deps.post(await deps.directory.dmChannel(member), message, member);
}

async function respondPrivately(respond: RespondFn, message: OutboundMessage): Promise<void> {
  for (const part of messageBlocks(message)) {
    try {
      await respond({ response_type: "ephemeral", replace_original: false, ...part });
    } catch (error) {
      throw toPlatformError(error, "response_url");
    }
  }
}
