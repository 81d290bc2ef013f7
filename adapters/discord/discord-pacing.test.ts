import { afterEach, describe, expect, it } from "vitest";
import { PacedSends, SAFETY_MARGIN } from "../../scheduler/paced-sends.js";
import { type InboundHandler, dmWith } from "../../src/platform/chat-platform.js";
import { type SendGate, type SendLane, openGate } from "../../src/platform/send-gate.js";
import { systemClock } from "../../src/time/clock.js";
import { RecordingMetrics } from "../../test/fakes/recording-metrics.js";
import { type DiscordHarness, startDiscordHarness, waitFor } from "../../test/helpers/discord-harness.js";
import { RecordingLogger } from "../../test/helpers/slack-harness.js";

/** The fake Discord's global limit in these tests, requests a second. */
const R = 10;

let running: DiscordHarness | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** What the core would do with a first message: welcome them. */
const welcoming: InboundHandler = async (event, responder) => {
  if (event.kind === "message") await responder.reply({ text: "Welcome! Type /peer help any time." });
};

async function pacedHarness(name: string, perSecond: number) {
  const metrics = new RecordingMetrics();
  let sends: PacedSends | undefined;
  running = await startDiscordHarness(name, {
    handler: welcoming,
    gate: (redis) => {
      sends = new PacedSends({
        redis: redis.redis,
        keyPrefix: redis.prefix,
        platform: "discord",
        perSecond,
        clock: systemClock,
        logger: new RecordingLogger(),
        metrics,
      });
      return sends;
    },
  });
  if (!sends) throw new Error("the adapter was given no pacing");
  return { h: running, sends, metrics };
}

const welcomes = (h: DiscordHarness) =>
  h.fake.sent.filter((sent) => String(sent.message.content).startsWith("Welcome!"));

describe("Discord replies through the shared pacer", () => {
  it("configured at exactly the global limit, answers everyone writing at once with no 429", async () => {
    const { h, sends, metrics } = await pacedHarness("discord-pacing-at-limit", R);
    const people = Array.from({ length: 25 }, (_, i) => h.fake.user(`joiner${i}`));
    h.fake.enforceGlobalRate(R);
    for (const person of people) h.fake.directMessage(person, "hi, I'd like to join");
    await waitFor(() => welcomes(h).length === people.length || undefined, "every welcome", 30_000);
    await h.adapter.idle();

    const channels = new Set(welcomes(h).map((sent) => sent.message.channel_id));
    expect(channels).toEqual(new Set(people.map((person) => h.fake.dmChannelFor(person.id))));
    expect(h.fake.rateLimitedCalls()).toEqual([]);
    expect(metrics.rateLimits).toEqual([]);
    expect(metrics.droppedReplies).toEqual([]);
    expect(await sends.currentRate()).toBeCloseTo(R * (1 - SAFETY_MARGIN), 6);
  });

  it("configured above it, the global 429s discord.js sits out slow the shared pace, and nothing is lost", async () => {
    const { h, sends, metrics } = await pacedHarness("discord-pacing-over-limit", 4 * R);
    const people = Array.from({ length: 30 }, (_, i) => h.fake.user(`rusher${i}`));
    h.fake.enforceGlobalRate(R);
    for (const person of people) h.fake.directMessage(person, "hello");
    await waitFor(() => welcomes(h).length === people.length || undefined, "every welcome", 60_000);
    await h.adapter.idle();

    const refused = h.fake.rateLimitedCalls();
    expect(refused.length).toBeGreaterThan(0);
    expect(welcomes(h)).toHaveLength(people.length);
    // Every 429 was seen (discord.js retried them itself) and held every sender back.
    expect(metrics.rateLimits).toHaveLength(refused.length);
    expect(metrics.droppedReplies).toEqual([]);
    expect(await sends.currentRate()).toBeLessThan(4 * R * (1 - SAFETY_MARGIN));
  });
});

describe("a long scheduled Discord post", () => {
  it("paced, each part after the first takes a turn of its own; unpaced, none does", async () => {
    const lanes: SendLane[] = [];
    const gate: SendGate = {
      ...openGate,
      run: (lane, call) => {
        lanes.push(lane);
        return call();
      },
    };
    running = await startDiscordHarness("discord-pacing-parts", { handler: welcoming, gate: () => gate });
    const h = running;
    const user = h.fake.user("noor");
    const to = dmWith(`discord:${user.id}`);
    // Over 6,000 characters: several Discord messages.
    const long = { text: Array.from({ length: 30 }, (_, i) => `${i} ${"word ".repeat(40)}`).join("\n\n") };
    const postsIn = () => h.fake.messages().filter((m) => m.channelId === h.fake.dmChannelFor(user.id));

    await h.adapter.post(to, long, { sendId: "paced-send", paced: true });
    const parts = postsIn().length;
    expect(parts).toBeGreaterThan(1);
    expect(lanes).toEqual(Array.from({ length: parts - 1 }, () => "scheduled"));

    await h.adapter.post(to, long, { sendId: "unpaced-send" });
    expect(postsIn()).toHaveLength(2 * parts);
    expect(lanes).toHaveLength(parts - 1);
  });
});
