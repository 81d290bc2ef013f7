import { afterAll, describe, expect, it } from "vitest";
import { recordingLogger } from "../../test/helpers/recording-logger.js";
import { RedisServer } from "../../test/helpers/redis-server.js";
import { ConfigError } from "../errors.js";
import { checkRedisDurability } from "./redis-durability.js";

/**
 * Real redis-server processes of the test's own, each on a spare loopback
 * port, started with the settings under test.
 */
const servers: RedisServer[] = [];
async function redisWith(args: readonly string[]): Promise<RedisServer> {
  const server = await RedisServer.start(args);
  servers.push(server);
  return server;
}
afterAll(async () => {
  await Promise.all(servers.map((server) => server.cleanup()));
});

const warnings = (logger: ReturnType<typeof recordingLogger>) =>
  logger.lines.filter((line) => line.level === "warn");

describe("Redis durability at start-up", () => {
  it("warns when Redis keeps nothing on disk, naming both settings", async () => {
    const server = await redisWith(["--appendonly", "no", "--save", ""]);
    const logger = recordingLogger();
    const found = await checkRedisDurability({ url: server.url, logger, strict: false });
    expect(found.persistence).toBe("none");
    const [warning, ...others] = warnings(logger);
    expect(others).toEqual([]);
    expect(warning?.context.code).toBe("REDIS_NOT_DURABLE");
    expect(warning?.context.persistence).toBe("none");
    expect(warning?.message).toMatch(/appendonly[\s\S]*save[\s\S]*appendonly yes/);
  });

  it("refuses to start with STRICT_REDIS when Redis keeps nothing on disk", async () => {
    const server = await redisWith(["--appendonly", "no", "--save", ""]);
    const attempt = checkRedisDurability({ url: server.url, logger: recordingLogger(), strict: true });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/^STRICT_REDIS: [\s\S]*appendonly yes[\s\S]*unset STRICT_REDIS/);
  });

  it("is content with an append-only file and noeviction, even with STRICT_REDIS", async () => {
    const server = await redisWith(["--appendonly", "yes", "--save", "", "--maxmemory-policy", "noeviction"]);
    const logger = recordingLogger();
    const found = await checkRedisDurability({ url: server.url, logger, strict: true });
    expect(found).toMatchObject({ persistence: "aof", evictionPolicy: "noeviction", problems: [] });
    expect(warnings(logger)).toEqual([]);
  });

  it("counts RDB save points as persistence", async () => {
    const server = await redisWith(["--appendonly", "no", "--save", "3600 1"]);
    const logger = recordingLogger();
    const found = await checkRedisDurability({ url: server.url, logger, strict: true });
    expect(found.persistence).toBe("rdb");
    expect(warnings(logger)).toEqual([]);
  });

  it("warns about an evicting maxmemory-policy, and refuses it with STRICT_REDIS", async () => {
    const server = await redisWith(["--appendonly", "yes", "--maxmemory-policy", "allkeys-lru"]);
    const logger = recordingLogger();
    const found = await checkRedisDurability({ url: server.url, logger, strict: false });
    expect(found.evictionPolicy).toBe("allkeys-lru");
    expect(warnings(logger).map((line) => line.message)).toEqual([
      expect.stringMatching(/maxmemory-policy is allkeys-lru[\s\S]*noeviction/),
    ]);
    await expect(
      checkRedisDurability({ url: server.url, logger: recordingLogger(), strict: true }),
    ).rejects.toThrow(/STRICT_REDIS[\s\S]*maxmemory-policy noeviction/);
  });

  it("says persistence couldn't be checked when CONFIG is refused, and still reads what INFO shows", async () => {
    const server = await redisWith([
      "--appendonly",
      "no",
      "--save",
      "",
      "--maxmemory-policy",
      "volatile-lru",
      "--rename-command",
      "CONFIG",
      "",
    ]);
    const logger = recordingLogger();
    const found = await checkRedisDurability({ url: server.url, logger: recordingLogger(), strict: false });
    expect(found.persistence).toBe("unknown");
    expect(found.evictionPolicy).toBe("volatile-lru");
    await checkRedisDurability({ url: server.url, logger, strict: false });
    const messages = warnings(logger).map((line) => line.message);
    expect(messages).toContainEqual(expect.stringMatching(/refused CONFIG[\s\S]*couldn't be checked/));
    expect(messages).toContainEqual(expect.stringMatching(/maxmemory-policy is volatile-lru/));
  });

  it("reads an append-only file from INFO when CONFIG is refused", async () => {
    const server = await redisWith(["--appendonly", "yes", "--rename-command", "CONFIG", ""]);
    const logger = recordingLogger();
    const found = await checkRedisDurability({ url: server.url, logger, strict: true });
    expect(found).toMatchObject({ persistence: "aof", evictionPolicy: "noeviction", problems: [] });
    expect(warnings(logger)).toEqual([]);
  });

  it("never puts Redis's password in what it logs or throws", async () => {
    const user = ["--user", "bot", "on", ">s3cret-pass", "~*", "&*", "+@all"];
    const server = await redisWith(["--appendonly", "no", "--save", "", ...user]);
    const url = `redis://bot:s3cret-pass@127.0.0.1:${server.port}`;
    const logger = recordingLogger();
    const attempt = checkRedisDurability({ url, logger, strict: true });
    await expect(attempt).rejects.toThrow(`127.0.0.1:${server.port}`);
    expect(logger.text()).toContain("REDIS_NOT_DURABLE");
    expect(logger.text()).not.toContain("s3cret");
    await expect(attempt).rejects.not.toThrow(/s3cret/);
  });
});
