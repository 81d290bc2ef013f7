import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FakeSlackCall } from "../../test/fakes/fake-slack-api.js";
import { type SlackHarness, TEAM_ID, startSlackHarness, waitFor } from "../../test/helpers/slack-harness.js";
import {
  type SlackActor,
  blockActionsPayload,
  commandPayload,
  eventId,
  messageImEvent,
  urlVerification,
  viewSubmissionPayload,
} from "../../test/helpers/slack-requests.js";
import { VALID_JOIN } from "../../test/helpers/test-bot.js";
import { slackMemberId } from "./member-ids.js";
import { SEEN_EVENT_TTL_SECONDS } from "./seen-events.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-http");
});
afterEach(() => h.adapter.idle());
afterAll(() => h.stop());

const ada: SlackActor = { teamId: TEAM_ID, userId: "U0ADA" };

function dmPosts(who: SlackActor): FakeSlackCall[] {
  return h.fake.callsTo("chat.postMessage").filter((call) => call.args.channel === `D${who.userId}`);
}

/** Everything observable: calls to the fake and keys in Redis. */
async function snapshot() {
  await h.adapter.idle();
  return { calls: h.fake.calls.length, keys: (await h.testRedis.keys()).sort() };
}

describe("Slack HTTP receiver at the edge", () => {
  it("answers Slack's url_verification challenge", async () => {
    const response = await h.slack.event(urlVerification("challenge-3f9a"));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ challenge: "challenge-3f9a" });
  });

  it("acks a slash command and a modal submission before the work behind them is done", async () => {
    const ed: SlackActor = { teamId: TEAM_ID, userId: "U0ED" };
    h.fake.addUser({ id: ed.userId, name: "ed" });
    const repliesAt = (name: string) =>
      h.fake.callsTo("response_url").filter((c) => c.responseUrlName === name);
    const lookups = () => h.fake.calls.filter((c) => c.method === "users.info" && c.args.user === ed.userId);

    // users.info (the first thing after ack) is held unanswered; Slack must have its 200 anyway.
    const release = h.fake.holdNext("users.info");
    const response = await h.slack.command(commandPayload(ed, "help", h.fake.responseUrl("ed-help")));
    expect(response).toEqual({ status: 200, body: "" });
    await waitFor(() => lookups()[0], "the users.info look-up");
    expect(repliesAt("ed-help")).toEqual([]);
    release();
    await waitFor(() => repliesAt("ed-help")[0], "the reply once users.info answers");

    const releaseOpen = h.fake.holdNext("conversations.open");
    const submitted = await h.slack.interaction(
      viewSubmissionPayload(ed, "join", {
        region: "Pilbara",
        tz: "Australia/Perth",
        days: "mon",
        hours: "09:00-10:00",
      }),
    );
    expect(submitted).toEqual({ status: 200, body: "" });
    releaseOpen();
    await waitFor(() => dmPosts(ed)[0], "the consent question in the DM");
  });

  it("handles a retried event (same event_id, X-Slack-Retry-Num: 1) once", async () => {
    const event = messageImEvent(ada, "are you there?", { eventId: eventId() });
    expect((await h.slack.event(event)).status).toBe(200);
    await waitFor(() => dmPosts(ada)[0], "the reply to the first delivery");

    expect((await h.slack.event(event, { retryNum: 1 })).status).toBe(200);
    await h.adapter.idle();
    expect(dmPosts(ada)).toHaveLength(1);
    expect(h.logger.entries).toContainEqual(
      expect.objectContaining({
        message: "skipped a Slack event already handled",
        context: expect.objectContaining({ eventId: event.event_id, retryNum: 1 }),
      }),
    );
    const key = `${h.testRedis.prefix}slack:event:${event.event_id}`;
    const ttl = await h.testRedis.redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(SEEN_EVENT_TTL_SECONDS);
  });

  it("rejects a bad signature with 401 and changes nothing", async () => {
    const before = await snapshot();
    const wrongSecret = await h.slack.command(commandPayload(ada, VALID_JOIN, h.fake.responseUrl("bad-1")), {
      secret: "not-the-signing-secret",
    });
    const garbage = await h.slack.event(messageImEvent(ada, "hi"), { signature: "v0=deadbeef" });
    const press = await h.slack.interaction(
      blockActionsPayload(ada, { actionId: "join:consent" }, h.fake.responseUrl("bad-2")),
      { signature: "v1=whatever" },
    );
    expect([wrongSecret.status, garbage.status, press.status]).toEqual([401, 401, 401]);
    expect(await snapshot()).toEqual(before);
  });

  it("rejects a correctly signed request whose timestamp is over five minutes old with 401", async () => {
    const before = await snapshot();
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const response = await h.slack.event(messageImEvent(ada, "replayed"), { timestamp: sixMinutesAgo });
    expect(response.status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });

  it("rejects correctly signed malformed bodies with 400 and changes nothing", async () => {
    const before = await snapshot();
    const form = "application/x-www-form-urlencoded";
    const statuses = [
      (await h.slack.send("{not json", "application/json")).status,
      (await h.slack.send("", "application/json")).status,
      (await h.slack.send("payload=%7Bnot-json", form)).status,
      (await h.slack.send("{}", "application/json")).status,
      (
        await h.slack.send(
          JSON.stringify({ type: "event_callback", event_id: "Ev0X", team_id: TEAM_ID }),
          "application/json",
        )
      ).status,
      (await h.slack.send("command=%2Fpeer&text=join", form)).status,
      (
        await h.slack.send(
          `payload=${encodeURIComponent(JSON.stringify({ type: "block_actions", actions: [] }))}`,
          form,
        )
      ).status,
    ];
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 400]);
    expect(await snapshot()).toEqual(before);
  });

  it("acknowledges but ignores a well-formed event without a usable user id", async () => {
    const before = await snapshot();
    const event = messageImEvent(ada, "who am I?");
    const response = await h.slack.event({ ...event, event: { ...event.event, user: "not a slack id" } });
    expect(response.status).toBe(200);
    const after = await snapshot();
    expect(after.calls).toBe(before.calls);
    // Only the event id's seen-marker was written: it holds no member id.
    expect(after.keys).toEqual([...before.keys, `${h.testRedis.prefix}slack:event:${event.event_id}`].sort());
    expect(after.keys.some((key) => key.includes(slackMemberId(TEAM_ID, ada.userId)))).toBe(false);
  });
});
