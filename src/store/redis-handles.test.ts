import { afterAll, describe, expect, it } from "vitest";
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
    const values = await Promise.all(left.map((key) => testRedis.redis.get(key)));
    expect(left.filter((key) => key.includes("discord:2"))).toEqual([]);
    expect(values).not.toContain("discord:2");
    // Someone else may have it now.
    expect(await handles.claim("local:new", "kimberley")).toBe(true);
  });
});
