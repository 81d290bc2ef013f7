import { afterAll, describe, expect, it } from "vitest";
import { RecordingLogger } from "../../test/helpers/slack-harness.js";
import { createTestBot } from "../../test/helpers/test-bot.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import type { Feature } from "./feature.js";

const testRedis = createTestRedis("screen");
const logger = new RecordingLogger();
const told: string[] = [];
/** A feature that records what it is told after a crisis reply, then fails. */
const failingAftercare: Feature = {
  name: "failing-aftercare",
  async afterCrisisReply(context, hard) {
    told.push(`${context.memberId}|${hard.source}|${hard.formId ?? ""}`);
    throw new Error("the aftercare store is down");
  },
};
const t = createTestBot(testRedis, { logger, features: [failingAftercare] });
afterAll(async () => {
  await t.stop();
  await testRedis.cleanup();
});

describe("the safety screen in the inbound pipeline", () => {
  it("reads every field of a form, whatever the form", async () => {
    const responder = await t.send({
      kind: "form",
      member: "local:ira",
      formId: "any-form",
      values: { what: "a quiet shift", helped: "", why: "honestly i want to die" },
    });
    expect(responder.replies[0]?.text).toContain("These people are there to talk");
    expect(told).toContain("local:ira|form|any-form");
  });

  it("reads the text of a command and runs nothing else", async () => {
    const responder = await t.send({
      kind: "command",
      member: "local:ira",
      text: "help i want to kill myself",
    });
    expect(responder.replies).toHaveLength(1);
    expect(responder.last.text).toContain("These people are there to talk");
    expect(responder.last.text).not.toContain("What you can ask me");
    expect(told).toContain("local:ira|command|");
  });

  it("sends the crisis reply even when a feature's aftercare fails, and logs only a code", async () => {
    const responder = await t.send({ kind: "message", member: "local:ira", text: "I want to end my life" });
    expect(responder.replies).toHaveLength(1);
    expect(responder.last.text).toContain("These people are there to talk");
    expect(responder.last.text).not.toContain("Sorry");
    const failure = logger.entries.find((entry) => entry.message === "aftercare failed");
    expect(failure?.context).toMatchObject({ code: "INTERNAL", member: "local:ira" });
  });

  it("does not screen a button press, and leaves vicarious distress in a command alone", async () => {
    const before = told.length;
    expect(await t.press("local:ira", "consent:no")).not.toContain("These people");
    const help = await t.send({
      kind: "command",
      member: "local:ira",
      text: "help I'm worn down by this job after all the crisis calls",
    });
    expect(help.replies).toHaveLength(1);
    expect(help.last.text).toContain("What you can ask me");
    expect(told.length).toBe(before);
  });

  it("answers vicarious distress in a DM from someone not yet joined with the debrief reply only", async () => {
    const responder = await t.send({
      kind: "message",
      member: "local:new",
      text: "One of the young people I support died this week and I can't stop crying",
    });
    expect(responder.replies).toHaveLength(1);
    expect(responder.last.text).toContain("That sounds like a lot to carry");
    expect(responder.last.text).not.toContain("/peer join");
  });

  it("never logs what anyone wrote", () => {
    const logged = JSON.stringify(logger.entries);
    for (const words of ["want to die", "kill myself", "end my life", "worn down", "crying", "quiet shift"]) {
      expect(logged).not.toContain(words);
    }
  });
});
