import { afterAll, describe, expect, it } from "vitest";
import { createTestBot } from "../../test/helpers/test-bot.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";

const testRedis = createTestRedis("dm");
const t = createTestBot(testRedis);
afterAll(async () => {
  await t.stop();
  await testRedis.cleanup();
});

describe("direct messages", () => {
  it("offers support lines privately and at once when a message sounds like distress", async () => {
    const responder = await t.send({
      kind: "message",
      member: "local:jo",
      timeZone: "Australia/Brisbane",
      text: "Honestly I can’t go on like this",
    });
    expect(responder.replies).toHaveLength(1);
    expect(responder.last.text).toContain("Lifeline: 13 11 14");
    expect(responder.last.text).toContain("000");
    expect(await testRedis.keys()).toEqual([]);
  });

  it("does not mistake talk about work for distress", async () => {
    const reply = await t.message("local:jo", "A person I support was in crisis today and we sat with it");
    expect(reply).not.toContain("Lifeline");
  });

  it("treats a DM that starts with /peer as a command", async () => {
    expect(await t.message("local:jo", "/peer help")).toContain("What you can ask me");
  });

  it("greets someone who has not joined and points to help", async () => {
    expect(await t.message("local:jo", "hello?")).toContain("/peer help");
  });
});
