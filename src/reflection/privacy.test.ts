import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordingPlatform } from "../../test/fakes/recording-platform.js";
import { waitFor } from "../../test/helpers/poll.js";
import { dumpRedis } from "../../test/helpers/redis-dump.js";
import { ALWAYS_WORKING, createTestApp } from "../../test/helpers/test-app.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";

const testRedis = createTestRedis("privacy");
const platform = new RecordingPlatform();
const app = createTestApp(testRedis, [platform]);
const ME = "local:private-person";
const MARKER = "zebra-lantern-7c1f";

beforeAll(() => app.start());
afterAll(async () => {
  await app.stop();
  await testRedis.cleanup();
});

describe("a member's reflections", () => {
  it("cannot be found in plaintext anywhere in Redis, queue included", async () => {
    await platform.inbound({ kind: "command", member: ME, text: `join ${ALWAYS_WORKING}` });
    await platform.inbound({ kind: "button", member: ME, actionId: "join:consent" });
    // A scheduled prompt through the real queue, then the member's answers.
    await app.stores.schedule.set(ME, "prompt", Date.now());
    app.scheduler?.dispatcher.poke();
    await waitFor(() => platform.to(ME).some((d) => d.message.buttons?.some((b) => b.id === "prompt:skip")), {
      what: "the scheduled prompt",
    });
    await waitFor(async () => (await app.stores.reflection.getOpen(ME)) !== null, {
      what: "the open question",
    });
    for (const step of ["what happened", "what helped", "why it mattered"]) {
      await platform.inbound({ kind: "message", member: ME, text: `${step}: ${MARKER}` });
    }
    await platform.inbound({ kind: "form", member: ME, formId: "diary", values: { what: MARKER } });

    const [entry] = await app.stores.journal.list(ME);
    expect(JSON.stringify(entry)).toContain(MARKER);
    const stored = await dumpRedis(testRedis.redis);
    expect(stored.length).toBeGreaterThan(10);
    expect(stored.filter((text) => text.includes(MARKER))).toEqual([]);
  });
});
