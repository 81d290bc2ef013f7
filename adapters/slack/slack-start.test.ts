import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotError, ConfigError } from "../../src/errors.js";
import { silentLogger } from "../../src/logging/logger.js";
import { RedisKeys } from "../../src/store/redis-keys.js";
import { RedisMemberCache } from "../../src/store/redis-member-cache.js";
import { type FakeSlackApi, startFakeSlackApi } from "../../test/fakes/fake-slack-api.js";
import { freePort } from "../../test/helpers/free-port.js";
import { BOT_TOKEN, SIGNING_SECRET } from "../../test/helpers/slack-harness.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { type SlackAdapterConfig, createSlackAdapter } from "./slack-adapter.js";

const testRedis = createTestRedis("slack-start");
let fake: FakeSlackApi;
beforeAll(async () => {
  fake = await startFakeSlackApi({ botToken: BOT_TOKEN });
});
afterAll(async () => {
  await fake.stop();
  await testRedis.cleanup();
});

async function configFor(overrides: Partial<SlackAdapterConfig> = {}): Promise<SlackAdapterConfig> {
  return {
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    apiUrl: fake.apiUrl,
    port: await freePort(),
    host: "127.0.0.1",
    redis: testRedis.redis,
    keyPrefix: testRedis.prefix,
    memberCache: new RedisMemberCache(testRedis.redis, new RedisKeys(testRedis.prefix)),
    logger: silentLogger,
    retryConfig: { retries: 0 },
    ...overrides,
  };
}

async function listening(port: number | undefined): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/slack/events`, { method: "POST" }).then(
    () => true,
    () => false,
  );
}

describe("Slack adapter start-up", () => {
  it("needs a signing secret or an app token, and says which setting is missing", async () => {
    const config = await configFor({ signingSecret: undefined, appToken: undefined });
    expect(() => createSlackAdapter(config)).toThrow(ConfigError);
    expect(() => createSlackAdapter(config)).toThrow(/SLACK_SIGNING_SECRET/);
  });

  it("fails start-up on a token Slack rejects, without listening", async () => {
    const config = await configFor({ botToken: "xoxb-revoked" });
    const adapter = createSlackAdapter(config);
    const error = await adapter
      .start(async () => {})
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(BotError);
    expect(error).toMatchObject({ code: "PLATFORM_FAILED" });
    expect(String((error as BotError).cause)).toContain("invalid_auth");
    expect(await listening(config.port)).toBe(false);
  });

  it("skips auth.test when the bot's ids are given, and stops cleanly", async () => {
    const config = await configFor({ botId: "B0GIVEN", botUserId: "U0GIVEN" });
    const adapter = createSlackAdapter(config);
    const before = fake.callsTo("auth.test").length;
    await adapter.start(async () => {});
    expect(await listening(config.port)).toBe(true);
    expect(fake.callsTo("auth.test")).toHaveLength(before);
    await adapter.stop();
    expect(await listening(config.port)).toBe(false);
  });
});
