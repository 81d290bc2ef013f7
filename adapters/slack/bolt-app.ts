import {
  App,
  type AppOptions,
  type Logger as BoltLogger,
  HTTPModuleFunctions,
  HTTPReceiver,
  type ReceiverEvent,
} from "@slack/bolt";
import { ConfigError } from "../../src/errors.js";
import { createBoltLogger } from "./bolt-logger.js";
import { MalformedRequestError, isWellFormedRequest } from "./request-shape.js";
import type { SlackAdapterConfig } from "./slack-adapter-config.js";

/** Bolt's App with a gate: bodies of a shape we don't handle never reach middleware or listeners. */
class GatedApp extends App {
  override async processEvent(event: ReceiverEvent): Promise<void> {
    if (!isWellFormedRequest(event.body)) throw new MalformedRequestError();
    return super.processEvent(event);
  }
}

/**
 * The Bolt App with the transport the config asks for: Socket Mode when an
 * app-level token is given (no public URL needed), else an HTTP receiver that
 * takes events, slash commands and interactivity at `POST /slack/events`. Bolt
 * answers a bad signature or a timestamp over five minutes old with 401 and
 * an unparseable body with 400; the gate adds 400 for a parseable body that
 * isn't one of ours.
 */
export function createBoltApp(config: SlackAdapterConfig): App {
  if (!config.botToken) throw new ConfigError("SLACK_BOT_TOKEN", "required for Slack (starts with xoxb-)");
  if (!config.appToken && !config.signingSecret) {
    throw new ConfigError(
      "SLACK_SIGNING_SECRET",
      "Slack needs SLACK_SIGNING_SECRET (HTTP events) or SLACK_APP_TOKEN (Socket Mode)",
    );
  }
  const logger = createBoltLogger(config.logger);
  const knowsBot = config.botId !== undefined && config.botUserId !== undefined;
  const transport: AppOptions = config.appToken
    ? { socketMode: true, appToken: config.appToken }
    : { receiver: httpReceiver(config.signingSecret ?? "", config.port, logger) };
  return new GatedApp({
    ...transport,
    token: config.botToken,
    // auth.test runs in start() (awaited, so a bad token fails start-up)
    // rather than in the constructor as an unawaited promise.
    deferInitialization: true,
    tokenVerificationEnabled: !knowsBot,
    ...(knowsBot ? { botId: config.botId, botUserId: config.botUserId } : {}),
    convoStore: false,
    logger,
    clientOptions: {
      // A 429 comes back to us at once instead of the WebClient sleeping and
      // retrying: the outbound queue owns the delay (see toPlatformError).
      rejectRateLimitedCalls: true,
      ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
      ...(config.retryConfig ? { retryConfig: config.retryConfig } : {}),
    },
  });
}

function httpReceiver(signingSecret: string, port: number | undefined, logger: BoltLogger): HTTPReceiver {
  return new HTTPReceiver({
    signingSecret,
    ...(port !== undefined ? { port } : {}),
    logger,
    // Stays false. Bolt then answers Slack as soon as ack() is called (events
    // are acked by Bolt before any listener runs) and the work carries on
    // after the response, so Slack gets its 200 within 3 s however slow Redis,
    // users.info or the core are. `true` would hold the response until the
    // handler finished: meant for FaaS hosts that freeze after responding, and
    // here it would turn a slow reply into a Slack timeout and a retried event.
    // Tests don't need it: they wait for the effect, or for the adapter's idle().
    processBeforeResponse: false,
    processEventErrorHandler: async (args) => {
      if (!(args.error instanceof MalformedRequestError)) {
        return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
      }
      args.logger.warn("Malformed request body: not an event, command or interaction the bot handles");
      if (!args.response.headersSent) {
        args.response.writeHead(400);
        args.response.end();
      }
      return true;
    },
  });
}
