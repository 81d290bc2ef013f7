import { isSlackId } from "./member-ids.js";
import { SLASH_COMMAND } from "./slack-scopes.js";

/** A signed request whose body is not one of the shapes the adapter handles. */
export class MalformedRequestError extends Error {
  constructor() {
    super("malformed Slack request body");
    this.name = "MalformedRequestError";
  }
}

type Fields = Record<string, unknown>;

const isRecord = (value: unknown): value is Fields => typeof value === "object" && value !== null;
const isText = (value: unknown): value is string => typeof value === "string";
const isOptionalText = (value: unknown): boolean => value === undefined || isText(value);
const INTERACTION_RECORDS = ["channel", "message", "view", "container", "user"] as const;
const EVENT_TEXT_FIELDS = ["channel", "user", "channel_type", "subtype", "ts", "thread_ts", "text"] as const;

/**
 * Whether a parsed, signature-checked body is an event, a slash command, a
 * button press or a modal submission with the ids we build member ids from.
 * Bolt itself answers JSON it can't classify with a 404 after three seconds and
 * an interaction without a user with a 500; these get a 400 instead, before
 * any listener runs. (url_verification and ssl_check never reach here.)
 */
export function isWellFormedRequest(body: unknown): boolean {
  if (!isRecord(body)) return false;
  if (body.type === "event_callback") {
    return (
      // An id the seen-set can hold, so a replay of the event is caught (Slack's look like Ev0A1B2C3D).
      isText(body.event_id) &&
      /^[\w-]{1,100}$/.test(body.event_id) &&
      isSlackId(body.team_id) &&
      isRecord(body.event) &&
      isText(body.event.type) &&
      // Bolt reads the installation off the first authorization: a null one is a 500.
      (!("authorizations" in body) ||
        (Array.isArray(body.authorizations) && body.authorizations.every(isRecord))) &&
      // Bolt reads these off an event as text where they are present (a null channel is a 500).
      EVENT_TEXT_FIELDS.every(
        (field) => !(field in (body.event as Fields)) || isOptionalText((body.event as Fields)[field]),
      )
    );
  }
  if (body.type === "block_actions" || body.type === "view_submission") {
    const user = isRecord(body.user) ? body.user : {};
    const team = isRecord(body.team) ? body.team.id : user.team_id;
    if (!isSlackId(user.id) || !isSlackId(team) || !isText(body.trigger_id)) return false;
    // Bolt reads ids off these wherever they are present: a null one is a 500.
    if (INTERACTION_RECORDS.some((field) => field in body && !isRecord(body[field]))) return false;
    if (body.type === "block_actions") {
      // One action at least, each with its id and type: Bolt matches listeners on them, and a press
      // no listener matches goes unanswered until Bolt's 404 three seconds on.
      const actions = Array.isArray(body.actions) ? body.actions : [];
      return (
        actions.length > 0 &&
        actions.every((action) => isRecord(action) && isText(action.action_id) && isText(action.type)) &&
        isRecord(body.container)
      );
    }
    const view = isRecord(body.view) ? body.view : {};
    return isText(view.callback_id) && isRecord(view.state) && isRecord(view.state.values);
  }
  if (isText(body.command)) {
    // Only the command the app listens for: any other would go unanswered until Bolt's 404 three seconds on.
    return (
      body.command === SLASH_COMMAND &&
      isSlackId(body.team_id) &&
      isSlackId(body.user_id) &&
      isText(body.text) &&
      isText(body.trigger_id) &&
      isText(body.response_url)
    );
  }
  return false;
}

/** How far a request's timestamp may be from now, either way: Slack's five minutes. */
export const TIMESTAMP_WINDOW_SECONDS = 5 * 60;

/**
 * Whether `X-Slack-Request-Timestamp` is more than five minutes ahead of now,
 * or no finite number at all (`Infinity` is never stale to Bolt, and signs
 * like any other). Bolt refuses one more than five minutes behind; without
 * this, a request stamped a year ahead would verify, and could be replayed
 * for a year.
 */
export function isTimestampTooFarAhead(header: string | string[] | undefined, nowSeconds: number): boolean {
  const stamp = Number(Array.isArray(header) ? header[0] : header);
  return !Number.isFinite(stamp) || stamp > nowSeconds + TIMESTAMP_WINDOW_SECONDS;
}

/** A parsed body Bolt can read fields off: a JSON object (or form fields), never `null` or a bare value. */
export function isParsedBody(body: unknown): boolean {
  return typeof body === "object" && body !== null;
}
