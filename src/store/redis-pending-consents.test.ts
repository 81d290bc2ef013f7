import { afterAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../test/fakes/fixed-clock.js";
import { recordingLogger } from "../../test/helpers/recording-logger.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { UserInputError } from "../errors.js";
import type { JoinDraft } from "../members/pending-consents.js";
import { RedisKeys } from "./redis-keys.js";
import { RedisMemberStore } from "./redis-member-store.js";
import { RedisPendingConsents } from "./redis-pending-consents.js";

const testRedis = createTestRedis("pending-consents");
const keys = new RedisKeys(testRedis.prefix);
const clock = new FixedClock("2026-11-27T00:00:00Z");
const log = recordingLogger();
const consents = new RedisPendingConsents(testRedis.redis, keys, clock, log);
afterAll(() => testRedis.cleanup());

const draft: JoinDraft = {
  displayName: "Robin",
  settings: {
    region: "Wide Bay",
    timeZone: "Australia/Brisbane",
    workingDays: ["mon", "tue"],
    workingHours: { start: "09:00", end: "15:00" },
    soleWorker: true,
  },
};

describe("pending consents in Redis", () => {
  it("holds only the draft, under the person's own key, expiring in 30 minutes", async () => {
    await consents.hold("local:a", draft);
    expect(await testRedis.keys()).toEqual([keys.memberPart("local:a", "consent")]);
    const ttl = await testRedis.redis.pttl(keys.memberPart("local:a", "consent"));
    expect(ttl).toBeGreaterThan(29 * 60_000);
    expect(ttl).toBeLessThanOrEqual(30 * 60_000);
  });

  it("take returns the draft once, to one of two processes at the same time", async () => {
    await consents.hold("local:b", draft);
    const other = testRedis.redis.duplicate();
    try {
      const there = new RedisPendingConsents(other, keys, clock);
      const taken = await Promise.all([consents.take("local:b"), there.take("local:b")]);
      expect(taken.filter(Boolean)).toEqual([draft]);
      expect(await consents.take("local:b")).toBeUndefined();
    } finally {
      await other.quit();
    }
  });

  it("drop deletes the draft, and forgetting the member deletes it too", async () => {
    await consents.hold("local:c", draft);
    await consents.drop("local:c");
    expect(await consents.take("local:c")).toBeUndefined();
    await consents.hold("local:d", draft);
    await new RedisMemberStore(testRedis.redis, keys).forget("local:d");
    expect(await consents.take("local:d")).toBeUndefined();
  });

  it("a draft lapses when the bot's clock passes 30 minutes", async () => {
    await consents.hold("local:e", draft);
    clock.advance(31 * 60_000);
    expect(await consents.take("local:e")).toBeUndefined();
    expect(await testRedis.redis.exists(keys.memberPart("local:e", "consent"))).toBe(0);
  });

  it("cuts an over-long display name and refuses an absurd draft", async () => {
    await consents.hold("local:f", { ...draft, displayName: "R".repeat(5_000) });
    expect((await consents.take("local:f"))?.displayName).toHaveLength(100);
    await expect(
      consents.hold("local:g", { ...draft, settings: { ...draft.settings, region: "x".repeat(10_000) } }),
    ).rejects.toBeInstanceOf(UserInputError);
    expect(await testRedis.redis.exists(keys.memberPart("local:g", "consent"))).toBe(0);
  });

  it("reports and skips a corrupted draft, without its content", async () => {
    const key = keys.memberPart("local:h", "consent");
    await testRedis.redis.set(key, "secret region {", "PX", 60_000);
    expect(await consents.take("local:h")).toBeUndefined();
    await testRedis.redis.set(
      key,
      JSON.stringify({
        draft: { displayName: "secret", settings: { region: 5 } },
        expiresAt: Date.now() * 2,
      }),
      "PX",
      60_000,
    );
    expect(await consents.take("local:h")).toBeUndefined();
    expect(log.lines.map((l) => `${l.context.kind}/${l.context.reason}`)).toEqual([
      "pending-consent/not-json",
      "pending-consent/invalid-shape",
    ]);
    expect(log.text()).not.toContain("secret");
  });
});
