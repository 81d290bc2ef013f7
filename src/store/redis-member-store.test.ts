import { createHash } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { recordingLogger } from "../../test/helpers/recording-logger.js";
import { member } from "../../test/helpers/sample-member.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import type { Member } from "../members/member.js";
import { READ_MEMBERS, readStoredMember } from "./member-hash.js";
import { RedisKeys } from "./redis-keys.js";
import { RedisMemberStore } from "./redis-member-store.js";

const testRedis = createTestRedis("member-store");
const keys = new RedisKeys(testRedis.prefix);
let log = recordingLogger();
let store = new RedisMemberStore(testRedis.redis, keys, log);
afterAll(() => testRedis.cleanup());
beforeEach(() => {
  log = recordingLogger();
  store = new RedisMemberStore(testRedis.redis, keys, log);
});

describe("member store", () => {
  it("reads back what it saved, one or many", async () => {
    await store.save(member("local:a"));
    await store.save(member("local:b", { preferences: { prompts: "daily" } }));
    expect(await store.get("local:a")).toEqual(member("local:a"));
    expect(await store.getMany(["local:b", "local:none", "local:a"])).toEqual([
      member("local:b", { preferences: { prompts: "daily" } }),
      null,
      member("local:a"),
    ]);
    expect((await store.listIds()).sort()).toEqual(["local:a", "local:b"]);
  });

  it("reads records stored before the schema existed (plain JSON strings)", async () => {
    const old = member("local:old", {
      status: { state: "paused", since: "2025-02-01", until: "2025-03-01" },
    });
    await testRedis.redis.set(keys.member("local:old"), JSON.stringify(old));
    expect(await store.get("local:old")).toEqual(old);
    expect(await store.update("local:old", { region: "Pilbara" })).toEqual({ ...old, region: "Pilbara" });
  });

  it("reports and skips a malformed record, without logging its content", async () => {
    await store.save(member("local:good"));
    await testRedis.redis.set(keys.member("local:notjson"), "{secret words");
    await testRedis.redis.set(
      keys.member("local:badshape"),
      JSON.stringify({ ...member("local:badshape"), workingDays: "secret words" }),
    );
    expect(await store.get("local:notjson")).toBeNull();
    expect(await store.getMany(["local:badshape", "local:good", "local:notjson"])).toEqual([
      null,
      member("local:good"),
      null,
    ]);
    expect(await store.update("local:badshape", { region: "X" })).toBeNull();
    expect(log.lines.length).toBeGreaterThanOrEqual(3);
    for (const line of log.lines)
      expect(line.context).toMatchObject({ code: "STORED_RECORD_INVALID", kind: "member" });
    expect(log.lines.map((l) => l.context.reason)).toEqual(
      expect.arrayContaining(["not-json", "invalid-shape"]),
    );
    expect(log.text()).not.toContain("secret");
    // The bad record was left alone, not overwritten.
    expect(await testRedis.redis.get(keys.member("local:notjson"))).toBe("{secret words");
  });

  it("update changes only the given fields and returns the member", async () => {
    await store.save(member("local:u", { preferences: { prompts: "daily" } }));
    const updated = await store.update("local:u", { workingHours: { start: "10:00", end: "14:30" } });
    expect(updated).toEqual(
      member("local:u", {
        preferences: { prompts: "daily" },
        workingHours: { start: "10:00", end: "14:30" },
      }),
    );
    expect(await store.get("local:u")).toEqual(updated);
  });

  it("update removes preferences given as undefined, and keeps fields it does not know", async () => {
    await testRedis.redis.set(
      keys.member("local:future"),
      JSON.stringify({ ...member("local:future", { preferences: { tips: "off" } }), addedLater: 7 }),
    );
    expect(await store.update("local:future", { preferences: undefined })).toEqual(member("local:future"));
    // Rewritten as the member's hash, the unknown field carried over.
    expect(await testRedis.redis.type(keys.member("local:future"))).toBe("hash");
    expect(await testRedis.redis.hget(keys.member("local:future"), "x:addedLater")).toBe("7");
    expect(await readStoredMember(testRedis.redis, keys.member("local:future"), "local:future")).toEqual({
      ...member("local:future"),
      addedLater: 7,
    });
  });

  it("writes members as one small hash, reads every older form the same, and every member round-trips", async () => {
    const plain = member("local:plain", { soleWorker: true, preferences: { prompts: "daily" } });
    await testRedis.redis.set(keys.member("local:plain"), JSON.stringify(plain));
    await store.save({ ...plain, id: "local:compact" });
    expect(await store.get("local:plain")).toEqual(plain);
    expect(await store.get("local:compact")).toEqual({ ...plain, id: "local:compact" });
    const compact = Object.entries(await testRedis.redis.hgetall(keys.member("local:compact"))).flat();
    expect(compact.join("").length).toBeLessThan(JSON.stringify(plain).length * 0.6);
    expect(compact.join("|")).not.toContain("local:compact");
    expect(await testRedis.redis.object("ENCODING", keys.member("local:compact"))).toBe("listpack");
    const variants = [
      member("local:a"),
      member("local:b", {
        role: "coordinator",
        status: { state: "paused", since: "2026-11-01", until: "2026-12-01" },
      }),
      member("local:c", { workingDays: ["sat", "sun"], joinedAt: "2026-01-01T00:00:00.000Z" }),
    ];
    for (const each of variants) {
      await store.save(each);
      expect(await store.get(each.id)).toEqual(each);
    }
  });

  it("update never creates a member", async () => {
    expect(await store.update("local:nobody", { region: "Pilbara" })).toBeNull();
    expect(await testRedis.redis.exists(keys.member("local:nobody"))).toBe(0);
    expect(await store.listIds()).not.toContain("local:nobody");
  });

  it("update refuses an invalid change and writes nothing", async () => {
    await store.save(member("local:v"));
    await expect(store.update("local:v", { workingDays: [] })).rejects.toThrow(/invalid/);
    expect(await store.get("local:v")).toEqual(member("local:v"));
  });

  it("concurrent updates to different fields, from separate connections, all land", async () => {
    await store.save(member("local:race"));
    const other = testRedis.redis.duplicate();
    try {
      const second = new RedisMemberStore(other, keys);
      const changes = await Promise.all([
        store.update("local:race", { region: "Pilbara" }),
        second.update("local:race", { soleWorker: true }),
        store.update("local:race", { status: { state: "paused", since: "2025-05-01" } }),
        second.update("local:race", { preferences: { tips: "off" } }),
        store.update("local:race", { displayName: "Rob" }),
        second.update("local:race", { workingDays: ["fri"] }),
      ]);
      expect(changes.every((m) => m !== null)).toBe(true);
      expect(await store.get("local:race")).toEqual(
        member("local:race", {
          region: "Pilbara",
          soleWorker: true,
          status: { state: "paused", since: "2025-05-01" },
          preferences: { tips: "off" },
          displayName: "Rob",
          workingDays: ["fri"],
        }),
      );
    } finally {
      await other.quit();
    }
  });

  it("a save between the read and the write of an update is not lost", async () => {
    await store.save(member("local:interleave"));
    // Scripts run by their SHA1 (lua-script.ts), or whole the first time.
    const readSha = createHash("sha1").update(READ_MEMBERS).digest("hex");
    let once = true;
    // Another process changes the region right after this update has read the record.
    const racing = new RedisMemberStore(
      new Proxy(testRedis.redis, {
        get(target, prop, receiver) {
          if (prop !== "eval" && prop !== "evalsha") return Reflect.get(target, prop, receiver);
          const original = (
            Reflect.get(target, prop, receiver) as (...args: unknown[]) => Promise<unknown>
          ).bind(target);
          return async (...args: unknown[]) => {
            const value = await original(...args);
            if (once && (args[0] === READ_MEMBERS || args[0] === readSha)) {
              once = false;
              await store.update("local:interleave", { region: "Pilbara" });
            }
            return value;
          };
        },
      }),
      keys,
    );
    expect(await racing.update("local:interleave", { soleWorker: true })).toMatchObject({
      region: "Pilbara",
      soleWorker: true,
    });
    expect(await store.get("local:interleave")).toMatchObject({ region: "Pilbara", soleWorker: true });
  });

  it("export is the profile; forget deletes every key under the member", async () => {
    await store.save(member("local:f"));
    await testRedis.redis.hset(keys.memberPart("local:f", "cache"), "dm", "D1");
    expect(await store.export("local:f")).toEqual(member("local:f"));
    await store.forget("local:f");
    expect(await store.get("local:f")).toBeNull();
    expect(
      (await testRedis.keys()).filter((k) => k.includes("member:local:f:") || k.endsWith("member:local:f")),
    ).toEqual([]);
    expect(await store.listIds()).not.toContain("local:f");
  });
});

describe("member store update with a function of the current member", () => {
  it("re-applies the function to a concurrent change, so nested preferences are not lost", async () => {
    await store.save(member("local:prefs", { preferences: { prompts: "weekly", tips: "weekly" } }));
    const other = testRedis.redis.duplicate();
    try {
      const second = new RedisMemberStore(other, keys);
      await Promise.all([
        store.update("local:prefs", (m) => ({ preferences: { ...m.preferences, prompts: "daily" } })),
        second.update("local:prefs", (m) => ({ preferences: { ...m.preferences, tips: "off" } })),
        store.update("local:prefs", (m) => ({ preferences: { ...m.preferences, promptTime: "14:00" } })),
      ]);
      expect((await store.get("local:prefs"))?.preferences).toEqual({
        prompts: "daily",
        tips: "off",
        promptTime: "14:00",
      });
    } finally {
      await other.quit();
    }
  });

  it("passes on what the function throws and writes nothing", async () => {
    await store.save(member("local:throws"));
    await expect(
      store.update("local:throws", () => {
        throw new Error("outside working hours");
      }),
    ).rejects.toThrow("outside working hours");
    expect(await store.get("local:throws")).toEqual(member("local:throws"));
  });
});
