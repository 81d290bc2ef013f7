import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  APP_TOKEN,
  type SlackHarness,
  TEAM_ID,
  startSlackHarness,
  waitFor,
} from "../../test/helpers/slack-harness.js";
import { type SlackActor, commandPayload, messageImEvent } from "../../test/helpers/slack-requests.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-socket", { socketMode: true });
});
afterAll(() => h.stop());

const uma: SlackActor = { teamId: TEAM_ID, userId: "U0UMA" };

describe("Slack adapter over Socket Mode", () => {
  it("connects with the app-level token instead of listening for HTTP", () => {
    expect(h.fake.socketConnected).toBe(true);
    expect(h.fake.callsTo("apps.connections.open").map((call) => call.token)).toEqual([APP_TOKEN]);
  });

  it("acks a /peer command envelope and replies privately at its response_url", async () => {
    h.fake.addUser({ id: uma.userId, name: "uma", displayName: "Uma" });
    const envelope = h.fake.sendEnvelope("slash_commands", {
      ...commandPayload(uma, "help", h.fake.responseUrl("uma")),
    });
    await waitFor(() => h.fake.socketAcks.find((ack) => ack.envelope_id === envelope), "the ack");
    const reply = await waitFor(
      () => h.fake.callsTo("response_url").find((call) => call.responseUrlName === "uma"),
      "the reply",
    );
    expect(reply.args.response_type).toBe("ephemeral");
    expect(String(reply.args.text)).toContain("What you can ask me");
  });

  it("handles a DM event once even when Slack redelivers it", async () => {
    const event = messageImEvent(uma, "hello from socket mode");
    h.fake.sendEnvelope("events_api", { ...event });
    const dm = () =>
      h.fake.callsTo("chat.postMessage").filter((call) => call.args.channel === `D${uma.userId}`);
    await waitFor(() => dm()[0], "the DM reply");
    const retry = h.fake.sendEnvelope("events_api", { ...event }, 1);
    await waitFor(() => h.fake.socketAcks.find((ack) => ack.envelope_id === retry), "the retry's ack");
    await h.adapter.idle();
    expect(dm()).toHaveLength(1);
  });
});
