import type { IncomingMessage, ServerResponse } from "node:http";
import type { webApi } from "@slack/bolt";
import type { Logger } from "../../src/logging/logger.js";
import type { MemberCache } from "../../src/platform/member-cache.js";
import type { SendGate } from "../../src/platform/send-gate.js";
import type { SeenEventsRedis } from "./seen-events.js";

export interface SlackAdapterConfig {
  /** The bot token (xoxb-…). */
  readonly botToken: string;
  /** Selects the HTTP transport: events, commands and interactivity at `POST /slack/events`. */
  readonly signingSecret?: string | undefined;
  /** Selects Socket Mode (xapp-…); used instead of HTTP when both are given. */
  readonly appToken?: string | undefined;
  /** The Web API base URL, e.g. a local fake; Slack's own when unset. */
  readonly apiUrl?: string | undefined;
  /** The HTTP transport's port (Bolt's default is 3000) and, optionally, the address to bind. */
  readonly port?: number;
  readonly host?: string;
  /** For the seen-set of event ids (SET NX EX), under `keyPrefix`. */
  readonly redis: SeenEventsRedis;
  readonly keyPrefix: string;
  /** Where DM channel ids and display names are kept. */
  readonly memberCache: MemberCache;
  readonly logger: Logger;
  /** The bot's own ids; when both are given Bolt skips auth.test at start. */
  readonly botId?: string;
  readonly botUserId?: string;
  /** The WebClient's retries of failed requests (never of 429s); tests pass `{ retries: 0 }`. */
  readonly retryConfig?: webApi.RetryOptions;
  readonly eventTtlSeconds?: number;
  /**
   * More routes the HTTP transport serves beside `POST /slack/events`, outside
   * Slack's signature check (e.g. `GET /healthz`). Ignored in Socket Mode.
   */
  readonly routes?: readonly SlackHttpRoute[];
  /**
   * The platform's pacing (bin/app.ts gives the one the outbound queue uses): every reply
   * posted with chat.postMessage takes a turn in its reply lane, ahead of scheduled sends,
   * and is retried after a 429. Without it replies go straight out (bare adapter tests).
   */
  readonly gate?: SendGate;
}

/** A plain node:http route: an exact path and one method. */
export interface SlackHttpRoute {
  readonly path: string;
  readonly method: string;
  handler(request: IncomingMessage, response: ServerResponse): void;
}
