import { afterAll, describe, expect, it } from "vitest";
import { dumpRedis } from "../../test/helpers/redis-dump.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { ensureHandle } from "../members/handles.js";
import { RedisHandleStore } from "./redis-handles.js";
import { RedisKeys } from "./redis-keys.js";

const testRedis = createTestRedis("redis-handles");
const handles = new RedisHandleStore(testRedis.redis, new RedisKeys(testRedis.prefix));
afterAll(() => testRedis.cleanup());

describe("RedisHandleStore", () => {
  it("gives each member a handle of their own, numbered when the name is taken", async () => {
    expect(await ensureHandle(handles, "slack:T1:U1", "Kim")).toBe("kim");
    expect(await ensureHandle(handles, "discord:2", "kim")).toBe("kim2");
    expect(await ensureHandle(handles, "local:kim", "KIM")).toBe("kim3");
    // Asking again changes nothing.
    expect(await ensureHandle(handles, "discord:2", "Someone Else")).toBe("kim2");
    expect(await handles.memberFor("kim2")).toBe("discord:2");
    expect(await handles.handleOf("slack:T1:U1")).toBe("kim");
  });

  it("never lets two members claim one handle at the same moment", async () => {
    const claimants = Array.from({ length: 12 }, (_, i) => `local:racer-${i}`);
    const results = await Promise.all(claimants.map((id) => handles.claim(id, "racer")));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = claimants[results.indexOf(true)];
    expect(await handles.memberFor("racer")).toBe(winner);
    const given = await Promise.all(claimants.map((id) => ensureHandle(handles, id, "Racer")));
    expect(new Set(given).size).toBe(claimants.length);
  });

  it("changes a handle, releasing the old one, and refuses one that is taken", async () => {
    expect(await handles.claim("discord:2", "kim")).toBe(false);
    expect(await handles.claim("discord:2", "kimberley")).toBe(true);
    expect(await handles.memberFor("kim2")).toBeNull();
    expect(await handles.memberFor("kimberley")).toBe("discord:2");
    expect(await handles.claim("discord:2", "kimberley")).toBe(true);
  });

  it("shows in export, and forgetting releases it and keeps nothing with the member's id", async () => {
    expect(await handles.export("discord:2")).toBe("kimberley");
    await handles.forget("discord:2");
    expect(await handles.export("discord:2")).toBeNull();
    expect(await handles.memberFor("kimberley")).toBeNull();
    const left = await testRedis.keys();
    expect(left.filter((key) => key.includes("discord:2"))).toEqual([]);
    const stored = (await dumpRedis(testRedis.redis, `${testRedis.prefix}*`)).join("\n");
    expect(stored).not.toContain("discord:2");
    // Someone else may have it now.
    expect(await handles.claim("local:new", "kimberley")).toBe(true);
  });

  it("reads handles stored in the older layout, moves them into the hashes on the next change, and keeps them taken", async () => {
    const keys = new RedisKeys(testRedis.prefix);
    await testRedis.redis.set(keys.global("handle:oldie"), "local:oldie");
    await testRedis.redis.set(keys.global("handle-of:local:oldie"), "oldie");
    expect(await handles.memberFor("oldie")).toBe("local:oldie");
    expect(await handles.handleOf("local:oldie")).toBe("oldie");
    // Nobody else can take it while it is still in the old layout.
    expect(await handles.claim("local:other", "oldie")).toBe(false);
    // The owner's next claim moves it: the old keys go, the new handle is theirs, the old one is free.
    expect(await handles.claim("local:oldie", "newer")).toBe(true);
    expect(
      await testRedis.redis.exists(keys.global("handle:oldie"), keys.global("handle-of:local:oldie")),
    ).toBe(0);
    expect(await handles.handleOf("local:oldie")).toBe("newer");
    expect(await handles.memberFor("oldie")).toBeNull();
    expect(await handles.claim("local:other", "oldie")).toBe(true);
  });
});
