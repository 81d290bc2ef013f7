import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dmWith } from "../../src/platform/chat-platform.js";
import type { FakeSlackCall } from "../../test/fakes/fake-slack-api.js";
import { RecordingResponder } from "../../test/fakes/recording-responder.js";
import { type SlackHarness, TEAM_ID, startSlackHarness, waitFor } from "../../test/helpers/slack-harness.js";
import { messageImEvent } from "../../test/helpers/slack-requests.js";
import { type StallingProxy, startStallingProxy } from "../../test/helpers/stalling-proxy.js";
import { slackMemberId } from "./member-ids.js";
import { unescapeSlackText } from "./slack-text.js";

/**
 * The crisis reply does not wait for Redis: with every command the bot sends
 * to Redis held back (a proxy stops forwarding them), a risk message through Slack still gets
 * its reply, with the lines for where Slack says the member is; the rest (the
 * offer to keep their words) follows once Redis answers again.
 */
let proxy: StallingProxy;
let h: SlackHarness;
beforeAll(async () => {
  proxy = await startStallingProxy();
  h = await startSlackHarness("slack-stalled", { redisUrl: proxy.url });
});
afterAll(async () => {
  proxy.resume();
  await h.stop();
  await proxy.stop();
});

const dmPosts = (userId: string): FakeSlackCall[] =>
  h.fake.callsTo("chat.postMessage").filter((call) => call.args.channel === `D${userId}`);

describe("Slack with Redis stalled", () => {
  it("sends the crisis reply while Redis is paused, and the rest once it is back", async () => {
    const userId = "U0STALL";
    h.fake.addUser({ id: userId, name: "tui", displayName: "Tui", tz: "Pacific/Auckland" });
    const member = slackMemberId(TEAM_ID, userId);
    const quiet = new RecordingResponder().responder;
    const conversation = dmWith(member);
    await h.app.bot.handle(
      {
        kind: "command",
        member,
        conversation,
        text: 'join region:"Waikato" tz:Pacific/Auckland days:mon-fri hours:09:00-17:00',
      },
      quiet,
    );
    await h.app.bot.handle({ kind: "button", member, conversation, actionId: "join:consent" }, quiet);

    // From here every command the bot sends to Redis waits until the test lets it through.
    proxy.stall();
    let settled = false;
    const handling = h.slack
      .event(messageImEvent({ teamId: TEAM_ID, userId }, "I want to end my life"))
      .then(() => h.adapter.idle());
    void handling.then(() => {
      settled = true;
    });

    const crisis = await waitFor(() => dmPosts(userId)[0], "the crisis reply", 10_000);
    expect(unescapeSlackText(String(crisis.args.text))).toContain("please call 111 now");
    expect(unescapeSlackText(String(crisis.args.text))).toContain("1737");
    // The rest of the handling is still waiting on Redis.
    expect(settled).toBe(false);
    expect(dmPosts(userId)).toHaveLength(1);

    proxy.resume();
    await handling;
    const [, ask] = dmPosts(userId);
    expect(unescapeSlackText(String(ask?.args.text))).toContain("Would you like me to keep it there");
  });
});
