import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { recordingLogger } from "../../test/helpers/recording-logger.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { RedisKeys } from "./redis-keys.js";
import { RedisReflectionState } from "./redis-reflection-state.js";

const testRedis = createTestRedis("reflection-state");
const keys = new RedisKeys(testRedis.prefix);
let log = recordingLogger();
let store = new RedisReflectionState(testRedis.redis, keys, log);
afterAll(() => testRedis.cleanup());
beforeEach(() => {
  log = recordingLogger();
  store = new RedisReflectionState(testRedis.redis, keys, log);
});
const stateKey = (member: string) => keys.memberPart(member, "state");

describe("reflection state", () => {
  it("records questions and tips field by field", async () => {
    await store.setGentle("local:a", true);
    await store.recordQuestion("local:a", "q1", "boundaries", []);
    await store.recordQuestion("local:a", "q2", "boundaries", []);
    await store.recordQuestion("local:a", "q3", "self-care", ["q1"]);
    await store.recordTip("local:a", "t1", false);
    await store.recordTip("local:a", "t2", false);
    const state = await store.load("local:a");
    expect([...state.asked].sort()).toEqual(["q2", "q3"]);
    expect(Object.fromEntries(state.themeCounts)).toEqual({ boundaries: 2, "self-care": 1 });
    expect([...state.tipsSeen].sort()).toEqual(["t1", "t2"]);
    expect(state.gentle).toBe(false);
    await store.recordTip("local:a", "t3", true);
    expect([...(await store.load("local:a")).tipsSeen]).toEqual(["t3"]);
  });

  it("reads an empty state, including Lua's {} for an empty list", async () => {
    await testRedis.redis.hset(stateKey("local:empty"), "asked", "{}", "tips", "{}", "themes", "[]");
    const state = await store.load("local:empty");
    expect([...state.asked]).toEqual([]);
    expect([...state.tipsSeen]).toEqual([]);
    expect(state.themeCounts.size).toBe(0);
    expect(log.lines).toEqual([]);
  });

  it("concurrent writes to different fields all land", async () => {
    await Promise.all([
      store.recordQuestion("local:c", "q1", "boundaries", []),
      store.recordTip("local:c", "t1", false),
      store.setOpen("local:c", { questionId: "q1", step: 0, askedAt: 1 }),
      store.setSoft("local:c", true),
      store.recordQuestion("local:c", "q2", "boundaries", []),
      store.recordTip("local:c", "t2", false),
    ]);
    const state = await store.load("local:c");
    expect([...state.asked].sort()).toEqual(["q1", "q2"]);
    expect([...state.tipsSeen].sort()).toEqual(["t1", "t2"]);
    expect(await store.getOpen("local:c")).toEqual({ questionId: "q1", step: 0, askedAt: 1 });
  });

  it("reports and skips malformed fields, and the next write repairs them", async () => {
    await testRedis.redis.hset(
      stateKey("local:bad"),
      "asked",
      "not json secret",
      "themes",
      JSON.stringify({ boundaries: "secret" }),
      "tips",
      JSON.stringify(["t1"]),
      "open",
      JSON.stringify({ questionId: "q1", step: 7, askedAt: "secret" }),
    );
    const state = await store.load("local:bad");
    expect([...state.asked]).toEqual([]);
    expect(state.themeCounts.size).toBe(0);
    expect([...state.tipsSeen]).toEqual(["t1"]);
    expect(await store.getOpen("local:bad")).toBeNull();
    expect(log.lines.map((l) => `${l.context.kind}/${l.context.part}/${l.context.reason}`).sort()).toEqual([
      "open-prompt/open/invalid-shape",
      "reflection-state/asked/not-json",
      "reflection-state/themes/invalid-shape",
    ]);
    for (const line of log.lines) expect(line.context.code).toBe("STORED_RECORD_INVALID");
    expect(log.text()).not.toContain("secret");

    await store.recordQuestion("local:bad", "q9", "boundaries", []);
    const repaired = await store.load("local:bad");
    expect([...repaired.asked]).toEqual(["q9"]);
    expect(Object.fromEntries(repaired.themeCounts)).toEqual({ boundaries: 1 });
  });

  it("replaceOpen moves the question on only if it is still the one expected", async () => {
    const asked = { questionId: "q1", step: 0 as const, askedAt: 1_764_000_000_123 };
    await store.setOpen("local:o", asked);
    const [first, second] = await Promise.all([
      store.replaceOpen("local:o", asked, { ...asked, step: 1, entryId: "e1" }),
      store.replaceOpen("local:o", asked, { ...asked, step: 1, entryId: "e2" }),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect((await store.getOpen("local:o"))?.step).toBe(1);
    expect(await store.replaceOpen("local:o", asked, { ...asked, step: 2 })).toBe(false);
    await store.clearOpen("local:o");
    expect(await store.replaceOpen("local:o", asked, asked)).toBe(false);
    expect(await store.getOpen("local:o")).toBeNull();
  });

  it("keeps the open question compact, so the state hash stays a listpack", async () => {
    const open = {
      questionId: "role-clarity-04",
      step: 2 as const,
      entryId: "001804233600000-abcdef",
      askedAt: 1_804_233_600_000,
    };
    await store.recordQuestion("local:small", "role-clarity-04", "role-clarity", []);
    await store.recordTip("local:small", "tip-03", false);
    await store.setOpen("local:small", open);
    const raw = await testRedis.redis.hget(stateKey("local:small"), "open");
    expect(raw).toBe("2|1804233600000|001804233600000-abcdef|role-clarity-04");
    expect(await store.getOpen("local:small")).toEqual(open);
    expect(await testRedis.redis.object("ENCODING", stateKey("local:small"))).toBe("listpack");
    await store.setOpen("local:small", { questionId: "q|with|bars", step: 0, askedAt: 5 });
    expect(await store.getOpen("local:small")).toEqual({ questionId: "q|with|bars", step: 0, askedAt: 5 });
  });

  it("reads an open question stored as JSON before, and replaceOpen moves it on", async () => {
    const asked = { questionId: "q1", step: 0 as const, askedAt: 1_764_000_000_123 };
    await testRedis.redis.hset(stateKey("local:old"), "open", JSON.stringify(asked));
    expect(await store.getOpen("local:old")).toEqual(asked);
    expect(await store.replaceOpen("local:old", { ...asked, step: 1 }, asked)).toBe(false);
    expect(await store.replaceOpen("local:old", asked, { ...asked, step: 1, entryId: "e1" })).toBe(true);
    expect(await store.getOpen("local:old")).toEqual({ ...asked, step: 1, entryId: "e1" });
    expect(await testRedis.redis.hget(stateKey("local:old"), "open")).toBe("1|1764000000123|e1|q1");
  });

  it("reports a malformed compact open question and reads it as none", async () => {
    await testRedis.redis.hset(stateKey("local:badopen"), "open", "secret words");
    expect(await store.getOpen("local:badopen")).toBeNull();
    expect(
      await store.replaceOpen(
        "local:badopen",
        { questionId: "q", step: 0, askedAt: 1 },
        { questionId: "q", step: 1, askedAt: 1 },
      ),
    ).toBe(false);
    expect(log.lines.map((l) => l.context.kind)).toEqual(["open-prompt"]);
    expect(log.text()).not.toContain("secret");
  });

  it("exports and forgets", async () => {
    await store.recordQuestion("local:f", "q1", "boundaries", []);
    expect(await store.export("local:f")).toMatchObject({ questionsAsked: ["q1"], openQuestion: null });
    await store.forget("local:f");
    expect(await testRedis.redis.exists(stateKey("local:f"))).toBe(0);
  });
});
