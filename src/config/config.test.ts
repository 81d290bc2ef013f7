import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { isLocalMode, parseConfig } from "./config.js";

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
    expect(config.redis).toEqual({ url: "redis://127.0.0.1:6379", urlWasSet: false, prefix: "peerbot:" });
    expect(config.port).toBe(3000);
    expect(config.logLevel).toBe("info");
    expect(isLocalMode(config)).toBe(true);
    expect(config.encryptionKey).toBeUndefined();
  });

  it("reads every setting", () => {
    const config = parseConfig({
      REDIS_URL: "redis://redis:6379/2",
      REDIS_PREFIX: "wa:",
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
    expect(config.redis).toEqual({ url: "redis://redis:6379/2", urlWasSet: true, prefix: "wa:" });
    expect(config.encryptionKey?.length).toBe(32);
    expect(config.coordinators).toEqual(["slack:T01:U02", "discord:123456789012345678", "local:alex"]);
    expect(config.port).toBe(8080);
    expect(config.slack?.signingSecret).toBe("s");
    expect(config.discord?.applicationId).toBe("123456789012345678");
    expect(config.discord?.groupsChannelId).toBe("223456789012345678");
    expect(isLocalMode(config)).toBe(false);
  });

  it.each([
    [{ REDIS_URL: "localhost:6379" }, "REDIS_URL: expected a redis:// or rediss:// URL"],
    [{ PORT: "http" }, "PORT: expected a port number"],
    [{ PORT: "70000" }, "PORT: expected a port number"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL: expected one of fatal, error, warn"],
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

  it("lists every problem at once", () => {
    const message = problem({ PORT: "x", LOG_LEVEL: "y" });
    expect(message).toContain("PORT:");
    expect(message).toContain("LOG_LEVEL:");
  });
});
