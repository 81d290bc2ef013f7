import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordingPlatform } from "../../test/fakes/recording-platform.js";
import { waitFor } from "../../test/helpers/poll.js";
import { dumpRedis } from "../../test/helpers/redis-dump.js";
import { createTestApp } from "../../test/helpers/test-app.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";

/** Two bot processes on one Redis, each with its scheduler, as in a deployment with two replicas. */
const testRedis = createTestRedis("outbox");
const first = new RecordingPlatform();
const second = new RecordingPlatform();
const one = createTestApp(testRedis, [first]);
const two = createTestApp(testRedis, [second]);

const delivered = () => [...first.sent, ...second.sent];
const stored = async () => (await dumpRedis(testRedis.redis, `${testRedis.prefix}*`)).join("\n");
/** Nothing left to send and nothing in flight: anything sent twice would have arrived by now. */
const idle = () =>
  waitFor(
    async () => {
      const { earliestDue, inFlight } = await one.stores.schedule.state();
      return earliestDue === null && inFlight === 0;
    },
    { what: "the schedule to be empty" },
  );

beforeAll(async () => {
  await one.start();
  await two.start();
});
afterAll(async () => {
  await one.stop();
  await two.stop();
  await testRedis.cleanup();
});

describe("the outbox: group posts through the paced, exactly-once queue", () => {
  it("posts into a group once, keeps the words only sealed while they wait, and gives back the message", async () => {
    const group = await first.openGroup(["local:a", "local:b", "local:c"], "Peer circle: Tuesdays");
    const words = "Welcome, everyone — this is our circle's space (marker-7f3a).";
    const ids = await Promise.all([
      one.outbox.post(group, { text: words }),
      two.outbox.post(group, { text: "Second post (marker-9c1d)." }),
    ]);
    // While waiting, nothing in Redis (BullMQ's keys included) holds the words in the clear.
    expect(await stored()).not.toContain("marker-7f3a");

    await waitFor(() => delivered().length >= 2, { what: "both posts" });
    await idle();
    expect(
      delivered()
        .map((d) => d.message.text)
        .sort(),
    ).toEqual([words, "Second post (marker-9c1d)."].sort());
    expect(delivered().every((d) => d.conversation.id === group.id)).toBe(true);

    const refs = await Promise.all(ids.map((id) => one.outbox.sent(id)));
    expect(refs.map((ref) => ref?.conversation)).toEqual([group, group]);
    expect(await stored()).not.toContain("marker-");
  });

  it("a hundred posts from two processes each arrive exactly once", async () => {
    const group = await first.openGroup(["local:d", "local:e", "local:f"], "Busy circle");
    const before = delivered().length;
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? one : two).outbox.post(group, { text: `post ${i}` })),
    );
    await waitFor(() => delivered().length >= before + 100, { what: "every post" });
    await idle();
    const texts = delivered()
      .slice(before)
      .map((d) => d.message.text);
    expect(texts).toHaveLength(100);
    expect(new Set(texts).size).toBe(100);
  });
});
