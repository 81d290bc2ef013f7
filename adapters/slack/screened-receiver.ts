import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type Logger as BoltLogger,
  HTTPModuleFunctions,
  HTTPReceiver,
  type HTTPReceiverOptions,
  defaultBodyLimit,
  isRawBodyError,
} from "@slack/bolt";
import { isParsedBody, isTimestampTooFarAhead } from "./request-shape.js";

export interface ScreenedReceiverOptions extends HTTPReceiverOptions {
  readonly signingSecret: string;
  readonly logger: BoltLogger;
  /** Seconds since the epoch now; the real clock unless a test says otherwise. */
  readonly nowSeconds?: () => number;
}

/**
 * Bolt's HTTP receiver with the checks it lacks, made on every POST to its
 * events endpoint before Bolt sees the request:
 *
 * - a timestamp more than five minutes ahead is refused with 401, as a bad
 *   signature is (Bolt refuses only timestamps over five minutes old), so a
 *   signed request can't be stamped ahead and replayed for longer;
 * - a validly signed body that is JSON but not an object (`null`, a number,
 *   `payload=null`) is refused with 400. Bolt reads `body.ssl_check` off it
 *   outside any try, so `null` would be an unhandled rejection.
 *
 * The signature is checked here first (and again by Bolt), so an unsigned
 * request is always a 401 whatever its body. Everything else (other paths,
 * routes added to the receiver) goes straight to Bolt.
 */
export class ScreenedReceiver extends HTTPReceiver {
  constructor(options: ScreenedReceiverOptions) {
    super(options);
    const route = this.requestListener;
    const endpoints = [options.endpoints ?? "/slack/events"].flat();
    const screen = new Screen(options, route);
    this.requestListener = (req, res) => {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      if (req.method?.toUpperCase() !== "POST" || !endpoints.includes(path)) return route(req, res);
      void screen.pass(req, res);
    };
  }
}

class Screen {
  constructor(
    private readonly options: ScreenedReceiverOptions,
    private readonly route: (req: IncomingMessage, res: ServerResponse) => void,
  ) {}

  async pass(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { logger } = this.options;
    try {
      await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
        {
          enabled: true,
          signingSecret: this.options.signingSecret,
          bodyLimit: this.options.bodyLimit ?? defaultBodyLimit,
        },
        req,
      );
    } catch (error) {
      const tooLarge =
        isRawBodyError(error) && (error.type === "entity.too.large" || error.statusCode === 413);
      logger.warn(tooLarge ? "Request body over the size limit" : "Request failed signature verification");
      return refuse(res, tooLarge ? 413 : 401);
    }
    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(req as IncomingMessage & { rawBody: Buffer });
    } catch {
      body = {}; // Bolt answers a body it can't parse with 400 itself.
    }
    // Slack's ssl_check is unsigned and unstamped; Bolt strips it to `ssl_check=1` and answers 200.
    const sslCheck = isParsedBody(body) && (body as { ssl_check?: unknown }).ssl_check === "1";
    const now = this.options.nowSeconds?.() ?? Math.floor(Date.now() / 1000);
    if (!sslCheck && isTimestampTooFarAhead(req.headers["x-slack-request-timestamp"], now)) {
      logger.warn("Request timestamp more than five minutes ahead");
      return refuse(res, 401);
    }
    if (!isParsedBody(body)) {
      logger.warn("Malformed request body: not a JSON object");
      return refuse(res, 400);
    }
    try {
      this.route(req, res);
    } catch (error) {
      logger.error(`Request routing failed (${error instanceof Error ? error.name : typeof error})`);
      refuse(res, 500);
    }
  }
}

function refuse(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status);
  res.end();
}
