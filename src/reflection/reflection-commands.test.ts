import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../test/fakes/fixed-clock.js";
import { RecordingPlatform } from "../../test/fakes/recording-platform.js";
import { createTestApp } from "../../test/helpers/test-app.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { type ConversationRef, dmWith } from "../platform/chat-platform.js";
import { QUESTION_SENT_TO_DM } from "./reflection-commands.js";

const testRedis = createTestRedis("reflection-commands");
const clock = new FixedClock("2026-11-24T02:00:00Z");
const platform = new RecordingPlatform();
const app = createTestApp(testRedis, [platform], { clock, scheduler: false });
const ME = "local:rowan";
const CHANNEL: ConversationRef = { kind: "channel", id: "local:team-room" };

const command = async (text: string, conversation: ConversationRef) =>
  platform.inbound({ kind: "command", member: ME, conversation, text });

beforeAll(async () => {
  await app.start();
  await command('join region:"Wide Bay" tz:Australia/Brisbane days:mon-fri hours:09:00-17:00', dmWith(ME));
  await platform.inbound({ kind: "button", member: ME, conversation: dmWith(ME), actionId: "join:consent" });
});
afterAll(async () => {
  await app.stop();
  await testRedis.cleanup();
});

describe("/peer reflect", () => {
  it("asked outside our DM, posts the question into the DM and says so privately", async () => {
    const before = platform.to(ME).length;
    const replies = await command("reflect", CHANNEL);
    expect(replies.map((r) => r.text)).toEqual([QUESTION_SENT_TO_DM]);
    const posted = platform.to(ME).slice(before);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.conversation).toEqual(dmWith(ME));
    expect(posted[0]?.message.text).toContain("Here's a question to reflect on");
    expect(posted[0]?.message.buttons?.map((b) => b.id)).toEqual(["prompt:later", "prompt:skip"]);
    expect(await app.stores.reflection.getOpen(ME)).toMatchObject({ step: 0 });
  });

  it("asked in our DM, answers with the question there, without posting it twice", async () => {
    const before = platform.to(ME).length;
    const replies = await command("reflect boundaries", dmWith(ME));
    expect(replies.at(-1)?.text).toContain("Here's a question to reflect on");
    expect(platform.to(ME).length).toBe(before);
  });
});
