import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { hashTagOf, isLocalMode, parseConfig } from "./config.js";

const KEY = Buffer.alloc(32, 7).toString("base64");

function problem(env: Record<string, string>): string {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a config error");
}

describe("config", () => {
  it("has working defaults with nothing set: local mode on the default Redis", () => {
    const config = parseConfig({});
    expect(config.redis).toEqual({
      url: "redis://127.0.0.1:6379",
      urlWasSet: false,
      prefix: "{peerbot}:",
      strict: false,
    });
    expect(config.port).toBe(3000);
    expect(config.portWasSet).toBe(false);
    expect(config.logLevel).toBe("info");
    expect(isLocalMode(config)).toBe(true);
    expect(config.encryptionKey).toBeUndefined();
  });

  it("reads every setting", () => {
    const config = parseConfig({
      REDIS_URL: "redis://redis:6379/2",
      REDIS_PREFIX: "wa:",
      STRICT_REDIS: "1",
      ENCRYPTION_KEY: KEY,
      COORDINATORS: "slack:T01:U02, discord:123456789012345678,local:alex",
      PORT: "8080",
      LOG_LEVEL: "debug",
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: "s",
      DISCORD_TOKEN: "t",
      DISCORD_APPLICATION_ID: "123456789012345678",
      DISCORD_GROUPS_CHANNEL_ID: "223456789012345678",
    });
    expect(config.redis).toEqual({
      url: "redis://redis:6379/2",
      urlWasSet: true,
      prefix: "wa:",
      strict: true,
    });
    expect(config.encryptionKey?.length).toBe(32);
    expect(config.coordinators).toEqual(["slack:T01:U02", "discord:123456789012345678", "local:alex"]);
    expect(config.port).toBe(8080);
    expect(config.portWasSet).toBe(true);
    expect(config.slack?.signingSecret).toBe("s");
    expect(config.discord?.applicationId).toBe("123456789012345678");
    expect(config.discord?.groupsChannelId).toBe("223456789012345678");
    expect(isLocalMode(config)).toBe(false);
  });

  it.each([
    [{ REDIS_URL: "localhost:6379" }, "REDIS_URL: expected a redis:// or rediss:// URL"],
    [{ PORT: "http" }, "PORT: expected a port number"],
    [{ REDIS_PREFIX: "{peerbot:" }, "REDIS_PREFIX: expected 1-64 letters"],
    [{ REDIS_PREFIX: "{}:" }, "REDIS_PREFIX: expected 1-64 letters"],
    [{ REDIS_PREFIX: "{a}{b}:" }, "REDIS_PREFIX: expected 1-64 letters"],
    [{ PORT: "70000" }, "PORT: expected a port number"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL: expected one of fatal, error, warn"],
    [{ STRICT_REDIS: "yes" }, "STRICT_REDIS: expected 1 (refuse to start"],
    [{ ENCRYPTION_KEY: "c2hvcnQ=" }, "ENCRYPTION_KEY: expected 32 random bytes in base64"],
    [{ COORDINATORS: "alex" }, "COORDINATORS: expected platform-qualified member ids"],
    [{ SLACK_BOT_TOKEN: "xoxb-1", ENCRYPTION_KEY: KEY }, "SLACK_SIGNING_SECRET: Slack needs"],
    [{ SLACK_SIGNING_SECRET: "s", ENCRYPTION_KEY: KEY }, "SLACK_BOT_TOKEN: required"],
    [{ SLACK_BOT_TOKEN: "abc" }, "SLACK_BOT_TOKEN: expected a bot token starting with xoxb-"],
    [{ DISCORD_TOKEN: "t", ENCRYPTION_KEY: KEY }, "DISCORD_APPLICATION_ID: required"],
    [
      { DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "123456789012" },
      "ENCRYPTION_KEY: required when Slack or Discord",
    ],
    [
      { DISCORD_GROUPS_CHANNEL_ID: "#circles" },
      "DISCORD_GROUPS_CHANNEL_ID: expected the numeric id of a text channel",
    ],
    [
      { DISCORD_API_URL: "http://127.0.0.1:9/api/" },
      "DISCORD_API_URL: expected a URL without a trailing slash",
    ],
  ])("refuses %j, naming the variable", (env, expected) => {
    expect(problem(env)).toContain(expected);
  });

  it("takes each platform's limit for pacing, Slack's beyond 3,000 a minute, within stated bounds", () => {
    expect(parseConfig({}).pacing).toEqual({ slackPerMinute: 150, discordPerSecond: 45 });
    const atLimits = parseConfig({ SLACK_SEND_PER_MINUTE: "6000", DISCORD_SEND_PER_SECOND: "50" });
    expect(atLimits.pacing).toEqual({ slackPerMinute: 6000, discordPerSecond: 50 });
    expect(parseConfig({ SLACK_SEND_PER_MINUTE: "60000" }).pacing.slackPerMinute).toBe(60_000);
    expect(problem({ SLACK_SEND_PER_MINUTE: "60001" })).toContain("from 1 to 60000");
    expect(problem({ SLACK_SEND_PER_MINUTE: "0" })).toContain("SLACK_SEND_PER_MINUTE");
    expect(problem({ DISCORD_SEND_PER_SECOND: "51" })).toContain("Discord's global limit");
  });

  it("reads STRICT_REDIS=0 as warn only", () => {
    expect(parseConfig({ STRICT_REDIS: "0" }).redis.strict).toBe(false);
  });

  it("hash-tags the default key prefix, so on Redis Cluster every key (BullMQ's too) is in one slot", () => {
    const { prefix } = parseConfig({}).redis;
    expect(hashTagOf(prefix)).toBe("peerbot");
    expect(hashTagOf(`${prefix}bull:outbound-slack:wait`)).toBe("peerbot");
    expect(hashTagOf(`${prefix}member:slack:T1:U2:sent:prompt:1`)).toBe("peerbot");
  });

  it("takes a configured prefix as given: with its own hash tag, or none (a single Redis; tests)", () => {
    expect(parseConfig({ REDIS_PREFIX: "{wa-peers}:" }).redis.prefix).toBe("{wa-peers}:");
    expect(parseConfig({ REDIS_PREFIX: "peerbot:" }).redis.prefix).toBe("peerbot:");
    expect(hashTagOf("peerbot:")).toBeUndefined();
    expect(hashTagOf("test:crash:3f9a1c:")).toBeUndefined();
  });

  it("lists every problem at once", () => {
    const message = problem({ PORT: "x", LOG_LEVEL: "y" });
    expect(message).toContain("PORT:");
    expect(message).toContain("LOG_LEVEL:");
  });
});
