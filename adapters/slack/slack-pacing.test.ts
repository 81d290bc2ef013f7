import { afterEach, describe, expect, it } from "vitest";
import { PacedSends, SAFETY_MARGIN } from "../../scheduler/paced-sends.js";
import { type InboundHandler, dmWith } from "../../src/platform/chat-platform.js";
import { type SendGate, type SendLane, openGate } from "../../src/platform/send-gate.js";
import { systemClock } from "../../src/time/clock.js";
import { RecordingMetrics } from "../../test/fakes/recording-metrics.js";
import {
  type BareSlackAdapter,
  RecordingLogger,
  TEAM_ID,
  startBareSlackAdapter,
  waitFor,
} from "../../test/helpers/slack-harness.js";
import { type SlackActor, blockActionsPayload, messageImEvent } from "../../test/helpers/slack-requests.js";

/** The fake Slack's limit for chat.postMessage in these tests, a second. */
const R = 10;

let running: BareSlackAdapter | undefined;
afterEach(async () => {
  await running?.adapter.idle();
  await running?.stop();
  running = undefined;
});

/** What the core would do: welcome whoever presses consent, answer whoever writes. */
const welcoming: InboundHandler = async (event, responder) => {
  if (event.kind === "button") await responder.reply({ text: "Welcome! You're in." });
  if (event.kind === "message") await responder.reply({ text: "Thanks, noted." });
};

/** The bare adapter with the pacing bin/app.ts gives it, configured at `perSecond`. */
async function pacedAdapter(
  name: string,
  perSecond: number,
  options: { handler?: InboundHandler; replyRetryMs?: number } = {},
) {
  const metrics = new RecordingMetrics();
  const pacingLog = new RecordingLogger();
  let sends: PacedSends | undefined;
  running = await startBareSlackAdapter(name, options.handler ?? welcoming, (redis) => {
    sends = new PacedSends({
      redis: redis.redis,
      keyPrefix: redis.prefix,
      platform: "slack",
      perSecond,
      clock: systemClock,
      logger: pacingLog,
      metrics,
      ...(options.replyRetryMs === undefined ? {} : { replyRetryMs: options.replyRetryMs }),
    });
    return sends;
  });
  if (!sends) throw new Error("the adapter was given no pacing");
  return { s: running, sends, metrics, pacingLog };
}

function people(s: BareSlackAdapter, count: number): SlackActor[] {
  return Array.from({ length: count }, (_, i) => {
    const userId = `U0JOIN${String(i).padStart(3, "0")}`;
    s.fake.addUser({ id: userId, name: `joiner${i}` });
    return { teamId: TEAM_ID, userId };
  });
}

/** Everyone presses "Yes, I agree" at once. */
async function allConsent(s: BareSlackAdapter, who: readonly SlackActor[]): Promise<void> {
  const responses = await Promise.all(
    who.map((actor) =>
      s.slack.interaction(
        blockActionsPayload(
          actor,
          { actionId: "join:consent" },
          s.fake.responseUrl(`consent-${actor.userId}`),
        ),
      ),
    ),
  );
  expect(responses.every((response) => response.status === 200)).toBe(true);
}

const welcomes = (s: BareSlackAdapter) =>
  s.fake.callsTo("chat.postMessage").filter((call) => call.args.text === "Welcome! You're in.");

