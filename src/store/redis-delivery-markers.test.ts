import { afterAll, describe, expect, it } from "vitest";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { RedisDeliveryMarkers } from "./redis-delivery-markers.js";
import { RedisKeys } from "./redis-keys.js";

const testRedis = createTestRedis("delivery-markers");
const keys = new RedisKeys(testRedis.prefix);
const markers = new RedisDeliveryMarkers(testRedis.redis, keys);
afterAll(() => testRedis.cleanup());

const DAY = 24 * 60 * 60_000;

describe("sent markers", () => {
  it("last a day after the send, then lapse on their own", async () => {
    const owner = "local:m";
    await testRedis.redis.set(keys.member(owner), "{}");
    const item = { kind: "prompt", subject: owner, due: 1_804_233_600_000, owner };
    expect((await markers.claim([item], "t1")).map((c) => c.result)).toEqual(["go"]);
    await markers.markSent(item);
    const marker = keys.memberPart(owner, `sent:prompt:${item.due}`);
    expect(await testRedis.redis.get(marker)).toBe("sent");
    const ttl = await testRedis.redis.pttl(marker);
    expect(ttl).toBeGreaterThan(DAY - 60_000);
    expect(ttl).toBeLessThanOrEqual(DAY);
    expect((await markers.claim([item], "t2")).map((c) => c.result)).toEqual(["done"]);
  });
});
