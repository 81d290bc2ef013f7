import { createHmac, randomBytes } from "node:crypto";
import type {
  BlockAction,
  ButtonAction,
  EnvelopedEvent,
  SlashCommand,
  ViewSubmitAction,
  types,
} from "@slack/bolt";

/**
 * Requests as Slack sends them to the Bolt HTTP receiver, signed with the
 * signing secret (`v0=` + HMAC-SHA256 of `v0:{timestamp}:{raw body}`), and
 * typed builders for the payloads the adapter handles.
 */
export interface SlackResponse {
  readonly status: number;
  readonly body: string;
}

export interface SendOptions {
  /** Seconds since the epoch to sign with; now when omitted. */
  readonly timestamp?: number;
  /** Sign with this instead of the right secret. */
  readonly secret?: string;
  /** Replace the signature header outright. */
  readonly signature?: string;
  readonly retryNum?: number;
}

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export class SlackRequester {
  constructor(
    /** e.g. http://127.0.0.1:PORT/slack/events */
    readonly url: string,
    private readonly signingSecret: string,
  ) {}

  /** A slash command: form-encoded fields. */
  command(command: SlashCommand, options: SendOptions = {}): Promise<SlackResponse> {
    const fields = Object.fromEntries(
      Object.entries(command).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    );
    return this.send(new URLSearchParams(fields).toString(), "application/x-www-form-urlencoded", options);
  }

  /** Interactivity (block_actions, view_submission): a form field `payload` holding JSON. */
  interaction(payload: BlockAction | ViewSubmitAction, options: SendOptions = {}): Promise<SlackResponse> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.send(body, "application/x-www-form-urlencoded", options);
  }

  /** An Events API request (event_callback or url_verification): JSON. */
  event(envelope: object, options: SendOptions = {}): Promise<SlackResponse> {
    return this.send(JSON.stringify(envelope), "application/json", options);
  }

  /** Any raw body, signed. */
  async send(body: string, contentType: string, options: SendOptions = {}): Promise<SlackResponse> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      "content-type": contentType,
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature":
        options.signature ?? slackSignature(options.secret ?? this.signingSecret, timestamp, body),
    };
    if (options.retryNum !== undefined) {
      headers["x-slack-retry-num"] = String(options.retryNum);
      headers["x-slack-retry-reason"] = "http_timeout";
    }
    const response = await fetch(this.url, { method: "POST", headers, body });
    return { status: response.status, body: await response.text() };
  }
}

export interface SlackActor {
  readonly teamId: string;
  readonly userId: string;
  readonly userName?: string;
}

function trigger(): string {
  return `${Date.now()}.${randomBytes(4).toString("hex")}`;
}

export function commandPayload(
  actor: SlackActor,
  text: string,
  responseUrl: string,
  options: { channelId?: string; channelName?: string; triggerId?: string } = {},
): SlashCommand {
  return {
    token: "legacy-verification-token",
    command: "/peer",
    text,
    response_url: responseUrl,
    trigger_id: options.triggerId ?? trigger(),
    user_id: actor.userId,
    user_name: actor.userName ?? actor.userId.toLowerCase(),
    team_id: actor.teamId,
    team_domain: "peer-test",
    channel_id: options.channelId ?? "C0GENERAL",
    channel_name: options.channelName ?? "general",
    api_app_id: "A0TEST",
  };
}

export function eventId(): string {
  return `Ev${randomBytes(5).toString("hex").toUpperCase()}`;
}

let messageCount = 0;

/**
 * A `message.im` event as Slack wraps it (`message.mpim` with `channelType:
 * "mpim"` and the group DM's channel); pass `extra` for subtypes or bot messages.
 */
