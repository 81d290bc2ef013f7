import { afterAll, describe, expect, it } from "vitest";
import { createTestBot } from "../../test/helpers/test-bot.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { RedisMemberCache } from "./redis-member-cache.js";

const testRedis = createTestRedis("member-cache");
const t = createTestBot(testRedis);
const cache = new RedisMemberCache(testRedis.redis, t.keys);
afterAll(() => testRedis.cleanup());

describe("member cache", () => {
  it("keeps facts about someone who has not joined in memory only", async () => {
    await cache.set("local:visitor", "dm", "D123");
    expect(await cache.get("local:visitor", "dm")).toBe("D123");
    expect(await testRedis.keys()).toEqual([]);
  });

  it("stores facts about a member under their own keys, and forget removes them", async () => {
    await t.join("local:member");
    await cache.set("local:member", "dm", "D456");
    expect(await testRedis.redis.hget(t.keys.memberPart("local:member", "cache"), "dm")).toBe("D456");
    expect(await cache.get("local:member", "dm")).toBe("D456");
    await t.press("local:member", "forget:confirm");
    expect(await cache.get("local:member", "dm")).toBeNull();
    expect((await testRedis.keys()).filter((key) => key.includes("local:member"))).toEqual([]);
  });

  it("deletes a fact", async () => {
    await cache.delete("local:visitor", "dm");
    expect(await cache.get("local:visitor", "dm")).toBeNull();
  });
});