describe("Slack replies through the shared pacer", () => {
  it("configured at exactly the platform's limit, welcomes everyone joining at once, once each, none dropped", async () => {
    // Whether any 429 gets through at all depends on how busy the machine is (the pacer keeps
    // SAFETY_MARGIN in hand for jitter): that is measured by `npm run bench:limit`, not here.
    const { s, metrics } = await pacedAdapter("slack-pacing-at-limit", R);
    s.fake.enforceRate(R);
    const joiners = people(s, 30);
    await allConsent(s, joiners);
    await waitFor(() => welcomes(s).length === joiners.length, "every welcome", 30_000);
    await s.adapter.idle();

    expect(welcomes(s)).toHaveLength(joiners.length);
    expect(new Set(welcomes(s).map((call) => call.args.channel))).toEqual(
      new Set(joiners.map((actor) => `D${actor.userId}`)),
    );
    // Any 429 was counted and its post made again; nothing was given up.
    expect(metrics.rateLimits).toHaveLength(s.fake.rateLimited("chat.postMessage").length);
    expect(metrics.droppedReplies).toEqual([]);
  });

  it("configured above the limit, retries every 429 with its Retry-After, slows down, and drops nothing", async () => {
    const { s, sends, metrics } = await pacedAdapter("slack-pacing-over-limit", 4 * R);
    s.fake.enforceRate(R);
    const joiners = people(s, 40);
    await allConsent(s, joiners);
    await waitFor(() => welcomes(s).length === joiners.length, "every welcome", 60_000);
    await s.adapter.idle();

    const refused = s.fake.rateLimited("chat.postMessage");
    expect(refused.length).toBeGreaterThan(0);
    // Each refused post was made again and went: one welcome per person, none twice, none lost.
    expect(welcomes(s)).toHaveLength(joiners.length);
    expect(new Set(welcomes(s).map((call) => call.args.channel)).size).toBe(joiners.length);
    expect(metrics.rateLimits).toHaveLength(refused.length);
    expect(metrics.droppedReplies).toEqual([]);
    // The pace was cut (it recovers over seconds; the test doesn't wait for that).
    expect(await sends.currentRate()).toBeLessThan(4 * R * (1 - SAFETY_MARGIN));
  });

  it("a DM reply refused with 429s goes again after each wait, and once", async () => {
    const { s, metrics } = await pacedAdapter("slack-pacing-dm", R);
    const [kim] = people(s, 1);
    if (!kim) throw new Error("no one");
    s.fake.rateLimitNext("chat.postMessage", 2, 1);
    await s.slack.event(messageImEvent(kim, "hello"));
    await waitFor(() => s.fake.callsTo("chat.postMessage").length === 1, "the reply", 10_000);
    expect(s.fake.rateLimited("chat.postMessage")).toHaveLength(2);
    expect(metrics.droppedReplies).toEqual([]);
  });

  it("a reply still refused past its bound, or to someone unreachable, is counted and logged by code", async () => {
    const { s, metrics, pacingLog } = await pacedAdapter("slack-pacing-dropped", R, { replyRetryMs: 1_500 });
    const [ana, ben] = people(s, 2);
    if (!ana || !ben) throw new Error("no one");
    s.fake.rateLimitNext("chat.postMessage", 100, 1);
    await s.slack.event(messageImEvent(ana, "hello"));
    await waitFor(() => metrics.droppedReplies.length === 1, "the reply to be given up", 10_000);
    expect(metrics.droppedReplies).toEqual([{ platform: "slack", reason: "rate_limited" }]);
    expect(s.fake.rateLimited("chat.postMessage").length).toBeGreaterThanOrEqual(2);

    s.fake.rateLimitNext("chat.postMessage", 0, 1);
    s.fake.failNext("chat.postMessage", "user_disabled");
    await s.slack.event(messageImEvent(ben, "hello"));
    await waitFor(() => metrics.droppedReplies.length === 2, "the unreachable reply", 10_000);
    expect(metrics.droppedReplies[1]).toEqual({ platform: "slack", reason: "unreachable" });

    const logged = pacingLog.entries.filter(
      (entry) => entry.message === "a reply to a member could not be sent",
    );
    expect(logged.map((entry) => [entry.level, entry.context.code])).toEqual([
      ["error", "RATE_LIMITED"],
      ["error", "MEMBER_UNREACHABLE"],
    ]);
    expect(JSON.stringify(pacingLog.entries)).not.toMatch(/Thanks, noted|U0JOIN/);
  });

  it("opens a DM and looks up a profile again after Slack's wait when those lookups get a 429", async () => {
    const seen: Array<string | undefined> = [];
    const { s, metrics } = await pacedAdapter("slack-pacing-lookups", R, {
      handler: async (event, responder) => {
        seen.push(event.displayName);
        if (event.kind === "button") await responder.reply({ text: "Welcome! You're in." });
      },
    });
    const [kim] = people(s, 1);
    if (!kim) throw new Error("no one");
    s.fake.rateLimitNext("conversations.open", 2, 1);
    s.fake.rateLimitNext("users.info", 1, 1);
    await allConsent(s, [kim]);
    await waitFor(() => welcomes(s).length === 1, "the welcome", 10_000);
    await s.adapter.idle();

    expect(welcomes(s).map((call) => call.args.channel)).toEqual([`D${kim.userId}`]);
    expect(s.fake.rateLimited("conversations.open")).toHaveLength(2);
    expect(s.fake.callsTo("conversations.open")).toHaveLength(1);
    expect(s.fake.rateLimited("users.info")).toHaveLength(1);
    expect(seen).toEqual(["joiner0"]);
    // Other tiers than chat.postMessage's: the messages' pace is not cut, and nothing is dropped.
    expect(metrics.rateLimits).toEqual([]);
    expect(metrics.droppedReplies).toEqual([]);
  });
});

describe("Slack scheduled sends in several parts", () => {
  /** Passes every call straight through, noting the lane of each turn taken. */
  function recordingGate(): SendGate & { lanes: SendLane[] } {
    const lanes: SendLane[] = [];
    const run: SendGate["run"] = (lane, call) => {
      lanes.push(lane);
      return call();
    };
    return { ...openGate, lanes, run };
  }

  it("paced, each part after the first takes a turn of its own; unpaced, none does", async () => {
    const gate = recordingGate();
    running = await startBareSlackAdapter("slack-pacing-parts", welcoming, () => gate);
    const s = running;
    const [kim] = people(s, 1);
    if (!kim) throw new Error("no one");
    // Over 36,000 characters: more than one Slack message.
    const long = { text: Array.from({ length: 80 }, (_, i) => `${i} ${"word ".repeat(100)}`).join("\n\n") };
    const to = dmWith(`slack:${TEAM_ID}:${kim.userId}`);

    await s.adapter.post(to, long, { sendId: "paced-send", paced: true });
    const parts = s.fake.callsTo("chat.postMessage").length;
    expect(parts).toBeGreaterThan(1);
    expect(gate.lanes).toEqual(Array.from({ length: parts - 1 }, () => "scheduled"));

    await s.adapter.post(to, long, { sendId: "unpaced-send" });
    expect(s.fake.callsTo("chat.postMessage")).toHaveLength(2 * parts);
    expect(gate.lanes).toHaveLength(parts - 1);
  });
});
