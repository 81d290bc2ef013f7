import { config as loadDotenv } from "dotenv";
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { LOG_LEVELS, type LogLevel } from "../logging/logger.js";

/**
 * The one place that reads the environment. Everything else receives a typed
 * `Config`. A missing or malformed setting stops start-up with a message
 * naming the variable and what it expects.
 */
export interface Config {
  readonly redis: {
    readonly url: string;
    readonly urlWasSet: boolean;
    readonly prefix: string;
    /** `STRICT_REDIS=1`: refuse to start on a Redis without persistence or with an evicting maxmemory-policy. */
    readonly strict: boolean;
  };
  /** 32 bytes, or undefined in local mode (start-up then makes one in `dataDir`). */
  readonly encryptionKey: Buffer | undefined;
  readonly coordinators: readonly string[];
  /** The HTTP port: Slack's events in HTTP mode, and /healthz, /readyz and /metrics. */
  readonly port: number;
  /** True when PORT was set (the terminal chat opens a port only then). */
  readonly portWasSet: boolean;
  readonly logLevel: LogLevel;
  readonly dataDir: string;
  /** The PATH, where start-up looks for redis-server. */
  readonly searchPath: string;
  readonly slack: SlackConfig | undefined;
  readonly discord: DiscordConfig | undefined;
  /**
   * Each platform's limit for messages to members (scheduled sends and replies alike); the pacer
   * paces a safety margin below it and slows down after a 429.
   */
  readonly pacing: { readonly slackPerMinute: number; readonly discordPerSecond: number };
}

export interface SlackConfig {
  readonly botToken: string;
  readonly signingSecret: string | undefined;
  readonly appToken: string | undefined;
  readonly apiUrl: string | undefined;
}

export interface DiscordConfig {
  readonly token: string;
  readonly applicationId: string;
  readonly guildId: string | undefined;
  readonly apiUrl: string | undefined;
  /** The text channel where the bot opens private threads for groups (peer circles, sessions). */
  readonly groupsChannelId: string | undefined;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The default key prefix. The braces make `peerbot` every key's hash tag, so on
 * Redis Cluster all of the bot's keys (BullMQ's too, under `{peerbot}:bull`)
 * hash to one slot, and every multi-key script and MULTI runs on one node. A
 * configured REDIS_PREFIX is used as given: one without braces is fine on a
 * single Redis, but Cluster needs one with a hash tag (README, "Redis Cluster").
 * Before this, the default was `peerbot:`; a deployment that relied on it sets
 * REDIS_PREFIX=peerbot: to keep its keys.
 */
export const DEFAULT_REDIS_PREFIX = "{peerbot}:";

/**
 * A key prefix's hash tag as Redis Cluster reads it (what lies between the first `{` and the
 * next `}`, when not empty), or undefined when it has none. Only one pair of braces is
 * accepted, so what the tag is can't surprise anyone.
 */
export function hashTagOf(prefix: string): string | undefined {
  const match = /^[^{}]*\{([^{}]+)\}[^{}]*$/.exec(prefix);
  return match?.[1];
}

/** The highest SLACK_SEND_PER_MINUTE accepted: a guard against typos, not a Slack limit (see the schema). */
export const SLACK_PER_MINUTE_BOUND = 60_000;
/** The highest DISCORD_SEND_PER_SECOND accepted: Discord's global limit for a bot. */
export const DISCORD_PER_SECOND_BOUND = 50;

const MEMBER_ID = /^(local:[\w.-]+|slack:[A-Z0-9]+:[A-Z0-9]+|discord:\d{5,25})$/;
const SNOWFLAKE = /^\d{5,25}$/;

const optionalText = z
  .string()
  .transform((value) => value.trim())
  .optional()
  .transform((value) => (value === "" ? undefined : value));

const httpUrl = (example: string) =>
  optionalText.refine((value) => value === undefined || /^https?:\/\/[^\s]+$/.test(value), {
    message: `expected an http(s) URL, e.g. ${example}`,
  });

