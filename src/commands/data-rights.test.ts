import { afterAll, describe, expect, it } from "vitest";
import { createTestBot } from "../../test/helpers/test-bot.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";

const testRedis = createTestRedis("data-rights");
const t = createTestBot(testRedis);
afterAll(() => testRedis.cleanup());

describe("/peer export and /peer forget", () => {
  it("exports everything stored about me as JSON", async () => {
    await t.join("local:kim");
    const reply = await t.command("local:kim", "export");
    const json = reply.slice(reply.indexOf("```") + 3, reply.lastIndexOf("```"));
    const exported = JSON.parse(json);
    expect(exported.member).toBe("local:kim");
    expect(exported.profile).toMatchObject({
      id: "local:kim",
      region: "Wide Bay",
      timeZone: "Australia/Brisbane",
    });
  });

  it("asks before forgetting, and keeps everything when I say no", async () => {
    const responder = await t.send({ kind: "command", member: "local:kim", text: "forget" });
    expect(responder.last.text).toContain("can't be undone");
    expect(responder.last.buttons?.map((b) => b.id)).toEqual(["forget:confirm", "forget:cancel"]);
    expect(await t.press("local:kim", "forget:cancel")).toContain("left everything as it is");
    expect(await t.members.get("local:kim")).not.toBeNull();
  });

  it("after confirmation, deletes every key about me and nothing of anyone else's", async () => {
    await t.join("local:lou");
    await testRedis.redis.set(t.keys.memberPart("local:kim", "journal"), "x");
    expect(await t.press("local:kim", "forget:confirm")).toContain(
      "everything I kept about you has been deleted",
    );
    const left = await testRedis.keys();
    const values = await Promise.all(
      left.map(async (key) =>
        (await testRedis.redis.type(key)) === "set"
          ? (await testRedis.redis.smembers(key)).join(" ")
          : await testRedis.redis.get(key),
      ),
    );
    expect(left.filter((key) => key.includes("local:kim"))).toEqual([]);
    expect(values.filter((value) => value?.includes("local:kim"))).toEqual([]);
    expect(await t.members.get("local:lou")).not.toBeNull();
    expect(await t.command("local:kim", "profile")).toContain("haven't joined");
  });
});
