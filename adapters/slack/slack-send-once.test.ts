import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordingMetrics } from "../../test/fakes/recording-metrics.js";
import { type SlackHarness, TEAM_ID, startSlackHarness, waitFor } from "../../test/helpers/slack-harness.js";
import { type SlackActor, blockActionsPayload, commandPayload } from "../../test/helpers/slack-requests.js";
import { ALWAYS_WORKING } from "../../test/helpers/test-app.js";
import { slackMemberId } from "./member-ids.js";
import { SEND_EVENT_TYPE } from "./slack-adapter.js";

/**
 * A scheduled send whose post reached Slack but whose answer was lost: the
 * retry finds it in the DM's recent history by the send id in its metadata,
 * records it as sent, and posts nothing more.
 */
let h: SlackHarness;
const metrics = new RecordingMetrics();
beforeAll(async () => {
  h = await startSlackHarness("slack-send-once", { scheduler: true, metrics });
});
afterAll(() => h.stop());

async function command(who: SlackActor, text: string, name: string): Promise<void> {
  await h.slack.command(commandPayload(who, text, h.fake.responseUrl(name)));
  await waitFor(
    () => h.fake.callsTo("response_url").some((call) => call.responseUrlName === name),
    `the reply to /peer ${text.split(" ")[0]}`,
  );
}

describe("a Slack post whose answer was lost", () => {
  it("is found in the DM's history on retry and not posted again", async () => {
    const who = { teamId: TEAM_ID, userId: "U0ANA" };
    const member = slackMemberId(TEAM_ID, who.userId);
    h.fake.addUser({ id: who.userId, name: "ana", displayName: "Ana" });
    await command(who, `join ${ALWAYS_WORKING}`, "join");
    await h.slack.interaction(
      blockActionsPayload(who, { actionId: "join:consent" }, h.fake.responseUrl("consent")),
    );
    await waitFor(() => h.members.get(member), "the member to be stored");
    await command(who, "set tips off", "tips");
    await h.adapter.idle();
    await h.app.stores.schedule.set(member, "prompt", null);
    const dm = `D${who.userId}`;
    const prompts = () =>
      h.fake.messagesIn(dm).filter((m) => JSON.stringify(m.blocks).includes("prompt:skip"));

    // Slack takes the post, then the connection drops before its answer.
    h.fake.dropResponseNext("chat.postMessage");
    const due = Date.now();
    await h.app.stores.schedule.set(member, "prompt", due);
    h.app.scheduler?.dispatcher.poke();

    await waitFor(
      async () => {
        const next = await h.app.stores.schedule.get(member, "prompt");
        return next !== null && next > due;
      },
      "the prompt to complete",
      15_000,
    );
    expect(prompts()).toHaveLength(1);
    const [posted] = prompts();
    expect(posted?.metadata?.event_type).toBe(SEND_EVENT_TYPE);
    // One post, then a look at the DM's latest messages with their metadata; no second post.
    const history = h.fake.callsTo("conversations.history");
    expect(history).toHaveLength(1);
    expect(history[0]?.args).toMatchObject({ channel: dm, include_all_metadata: "true" });
    expect(
      h.fake.calls.filter((call) => call.method === "chat.postMessage" && call.args.channel === dm).length,
    ).toBe(h.fake.messagesIn(dm).length);
    expect(metrics.duplicates).toEqual([{ platform: "slack", how: "history" }]);
    // Recorded as the question sent: the open question is the one in the post.
    const open = await h.app.stores.reflection.getOpen(member);
    expect(JSON.stringify(posted?.blocks)).toContain(`"value":"${open?.questionId}"`);
  }, 30_000);
});