const schema = z.object({
  REDIS_URL: optionalText.refine((value) => value === undefined || /^rediss?:\/\/[^\s]+$/.test(value), {
    message: "expected a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379",
  }),
  REDIS_PREFIX: optionalText.refine(
    (value) =>
      value === undefined || (/^[\w:.{}-]{1,64}$/.test(value) && (!/[{}]/.test(value) || hashTagOf(value))),
    {
      message:
        "expected 1-64 letters, digits or : . _ - with at most one {hash tag} (for Redis Cluster), e.g. {peerbot}:",
    },
  ),
  ENCRYPTION_KEY: optionalText.refine(
    (value) => value === undefined || Buffer.from(value, "base64").length === 32,
    { message: "expected 32 random bytes in base64 (make one with: openssl rand -base64 32)" },
  ),
  COORDINATORS: optionalText.refine(
    (value) => value === undefined || value.split(",").every((id) => MEMBER_ID.test(id.trim())),
    {
      message:
        "expected platform-qualified member ids separated by commas, e.g. slack:T01ABC:U02DEF,discord:123456789012345678,local:alex",
    },
  ),
  PORT: optionalText.refine(
    (value) => value === undefined || (/^\d+$/.test(value) && Number(value) > 0 && Number(value) < 65536),
    {
      message: "expected a port number from 1 to 65535, e.g. 3000",
    },
  ),
  STRICT_REDIS: optionalText.refine((value) => value === undefined || value === "0" || value === "1", {
    message:
      "expected 1 (refuse to start on a Redis that could lose scheduled work) or 0 (warn only, the default)",
  }),
  LOG_LEVEL: optionalText.refine(
    (value) => value === undefined || (LOG_LEVELS as readonly string[]).includes(value),
    {
      message: `expected one of ${LOG_LEVELS.join(", ")}`,
    },
  ),
  DATA_DIR: optionalText,
  // Set either to the platform's limit as stated: the pacer keeps its own margin below it
  // (scheduler/paced-sends.ts) and slows down after any 429 (scheduler/pacer.ts).
  // Slack publishes no workspace-wide figure for chat.postMessage (1 a second per conversation,
  // bursts allowed, and an unstated workspace allowance), so no Slack number justifies a cap; the
  // bound is only a guard against a typo (e.g. a per-hour figure): 60,000 a minute is 1,000 a
  // second, beyond anything a workspace is allowed. Set too high, the pacer still holds back after
  // each 429 and settles below where they start.
  SLACK_SEND_PER_MINUTE: optionalText.refine(
    (value) =>
      value === undefined ||
      (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= SLACK_PER_MINUTE_BOUND),
    {
      message: `expected messages a minute for the whole workspace, from 1 to ${SLACK_PER_MINUTE_BOUND}, e.g. 150`,
    },
  ),
  // Discord states its global limit: 50 requests a second per bot (discord.js holds itself to 50
  // too), so more can never be sent.
  DISCORD_SEND_PER_SECOND: optionalText.refine(
    (value) =>
      value === undefined ||
      (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= DISCORD_PER_SECOND_BOUND),
    {
      message: `expected requests a second, from 1 to ${DISCORD_PER_SECOND_BOUND} (Discord's global limit), e.g. 45`,
    },
  ),
  SLACK_BOT_TOKEN: optionalText.refine((value) => value === undefined || value.startsWith("xoxb-"), {
    message: "expected a bot token starting with xoxb- (Slack app settings → OAuth & Permissions)",
  }),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText.refine((value) => value === undefined || value.startsWith("xapp-"), {
    message: "expected an app-level token starting with xapp- (Slack app settings → Basic Information)",
  }),
  SLACK_API_URL: httpUrl("http://127.0.0.1:4010/api/"),
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText.refine((value) => value === undefined || SNOWFLAKE.test(value), {
    message: "expected the numeric application id (Discord developer portal → General Information)",
  }),
  DISCORD_GUILD_ID: optionalText.refine((value) => value === undefined || SNOWFLAKE.test(value), {
    message: "expected a numeric server (guild) id",
  }),
  DISCORD_GROUPS_CHANNEL_ID: optionalText.refine((value) => value === undefined || SNOWFLAKE.test(value), {
    message:
      "expected the numeric id of a text channel the bot can make private threads in (right-click the channel → Copy Channel ID)",
  }),
  DISCORD_API_URL: httpUrl("http://127.0.0.1:4020/api").refine(
    (value) => value === undefined || !value.endsWith("/"),
    {
      message: "expected a URL without a trailing slash, e.g. http://127.0.0.1:4020/api",
    },
  ),
});

