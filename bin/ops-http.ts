import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../src/logging/logger.js";
import type { PromMetrics } from "./prom-metrics.js";
import type { Readiness } from "./readiness.js";

/** A plain node:http route (the shape Slack's HTTP receiver takes as a custom route, too). */
export interface OpsRoute {
  readonly path: string;
  readonly method: string;
  handler(request: IncomingMessage, response: ServerResponse): void;
}

export interface OpsRoutesDeps {
  readiness(): Promise<Readiness>;
  readonly metrics: PromMetrics;
  readonly logger: Logger;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  response.end(JSON.stringify(body));
}

/**
 * `GET /healthz`: the process is up (200). `GET /readyz`: 200 when Redis
 * answers and every platform is connected, else 503 naming what isn't.
 * `GET /metrics`: Prometheus text.
 */
export function opsRoutes(deps: OpsRoutesDeps): OpsRoute[] {
  const failed = (response: ServerResponse, what: string) => (error: unknown) => {
    deps.logger.warn(
      { route: what, err: error instanceof Error ? error.message : String(error) },
      "ops route failed",
    );
    if (!response.headersSent) sendJson(response, 500, { error: "internal" });
    else response.end();
  };
  return [
    {
      path: "/healthz",
      method: "GET",
      handler: (_request, response) => sendJson(response, 200, { status: "ok" }),
    },
    {
      path: "/readyz",
      method: "GET",
      handler: (_request, response) => {
        deps
          .readiness()
          .then(
            (readiness) =>
              readiness.ready
                ? sendJson(response, 200, { ready: true })
                : sendJson(response, 503, { ready: false, notReady: readiness.notReady }),
            failed(response, "/readyz"),
          );
      },
    },
    {
      path: "/metrics",
      method: "GET",
      handler: (_request, response) => {
        deps.metrics.text().then(
          (text) => {
            response.writeHead(200, {
              "content-type": deps.metrics.contentType,
              "cache-control": "no-store",
            });
            response.end(text);
          },
          failed(response, "/metrics"),
        );
      },
    },
  ];
}

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** A small node:http server for the routes (404 for anything else), for set-ups without Slack's HTTP receiver. */
export async function listenOps(
  routes: readonly OpsRoute[],
  port: number,
  host?: string,
): Promise<OpsServer> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const method = request.method?.toUpperCase();
    const route = routes.find((candidate) => candidate.path === path && candidate.method === method);
    if (route) return route.handler(request, response);
    const known = routes.some((candidate) => candidate.path === path);
    sendJson(response, known ? 405 : 404, { error: known ? "method not allowed" : "not found" });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
