import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redisAnswers } from "../../src/runtime/redis-startup.js";
import { freePort } from "./free-port.js";
import { waitFor } from "./poll.js";

/**
 * A real `redis-server` of a test's own, on a spare loopback port, that the
 * test can kill and start again on the same port (fault injection). Extra
 * arguments choose persistence, e.g. `["--appendonly", "yes"]`; the data
 * directory is a fresh temp folder, removed by `cleanup`.
 */
export class RedisServer {
  private child: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), "peer-bot-redis-"));

  private constructor(
    readonly port: number,
    private readonly args: readonly string[],
  ) {}

  static async start(args: readonly string[] = ["--save", "", "--appendonly", "no"]): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), args);
    await server.resume();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (again) on the same port and waits until it answers. */
  async resume(): Promise<void> {
    this.child = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir, ...this.args],
      { stdio: "ignore" },
    );
    await waitFor(() => this.answers(), { timeoutMs: 10_000, what: `redis-server on ${this.port}` });
  }

  /** Kills it at once (SIGKILL, as a crash), and waits until it has gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await gone;
    this.child = undefined;
  }

  private answers(): Promise<boolean> {
    return redisAnswers(this.url, 500);
  }

  async cleanup(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