export function messageImEvent(
  actor: SlackActor,
  text: string,
  options: {
    channel?: string;
    channelType?: "im" | "mpim" | "channel" | "group";
    eventId?: string;
    extra?: Record<string, unknown>;
  } = {},
): EnvelopedEvent<types.GenericMessageEvent> {
  const ts = `${Math.floor(Date.now() / 1000)}.${String(++messageCount).padStart(6, "0")}`;
  return {
    token: "legacy-verification-token",
    team_id: actor.teamId,
    api_app_id: "A0TEST",
    type: "event_callback",
    event_id: options.eventId ?? eventId(),
    event_time: Math.floor(Date.now() / 1000),
    event: {
      type: "message",
      subtype: undefined,
      channel: options.channel ?? `D${actor.userId}`,
      channel_type: options.channelType ?? "im",
      user: actor.userId,
      text,
      ts,
      event_ts: ts,
      team: actor.teamId,
      ...options.extra,
    },
    authorizations: [
      {
        enterprise_id: null,
        team_id: actor.teamId,
        user_id: "U0BOT",
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
  } as EnvelopedEvent<types.GenericMessageEvent>;
}

/**
 * Any event as Slack wraps it in an Events API request, e.g. a `message` with
 * subtype `message_changed` or `message_deleted` shaped by the test (the fake's
 * `personEdits` and `personDeletes` give the ordinary ones).
 */
export function eventCallback(teamId: string, event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: "legacy-verification-token",
    team_id: teamId,
    api_app_id: "A0TEST",
    type: "event_callback",
    event_id: eventId(),
    event_time: Math.floor(Date.now() / 1000),
    event,
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: "U0BOT", is_bot: true, is_enterprise_install: false },
    ],
  };
}

export function urlVerification(challenge: string): object {
  return { token: "legacy-verification-token", challenge, type: "url_verification" };
}

/**
 * A button press; by default on an ephemeral message in a channel (a command's
 * reply). `message` gives the pressed message's ts and blocks; `channelName` is
 * what Slack calls the channel (`directmessage` for a D channel, `mpdm-…` for a
 * group DM).
 */
export function blockActionsPayload(
  actor: SlackActor,
  button: { actionId: string; value?: string; label?: string },
  responseUrl: string,
  options: {
    channelId?: string;
    channelName?: string;
    ephemeral?: boolean;
    triggerId?: string;
    message?: { ts: string; text?: string; blocks?: readonly unknown[] };
  } = {},
): BlockAction<ButtonAction> {
  const ephemeral = options.ephemeral ?? true;
  const channelId = options.channelId ?? "C0GENERAL";
  const ts = options.message?.ts ?? `${Math.floor(Date.now() / 1000)}.000200`;
  const channelName = options.channelName ?? (channelId.startsWith("D") ? "directmessage" : "general");
  return {
    type: "block_actions",
    team: { id: actor.teamId, domain: "peer-test" },
    user: { id: actor.userId, username: actor.userName ?? actor.userId.toLowerCase(), team_id: actor.teamId },
    api_app_id: "A0TEST",
    token: "legacy-verification-token",
    container: { type: "message", message_ts: ts, channel_id: channelId, is_ephemeral: ephemeral },
    trigger_id: options.triggerId ?? trigger(),
    channel: { id: channelId, name: channelName },
    ...(ephemeral
      ? {}
      : {
          message: {
            type: "message",
            ts,
            user: "U0BOT",
            text: options.message?.text ?? "",
            ...(options.message?.blocks ? { blocks: options.message.blocks } : {}),
          },
        }),
    response_url: responseUrl,
    actions: [
      {
        type: "button",
        action_id: button.actionId,
        block_id: "peer-buttons",
        text: { type: "plain_text", text: button.label ?? button.actionId },
        ...(button.value !== undefined ? { value: button.value } : {}),
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

/**
 * A modal submission; `values` by field id (block_id and action_id both the
 * field id). Slack sends back the view's id and private_metadata as opened.
 */
export function viewSubmissionPayload(
  actor: SlackActor,
  callbackId: string,
  values: Readonly<Record<string, string | null>>,
  options: { viewId?: string; privateMetadata?: string; triggerId?: string } = {},
): ViewSubmitAction {
  const viewId = options.viewId ?? "V0TEST";
  const state: ViewSubmitAction["view"]["state"]["values"] = {};
  for (const [id, value] of Object.entries(values)) state[id] = { [id]: { type: "plain_text_input", value } };
  return {
    type: "view_submission",
    team: { id: actor.teamId, domain: "peer-test" },
    user: { id: actor.userId, name: actor.userName ?? actor.userId.toLowerCase(), team_id: actor.teamId },
    api_app_id: "A0TEST",
    token: "legacy-verification-token",
    trigger_id: options.triggerId ?? trigger(),
    view: {
      id: viewId,
      team_id: actor.teamId,
      type: "modal",
      callback_id: callbackId,
      app_id: "A0TEST",
      bot_id: "B0BOT",
      title: { type: "plain_text", text: "Form", emoji: true },
      blocks: [],
      close: null,
      submit: null,
      state: { values: state },
      hash: "1700000000.abc",
      private_metadata: options.privateMetadata ?? "",
      root_view_id: viewId,
      previous_view_id: null,
      clear_on_close: false,
      notify_on_close: false,
    },
  };
}
