import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FakeSlackCall } from "../../test/fakes/fake-slack-api.js";
import {
  BOT_TOKEN,
  SIGNING_SECRET,
  type SlackHarness,
  TEAM_ID,
  startSlackHarness,
  waitFor,
} from "../../test/helpers/slack-harness.js";
import {
  type SlackActor,
  blockActionsPayload,
  commandPayload,
  messageImEvent,
  viewSubmissionPayload,
} from "../../test/helpers/slack-requests.js";
import { VALID_JOIN } from "../../test/helpers/test-bot.js";
import { slackMemberId } from "./member-ids.js";
import { SCOPE_BY_METHOD } from "./slack-scopes.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-flows");
});
afterEach(() => h.adapter.idle());
afterAll(() => h.stop());

interface Person extends SlackActor {
  readonly member: string;
}

function person(userId: string, displayName: string): Person {
  h.fake.addUser({
    id: userId,
    name: displayName.toLowerCase(),
    realName: `${displayName} Example`,
    displayName,
  });
  return { teamId: TEAM_ID, userId, member: slackMemberId(TEAM_ID, userId) };
}

function repliesAt(name: string): FakeSlackCall[] {
  return h.fake.callsTo("response_url").filter((call) => call.responseUrlName === name);
}

function dmPosts(who: SlackActor): FakeSlackCall[] {
  return h.fake.callsTo("chat.postMessage").filter((call) => call.args.channel === `D${who.userId}`);
}

type Element = { action_id?: string; style?: string; text?: { text?: string } };

function buttonsOf(call: FakeSlackCall): Element[] {
  const blocks = (call.args.blocks ?? []) as Array<{ type: string; elements?: Element[] }>;
  return blocks.find((block) => block.type === "actions")?.elements ?? [];
}

/** Runs `/peer <text>` and waits for the private reply at a response_url of its own. */
async function command(who: SlackActor, text: string, name: string): Promise<FakeSlackCall> {
  const response = await h.slack.command(commandPayload(who, text, h.fake.responseUrl(name)));
  expect(response.status).toBe(200);
  return waitFor(() => repliesAt(name)[0], `the reply to /peer ${text.split(" ")[0]}`);
}

async function press(
  who: SlackActor,
  actionId: string,
  options: { channelId?: string; ephemeral?: boolean } = {},
) {
  const response = await h.slack.interaction(
    blockActionsPayload(who, { actionId }, h.fake.responseUrl(`press-${actionId}`), options),
  );
  expect(response.status).toBe(200);
}

async function joinViaSlack(who: Person, name: string): Promise<void> {
  await command(who, VALID_JOIN, `${name}-join`);
  await press(who, "join:consent");
  await waitFor(() => h.members.get(who.member), "the member to be stored");
}

