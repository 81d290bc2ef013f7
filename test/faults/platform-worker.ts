/**
 * A bot process for the fault runs (`npm run test:faults`): the app as `npm
 * start` composes it (`createApp` with `chatPlatforms` from a config read from
 * the environment), so the real Slack (HTTP mode, on PORT) and Discord
 * adapters send to whatever SLACK_API_URL and DISCORD_API_URL name, here the
 * harness's fake platforms behind slow proxies. Pacing comes from
 * SLACK_SEND_PER_MINUTE and DISCORD_SEND_PER_SECOND as in production.
 *
 * It prints `ready` once started. On SIGTERM it stops as `npm start` does
 * (app.stop: the scheduler stops claiming, finishes the sends already with the
 * platform, hands the rest back), prints `stopped <ms>` and exits; like `npm
 * start`, it exits anyway after 9 s (printing `forced <ms>`), so the harness
 * sees both the exit time and whether the stop finished by itself. Each part
 * of the stop prints `phase <name> <ms>` when it is done.
 */
import { createApp } from "../../bin/app.js";
import { chatPlatforms } from "../../bin/platforms.js";
import { parseConfig } from "../../src/config/config.js";
import type { LogLevel } from "../../src/logging/logger.js";
import { createPinoLogger } from "../../src/logging/pino-logger.js";
import type { ChatPlatform } from "../../src/platform/chat-platform.js";

const config = parseConfig(process.env);
const logger = createPinoLogger({
  level: (process.env.LOG_LEVEL as LogLevel | undefined) ?? "warn",
  destination: process.env.FAULT_LOG ?? 2,
});
let platforms: ChatPlatform[] = [];
const app = createApp({
  config,
  logger,
  platforms: (stores, redis) => {
    platforms = chatPlatforms(config, logger, stores, redis);
    return platforms;
  },
});

/** Reports how long a part of the stop took, on stdout (`phase <name> <ms>`), to see where a stop hangs. */
function timed(name: string, target: { stop(): Promise<void> } | undefined): void {
  if (!target) return;
  const stop = target.stop.bind(target);
  target.stop = async () => {
    const started = Date.now();
    await stop();
    process.stdout.write(`phase ${name} ${Date.now() - started}\n`);
  };
}
timed("scheduler", app.scheduler);

let stopping = false;
process.on("SIGTERM", () => {
  if (stopping) return;
  stopping = true;
  const started = Date.now();
  for (const platform of platforms) timed(platform.name, platform);
  // As bin/start.ts does: if the stop still hangs after 9 s, exit anyway.
  setTimeout(() => {
    process.stdout.write(`forced ${Date.now() - started}\n`);
    process.exit(1);
  }, 9_000).unref();
  void app.stop().then(
    () => {
      process.stdout.write(`stopped ${Date.now() - started}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stdout.write(`stop failed ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
});
await app.start();
process.stdout.write("ready\n");
