import { join } from "node:path";
import { createLocalAdapter } from "../adapters/local/local-adapter.js";
import { type Config, isLocalMode, loadConfig } from "../src/config/config.js";
import { BotError, ConfigError } from "../src/errors.js";
import { createPinoLogger } from "../src/logging/pino-logger.js";
import { loadOrCreateLocalKey } from "../src/runtime/local-key.js";
import { installProcessGuard } from "../src/runtime/process-guard.js";
import { checkRedisDurability } from "../src/runtime/redis-durability.js";
import { ensureRedis } from "../src/runtime/redis-startup.js";
import { ShiftedClock, createTimeTravel } from "../src/schedule/time-travel.js";
import { type App, createApp } from "./app.js";
import { Ops } from "./ops.js";
import { chatPlatforms } from "./platforms.js";

/** `npm start`: read config, make sure Redis answers, start the bot on every configured platform. */
async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(
        `peer-bot can't start: a setting is missing or malformed.\n${error.message}\nSee .env.example for every setting.`,
      );
      return 1;
    }
    throw error;
  }
  const local = isLocalMode(config);
  // In the terminal chat, logs go to a file so they don't mix with the conversation.
  const logFile = join(config.dataDir, "peer-bot.log");
  const logger = createPinoLogger({ level: config.logLevel, destination: local ? logFile : 1 });
  installProcessGuard({ logger });

  if (local && !config.encryptionKey) {
    config = { ...config, encryptionKey: loadOrCreateLocalKey(config.dataDir) };
  }

  const redisHandle = await ensureRedis({
    url: config.redis.url,
    urlWasSet: config.redis.urlWasSet,
    dataDir: config.dataDir,
    searchPath: config.searchPath,
    logger,
  }).catch((error: unknown) => {
    if (error instanceof BotError && error.code === "REDIS_UNAVAILABLE") {
      console.error(`peer-bot can't start: ${error.message}`);
      return undefined;
    }
    throw error;
  });
  if (!redisHandle) return 1;
  // Warns (or, with STRICT_REDIS=1, refuses) when Redis could lose or repeat scheduled work.
  const durable = await checkRedisDurability({
    url: config.redis.url,
    logger,
    strict: config.redis.strict,
  }).then(
    () => true,
    (error: unknown) => {
      console.error(`peer-bot can't start: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    },
  );
  if (!durable) {
    await redisHandle.stop();
    return 1;
  }

  // In the terminal chat, `/clock +3d` moves the bot's time forward, so a newcomer can watch a week
  // of prompts and tips in a minute. The real platforms always run on the real clock.
  const clock = local ? new ShiftedClock() : undefined;
  const late: { app?: App } = {};
  const terminal = local
    ? createLocalAdapter({
        input: process.stdin,
        output: process.stdout,
        interactive: process.stdin.isTTY === true,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        ...(clock
          ? {
              timeTravel: createTimeTravel({
                clock,
                schedule: () => (late.app as App).stores.schedule,
                poke: () => late.app?.scheduler?.dispatcher.poke(),
              }),
            }
          : {}),
      })
    : undefined;
  const ops = new Ops({ config, logger, ...(clock ? { clock } : {}) });
  const app = createApp({
    config,
    logger,
    metrics: ops.metrics,
    ...(clock ? { clock } : {}),
    platforms: (stores, redis, pacing) =>
      terminal ? [terminal] : chatPlatforms(config, logger, stores, redis, ops.routes, pacing),
  });
  late.app = app;
  ops.attach(app);

  let stopping: Promise<void> | undefined;
  const shutdown = () => {
    stopping ??= (async () => {
      await ops.close();
      await app.stop();
      await redisHandle.stop();
    })();
    return stopping;
  };
  // `on`, not `once`: a signal sent to the whole process group can arrive twice; shutdown runs once.
  // On SIGTERM (docker stop) the scheduler claims nothing more, lets the sends already with the
  // platform finish (at most 6 s), hands every other claimed item back, and the process exits;
  // if anything still hangs after 9 s, it exits anyway, inside Docker's grace period (20 s in
  // docker-compose.yml), and what it held is taken over by the next process's heartbeat check.
  const onSignal = () => {
    setTimeout(() => process.exit(process.exitCode ?? 1), 9_000).unref();
    shutdown().then(
      () => process.exit(process.exitCode ?? 0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    // /healthz, /readyz and /metrics on PORT (Slack's HTTP mode serves them with its events instead).
    await ops.listen();
    await app.start();
  } catch (error) {
    console.error(`peer-bot could not start: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown();
    return 1;
  }
  if (terminal) {
    await terminal.done;
    await shutdown();
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error("peer-bot stopped on an unexpected error:", error);
    process.exitCode = 1;
  },
);
