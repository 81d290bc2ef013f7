import { afterAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../test/fakes/fixed-clock.js";
import { recordingLogger } from "../../test/helpers/recording-logger.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { type CustomQuestionStore, QuestionBankSource } from "../reflection/custom-questions.js";
import { createQuestionBank } from "../reflection/question-bank.js";
import { RedisCustomQuestions } from "./redis-custom-questions.js";
import { RedisKeys } from "./redis-keys.js";

const testRedis = createTestRedis("custom-questions");
const keys = new RedisKeys(testRedis.prefix);
afterAll(() => testRedis.cleanup());
const shipped = createQuestionBank().questions.length;

/** Counts the reads a source makes. */
function counting(store: CustomQuestionStore) {
  const counts = { list: 0, version: 0 };
  const wrapped: CustomQuestionStore = {
    add: (theme, text) => store.add(theme, text),
    list: () => {
      counts.list++;
      return store.list();
    },
    version: () => {
      counts.version++;
      return store.version?.() ?? Promise.resolve("");
    },
  };
  return { wrapped, counts };
}

describe("custom questions", () => {
  it("a question added in one process is in every other process's bank at its next read", async () => {
    const clock = new FixedClock("2026-11-27T00:00:00Z");
    const other = testRedis.redis.duplicate();
    try {
      const here = counting(new RedisCustomQuestions(testRedis.redis, keys));
      const there = counting(new RedisCustomQuestions(other, keys));
      const sourceHere = new QuestionBankSource(here.wrapped, clock);
      const sourceThere = new QuestionBankSource(there.wrapped, clock);
      expect((await sourceThere.bank()).questions).toHaveLength(shipped);
      expect((await sourceThere.bank()).questions).toHaveLength(shipped);
      // Unchanged: one version read each time, the list read once.
      expect(there.counts).toEqual({ list: 1, version: 2 });

      const added = await here.wrapped.add("boundaries", "What did you say no to this week?");
      expect(added).toMatchObject({
        id: expect.stringMatching(/^custom-\d+$/),
        theme: "boundaries",
        gentle: false,
      });
      // No clock movement, no invalidate: the other process sees it at once.
      expect((await sourceThere.bank()).get(added.id)).toEqual(added);
      expect((await sourceHere.bank()).get(added.id)).toEqual(added);
      expect(there.counts.list).toBe(2);
    } finally {
      await other.quit();
    }
  });

  it("concurrent reads share one version check", async () => {
    const clock = new FixedClock("2026-11-27T00:00:00Z");
    const { wrapped, counts } = counting(new RedisCustomQuestions(testRedis.redis, keys));
    const source = new QuestionBankSource(wrapped, clock);
    const banks = await Promise.all(Array.from({ length: 20 }, () => source.bank()));
    expect(new Set(banks).size).toBe(1);
    expect(counts).toEqual({ list: 1, version: 1 });
  });

  it("a store without a version is still re-read after the time to live", async () => {
    const clock = new FixedClock("2026-11-27T00:00:00Z");
    const store = new RedisCustomQuestions(testRedis.redis, keys);
    let lists = 0;
    const plain: CustomQuestionStore = {
      add: (theme, text) => store.add(theme, text),
      list: () => {
        lists++;
        return store.list();
      },
    };
    const source = new QuestionBankSource(plain, clock, 30_000);
    await source.bank();
    await source.bank();
    expect(lists).toBe(1);
    clock.advance(31_000);
    await source.bank();
    expect(lists).toBe(2);
  });

  it("skips and reports a malformed question", async () => {
    const log = recordingLogger();
    const store = new RedisCustomQuestions(testRedis.redis, keys, log);
    await testRedis.redis.hset(
      keys.global("questions:custom"),
      "custom-999",
      JSON.stringify({ id: "custom-999" }),
    );
    await testRedis.redis.hset(keys.global("questions:custom"), "custom-998", "secret{");
    const listed = await store.list();
    expect(listed.map((q) => q.id)).not.toContain("custom-999");
    expect(listed.length).toBeGreaterThan(0);
    expect(log.lines.map((l) => `${l.context.kind}/${l.context.reason}`).sort()).toEqual([
      "custom-question/invalid-shape",
      "custom-question/not-json",
    ]);
    expect(log.text()).not.toContain("secret");
  });
});