function fail(problems: Array<[string, string]>): never {
  const [first] = problems;
  const error = new ConfigError(first?.[0] ?? "environment", first?.[1] ?? "invalid");
  if (problems.length > 1) {
    error.message = problems.map(([variable, problem]) => `${variable}: ${problem}`).join("\n");
  }
  throw error;
}

/** Validates an environment into a Config. Pure: reads only what it is given. */
export function parseConfig(env: Environment): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    fail(parsed.error.issues.map((issue) => [String(issue.path[0] ?? "environment"), issue.message]));
  }
  const e = parsed.data;
  const problems: Array<[string, string]> = [];

  let slack: SlackConfig | undefined;
  if (e.SLACK_BOT_TOKEN) {
    if (!e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
      problems.push([
        "SLACK_SIGNING_SECRET",
        "Slack needs SLACK_SIGNING_SECRET (HTTP events) or SLACK_APP_TOKEN (Socket Mode) as well as SLACK_BOT_TOKEN",
      ]);
    }
    slack = {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
    };
  } else if (e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN) {
    problems.push([
      "SLACK_BOT_TOKEN",
      "required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set (starts with xoxb-)",
    ]);
  }

  let discord: DiscordConfig | undefined;
  if (e.DISCORD_TOKEN) {
    if (!e.DISCORD_APPLICATION_ID)
      problems.push(["DISCORD_APPLICATION_ID", "required when DISCORD_TOKEN is set"]);
    discord = {
      token: e.DISCORD_TOKEN,
      applicationId: e.DISCORD_APPLICATION_ID ?? "",
      guildId: e.DISCORD_GUILD_ID,
      apiUrl: e.DISCORD_API_URL,
      groupsChannelId: e.DISCORD_GROUPS_CHANNEL_ID,
    };
  } else if (e.DISCORD_APPLICATION_ID || e.DISCORD_GUILD_ID) {
    problems.push(["DISCORD_TOKEN", "required when DISCORD_APPLICATION_ID or DISCORD_GUILD_ID is set"]);
  }

  if ((slack || discord) && !e.ENCRYPTION_KEY) {
    problems.push([
      "ENCRYPTION_KEY",
      "required when Slack or Discord is configured: 32 random bytes in base64 (make one with: openssl rand -base64 32)",
    ]);
  }
  if (problems.length > 0) fail(problems);

  return {
    redis: {
      url: e.REDIS_URL ?? "redis://127.0.0.1:6379",
      urlWasSet: e.REDIS_URL !== undefined,
      prefix: e.REDIS_PREFIX ?? DEFAULT_REDIS_PREFIX,
      strict: e.STRICT_REDIS === "1",
    },
    encryptionKey: e.ENCRYPTION_KEY ? Buffer.from(e.ENCRYPTION_KEY, "base64") : undefined,
    coordinators: e.COORDINATORS ? e.COORDINATORS.split(",").map((id) => id.trim()) : [],
    port: e.PORT ? Number(e.PORT) : 3000,
    portWasSet: e.PORT !== undefined,
    logLevel: (e.LOG_LEVEL as LogLevel | undefined) ?? "info",
    dataDir: e.DATA_DIR ?? ".data",
    searchPath: env.PATH ?? "",
    pacing: {
      slackPerMinute: e.SLACK_SEND_PER_MINUTE ? Number(e.SLACK_SEND_PER_MINUTE) : 150,
      discordPerSecond: e.DISCORD_SEND_PER_SECOND ? Number(e.DISCORD_SEND_PER_SECOND) : 45,
    },
    slack,
    discord,
  };
}

/** True when no chat platform is configured: the bot opens the local terminal chat. */
export function isLocalMode(config: Config): boolean {
  return !config.slack && !config.discord;
}

/** Loads `.env` (if present) into the process environment and validates it. */
export function loadConfig(): Config {
  loadDotenv({ quiet: true });
  return parseConfig(process.env);
}
