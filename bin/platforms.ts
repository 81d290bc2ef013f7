import type { Redis } from "ioredis";
import { createDiscordAdapter } from "../adapters/discord/discord-adapter.js";
import { createSlackAdapter } from "../adapters/slack/slack-adapter.js";
import type { Config } from "../src/config/config.js";
import type { Logger } from "../src/logging/logger.js";
import type { ChatPlatform } from "../src/platform/chat-platform.js";
import type { SendGate } from "../src/platform/send-gate.js";
import type { AppStores } from "./app.js";
import type { OpsRoute } from "./ops-http.js";

/**
 * Slack and Discord, for whichever has credentials; both at once share one
 * store and one scheduler. `routes` (health and metrics) are served by
 * Slack's HTTP receiver on PORT, beside /slack/events, in Slack's HTTP mode.
 * `pacing` (from createApp) gives each adapter the pacer its scheduled sends
 * use, so its replies are paced with them (replies first) and retried after a 429.
 */
export function chatPlatforms(
  config: Config,
  logger: Logger,
  stores: AppStores,
  redis: Redis,
  routes: readonly OpsRoute[] = [],
  pacing?: (platform: string) => SendGate,
): ChatPlatform[] {
  const platforms: ChatPlatform[] = [];
  if (config.slack) {
    platforms.push(
      createSlackAdapter({
        ...config.slack,
        port: config.port,
        routes,
        redis,
        keyPrefix: config.redis.prefix,
        memberCache: stores.memberCache,
        logger: logger.child({ platform: "slack" }),
        ...(pacing ? { gate: pacing("slack") } : {}),
      }),
    );
  }
  if (config.discord) {
    platforms.push(
      createDiscordAdapter({
        ...config.discord,
        memberCache: stores.memberCache,
        logger: logger.child({ platform: "discord" }),
        ...(pacing ? { gate: pacing("discord") } : {}),
      }),
    );
  }
  return platforms;
}
