import { DateTime } from "luxon";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ENTRY_SAVED, STEP_QUESTIONS } from "../../src/reflection/prompt-messages.js";
import { TIPS } from "../../src/reflection/question-bank.js";
import { QUESTION_SENT_TO_DM } from "../../src/reflection/reflection-commands.js";
import type { FakeSlackCall } from "../../test/fakes/fake-slack-api.js";
import { dumpRedis } from "../../test/helpers/redis-dump.js";
import { type SlackHarness, TEAM_ID, startSlackHarness, waitFor } from "../../test/helpers/slack-harness.js";
import {
  type SlackActor,
  blockActionsPayload,
  commandPayload,
  messageImEvent,
  viewSubmissionPayload,
} from "../../test/helpers/slack-requests.js";
import { VALID_JOIN } from "../../test/helpers/test-bot.js";
import { slackMemberId } from "./member-ids.js";
import { escapeSlackText, unescapeSlackText } from "./slack-text.js";

/**
 * Reflection through Slack, end to end: real Bolt over signed HTTP requests,
 * the real core on real Redis, and a fake Slack Web API on loopback.
 */
let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-reflection");
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

function repliesAt(name: string): FakeSlackCall[] {
  return h.fake.callsTo("response_url").filter((call) => call.responseUrlName === name);
}

function dmPosts(who: SlackActor): FakeSlackCall[] {
  return h.fake.callsTo("chat.postMessage").filter((call) => call.args.channel === `D${who.userId}`);
}

/** Messages anyone else could see: posted to the channel the command came from. */
function channelPosts(): FakeSlackCall[] {
  return h.fake.calls.filter((call) => call.method.startsWith("chat.") && call.args.channel === "C0GENERAL");
}

const textOf = (call: FakeSlackCall): string => unescapeSlackText(String(call.args.text));

type Element = { action_id?: string; style?: string; value?: string; text?: { text?: string } };

function buttonsOf(call: FakeSlackCall): Element[] {
  const blocks = (call.args.blocks ?? []) as Array<{ type: string; elements?: Element[] }>;
  return blocks.find((block) => block.type === "actions")?.elements ?? [];
}

/** `/peer <text>`, typed in #general, or in the member's DM with the bot. */
async function command(
  who: SlackActor,
  text: string,
  name: string,
  where: "channel" | "dm" = "channel",
): Promise<FakeSlackCall> {
  const channel =
    where === "dm"
      ? { channelId: `D${who.userId}`, channelName: "directmessage" }
      : { channelId: "C0GENERAL" };
  const response = await h.slack.command(commandPayload(who, text, h.fake.responseUrl(name), channel));
  expect(response.status).toBe(200);
  return waitFor(() => repliesAt(name)[0], `the reply to /peer ${text.split(" ")[0]}`);
}

/** Presses a button on the ephemeral prompt `/peer reflect` showed in the channel. */
async function press(
  who: SlackActor,
  actionId: string,
  options: { value?: string; triggerId?: string } = {},
): Promise<void> {
  const button = { actionId, ...(options.value !== undefined ? { value: options.value } : {}) };
  const response = await h.slack.interaction(
    blockActionsPayload(who, button, h.fake.responseUrl(`press-${actionId}`), {
      ...(options.triggerId ? { triggerId: options.triggerId } : {}),
    }),
  );
  expect(response.status).toBe(200);
}

/** The next message the bot posts in the member's DM after the `before` it had posted. */
function nextDm(who: SlackActor, before: number, what: string): Promise<FakeSlackCall> {
  return waitFor(() => dmPosts(who)[before], what);
}

async function joinViaSlack(who: Person, name: string): Promise<void> {
  await command(who, VALID_JOIN, `${name}-join`);
  await press(who, "join:consent");
  await waitFor(() => h.members.get(who.member), "the member to be stored");
  await waitFor(() => dmPosts(who)[0], "the welcome in the DM");
  await h.adapter.idle();
}

/** Every key under the test's prefix and every value stored there, as text. */
function storedText(): Promise<string[]> {
  return dumpRedis(h.testRedis.redis, `${h.testRedis.prefix}*`);
}

