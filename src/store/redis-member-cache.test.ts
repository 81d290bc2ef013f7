import { afterAll, describe, expect, it } from "vitest";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import type { Member } from "../members/member.js";
import { RedisKeys } from "./redis-keys.js";
import { RedisMemberCache } from "./redis-member-cache.js";
import { RedisMemberStore } from "./redis-member-store.js";

const testRedis = createTestRedis("member-cache");
const keys = new RedisKeys(testRedis.prefix);
const members = new RedisMemberStore(testRedis.redis, keys);
const cache = new RedisMemberCache(testRedis.redis, keys);
afterAll(() => testRedis.cleanup());

const member: Member = {
  id: "local:member",
  displayName: "Robin",
  region: "Wide Bay",
  timeZone: "Australia/Brisbane",
  workingDays: ["mon"],
  workingHours: { start: "09:00", end: "15:00" },
  soleWorker: false,
  role: "peer-worker",
  status: { state: "active" },
  consentedAt: "2026-11-23T00:00:00.000Z",
  joinedAt: "2026-11-23T00:00:00.000Z",
};

describe("member cache", () => {
  it("keeps facts about someone who has not joined in memory only", async () => {
    await cache.set("local:visitor", "dm", "D123");
    expect(await cache.get("local:visitor", "dm")).toBe("D123");
    expect(await testRedis.keys()).toEqual([]);
  });

  it("stores facts about a member under their own keys, and forget removes them", async () => {
    await members.save(member);
    await cache.set("local:member", "dm", "D456");
    expect(await testRedis.redis.hget(keys.memberPart("local:member", "cache"), "dm")).toBe("D456");
    expect(await cache.get("local:member", "dm")).toBe("D456");
    await members.forget("local:member");
    expect(await cache.get("local:member", "dm")).toBeNull();
    expect((await testRedis.keys()).filter((key) => key.includes("local:member"))).toEqual([]);
  });

  it("deletes a fact", async () => {
    await cache.delete("local:visitor", "dm");
    expect(await cache.get("local:visitor", "dm")).toBeNull();
  });
});
