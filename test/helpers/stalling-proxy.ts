import { type Server, type Socket, connect, createServer } from "node:net";

export interface StallingProxy {
  /** A Redis URL that goes through the proxy. */
  readonly url: string;
  /** Holds every command sent through the proxy (nothing is lost: it waits) until `resume`. */
  stall(): void;
  resume(): void;
  stop(): Promise<void>;
}

/**
 * A TCP proxy in front of a real Redis that can hold traffic back, to test
 * what the bot does while Redis is slow, without touching the Redis other
 * tests share.
 */
export async function startStallingProxy(target = { host: "127.0.0.1", port: 6379 }): Promise<StallingProxy> {
  const clients = new Set<Socket>();
  let stalled = false;
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    clients.add(client);
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk) => client.write(chunk));
    const close = () => {
      clients.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", close).on("error", close);
    upstream.on("close", close).on("error", close);
    if (stalled) client.pause();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `redis://127.0.0.1:${port}`,
    stall() {
      stalled = true;
      for (const client of clients) client.pause();
    },
    resume() {
      stalled = false;
      for (const client of clients) client.resume();
    },
    async stop() {
      for (const client of clients) client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
