import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../test/helpers/free-port.js";
import { TEST_REDIS_URL } from "../../test/helpers/test-redis.js";
import { BotError } from "../errors.js";
import { silentLogger } from "../logging/logger.js";
import { ensureRedis, redisAnswers } from "./redis-startup.js";

const dataDir = mkdtempSync(join(tmpdir(), "peer-bot-redis-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const searchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

describe("Redis at start-up", () => {
  it("uses a Redis that already answers and starts nothing", async () => {
    const handle = await ensureRedis({
      url: TEST_REDIS_URL,
      urlWasSet: false,
      dataDir,
      searchPath,
      logger: silentLogger,
    });
    expect(handle.started).toBe(false);
  });

  it("starts its own redis-server with append-only data in the data folder, and stops it", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const handle = await ensureRedis({ url, urlWasSet: false, dataDir, searchPath, logger: silentLogger });
    try {
      expect(handle.started).toBe(true);
      expect(await redisAnswers(url)).toBe(true);
      expect(existsSync(join(dataDir, "redis"))).toBe(true);
      expect(readdirSync(join(dataDir, "redis")).some((name) => name.startsWith("appendonly"))).toBe(true);
    } finally {
      await handle.stop();
    }
    expect(await redisAnswers(url)).toBe(false);
  });

  it("never starts one when REDIS_URL was set, and says how to start Redis", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const attempt = ensureRedis({ url, urlWasSet: true, dataDir, searchPath, logger: silentLogger });
    await expect(attempt).rejects.toBeInstanceOf(BotError);
    await expect(attempt).rejects.toThrow(
      /Nothing answers at REDIS_URL[\s\S]*apt install redis-server[\s\S]*docker run/,
    );
  });

  it("says how to start Redis when redis-server is not installed", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const attempt = ensureRedis({
      url,
      urlWasSet: false,
      dataDir,
      searchPath: "/nonexistent",
      logger: silentLogger,
    });
    await expect(attempt).rejects.toThrow(/redis-server isn't installed here[\s\S]*brew install redis/);
  });
});
