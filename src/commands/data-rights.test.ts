import { afterAll, describe, expect, it } from "vitest";
import { dumpRedis } from "../../test/helpers/redis-dump.js";
import { createTestBot } from "../../test/helpers/test-bot.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";

const testRedis = createTestRedis("data-rights");
const t = createTestBot(testRedis);
afterAll(async () => {
  await t.stop();
  await testRedis.cleanup();
});

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
    // Only what the bot keeps: there are no check-in records.
    expect(responder.last.text).not.toContain("check-in");
    expect(responder.last.text).toContain("your diary");
    expect(responder.last.buttons?.map((b) => b.id)).toEqual(["forget:confirm", "forget:cancel"]);
    expect(await t.press("local:kim", "forget:cancel")).toContain("left everything as it is");
    expect(await t.members.get("local:kim")).not.toBeNull();
  });

  it("after confirmation, deletes every key about me and nothing of anyone else's", async () => {
    await t.join("local:lou");
    await testRedis.redis.set(t.keys.memberPart("local:kim", "journal"), "x");
    await t.command("local:kim", "forget");
    expect(await t.press("local:kim", "forget:confirm")).toContain(
      "everything I kept about you has been deleted",
    );
    const left = await testRedis.keys();
    // Every key and every value, of whatever type (the schedule is a sorted set, handles a hash).
    const values = await dumpRedis(testRedis.redis, `${testRedis.prefix}*`);
    expect(left.filter((key) => key.includes("local:kim"))).toEqual([]);
    expect(values.filter((value) => value?.includes("local:kim"))).toEqual([]);
    expect(await t.members.get("local:lou")).not.toBeNull();
    expect(await t.command("local:kim", "profile")).toContain("haven't joined");
  });
});
