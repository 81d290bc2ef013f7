import {
  App,
  type AppOptions,
  type Logger as BoltLogger,
  HTTPModuleFunctions,
  type HTTPReceiver,
  type ReceiverEvent,
  SocketModeReceiver,
} from "@slack/bolt";
import { ConfigError } from "../../src/errors.js";
import { createBoltLogger } from "./bolt-logger.js";
import { MalformedRequestError, isWellFormedRequest } from "./request-shape.js";
import { ScreenedReceiver } from "./screened-receiver.js";
import type { SlackAdapterConfig, SlackHttpRoute } from "./slack-adapter-config.js";

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
 * an unparseable body with 400; the screen (ScreenedReceiver) adds 401 for a
 * timestamp over five minutes ahead and 400 for a body that is JSON but not
 * an object; the gate adds 400 for an object that isn't one of ours.
 */
export function createBoltApp(
  config: SlackAdapterConfig,
  /** Socket Mode only: told whenever the WebSocket to Slack opens (true) or closes (false). */
  onConnection?: (open: boolean) => void,
): App {
  if (!config.botToken) throw new ConfigError("SLACK_BOT_TOKEN", "required for Slack (starts with xoxb-)");
  if (!config.appToken && !config.signingSecret) {
    throw new ConfigError(
      "SLACK_SIGNING_SECRET",
      "Slack needs SLACK_SIGNING_SECRET (HTTP events) or SLACK_APP_TOKEN (Socket Mode)",
    );
  }
  const logger = createBoltLogger(config.logger);
  const knowsBot = config.botId !== undefined && config.botUserId !== undefined;
  const clientOptions = {
    // A 429 comes back to us at once instead of the WebClient sleeping and
    // retrying: the outbound queue owns the delay (see toPlatformError).
    rejectRateLimitedCalls: true,
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    ...(config.retryConfig ? { retryConfig: config.retryConfig } : {}),
  };
  const transport: AppOptions = config.appToken
    ? { receiver: socketReceiver(config.appToken, logger, clientOptions, onConnection) }
    : { receiver: httpReceiver(config.signingSecret ?? "", config.port, logger, config.routes) };
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
    clientOptions,
  });
}

/**
 * Socket Mode's receiver, made here as Bolt would make it for `socketMode:
 * true` (its client calls apps.connections.open with the same client
 * options), so the connection can be watched.
 */
function socketReceiver(
  appToken: string,
  logger: BoltLogger,
  clientOptions: NonNullable<AppOptions["clientOptions"]>,
  onConnection: ((open: boolean) => void) | undefined,
): SocketModeReceiver {
  const receiver = new SocketModeReceiver({
    appToken,
    logger,
    // A copy: the Socket Mode client adds its own retries for apps.connections.open to the object.
    installerOptions: { clientOptions: { ...clientOptions } },
  });
  if (onConnection) {
    receiver.client.on("connected", () => onConnection(true));
    for (const state of ["connecting", "reconnecting", "disconnecting", "disconnected"]) {
      receiver.client.on(state, () => onConnection(false));
    }
    // A dropped socket is only followed by "reconnecting" after a delay; the old socket's close
    // while a new one is already open (a refresh) changes nothing.
    receiver.client.on("close", () => onConnection(receiver.client.websocket?.isActive() === true));
  }
  return receiver;
}

function httpReceiver(
  signingSecret: string,
  port: number | undefined,
  logger: BoltLogger,
  routes: readonly SlackHttpRoute[] = [],
): HTTPReceiver {
  return new ScreenedReceiver({
    signingSecret,
    ...(port !== undefined ? { port } : {}),
    logger,
    // Served beside POST /slack/events, without Slack's signature check (e.g. GET /healthz).
    customRoutes: routes.map((route) => ({
      path: route.path,
      method: route.method,
      handler: (request, response) => route.handler(request, response),
    })),
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
