import { afterAll, describe, expect, it } from "vitest";
import { recordingLogger } from "../../test/helpers/recording-logger.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { RedisKeys } from "./redis-keys.js";
import { MAX_CACHED_VALUE, RedisMemberCache } from "./redis-member-cache.js";

const testRedis = createTestRedis("member-cache-bounds");
const keys = new RedisKeys(testRedis.prefix);
afterAll(() => testRedis.cleanup());

describe("member cache bounds", () => {
  it("holds at most maxEntries facts about people who have not joined, dropping the least recently used", async () => {
    const cache = new RedisMemberCache(testRedis.redis, keys, undefined, { maxEntries: 3 });
    for (const n of [1, 2, 3]) await cache.set(`local:v${n}`, "dm", `D${n}`);
    expect(await cache.get("local:v1", "dm")).toBe("D1"); // v1 is now the most recently used
    await cache.set("local:v4", "dm", "D4");
    expect(cache.transientSize).toBe(3);
    expect(await cache.get("local:v2", "dm")).toBeNull();
    expect(await cache.get("local:v1", "dm")).toBe("D1");
    expect(await cache.get("local:v4", "dm")).toBe("D4");
    for (let n = 0; n < 100; n++) await cache.set(`local:flood${n}`, "dm", "D");
    expect(cache.transientSize).toBe(3);
    expect(await testRedis.keys()).toEqual([]);
  });

  it("forgets such a fact after maxAgeMs", async () => {
    let now = 0;
    const cache = new RedisMemberCache(testRedis.redis, keys, undefined, { maxAgeMs: 1_000, now: () => now });
    await cache.set("local:v", "dm", "D1");
    now = 999;
    expect(await cache.get("local:v", "dm")).toBe("D1");
    now = 1_001;
    expect(await cache.get("local:v", "dm")).toBeNull();
    expect(cache.transientSize).toBe(0);
  });

  it("reads a malformed stored value as a miss, reporting it, and never caches an oversized one", async () => {
    const log = recordingLogger();
    const cache = new RedisMemberCache(testRedis.redis, keys, log);
    await testRedis.redis.set(keys.member("local:m"), "{}");
    await testRedis.redis.hset(
      keys.memberPart("local:m", "cache"),
      "dm",
      `secret${"x".repeat(MAX_CACHED_VALUE)}`,
    );
    expect(await cache.get("local:m", "dm")).toBeNull();
    expect(log.lines.map((l) => l.context)).toEqual([
      expect.objectContaining({
        code: "STORED_RECORD_INVALID",
        kind: "member-cache",
        reason: "invalid-shape",
      }),
    ]);
    expect(log.text()).not.toContain("secret");
    await cache.set("local:m", "dm", "D1");
    expect(await cache.get("local:m", "dm")).toBe("D1");
    await cache.set("local:m", "dm", "y".repeat(MAX_CACHED_VALUE + 1));
    expect(await cache.get("local:m", "dm")).toBeNull();
    await cache.set("local:visitor", "dm", "y".repeat(MAX_CACHED_VALUE + 1));
    expect(await cache.get("local:visitor", "dm")).toBeNull();
  });
});
