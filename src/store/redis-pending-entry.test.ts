import { afterAll, describe, expect, it } from "vitest";
import { recordingLogger } from "../../test/helpers/recording-logger.js";
import { TEST_KEY } from "../../test/helpers/test-app.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { RecordCipher } from "../crypto/record-cipher.js";
import type { PendingEntry } from "../reflection/pending-entry.js";
import { RedisKeys } from "./redis-keys.js";
import { RedisPendingEntryStore } from "./redis-pending-entry.js";

const testRedis = createTestRedis("pending");
const keys = new RedisKeys(testRedis.prefix);
const cipher = new RecordCipher(TEST_KEY);
const log = recordingLogger();
const store = new RedisPendingEntryStore(testRedis.redis, keys, cipher, log);
afterAll(() => testRedis.cleanup());

const afterCrisis: PendingEntry = {
  reason: "after-crisis",
  answers: { what: "words only the member should ever read" },
  after: "keep",
  heldAt: "2026-11-27T00:00:00.000Z",
};
const atTheGuard: PendingEntry = {
  reason: "identifying",
  answers: { what: "sat with Jordan Whitaker" },
  questionId: "diary-01",
  after: "next-step",
  step: 0,
  heldAt: "2026-11-27T00:01:00.000Z",
};

describe("words waiting for the member's choice", () => {
  it("are sealed under the member's own key and let go after a week", async () => {
    await store.hold("local:ana", afterCrisis);
    const key = keys.memberPart("local:ana", "pending:keep");
    const raw = (await testRedis.redis.get(key)) ?? "";
    expect(raw).toMatch(/^v1\./);
    expect(raw).not.toContain("words only");
    const ttl = await testRedis.redis.ttl(key);
    expect(ttl).toBeGreaterThan(7 * 24 * 3600 - 60);
    expect(ttl).toBeLessThanOrEqual(7 * 24 * 3600);
    expect(await store.get("local:ana", "keep")).toEqual(afterCrisis);
  });

  it("never lose words already waiting: the guard has its own place, and a second hard message is joined to the first", async () => {
    await store.hold("local:ana", atTheGuard);
    expect(await store.get("local:ana", "guard")).toEqual(atTheGuard);
    await store.hold("local:ana", { ...afterCrisis, reason: "offer", answers: { what: "and more today" } });
    expect(await store.get("local:ana", "keep")).toMatchObject({
      reason: "after-crisis",
      answers: { what: "words only the member should ever read\n\nand more today" },
    });
    expect(await store.get("local:ana", "guard")).toEqual(atTheGuard);
  });

  it("will not open under another member's key: reported and read as nothing waiting", async () => {
    const sealed = (await testRedis.redis.get(keys.memberPart("local:ana", "pending:keep"))) ?? "";
    await testRedis.redis.set(keys.memberPart("local:ben", "pending:keep"), sealed);
    log.lines.length = 0;
    expect(await store.get("local:ben", "keep")).toBeNull();
    expect(log.lines.map((l) => l.context)).toEqual([
      { code: "STORED_RECORD_INVALID", kind: "pending-entry", reason: "undecryptable" },
    ]);
  });

  it("a record that decrypts but is not waiting words is reported and skipped, then replaced by the next hold", async () => {
    const key = keys.memberPart("local:cai", "pending:keep");
    await testRedis.redis.set(key, cipher.encrypt('{"answers":"secret words"}', "local:cai|pending|keep"));
    log.lines.length = 0;
    expect(await store.get("local:cai", "keep")).toBeNull();
    expect(log.lines.map((l) => `${l.context.kind}/${l.context.reason}`)).toEqual([
      "pending-entry/invalid-shape",
    ]);
    expect(log.text()).not.toContain("secret");
    await store.hold("local:cai", afterCrisis);
    expect(await store.get("local:cai", "keep")).toEqual(afterCrisis);
  });

  it("two hard messages held at once by two processes are both kept", async () => {
    const other = testRedis.redis.duplicate();
    try {
      const there = new RedisPendingEntryStore(other, keys, cipher);
      const words = ["one", "two", "three", "four", "five", "six"];
      await Promise.all(
        words.map((what, i) =>
          (i % 2 ? there : store).hold("local:dee", { ...afterCrisis, reason: "offer", answers: { what } }),
        ),
      );
      const kept = (await store.get("local:dee", "keep"))?.answers.what?.split("\n\n") ?? [];
      expect(kept.sort()).toEqual([...words].sort());
    } finally {
      await other.quit();
    }
  });

  it("are shown by export and deleted by forget", async () => {
    expect(await store.export("local:ana")).toMatchObject({
      afterAHardMessage: { reason: "after-crisis" },
      atTheGuard,
    });
    await store.forget("local:ana");
    expect(await store.get("local:ana", "keep")).toBeNull();
    expect(await store.get("local:ana", "guard")).toBeNull();
  });
});
