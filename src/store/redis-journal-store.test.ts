import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { recordingLogger } from "../../test/helpers/recording-logger.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { RecordCipher } from "../crypto/record-cipher.js";
import type { JournalEntry } from "../reflection/journal.js";
import { RedisJournalStore } from "./redis-journal-store.js";
import { RedisKeys } from "./redis-keys.js";

const testRedis = createTestRedis("journal");
const keys = new RedisKeys(testRedis.prefix);
const cipher = new RecordCipher(Buffer.alloc(32, 7));
let log = recordingLogger();
let store = new RedisJournalStore(testRedis.redis, keys, cipher, log);
afterAll(() => testRedis.cleanup());
beforeEach(() => {
  log = recordingLogger();
  store = new RedisJournalStore(testRedis.redis, keys, cipher, log);
});

const entry = (id: string, what: string): JournalEntry => ({
  id,
  questionId: "q1",
  createdAt: "2026-11-27T00:00:00.000Z",
  answers: { what },
});

describe("journal store", () => {
  it("reads back sealed entries, newest first", async () => {
    await store.save("local:a", entry("2026-11-01-a", "first"));
    await store.save("local:a", entry("2026-11-02-b", "second"));
    expect(await store.get("local:a", "2026-11-01-a")).toEqual(entry("2026-11-01-a", "first"));
    expect((await store.list("local:a")).map((e) => e.id)).toEqual(["2026-11-02-b", "2026-11-01-a"]);
    expect(await store.list("local:a", 1)).toEqual([entry("2026-11-02-b", "second")]);
  });

  it("reports and skips entries that will not decrypt or are not entries, without their words", async () => {
    const member = "local:bad";
    const key = keys.memberPart(member, "journal");
    await store.save(member, entry("2026-11-01-a", "kept words"));
    // Tampered, sealed for another entry, sealed but not JSON, sealed but the wrong shape.
    await testRedis.redis.hset(key, "2026-11-05-x", "v1.AAAAsecret");
    await testRedis.redis.hset(
      key,
      "2026-11-04-x",
      cipher.encrypt(JSON.stringify(entry("other", "x")), `${member}|other`),
    );
    await testRedis.redis.hset(
      key,
      "2026-11-03-x",
      cipher.encrypt("secret words {", `${member}|2026-11-03-x`),
    );
    await testRedis.redis.hset(
      key,
      "2026-11-02-x",
      cipher.encrypt(
        JSON.stringify({ id: "2026-11-02-x", answers: "secret words" }),
        `${member}|2026-11-02-x`,
      ),
    );
    expect(await store.list(member)).toEqual([entry("2026-11-01-a", "kept words")]);
    expect(await store.list(member, 1)).toEqual([entry("2026-11-01-a", "kept words")]);
    expect(await store.get(member, "2026-11-02-x")).toBeNull();
    expect(await store.get(member, "2026-11-05-x")).toBeNull();
    expect(new Set(log.lines.map((l) => `${l.context.kind}/${l.context.reason}`))).toEqual(
      new Set(["journal-entry/undecryptable", "journal-entry/not-json", "journal-entry/invalid-shape"]),
    );
    expect(log.text()).not.toContain("secret");
    // Still there for /peer forget to delete.
    await store.forget(member);
    expect(await testRedis.redis.exists(key)).toBe(0);
  });
});
