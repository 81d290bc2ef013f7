import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../bin/app.js";
import { silentLogger } from "../../src/logging/logger.js";
import type { ChatPlatform } from "../../src/platform/chat-platform.js";
import { RecordingMetrics } from "../../test/fakes/recording-metrics.js";
import { type DiscordHarness, startDiscordHarness, waitFor } from "../../test/helpers/discord-harness.js";
import { ALWAYS_WORKING, createTestApp } from "../../test/helpers/test-app.js";
import { createDiscordAdapter } from "./discord-adapter.js";

/**
 * A scheduled Discord send that reached Discord while the process sending it
 * died (here: froze, its heartbeat gone, the answer never coming). A second
 * process takes the send over at once and posts it again with the same nonce:
 * Discord answers with the first message, and nothing new appears.
 */
let h: DiscordHarness;
let second: App | undefined;
const metrics = new RecordingMetrics();
beforeAll(async () => {
  h = await startDiscordHarness("discord-send-once", { scheduler: true });
});
afterAll(async () => {
  await second?.stop();
  await h.stop();
});

const promptsIn = (channelId: string) =>
  h.fake
    .messages()
    .filter(
      (m) =>
        m.channelId === channelId && String(m.object.content).includes("here's a question for your week"),
    );

describe("a Discord post in flight when its process died", () => {
  it("is not posted twice: the next process's post with the same nonce gets the first message back", async () => {
    const user = h.fake.user("bea");
    const member = `discord:${user.id}`;
    await h.join(member, `join ${ALWAYS_WORKING}`);
    await h.app.stores.schedule.set(member, "tip", null);
    await h.app.stores.schedule.set(member, "prompt", null);
    const channelId = h.fake.dmChannelFor(user.id);
    // The DM channel is opened (and cached) now, so the scheduled post is the only call held.
    await h.app.router.post({ kind: "dm", id: member }, { text: "hello" });

    h.fake.holdResponses("POST", "/channels/:id/messages");
    const due = Date.now();
    await h.app.stores.schedule.set(member, "prompt", due);
    h.app.scheduler?.dispatcher.poke();
    await waitFor(() => h.fake.held.length === 1, "the prompt to reach Discord, unanswered", 10_000);
    expect(promptsIn(channelId)).toHaveLength(1);
    const lease = await h.app.stores.schedule.lease({ subject: member, kind: "prompt", due });

    // The first process is gone, as far as anyone can tell: it claims nothing more, its heartbeat stops.
    await h.app.scheduler?.dispatcher.stop();
    await h.app.scheduler?.queues.get("discord")?.halt();
    await h.app.scheduler?.heartbeat?.stop();

    // The next process sends through Discord's REST API only (the fake's gateway has one client).
    const rest = createDiscordAdapter({
      token: h.fake.token,
      applicationId: h.fake.applicationId,
      guildId: h.fake.guildId,
      // Another origin for the same fake, so this process's requests don't queue behind the first's
      // hung one in the shared HTTP connection pool (two processes would share nothing).
      apiUrl: h.fake.apiUrl.replace("127.0.0.1", "[::ffff:127.0.0.1]"),
      memberCache: h.cache,
      logger: silentLogger,
    });
    const platform: ChatPlatform = {
      name: rest.name,
      capabilities: rest.capabilities,
      start: async () => {},
      stop: () => rest.stop(),
      post: (to, message, options) => rest.post(to, message, options),
      edit: (message, replacement) => rest.edit(message, replacement),
      delete: (message) => rest.delete(message),
      openGroup: (members, title) => rest.openGroup(members, title),
    };
    second = createTestApp(h.testRedis, [platform], { scheduler: true, metrics });
    await second.start();
    await waitFor(
      async () => (await h.app.stores.schedule.lease({ subject: member, kind: "prompt", due })) === null,
      "the next process to finish the prompt",
      15_000,
    );

    expect(promptsIn(channelId)).toHaveLength(1);
    const posts = h.fake
      .callsTo("POST", "/channels/:id/messages")
      .filter((call) => String((call.body as { content?: string }).content).includes("here's a question"));
    // Every later post carried the first's nonce, with enforce_nonce, and the same words.
    const first = h.fake.held[0]?.body as { nonce?: string; enforce_nonce?: boolean; content?: string };
    expect(first.enforce_nonce).toBe(true);
    expect(posts.length).toBeGreaterThanOrEqual(1);
    for (const call of posts) {
      expect(call.body).toMatchObject({ nonce: first.nonce, enforce_nonce: true, content: first.content });
    }
    // Counted: the next process's post got the first message back. (Under heavy load the frozen
    // process's own discord.js may retry first, 15 s after its post, and record it: then the next
    // process finds it sent, and it is counted as stopped by the marker.)
    expect(metrics.duplicates).toHaveLength(1);
    if (posts.length === 1) expect(metrics.duplicates).toEqual([{ platform: "discord", how: "nonce" }]);
    // Taken over because its holder was dead, with most of its lease left.
    expect(second.stores.schedule.takenBack).toBe(1);
    expect(lease?.expires ?? 0).toBeGreaterThan(Date.now());
  }, 40_000);
});
