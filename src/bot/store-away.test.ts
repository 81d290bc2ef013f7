import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordingPlatform } from "../../test/fakes/recording-platform.js";
import { waitFor } from "../../test/helpers/poll.js";
import { RedisServer } from "../../test/helpers/redis-server.js";
import { ALWAYS_WORKING, createTestApp } from "../../test/helpers/test-app.js";
import { type TestRedis, createTestRedis } from "../../test/helpers/test-redis.js";

/**
 * Redis goes away (a real redis-server of the test's own, killed) and comes
 * back on the same port with its append-only file: members are answered at
 * once that nothing can be saved (support lines still work), and scheduling
 * picks up by itself when it is back, without a restart.
 */
const platform = new RecordingPlatform("local");
const ALEX = "local:alex";
let server: RedisServer;
let testRedis: TestRedis;
let app: ReturnType<typeof createTestApp>;

const say = async (kind: "command" | "message", text: string) =>
  (await platform.inbound({ kind, member: ALEX, text })).map((m) => m.text).join("\n");

beforeAll(async () => {
  server = await RedisServer.start(["--save", "", "--appendonly", "yes", "--appendfsync", "always"]);
  testRedis = createTestRedis("store-away", server.url);
  app = createTestApp(testRedis, [platform], { env: { REDIS_URL: server.url } });
  await app.start();
  await platform.inbound({ kind: "command", member: ALEX, text: `join ${ALWAYS_WORKING}` });
  await platform.inbound({ kind: "button", member: ALEX, actionId: "join:consent" });
  await say("command", "set tips off");
}, 30_000);

afterAll(async () => {
  await app?.stop();
  await testRedis?.cleanup().catch(() => {});
  await server?.cleanup();
});

describe("while Redis is away", () => {
  it("a command is answered at once that it can't be done now, and what someone wrote that it wasn't saved", async () => {
    const due = Date.now() + 2_000;
    await app.stores.schedule.set(ALEX, "prompt", due);
    // A command already on its way when Redis dies: the reply can't come until Redis does, so after a
    // second the member is told (the platform shows replies as they are sent, not when the handler ends).
    const early: string[] = [];
    await server.kill();
    void platform.inbound({ kind: "command", member: ALEX, text: "profile" }, (message) =>
      early.push(message.text),
    );
    await waitFor(() => early.length > 0, { what: "a word while the request waits" });
    expect(early[0]).toMatch(/trouble reaching my storage|can't do that right now/);
    const refused = await waitFor(
      async () => {
        const reply = await say("command", "profile");
        return reply.includes("can't do that right now") ? reply : undefined;
      },
      { what: "the store-away reply" },
    );
    expect(refused).toContain("try again in a few minutes");
    expect(await say("message", "The walking group went well today, everyone stayed for tea")).toContain(
      "has not been saved",
    );
    // Support lines need nothing from the store.
    expect(await say("command", "support")).toMatch(/\d{3}/);
    // The prompt falls due while Redis is down.
    await waitFor(() => Date.now() > due + 500, { what: "the prompt's due time to pass" });
    expect(platform.to(ALEX).filter((d) => d.message.text.length > 0)).toEqual([]);
  });

  it("when it is back, commands work again and the schedule resumes by itself", async () => {
    await server.resume();
    await waitFor(async () => (await say("command", "profile")).includes("Anywhere"), {
      timeoutMs: 20_000,
      what: "commands to work again",
    });
    await waitFor(() => platform.to(ALEX).length > 0, { timeoutMs: 20_000, what: "the missed prompt to go" });
    expect(platform.to(ALEX)).toHaveLength(1);
  });
});