describe("Slack reflection, end to end with the real core", () => {
  it("/peer reflect asks privately; three DM answers are acknowledged step by step and saved encrypted", async () => {
    const ash = person("U0ASH", "Ash");
    await joinViaSlack(ash, "ash");
    const dmsBefore = dmPosts(ash).length;

    const prompt = await command(ash, "reflect", "ash-reflect", "dm");
    expect(prompt.args).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(textOf(prompt)).toContain("Here's a question to reflect on:");
    const open = await h.app.stores.reflection.getOpen(ash.member);
    expect(open).toMatchObject({ step: 0 });
    const questionId = open?.questionId ?? "";
    // Slack has forms, so the form button comes first; Not now and Skip are always there.
    expect(buttonsOf(prompt)).toEqual([
      {
        type: "button",
        action_id: "prompt:form",
        text: { type: "plain_text", text: "Write it in a form" },
        style: "primary",
        value: questionId,
      },
      {
        type: "button",
        action_id: "prompt:later",
        text: { type: "plain_text", text: "Not now" },
        value: questionId,
      },
      {
        type: "button",
        action_id: "prompt:skip",
        text: { type: "plain_text", text: "Skip this one" },
        value: questionId,
      },
    ]);
    await h.adapter.idle();
    // Private: only the response_url; nothing posted in the channel or the DM.
    expect(channelPosts()).toEqual([]);
    expect(dmPosts(ash)).toHaveLength(dmsBefore);

    const answers = {
      what: "Sat with a family after a hard phone call about their son",
      helped: "Slowing my breathing and naming what I felt out loud",
      why: "It reminded me to ask my team for a debrief sooner",
    };
    const acknowledgements: string[] = [];
    for (const [i, answer] of [answers.what, answers.helped, answers.why].entries()) {
      const response = await h.slack.event(messageImEvent(ash, answer));
      expect(response.status).toBe(200);
      acknowledgements.push(textOf(await nextDm(ash, dmsBefore + i, `the acknowledgement of step ${i + 1}`)));
    }
    expect(acknowledgements).toEqual([STEP_QUESTIONS[0], STEP_QUESTIONS[1], ENTRY_SAVED]);
    expect(acknowledgements[0]).toContain("What helped");
    expect(acknowledgements[1]).toContain("why did it matter");
    expect(acknowledgements[2]).toContain("saved in your journal");
    await h.adapter.idle();
    expect(dmPosts(ash)).toHaveLength(dmsBefore + 3);
    expect(await h.app.stores.reflection.getOpen(ash.member)).toBeNull();

    const entries = await h.app.stores.journal.list(ash.member);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.questionId).toBe(questionId);
    expect(entries[0]?.answers).toEqual(answers);
    expect(textOf(prompt)).toContain(`“${entries[0]?.question}”`);

    const stored = await storedText();
    const journalKey = h.keys.memberPart(ash.member, "journal");
    expect(stored).toContain(journalKey);
    const everything = stored.join("\n");
    for (const answer of Object.values(answers)) {
      expect(everything).not.toContain(answer);
      expect(everything).not.toContain(escapeSlackText(answer));
    }
  });

  it("/peer reflect typed in a channel sends the question to the DM, and says so privately", async () => {
    const eve = person("U0EVE", "Eve");
    await joinViaSlack(eve, "eve");
    const dmsBefore = dmPosts(eve).length;

    const pointer = await command(eve, "reflect", "eve-reflect");
    expect(pointer.args).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(textOf(pointer)).toBe(QUESTION_SENT_TO_DM);
    const question = await nextDm(eve, dmsBefore, "the question in the DM");
    expect(textOf(question)).toContain("Here's a question to reflect on:");
    expect(buttonsOf(question).map((button) => button.action_id)).toEqual([
      "prompt:form",
      "prompt:later",
      "prompt:skip",
    ]);
    await h.adapter.idle();
    expect(channelPosts()).toEqual([]);
  });

  it("Not now snoozes the open question to the next working day; Skip this one closes it", async () => {
    const bo = person("U0BO", "Bo");
    await joinViaSlack(bo, "bo");
    const prompt = await command(bo, "reflect", "bo-reflect", "dm");
    const questionId = buttonsOf(prompt).find((b) => b.action_id === "prompt:later")?.value;
    expect(questionId).toBeTruthy();
    expect(await h.app.stores.schedule.get(bo.member, "snooze")).toBeNull();
    const before = dmPosts(bo).length;

    await press(bo, "prompt:later", { value: questionId ?? "" });
    const snoozed = await nextDm(bo, before, "the reply to Not now");
    const snooze = await h.app.stores.schedule.get(bo.member, "snooze");
    expect(snooze).toBeGreaterThan(Date.now());
    const day = DateTime.fromMillis(snooze ?? 0, { zone: "Australia/Brisbane" });
    // Bo works Monday to Wednesday: the question comes back on one of those days, inside working hours.
    expect(["Monday", "Tuesday", "Wednesday"]).toContain(day.toFormat("cccc"));
    expect(day.hour).toBeGreaterThanOrEqual(9);
    expect(day.hour).toBeLessThan(15);
    expect(textOf(snoozed)).toContain(`No problem. I'll ask again on ${day.toFormat("cccc")}`);
    // Snoozing keeps the question open, so the snoozed slot can ask it again.
    expect(await h.app.stores.reflection.getOpen(bo.member)).toMatchObject({ questionId, step: 0 });

    await press(bo, "prompt:skip", { value: questionId ?? "" });
    const skipped = await nextDm(bo, before + 1, "the reply to Skip this one");
    expect(textOf(skipped)).toContain("Okay, skipping that one");
    expect(await h.app.stores.reflection.getOpen(bo.member)).toBeNull();

    // With the question closed, a DM is not taken as an answer.
    await h.slack.event(messageImEvent(bo, "Just a quick hello"));
    const hello = await nextDm(bo, before + 2, "the reply to a DM");
    expect(textOf(hello)).toContain("I don't have anything open with you right now");
    expect(await h.app.stores.journal.list(bo.member)).toEqual([]);
    await h.adapter.idle();
    expect(channelPosts()).toEqual([]);
  });

  it("the form button opens the diary modal, and submitting it saves the entry", async () => {
    const cy = person("U0CY", "Cy");
    await joinViaSlack(cy, "cy");
    const prompt = await command(cy, "reflect", "cy-reflect", "dm");
    const formButton = buttonsOf(prompt)[0];
    expect(formButton?.action_id).toBe("prompt:form");
    const questionId = formButton?.value ?? "";
    const before = dmPosts(cy).length;

    const triggerId = "trigger-cy-diary";
    await press(cy, "prompt:form", { value: questionId, triggerId });
    const opened = await waitFor(
      () => h.fake.callsTo("views.open").find((call) => call.args.trigger_id === triggerId),
      "views.open for the diary",
    );
    const view = opened.args.view as {
      type: string;
      callback_id: string;
      title: { text: string };
      blocks: Array<{ type: string; block_id: string; optional: boolean; hint?: { text: string } }>;
    };
    expect(view).toMatchObject({ type: "modal", callback_id: "diary", title: { text: "Reflective diary" } });
    expect(view.blocks.map((block) => [block.type, block.block_id, block.optional])).toEqual([
      ["input", "what", true],
      ["input", "helped", true],
      ["input", "why", true],
    ]);
    // The question being answered is shown on the first field.
    expect(textOf(prompt)).toContain(`“${view.blocks[0]?.hint?.text}”`);

    const answers = {
      what: "A long shift covering two teams at the drop-in centre",
      helped: "Stepping outside between visits for a few minutes",
    };
    const submitted = await h.slack.interaction(
      viewSubmissionPayload(cy, "diary", { what: answers.what, helped: answers.helped, why: null }),
    );
    expect(submitted.status).toBe(200);
    const saved = await nextDm(cy, before, "the confirmation in the DM");
    expect(textOf(saved)).toBe(ENTRY_SAVED);

    const entries = await h.app.stores.journal.list(cy.member);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.questionId).toBe(questionId);
    expect(entries[0]?.answers).toEqual(answers);
    expect(await h.app.stores.reflection.getOpen(cy.member)).toBeNull();
    const everything = (await storedText()).join("\n");
    for (const answer of Object.values(answers)) expect(everything).not.toContain(answer);
  });

  it("/peer tip replies privately with a self-care idea", async () => {
    const di = person("U0DI", "Di");
    await joinViaSlack(di, "di");
    const dmsBefore = dmPosts(di).length;

    const reply = await command(di, "tip", "di-tip");
    expect(reply.args).toMatchObject({ response_type: "ephemeral", replace_original: false });
    const text = textOf(reply);
    expect(text.startsWith("Here's a self-care idea:\n\n")).toBe(true);
    const tip = TIPS.find((candidate) => text === `Here's a self-care idea:\n\n${candidate.text}`);
    expect(tip).toBeDefined();
    expect(buttonsOf(reply)).toEqual([]);
    // Remembered, so the next tip is a different one.
    expect((await h.app.stores.reflection.load(di.member)).tipsSeen.has(tip?.id ?? "")).toBe(true);
    await h.adapter.idle();
    expect(channelPosts()).toEqual([]);
    expect(dmPosts(di)).toHaveLength(dmsBefore);
  });
});
