import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../test/fakes/fixed-clock.js";
import { RecordingPlatform } from "../../test/fakes/recording-platform.js";
import { createTestApp } from "../../test/helpers/test-app.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import type { ConversationRef, MessageRef, OutboundMessage } from "../platform/chat-platform.js";

/** A post changed or withdrawn before it lands (a relayed message its author edited or deleted at once). */
const testRedis = createTestRedis("outbox-changes");
const clock = new FixedClock("2026-11-23T00:00:00Z");
const platform = new RecordingPlatform("local");
const app = createTestApp(testRedis, [platform], { clock, scheduler: false });
let group: ConversationRef;

async function deliverDue(send = (to: ConversationRef, m: OutboundMessage) => platform.post(to, m)) {
  const items = await app.stores.schedule.claimDue(clock.now().getTime(), 60_000, 100);
  await app.delivery.deliver(items, { send });
}
const texts = () => platform.sent.filter((d) => d.conversation.id === group.id).map((d) => d.message.text);

beforeAll(async () => {
  await app.start();
  group = await platform.openGroup(["local:a", "local:b"], "A circle");
});
afterAll(async () => {
  await app.stop();
  await testRedis.cleanup();
});

describe("the outbox when a post changes before it lands", () => {
  it("a post withdrawn before it is sent is never sent", async () => {
    const id = await app.outbox.post(group, { text: "Oops, wrong chat" });
    await app.outbox.cancel(id);
    await deliverDue();
    expect(texts()).not.toContain("Oops, wrong chat");
  });

  it("a post reworded before it is sent goes out with the new words", async () => {
    const id = await app.outbox.post(group, { text: "Tuesday at 10?" });
    await app.outbox.replace(id, { text: "Tuesday at 11?" });
    await deliverDue();
    expect(texts()).toContain("Tuesday at 11?");
    expect(texts()).not.toContain("Tuesday at 10?");
  });

  it("a post withdrawn while on its way is deleted as soon as it lands", async () => {
    const id = await app.outbox.post(group, { text: "Regretted at once" });
    let landed: MessageRef | undefined;
    await deliverDue(async (to, message) => {
      await app.outbox.cancel(id); // the author deletes while the platform call is in flight
      landed = await platform.post(to, message);
      return landed;
    });
    expect(landed).toBeDefined();
    expect(texts()).not.toContain("Regretted at once");
    expect(await app.outbox.sent(id)).toBeNull();
  });

  it("a post reworded while on its way is corrected as soon as it lands", async () => {
    const id = await app.outbox.post(group, { text: "Thursday works" });
    await deliverDue(async (to, message) => {
      await app.outbox.replace(id, { text: "Thursday works, after 2" });
      return platform.post(to, message);
    });
    expect(texts()).toContain("Thursday works, after 2");
    expect(texts()).not.toContain("Thursday works");
  });
});
