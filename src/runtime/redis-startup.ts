import { type ChildProcess, spawn } from "node:child_process";
import { constants, accessSync, mkdirSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { Redis } from "ioredis";
import { BotError } from "../errors.js";
import type { Logger } from "../logging/logger.js";

export const HOW_TO_START_REDIS = [
  "Start Redis, then try again:",
  "  Debian/Ubuntu: sudo apt install redis-server",
  "  macOS:         brew install redis && brew services start redis",
  "  Docker:        docker run -d --name peer-bot-redis -p 6379:6379 redis:7 redis-server --appendonly yes",
  "or point REDIS_URL at a Redis you already run.",
].join("\n");

export interface RedisStartupOptions {
  readonly url: string;
  /** When REDIS_URL was set, we never start a server of our own. */
  readonly urlWasSet: boolean;
  readonly dataDir: string;
  readonly logger: Logger;
  /** Where to look for `redis-server` (the PATH, from config). */
  readonly searchPath: string;
}

export interface RedisHandle {
  /** True when this process started its own redis-server. */
  readonly started: boolean;
  stop(): Promise<void>;
}

/** Pings a Redis URL once, without retrying. */
export async function redisAnswers(url: string, timeoutMs = 1_500): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function findOnPath(program: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

async function waitFor(check: () => Promise<boolean>, deadlineMs: number): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((done) => setTimeout(done, 100));
  }
  return false;
}

/**
 * Makes sure Redis answers. If nothing answers at the default URL and
 * `redis-server` is on the PATH, starts one as a child process with its data
 * in `<dataDir>/redis` and append-only persistence on; `stop()` ends it.
 */
export async function ensureRedis(options: RedisStartupOptions): Promise<RedisHandle> {
  const { url, urlWasSet, dataDir, logger } = options;
  if (await redisAnswers(url)) return { started: false, stop: async () => {} };
  const unavailable = (why: string) => new BotError("REDIS_UNAVAILABLE", `${why}\n${HOW_TO_START_REDIS}`);
  if (urlWasSet) throw unavailable(`Nothing answers at REDIS_URL (${url}).`);
  const server = findOnPath("redis-server", options.searchPath);
  if (!server) throw unavailable(`Nothing answers at ${url}, and redis-server isn't installed here.`);

  const { hostname, port } = new URL(url);
  const dir = resolve(dataDir, "redis");
  mkdirSync(dir, { recursive: true });
  const child: ChildProcess = spawn(
    server,
    [
      "--port",
      port || "6379",
      "--bind",
      hostname || "127.0.0.1",
      "--dir",
      dir,
      "--appendonly",
      "yes",
      "--save",
      "",
    ],
    { stdio: "ignore" },
  );
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  if (!(await waitFor(async () => !exited && (await redisAnswers(url, 500)), 10_000))) {
    child.kill("SIGKILL");
    throw unavailable(`Started ${server}, but it did not answer at ${url}.`);
  }
  logger.info({ port, dir }, "started a local redis-server");
  return {
    started: true,
    stop: () =>
      new Promise<void>((done) => {
        if (exited) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}
