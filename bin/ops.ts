import type { Config } from "../src/config/config.js";
import { isLocalMode } from "../src/config/config.js";
import type { Logger } from "../src/logging/logger.js";
import { type Clock, systemClock } from "../src/time/clock.js";
import type { App } from "./app.js";
import { type OpsRoute, type OpsServer, listenOps, opsRoutes } from "./ops-http.js";
import { PromMetrics } from "./prom-metrics.js";
import { type Readiness, checkReadiness } from "./readiness.js";

export interface OpsOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** The app's clock (the terminal chat's can be moved forward), for how long items have been due. */
  readonly clock?: Clock;
  /** The address to bind the bot's own server to (all addresses when unset). */
  readonly host?: string;
}

/**
 * Health and metrics: `/healthz`, `/readyz` and `/metrics` on PORT. In
 * Slack's HTTP mode Slack's receiver serves them beside `/slack/events`
 * (give `routes` to `chatPlatforms`); otherwise (Socket Mode, Discord only)
 * the bot opens its own small server, and the terminal chat does so only
 * when PORT is set.
 *
 * Order: `new Ops`, `createApp({ metrics: ops.metrics, … })`, `attach(app)`,
 * `listen()` (so /readyz says 503 while the platforms connect), `app.start()`.
 */
export class Ops {
  readonly metrics: PromMetrics;
  readonly routes: readonly OpsRoute[];
  private app: App | undefined;
  private server: OpsServer | undefined;

  constructor(private readonly options: OpsOptions) {
    const logger = options.logger.child({ component: "ops" });
    this.metrics = new PromMetrics(logger);
    this.routes = opsRoutes({ readiness: () => this.readiness(), metrics: this.metrics, logger });
  }

  /** True when Slack's HTTP receiver serves the routes. */
  get servedBySlack(): boolean {
    const { slack } = this.options.config;
    return slack !== undefined && slack.appToken === undefined;
  }

  /** Where readiness and the gauges look: the app's Redis, platforms, schedule and queues. */
  attach(app: App): void {
    this.app = app;
    const clock = this.options.clock ?? systemClock;
    const { schedule } = app.stores;
    this.metrics.observe({
      now: () => clock.now().getTime(),
      schedule: async () => {
        // Not connected: unknown at once, rather than a command held in the offline queue.
        if (app.redis.status !== "ready") throw new Error("redis is not connected");
        const [due, state] = await Promise.all([schedule.countDue(clock.now().getTime()), schedule.state()]);
        return { due, earliestDue: state.earliestDue, inFlight: state.inFlight };
      },
      queues: async () => {
        const queues = [...(app.scheduler?.queues.values() ?? [])];
        const depths = await Promise.all(queues.map((queue) => queue.pending()));
        return Object.fromEntries(
          queues.map((queue, i) => [queue.name.replace(/^outbound-/, ""), depths[i] ?? 0]),
        );
      },
    });
  }

  readiness(): Promise<Readiness> {
    if (!this.app) return Promise.resolve({ ready: false, notReady: ["app"] });
    return checkReadiness(this.app.redis, this.app.router.platforms);
  }

  /**
   * Opens PORT for the routes, unless Slack's receiver serves them or this is
   * the terminal chat without PORT set. Returns the port it listens on.
   */
  async listen(): Promise<number | undefined> {
    const { config } = this.options;
    if (this.servedBySlack || (isLocalMode(config) && !config.portWasSet)) return undefined;
    this.server = await listenOps(this.routes, config.port, this.options.host);
    this.options.logger.info({ port: this.server.port }, "health and metrics listening");
    return this.server.port;
  }

  async close(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }
}
