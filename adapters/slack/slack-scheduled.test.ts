import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FakeSlackCall } from "../../test/fakes/fake-slack-api.js";
import { type SlackHarness, TEAM_ID, startSlackHarness, waitFor } from "../../test/helpers/slack-harness.js";
import { type SlackActor, blockActionsPayload, commandPayload } from "../../test/helpers/slack-requests.js";
import { ALWAYS_WORKING } from "../../test/helpers/test-app.js";
import { slackMemberId } from "./member-ids.js";

/**
 * Scheduled sends through Slack, end to end: the real scheduler (dispatcher and
 * the paced BullMQ outbound queue on real Redis) sending through the real
 * Slack adapter to a fake Slack Web API that can answer 429.
 */
let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-scheduled", { scheduler: true });
});
afterEach(() => h.adapter.idle());
afterAll(() => h.stop());

interface Person extends SlackActor {
  readonly member: string;
}

function person(userId: string, displayName: string): Person {
  h.fake.addUser({ id: userId, name: displayName.toLowerCase(), displayName });
  return { teamId: TEAM_ID, userId, member: slackMemberId(TEAM_ID, userId) };
}

type Element = { action_id?: string; value?: string };

function buttonsOf(call: FakeSlackCall): Element[] {
  const blocks = (call.args.blocks ?? []) as Array<{ type: string; elements?: Element[] }>;
  return blocks.find((block) => block.type === "actions")?.elements ?? [];
}

const isPrompt = (call: FakeSlackCall) =>
  buttonsOf(call).some((button) => button.action_id === "prompt:skip");

async function command(who: SlackActor, text: string, name: string): Promise<void> {
  const response = await h.slack.command(commandPayload(who, text, h.fake.responseUrl(name)));
  expect(response.status).toBe(200);
  await waitFor(
    () => h.fake.callsTo("response_url").some((call) => call.responseUrlName === name),
    `the reply to /peer ${text.split(" ")[0]}`,
  );
}

/** Joins through Slack with a working week that covers every hour, so anything due now may go. */
async function joinAlwaysWorking(who: Person): Promise<void> {
  await command(who, `join ${ALWAYS_WORKING}`, `${who.userId}-join`);
  const pressed = await h.slack.interaction(
    blockActionsPayload(who, { actionId: "join:consent" }, h.fake.responseUrl(`${who.userId}-consent`)),
  );
  expect(pressed.status).toBe(200);
  await waitFor(() => h.members.get(who.member), "the member to be stored");
  await waitFor(
    () => h.fake.callsTo("chat.postMessage").some((call) => call.args.channel === `D${who.userId}`),
    "the welcome in the DM",
  );
  // Only the prompt this test schedules is due: no weekly tip to arrive alongside it.
  await command(who, "set tips off", `${who.userId}-tips`);
  await h.adapter.idle();
}

describe("Slack scheduled sends, end to end with the scheduler", () => {
  it("delivers a due prompt through the paced queue once, after waiting out a 429's Retry-After, with no lookups", async () => {
    const scheduler = h.app.scheduler;
    const queue = scheduler?.queues.get("slack");
    if (!scheduler || !queue) throw new Error("the harness runs the scheduler with a Slack queue");
    const eve = person("U0EVE", "Eve");
    const dm = `D${eve.userId}`;
    await joinAlwaysWorking(eve);
    // The welcome opened the DM; its channel is kept in Redis, so a scheduled send needs no lookup.
    expect(await h.testRedis.redis.hget(h.keys.memberPart(eve.member, "cache"), "slackDm")).toBe(dm);

    const mark = h.fake.calls.length;
    h.fake.rateLimitNext("chat.postMessage", 1, 1);
    const due = Date.now();
    await h.app.stores.schedule.set(eve.member, "prompt", due);
    scheduler.dispatcher.poke();

    const delivered = await waitFor(
      () => h.fake.callsTo("chat.postMessage").find((call) => call.args.channel === dm && isPrompt(call)),
      "the scheduled prompt in the DM",
      8000,
    );
    await waitFor(async () => (await queue.pending()) === 0, "the queue to drain");
    await h.adapter.idle();

    // Slack saw the post refused once, then the same post accepted once, and nothing else:
    // no conversations.open and no users.info at send time.
    const since = h.fake.calls.slice(mark);
    expect(since.map((call) => [call.method, call.status, call.args.channel])).toEqual([
      ["chat.postMessage", 429, dm],
      ["chat.postMessage", 200, dm],
    ]);
    expect(since.filter((call) => ["conversations.open", "users.info"].includes(call.method))).toEqual([]);
    const [refused] = since;
    expect(refused?.args.text).toBe(delivered.args.text);
    expect(queue.rateLimited).toBe(1);
    expect(h.fake.callsTo("chat.postMessage").filter(isPrompt)).toHaveLength(1);

    // Held back for the second Slack asked for (a few ms allowed for timer granularity).
    expect(refused?.at).toBeGreaterThanOrEqual(due);
    expect(delivered.at - (refused?.at ?? 0)).toBeGreaterThanOrEqual(990);
    expect(delivered.at - due).toBeGreaterThanOrEqual(990);

    expect(String(delivered.args.text)).toContain("Hi Eve, here's a question for your week");
    expect(buttonsOf(delivered).map((button) => button.action_id)).toEqual([
      "prompt:form",
      "prompt:later",
      "prompt:skip",
    ]);
    // Delivered and finished: the question is open for the DM exchange, the next prompt planned.
    const questionId = buttonsOf(delivered)[0]?.value;
    expect(await h.app.stores.reflection.getOpen(eve.member)).toMatchObject({
      questionId,
      step: 0,
      askedAt: due,
    });
    expect(await h.app.stores.schedule.get(eve.member, "prompt")).toBeGreaterThan(Date.now());
  });
});
