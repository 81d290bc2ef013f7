import { afterAll, describe, expect, it } from "vitest";
import { recordingLogger } from "../../test/helpers/recording-logger.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { RedisHolidayStore } from "./redis-holiday-store.js";
import { RedisKeys } from "./redis-keys.js";

const testRedis = createTestRedis("holidays");
const keys = new RedisKeys(testRedis.prefix);
const log = recordingLogger();
const store = new RedisHolidayStore(testRedis.redis, keys, log);
afterAll(() => testRedis.cleanup());

describe("holiday store", () => {
  it("lists holidays in date order and skips a malformed one, reporting it", async () => {
    expect(await store.add({ date: "2026-12-25" })).toBe(true);
    expect(await store.add({ date: "2026-06-01", region: "Pilbara" })).toBe(true);
    expect(await store.add({ date: "2026-12-25" })).toBe(false);
    await testRedis.redis.hset(keys.global("holidays"), "junk|*", "{not json");
    await testRedis.redis.hset(keys.global("holidays"), "2026-01-01|*", JSON.stringify({ date: 20260101 }));
    expect(await store.list()).toEqual([{ date: "2026-06-01", region: "Pilbara" }, { date: "2026-12-25" }]);
    expect(log.lines.map((l) => l.context)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: "STORED_RECORD_INVALID", kind: "holiday", reason: "not-json" }),
        expect.objectContaining({ code: "STORED_RECORD_INVALID", kind: "holiday", reason: "invalid-shape" }),
      ]),
    );
    expect(await store.remove({ date: "2026-06-01", region: "pilbara" })).toBe(true);
  });
});
