import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
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

  /** Whether the server process is running. */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Starts it (again) on the same port and waits until it answers. `extraArgs` are added for this
   * start only (e.g. `["--aof-load-truncated", "yes"]` after cutting the AOF short).
   */
  async resume(extraArgs: readonly string[] = []): Promise<void> {
    this.child = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir, ...this.args, ...extraArgs],
      { stdio: "ignore" },
    );
    await waitFor(() => this.answers(), { timeoutMs: 20_000, what: `redis-server on ${this.port}` });
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

  /**
   * The file the append-only log is being written to now: with Redis 7's
   * multi-part AOF, the newest `*.incr.aof` in `appendonlydir/`; before 7,
   * the single `appendonly.aof`. Undefined without AOF.
   */
  aofFile(): string | undefined {
    const multi = join(this.dir, "appendonlydir");
    if (existsSync(multi)) {
      const incr = readdirSync(multi)
        .filter((name) => name.endsWith(".incr.aof"))
        .sort((a, b) => sequenceOf(a) - sequenceOf(b));
      const last = incr.at(-1);
      return last ? join(multi, last) : undefined;
    }
    const single = join(this.dir, "appendonly.aof");
    return existsSync(single) ? single : undefined;
  }

  /** The size in bytes of `aofFile()`, or 0. */
  aofSize(): number {
    const file = this.aofFile();
    return file ? statSync(file).size : 0;
  }

  private answers(): Promise<boolean> {
    return redisAnswers(this.url, 500);
  }

  async cleanup(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The sequence number in a multi-part AOF file name, e.g. 3 in `appendonly.aof.3.incr.aof`. */
function sequenceOf(name: string): number {
  return Number(/\.(\d+)\.incr\.aof$/.exec(name)?.[1] ?? 0);
}
