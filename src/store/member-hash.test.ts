import { afterAll, describe, expect, it } from "vitest";
import { dumpRedis } from "../../test/helpers/redis-dump.js";
import { member } from "../../test/helpers/sample-member.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import type { Member } from "../members/member.js";
import { encodeMember } from "./member-codec.js";
import { joinPieces } from "./member-hash.js";
import { RedisHandleStore } from "./redis-handles.js";
import { RedisKeys } from "./redis-keys.js";
import { RedisMemberStore } from "./redis-member-store.js";
import { RedisReflectionState } from "./redis-reflection-state.js";

const testRedis = createTestRedis("member-hash");
const keys = new RedisKeys(testRedis.prefix);
const members = new RedisMemberStore(testRedis.redis, keys);
const state = new RedisReflectionState(testRedis.redis, keys);
const handles = new RedisHandleStore(testRedis.redis, keys);
afterAll(() => testRedis.cleanup());

const encoding = (key: string) => testRedis.redis.object("ENCODING", key);

describe("one hash per member", () => {
  it("holds the record, the reflection state and the handle in one listpack key", async () => {
    await members.save(member("local:one"));
    await handles.claim("local:one", "robin");
    await state.recordQuestion("local:one", "sharing-experience-07", "sharing-experience", []);
    await state.recordTip("local:one", "tip-38", false);
    await state.setOpen("local:one", { questionId: "sharing-experience-07", step: 0, askedAt: 1 });
    const owned = (await testRedis.keys()).filter((key) => key.includes("local:one"));
    expect(owned).toEqual([keys.member("local:one")]);
    expect(await encoding(keys.member("local:one"))).toBe("listpack");
    expect(await testRedis.redis.hget(keys.member("local:one"), "@")).toBe("robin");
    expect(await handles.handleOf("local:one")).toBe("robin");
    expect(await members.get("local:one")).toEqual(member("local:one"));
    expect([...(await state.load("local:one")).asked]).toEqual(["sharing-experience-07"]);
    // A record write leaves the state and handle beside it alone.
    await members.update("local:one", { region: "Pilbara" });
    await members.save(member("local:one", { displayName: "Rob" }));
    expect([...(await state.load("local:one")).tipsSeen]).toEqual(["tip-38"]);
    expect(await handles.handleOf("local:one")).toBe("robin");
    expect(await state.getOpen("local:one")).toMatchObject({ questionId: "sharing-experience-07" });
  });

  it("keeps long values in 64-byte pieces (whole UTF-8 characters), so the hash stays a listpack", async () => {
    const name = "Ngāti Kahungunu ki Te Whanganui-a-Orotū — Tūhoe, Ngāi Tahu, Te Ātiawa ō Aotearoa";
    const long = member("local:long", {
      displayName: name,
      preferences: { prompts: "daily", promptTime: "14:00" },
    });
    await members.save(long);
    const asked = Array.from({ length: 30 }, (_, i) => `sharing-experience-${String(i).padStart(2, "0")}`);
    for (const id of asked) await state.recordQuestion("local:long", id, "sharing-experience", []);
    expect(await encoding(keys.member("local:long"))).toBe("listpack");
    const raw = await testRedis.redis.hgetall(keys.member("local:long"));
    for (const value of Object.values(raw)) expect(Buffer.byteLength(value)).toBeLessThanOrEqual(64);
    expect(Object.keys(raw)).toContain("asked#1");
    expect(joinPieces(raw).n).toBe(name);
    expect(await members.get("local:long")).toEqual(long);
    expect([...(await state.load("local:long")).asked]).toEqual(asked);
    // Shorter again: the spare pieces go.
    await state.recordQuestion("local:long", "x", "t", asked);
    expect(Object.keys(await testRedis.redis.hgetall(keys.member("local:long")))).not.toContain("asked#1");
    expect([...(await state.load("local:long")).asked]).toEqual(["x"]);
  });

  it("reads the older layout, and the member's next record write moves record, state and handle into the hash", async () => {
    const id = "local:old";
    await testRedis.redis.set(keys.member(id), encodeMember({ ...member(id) }));
    await testRedis.redis.sadd(keys.members(), id);
    await testRedis.redis.hset(keys.memberPart(id, "state"), {
      asked: '["q1"]',
      themes: '{"boundaries":1}',
      gentle: "1",
    });
    await testRedis.redis.hset(keys.global("handles"), "oldie", id);
    await testRedis.redis.hset(keys.global("handle-of"), id, "oldie");
    expect(await members.get(id)).toEqual(member(id));
    expect((await state.load(id)).gentle).toBe(true);
    expect(await handles.handleOf(id)).toBe("oldie");
    // Writes before the move go to the older keys.
    await state.recordTip(id, "t1", false);
    expect(await testRedis.redis.hget(keys.memberPart(id, "state"), "tips")).toBe('["t1"]');

    expect(await members.update(id, { region: "Pilbara" })).toEqual(member(id, { region: "Pilbara" }));
    expect(await testRedis.redis.type(keys.member(id))).toBe("hash");
    expect(await testRedis.redis.exists(keys.memberPart(id, "state"))).toBe(0);
    expect(await testRedis.redis.hexists(keys.global("handle-of"), id)).toBe(0);
    expect(await members.get(id)).toEqual(member(id, { region: "Pilbara" }));
    const moved = await state.load(id);
    expect([...moved.asked]).toEqual(["q1"]);
    expect([...moved.tipsSeen]).toEqual(["t1"]);
    expect(moved.gentle).toBe(true);
    expect(await handles.handleOf(id)).toBe("oldie");
    expect(await handles.memberFor("oldie")).toBe(id);
    expect(await handles.claim(id, "newie")).toBe(true);
    expect(await handles.memberFor("oldie")).toBeNull();
    expect(await testRedis.redis.hget(keys.member(id), "@")).toBe("newie");
  });

  it("state and handles for someone with no record never make a member", async () => {
    await state.setGentle("local:nobody", true);
    await handles.claim("local:nobody", "nobody");
    expect(await testRedis.redis.exists(keys.member("local:nobody"))).toBe(0);
    expect(await members.get("local:nobody")).toBeNull();
    expect((await state.load("local:nobody")).gentle).toBe(true);
    expect(await handles.handleOf("local:nobody")).toBe("nobody");
    await state.forget("local:nobody");
    await handles.forget("local:nobody");
  });

  it("forgetting a member (member store first, as the data sections run) leaves nothing of theirs", async () => {
    const id = "local:gone";
    await members.save(member(id));
    await handles.claim(id, "gone-handle");
    await state.recordQuestion(id, "q1", "boundaries", []);
    for (const section of [members, handles, state]) await section.forget(id);
    expect((await testRedis.keys()).filter((key) => key.includes(id))).toEqual([]);
    const stored = (await dumpRedis(testRedis.redis, `${testRedis.prefix}*`)).join("\n");
    expect(stored).not.toContain(id);
    expect(stored).not.toContain("gone-handle");
    expect(await handles.claim("local:other", "gone-handle")).toBe(true);
  });
});
