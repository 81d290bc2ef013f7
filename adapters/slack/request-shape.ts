import { isSlackId } from "./member-ids.js";

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
      isText(body.event_id) && isSlackId(body.team_id) && isRecord(body.event) && isText(body.event.type)
    );
  }
  if (body.type === "block_actions" || body.type === "view_submission") {
    const user = isRecord(body.user) ? body.user : {};
    const team = isRecord(body.team) ? body.team.id : user.team_id;
    if (!isSlackId(user.id) || !isSlackId(team) || !isText(body.trigger_id)) return false;
    if (body.type === "block_actions") return Array.isArray(body.actions) && isRecord(body.container);
    const view = isRecord(body.view) ? body.view : {};
    return isText(view.callback_id) && isRecord(view.state) && isRecord(view.state.values);
  }
  if (isText(body.command)) {
    return (
      isSlackId(body.team_id) &&
      isSlackId(body.user_id) &&
      isText(body.text) &&
      isText(body.trigger_id) &&
      isText(body.response_url)
    );
  }
  return false;
}