describe("Slack adapter, end to end with the real core", () => {
  it("/peer join with arguments asks for consent with buttons, and 'Yes, I agree' stores the member", async () => {
    const alex = person("U0ALEX", "Alex");
    const reply = await command(alex, VALID_JOIN, "alex-join");

    expect(reply.args.response_type).toBe("ephemeral");
    expect(String(reply.args.text)).toContain("Before I store anything");
    expect(buttonsOf(reply)).toEqual([
      {
        type: "button",
        action_id: "join:consent",
        text: { type: "plain_text", text: "Yes, I agree" },
        style: "primary",
      },
      { type: "button", action_id: "join:decline", text: { type: "plain_text", text: "Not now" } },
    ]);
    expect(await h.members.get(alex.member)).toBeNull();

    await press(alex, "join:consent");
    const member = await waitFor(() => h.members.get(alex.member), "the member to be stored");
    expect(member).toMatchObject({ id: alex.member, displayName: "Alex", region: "Wide Bay" });
    const welcome = await waitFor(() => dmPosts(alex)[0], "the welcome in the DM");
    expect(String(welcome.args.text)).toContain("Welcome to the network, Alex");
    // The display name came from users.info once; the press used the cache.
    expect(h.fake.callsTo("users.info").filter((call) => call.args.user === alex.userId)).toHaveLength(1);
  });

  it("/peer join with no arguments opens the join modal, and submitting it leads to the consent question", async () => {
    const sam = person("U0SAM", "Sam");
    const triggerId = "trigger-sam-1";
    const response = await h.slack.command(
      commandPayload(sam, "join", h.fake.responseUrl("sam-join"), { triggerId }),
    );
    expect(response.status).toBe(200);

    const opened = await waitFor(
      () => h.fake.callsTo("views.open").find((call) => call.args.trigger_id === triggerId),
      "views.open",
    );
    const view = opened.args.view as {
      callback_id: string;
      type: string;
      blocks: Array<Record<string, unknown>>;
    };
    expect(view.type).toBe("modal");
    expect(view.callback_id).toBe("join");
    expect(
      view.blocks.map((block) => [block.type, block.block_id, (block.element as Element).action_id]),
    ).toEqual([
      ["input", "region", "region"],
      ["input", "tz", "tz"],
      ["input", "days", "days"],
      ["input", "hours", "hours"],
      ["input", "solo", "solo"],
    ]);

    const submitted = await h.slack.interaction(
      viewSubmissionPayload(sam, "join", {
        region: "Pilbara",
        tz: "Australia/Perth",
        days: "mon-wed",
        hours: "09:00-15:00",
        solo: null,
      }),
    );
    expect(submitted.status).toBe(200);
    const consent = await waitFor(() => dmPosts(sam)[0], "the consent question in the DM");
    expect(String(consent.args.text)).toContain("Before I store anything");
    expect(buttonsOf(consent).map((button) => button.action_id)).toEqual(["join:consent", "join:decline"]);

    await press(sam, "join:consent", { channelId: `D${sam.userId}`, ephemeral: false });
    expect(await waitFor(() => h.members.get(sam.member), "the member to be stored")).toMatchObject({
      region: "Pilbara",
      timeZone: "Australia/Perth",
    });
  });

  it("answers /peer help privately: ephemeral at the response_url, nothing posted to the channel", async () => {
    const robin = person("U0ROBIN", "Robin");
    const reply = await command(robin, "help", "robin-help");

    expect(reply.args).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(reply.args.text)).toContain("What you can ask me");
    // Angle brackets are escaped so Slack shows them instead of reading a link or mention.
    expect(String(reply.args.text)).toContain("region:&lt;name&gt;");
    await h.adapter.idle();
    const visible = h.fake.calls.filter(
      (call) =>
        call.method.startsWith("chat.") &&
        ["C0GENERAL", `D${robin.userId}`].includes(String(call.args.channel)),
    );
    expect(visible).toEqual([]);
  });

  it("hands a DM to the core and replies in that DM, without opening a conversation", async () => {
    const kim = person("U0KIM", "Kim");
    const response = await h.slack.event(messageImEvent(kim, "hello there &lt;3"));
    expect(response.status).toBe(200);

    const reply = await waitFor(() => dmPosts(kim)[0], "the reply in the DM");
    expect(String(reply.args.text)).toContain("Hi, I'm the peer network bot");
    expect(h.fake.callsTo("conversations.open").filter((call) => call.args.users === kim.userId)).toEqual([]);
    expect(h.fake.callsTo("users.info").filter((call) => call.args.user === kim.userId)).toHaveLength(1);
  });

  it("ignores bot messages and message subtypes such as message_changed", async () => {
    const lee = person("U0LEE", "Lee");
    await h.slack.event(messageImEvent(lee, "edited", { extra: { subtype: "message_changed" } }));
    await h.slack.event(messageImEvent(lee, "from a bot", { extra: { bot_id: "B0OTHER" } }));
    await h.adapter.idle();
    expect(dmPosts(lee)).toEqual([]);
  });

  it("/peer export sends the member's data privately", async () => {
    const jo = person("U0JO", "Jo");
    await joinViaSlack(jo, "jo");
    const reply = await command(jo, "export", "jo-export");

    expect(reply.args.response_type).toBe("ephemeral");
    expect(String(reply.args.text)).toContain("Here is everything I store about you");
    expect(String(reply.args.text)).toContain(`"member": "${jo.member}"`);
    expect(String(reply.args.text)).toContain('"region": "Wide Bay"');
  });

  it("/peer forget asks to confirm with a danger button, and confirming deletes the member and their keys", async () => {
    const max = person("U0MAX", "Max");
    await joinViaSlack(max, "max");
    await h.slack.event(messageImEvent(max, "hi"));
    await waitFor(() => dmPosts(max).length >= 2, "the DM reply");
    expect((await h.testRedis.keys()).filter((key) => key.includes(max.member)).length).toBeGreaterThan(0);

    const reply = await command(max, "forget", "max-forget");
    expect(reply.args.response_type).toBe("ephemeral");
    expect(buttonsOf(reply)[0]).toMatchObject({ action_id: "forget:confirm", style: "danger" });

    await press(max, "forget:confirm");
    await waitFor(async () => (await h.members.get(max.member)) === null, "the member to be deleted");
    const done = await waitFor(
      () => dmPosts(max).find((call) => String(call.args.text).startsWith("Done")),
      "the confirmation in the DM",
    );
    expect(done).toBeDefined();
    await h.adapter.idle();
    expect((await h.testRedis.keys()).filter((key) => key.includes(max.member))).toEqual([]);
  });

  it("calls only Web API methods listed in the scope map, with the bot token", () => {
    const methods = new Set(h.fake.calls.map((call) => call.method).filter((m) => m !== "response_url"));
    expect([...methods].filter((method) => !(method in SCOPE_BY_METHOD))).toEqual([]);
    expect(h.fake.callsTo("auth.test")).toHaveLength(1);
    expect(h.fake.calls.filter((call) => call.method !== "response_url" && call.token !== BOT_TOKEN)).toEqual(
      [],
    );
  });

  it("never logs members' words, tokens or the signing secret", () => {
    const logged = JSON.stringify(h.logger.entries);
    expect(h.logger.entries.length).toBeGreaterThan(0);
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, "hello there", "Wide Bay", "Pilbara"]) {
      expect(logged).not.toContain(secret);
    }
  });
});
