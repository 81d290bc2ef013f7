import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BotError, MemberUnreachableError, RateLimitedError } from "../../src/errors.js";
import {
  type ConversationRef,
  type InboundEvent,
  type Responder,
  dmWith,
} from "../../src/platform/chat-platform.js";
import type { FakeSlackCall } from "../../test/fakes/fake-slack-api.js";
import {
  type BareSlackAdapter,
  type SlackHarness,
  TEAM_ID,
  startBareSlackAdapter,
  startSlackHarness,
  waitFor,
} from "../../test/helpers/slack-harness.js";
import {
  blockActionsPayload,
  commandPayload,
  eventCallback,
  messageImEvent,
  viewSubmissionPayload,
} from "../../test/helpers/slack-requests.js";
import { slackMemberId } from "./member-ids.js";
import { unescapeSlackText } from "./slack-text.js";

/**
 * Group DMs, edits and where events happened, on Slack: the adapter alone
 * (each test says what the core does) against the fake Slack Web API.
 */
let s: BareSlackAdapter;
let events: InboundEvent[] = [];
let then: (event: InboundEvent, responder: Responder) => Promise<void> = async () => {};
beforeAll(async () => {
  s = await startBareSlackAdapter("slack-conversations", async (event, responder) => {
    events.push(event);
    await then(event, responder);
  });
});
afterEach(async () => {
  await s.adapter.idle();
  events = [];
  then = async () => {};
});
afterAll(() => s.stop());

function person(userId: string) {
  s.fake.addUser({ id: userId, name: userId.slice(1).toLowerCase(), displayName: userId });
  return { teamId: TEAM_ID, userId, member: slackMemberId(TEAM_ID, userId) };
}

function callsSince(mark: number, method?: string): FakeSlackCall[] {
  return s.fake.calls.slice(mark).filter((call) => method === undefined || call.method === method);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

async function settled(request: Promise<{ status: number }>): Promise<void> {
  expect((await request).status).toBe(200);
  await s.adapter.idle();
}

const groupChannel = (group: ConversationRef) => group.id.split(":")[2] ?? "";

describe("Slack group DMs", () => {
  it("opens a group DM with conversations.open and every member's user id, headed with the title", async () => {
    const [ana, ben, cat] = [person("U0ANA"), person("U0BEN"), person("U0CAT")];
    const mark = s.fake.calls.length;
    const group = await s.adapter.openGroup(
      [ana.member, ben.member, cat.member],
      "Peer circle: <Tuesdays> & more",
    );
    const channel = groupChannel(group);
    expect(group).toEqual({ kind: "group", id: `slack:${TEAM_ID}:${channel}` });
    expect(callsSince(mark).map((call) => [call.method, call.args.users ?? call.args.channel])).toEqual([
      ["conversations.open", "U0ANA,U0BEN,U0CAT"],
      ["chat.postMessage", channel],
    ]);
    const [title] = s.fake.messagesIn(channel);
    expect(title?.blocks).toEqual([
      { type: "header", text: { type: "plain_text", text: "Peer circle: <Tuesdays> & more" } },
    ]);
    expect(unescapeSlackText(title?.text ?? "")).toBe("Peer circle: <Tuesdays> & more");

    // The same members again: Slack gives the same group DM, headed anew.
    const again = await s.adapter.openGroup([cat.member, ana.member, ben.member], "Peer circle: Thursdays");
    expect(again).toEqual(group);
    expect(s.fake.messagesIn(channel).map((m) => m.text)).toEqual([
      "Peer circle: &lt;Tuesdays&gt; &amp; more",
      "Peer circle: Thursdays",
    ]);
  });

  it("refuses a group of one, or of members from different places, without calling Slack", async () => {
    const dee = person("U0DEE");
    const mark = s.fake.calls.length;
    for (const members of [
      [dee.member],
      [dee.member, dee.member],
      [dee.member, slackMemberId("T0OTHER", "U0EVE")],
      [dee.member, "discord:123456789"],
    ]) {
      const error = await rejection(s.adapter.openGroup(members, "Circle"));
      expect(error).toBeInstanceOf(BotError);
      expect(error).toMatchObject({ code: "PLATFORM_FAILED" });
    }
    expect(callsSince(mark)).toEqual([]);
  });

  it("turns Slack's refusals to open a group DM into the core's errors", async () => {
    const [fay, gus] = [person("U0FAY"), person("U0GUS")];
    const ghost = slackMemberId(TEAM_ID, "U0GHOST");
    expect(await rejection(s.adapter.openGroup([fay.member, ghost], "Circle"))).toBeInstanceOf(
      MemberUnreachableError,
    );
    s.fake.rateLimitNext("conversations.open", 1, 4);
    expect(await rejection(s.adapter.openGroup([fay.member, gus.member], "Circle"))).toMatchObject({
      retryAfterMs: 4000,
    });
    s.fake.rateLimitNext("chat.postMessage", 1, 5);
    const error = await rejection(s.adapter.openGroup([fay.member, gus.member], "Circle"));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 5000 });
  });

  it("hands members' own messages in a group DM to the core, and ignores bot messages, edits and channels", async () => {
    const [hal, ivy] = [person("U0HAL"), person("U0IVY")];
    const group = await s.adapter.openGroup([hal.member, ivy.member], "Circle");
    const channel = groupChannel(group);
    const say = (text: string, options: Parameters<typeof messageImEvent>[2]) =>
      settled(s.slack.event(messageImEvent(hal, text, options)));

    await say("see you &lt;3", { channel, channelType: "mpim" });
    await say("edited", { channel, channelType: "mpim", extra: { subtype: "message_changed" } });
    await say("from a bot", { channel, channelType: "mpim", extra: { bot_id: "B0OTHER" } });
    await say("in a channel", { channel: "C0GENERAL", channelType: "channel" });
    await say("in a private channel", { channel: "G0PRIVATE", channelType: "group" });

    expect(events).toEqual([
      expect.objectContaining({
        kind: "message",
        member: hal.member,
        text: "see you <3",
        conversation: group,
      }),
    ]);
  });

  it("answers a member's words in a group in their DM, never in the group", async () => {
    const [jo, kai] = [person("U0JO"), person("U0KAI")];
    const group = await s.adapter.openGroup([jo.member, kai.member], "Circle");
    const channel = groupChannel(group);
    then = (_event, responder) => responder.reply({ text: "Just for you" });
    const mark = s.fake.calls.length;
    await settled(s.slack.event(messageImEvent(kai, "rough week", { channel, channelType: "mpim" })));
    expect(callsSince(mark, "chat.postMessage").map((call) => [call.args.channel, call.args.text])).toEqual([
      ["DU0KAI", "Just for you"],
    ]);
  });

  it("gives a press on a group post the post's reference, and a press on an ephemeral none", async () => {
    const [lou, max] = [person("U0LOU"), person("U0MAX")];
    const group = await s.adapter.openGroup([lou.member, max.member], "Circle");
    const channel = groupChannel(group);
    const posted = await s.adapter.post(group, {
      text: "Who's coming?",
      buttons: [{ id: "rsvp:yes", label: "Me", value: "week-3" }],
    });
    const name = s.fake.conversation(channel)?.name ?? "";
    expect(name).toMatch(/^mpdm-/);
    const press = (ephemeral: boolean) =>
      settled(
        s.slack.interaction(
          blockActionsPayload(
            max,
            { actionId: "rsvp:yes", value: "week-3" },
            s.fake.responseUrl("max-press"),
            { channelId: channel, channelName: name, ephemeral, message: { ts: posted.id } },
          ),
        ),
      );
    await press(false);
    await press(true);
    expect(events).toEqual([
      expect.objectContaining({ kind: "button", member: max.member, conversation: group, message: posted }),
      expect.objectContaining({ kind: "button", member: max.member, conversation: group }),
    ]);
    expect(events[1]).not.toHaveProperty("message");
  });
});

describe("members' edits and deletions in a Slack group DM", () => {
  it("gives a member's message its reference, then delivers their edit and their deletion of it", async () => {
    const [ada, bo] = [person("U0ADA"), person("U0BO")];
    const group = await s.adapter.openGroup([ada.member, bo.member], "Circle");
    const channel = groupChannel(group);
    then = (event, responder) =>
      event.kind === "message-edited" ? responder.reply({ text: "Noted your edit" }) : Promise.resolve();

    const written = s.fake.personWrites("U0ADA", channel, "see you at 6 &amp; bring tea");
    await settled(s.slack.event(written.body));
    const message = { conversation: group, id: written.ts };
    const mark = s.fake.calls.length;
    await settled(s.slack.event(s.fake.personEdits("U0ADA", channel, written.ts, "see you at 7 &lt;3").body));
    expect(s.fake.writtenIn(channel).map((m) => [m.author, m.text, m.edits])).toEqual([
      ["U0ADA", "see you at 7 &lt;3", 1],
    ]);
    await settled(s.slack.event(s.fake.personDeletes("U0ADA", channel, written.ts).body));
    expect(s.fake.writtenIn(channel)).toEqual([]);

    expect(events.map(({ raw, displayName, timeZone, ...event }) => event)).toEqual([
      { kind: "message", member: ada.member, conversation: group, text: "see you at 6 & bring tea", message },
      { kind: "message-edited", member: ada.member, conversation: group, message, text: "see you at 7 <3" },
      { kind: "message-deleted", member: ada.member, conversation: group, message },
    ]);
    // An answer to an edit goes to its author's DM, never into the group.
    expect(callsSince(mark, "chat.postMessage").map((call) => [call.args.channel, call.args.text])).toEqual([
      ["DU0ADA", "Noted your edit"],
    ]);
    expect(s.fake.messagesIn(channel).map((m) => m.text)).toEqual(["Circle"]);
  });

  it("ignores changes to the bot's and other bots' messages, in DMs and channels, and ones that change nothing", async () => {
    const [cy, di] = [person("U0CY"), person("U0DI")];
    const group = await s.adapter.openGroup([cy.member, di.member], "Circle");
    const channel = groupChannel(group);
    const posted = await s.adapter.post(group, { text: "Welcome" });
    const deliver = (event: Record<string, unknown>) => settled(s.slack.event(eventCallback(TEAM_ID, event)));
    const ours = { type: "message", user: "U0BOT", bot_id: "B0BOT", text: "Welcome", ts: posted.id };
    const change = { type: "message", hidden: true, channel, channel_type: "mpim", ts: "1700000999.000001" };

    // The bot's own post, edited and deleted (Slack tells the app of both).
    await deliver({
      ...change,
      subtype: "message_changed",
      message: { ...ours, text: "Welcome all" },
      previous_message: ours,
    });
    await deliver({ ...change, subtype: "message_deleted", deleted_ts: posted.id, previous_message: ours });
    // Another bot's message.
    const theirs = {
      type: "message",
      user: "U0OTHERBOT",
      bot_id: "B0OTHER",
      text: "Beep",
      ts: "1700000998.1",
    };
    await deliver({
      ...change,
      subtype: "message_changed",
      message: { ...theirs, text: "Boop" },
      previous_message: theirs,
    });
    await deliver({ ...change, subtype: "message_deleted", deleted_ts: theirs.ts, previous_message: theirs });
    // A member's message, but a link preview added (same text), a reply also sent to the group
    // (never delivered), and a deletion that doesn't say whose message it was.
    const cys = { type: "message", user: "U0CY", text: "look https://example.org", ts: "1700000997.1" };
    await deliver({
      ...change,
      subtype: "message_changed",
      message: { ...cys, attachments: [{ title: "Example" }] },
      previous_message: cys,
    });
    const broadcast = { ...cys, subtype: "thread_broadcast", thread_ts: "1700000990.1" };
    await deliver({
      ...change,
      subtype: "message_changed",
      message: { ...broadcast, text: "look again" },
      previous_message: broadcast,
    });
    await deliver({ ...change, subtype: "message_deleted", deleted_ts: cys.ts });
    // A member's own message in a channel.
    await deliver({
      ...change,
      channel: "C0GENERAL",
      channel_type: "channel",
      subtype: "message_changed",
      message: { ...cys, text: "changed" },
      previous_message: cys,
    });
    // And in their DM with the bot: the message is delivered, its edit and deletion are not.
    const im = s.fake.imChannel("U0DI");
    const written = s.fake.personWrites("U0DI", im, "hello");
    await settled(s.slack.event(written.body));
    await settled(s.slack.event(s.fake.personEdits("U0DI", im, written.ts, "hello again").body));
    await settled(s.slack.event(s.fake.personDeletes("U0DI", im, written.ts).body));

    expect(events).toEqual([
      expect.objectContaining({
        kind: "message",
        member: di.member,
        conversation: dmWith(di.member),
        text: "hello",
        message: { conversation: dmWith(di.member), id: written.ts },
      }),
    ]);
  });

  it("takes a deleted message that had replies (Slack leaves a tombstone) as its deletion", async () => {
    const [ed, flo] = [person("U0ED"), person("U0FLO")];
    const group = await s.adapter.openGroup([ed.member, flo.member], "Circle");
    const channel = groupChannel(group);
    const written = s.fake.personWrites("U0FLO", channel, "anyone around Friday?");
    await settled(s.slack.event(written.body));
    await settled(
      s.slack.event(
        eventCallback(TEAM_ID, {
          type: "message",
          subtype: "message_changed",
          hidden: true,
          channel,
          channel_type: "mpim",
          ts: "1700000999.000002",
          message: {
            type: "message",
            subtype: "tombstone",
            user: "USLACKBOT",
            text: "This message was deleted.",
            ts: written.ts,
            thread_ts: written.ts,
            reply_count: 1,
          },
          previous_message: { type: "message", user: "U0FLO", text: "anyone around Friday?", ts: written.ts },
        }),
      ),
    );
    expect(
      events.map((event) => [event.kind, event.member, "message" in event ? event.message : undefined]),
    ).toEqual([
      ["message", flo.member, { conversation: group, id: written.ts }],
      ["message-deleted", flo.member, { conversation: group, id: written.ts }],
    ]);
  });
});

describe("Slack deletions", () => {
  it("deletes its own post with chat.delete, and takes a post already gone quietly", async () => {
    const [gil, hana] = [person("U0GIL"), person("U0HANA")];
    const group = await s.adapter.openGroup([gil.member, hana.member], "Circle");
    const channel = groupChannel(group);
    const posted = await s.adapter.post(group, { text: "Meeting moved" });
    const mark = s.fake.calls.length;
    await s.adapter.delete(posted);
    await s.adapter.delete(posted);
    expect(callsSince(mark).map((call) => [call.method, call.args.channel, call.args.ts])).toEqual([
      ["chat.delete", channel, posted.id],
      ["chat.delete", channel, posted.id],
    ]);
    expect(s.fake.messagesIn(channel).map((m) => m.text)).toEqual(["Circle"]);

    const dm = await s.adapter.post(dmWith(gil.member), { text: "Just for you" });
    await s.adapter.delete(dm);
    expect(s.fake.seenPrivatelyBy("U0GIL")).toEqual([]);
  });

  it("turns Slack's refusals to delete into the core's errors", async () => {
    const [ivo, jan] = [person("U0IVO"), person("U0JAN")];
    const ref = await s.adapter.post(dmWith(ivo.member), { text: "One" });
    s.fake.rateLimitNext("chat.delete", 1, 7);
    const limited = await rejection(s.adapter.delete(ref));
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited).toMatchObject({ retryAfterMs: 7000 });
    s.fake.failNext("chat.delete", "is_archived");
    expect(await rejection(s.adapter.delete(ref))).toBeInstanceOf(MemberUnreachableError);

    // A member's message is not the bot's to delete.
    const group = await s.adapter.openGroup([ivo.member, jan.member], "Circle");
    const written = s.fake.personWrites("U0JAN", groupChannel(group), "mine");
    expect(await rejection(s.adapter.delete({ conversation: group, id: written.ts }))).toMatchObject({
      code: "PLATFORM_FAILED",
      message: "slack chat.delete failed: cant_delete_message",
    });
    expect(s.fake.writtenIn(groupChannel(group)).map((m) => m.text)).toEqual(["mine"]);
    expect(s.fake.seenPrivatelyBy("U0IVO").map((m) => m.text)).toEqual(["One"]);
  });
});

describe("Slack edits", () => {
  it("edits with chat.update, replacing the buttons (or removing them) and keeping the reference", async () => {
    const ned = person("U0NED");
    const ref = await s.adapter.post(dmWith(ned.member), {
      text: "Shall we?",
      buttons: [{ id: "x:yes", label: "Yes" }],
    });
    const mark = s.fake.calls.length;
    await s.adapter.edit(ref, { text: "Now <b>", buttons: [{ id: "x:no", label: "No", style: "danger" }] });
    await s.adapter.edit(ref, { text: "Done" });
    const updates = callsSince(mark);
    expect(updates.map((call) => [call.method, call.args.channel, call.args.ts, call.args.text])).toEqual([
      ["chat.update", "DU0NED", ref.id, "Now &lt;b&gt;"],
      ["chat.update", "DU0NED", ref.id, "Done"],
    ]);
    expect((updates[0]?.args.blocks as Array<{ type: string }>).map((block) => block.type)).toEqual([
      "section",
      "actions",
    ]);
    expect(updates[1]?.args.blocks).toEqual([{ type: "section", text: { type: "mrkdwn", text: "Done" } }]);
    expect(s.fake.seenPrivatelyBy("U0NED").map((m) => [m.ts, m.text, m.edits])).toEqual([
      [ref.id, "Done", 2],
    ]);
  });

  it("turns Slack's refusals to edit into the core's errors", async () => {
    const ola = person("U0OLA");
    const ref = await s.adapter.post(dmWith(ola.member), { text: "One" });
    s.fake.rateLimitNext("chat.update", 1, 6);
    expect(await rejection(s.adapter.edit(ref, { text: "Two" }))).toMatchObject({ retryAfterMs: 6000 });
    s.fake.failNext("chat.update", "is_archived");
    expect(await rejection(s.adapter.edit(ref, { text: "Two" }))).toBeInstanceOf(MemberUnreachableError);
    const gone = await rejection(s.adapter.edit({ ...ref, id: "1700000000.999999" }, { text: "Two" }));
    expect(gone).toMatchObject({
      code: "PLATFORM_FAILED",
      message: "slack chat.update failed: message_not_found",
    });
  });
});

describe("where a Slack event happened", () => {
  it("a command: the member's DM, a group DM, or the channel it was typed in", async () => {
    const pia = person("U0PIA");
    const quin = person("U0QUIN");
    const group = await s.adapter.openGroup([pia.member, quin.member], "Circle");
    const channel = groupChannel(group);
    const mpdm = s.fake.conversation(channel)?.name ?? "";
    const url = s.fake.responseUrl("pia-command");
    for (const where of [
      { channelId: "DU0PIA", channelName: "directmessage" },
      { channelId: channel, channelName: mpdm },
      { channelId: "C0GENERAL", channelName: "general" },
    ]) {
      await settled(s.slack.command(commandPayload(pia, "help", url, where)));
    }
    expect(events.map((event) => event.conversation)).toEqual([
      dmWith(pia.member),
      group,
      { kind: "channel", id: `slack:${TEAM_ID}:C0GENERAL` },
    ]);
  });

  it("a form: where the button that opened it was", async () => {
    const ray = person("U0RAY");
    const sue = person("U0SUE");
    const group = await s.adapter.openGroup([ray.member, sue.member], "Circle");
    const channel = groupChannel(group);
    then = async (event, responder) => {
      if (event.kind === "button") {
        await responder.openForm?.({ id: "notes", title: "Notes", submitLabel: "Save", fields: [] });
      }
    };
    const trigger = s.fake.trigger("U0RAY");
    const posted = await s.adapter.post(group, { text: "Notes?", buttons: [{ id: "n:open", label: "Add" }] });
    await settled(
      s.slack.interaction(
        blockActionsPayload(ray, { actionId: "n:open" }, s.fake.responseUrl("ray-press"), {
          channelId: channel,
          channelName: s.fake.conversation(channel)?.name ?? "",
          ephemeral: false,
          triggerId: trigger,
          message: { ts: posted.id },
        }),
      ),
    );
    const view = await waitFor(() => s.fake.openViewFor("U0RAY"), "the modal");
    const metadata = String((view.view as { private_metadata?: unknown }).private_metadata);
    await settled(
      s.slack.interaction(
        viewSubmissionPayload(ray, "notes", {}, { viewId: view.id, privateMetadata: metadata }),
      ),
    );
    // Without metadata of ours (a forged or foreign one), the member's DM.
    await settled(
      s.slack.interaction(
        viewSubmissionPayload(ray, "notes", {}, { privateMetadata: '{"kind":"group","id":"discord:1"}' }),
      ),
    );
    expect(events.map((event) => [event.kind, event.conversation])).toEqual([
      ["button", group],
      ["form", group],
      ["form", dmWith(ray.member)],
    ]);
  });
});

describe("a group DM with the real core", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness("slack-group-core");
  });
  afterAll(() => h.stop());

  it("answers a risk message written in a group DM in the member's own DM, with nothing in the group", async () => {
    for (const [id, name] of [
      ["U0TUI", "tui"],
      ["U0UMA", "uma"],
    ] as const) {
      h.fake.addUser({ id, name, displayName: name, tz: "Pacific/Auckland" });
    }
    const tui = { teamId: TEAM_ID, userId: "U0TUI" };
    const group = await h.adapter.openGroup(
      [slackMemberId(TEAM_ID, "U0TUI"), slackMemberId(TEAM_ID, "U0UMA")],
      "Peer circle",
    );
    const channel = groupChannel(group);
    await h.slack.event(messageImEvent(tui, "I want to end my life", { channel, channelType: "mpim" }));
    await h.adapter.idle();
    const crisis = await waitFor(
      () => h.fake.callsTo("chat.postMessage").find((call) => call.args.channel === "DU0TUI"),
      "the crisis reply in Tui's DM",
    );
    expect(unescapeSlackText(String(crisis.args.text))).toContain("1737");
    expect(h.fake.messagesIn(channel).map((m) => m.text)).toEqual(["Peer circle"]);
    expect(h.fake.seenPrivatelyBy("U0UMA")).toEqual([]);
  });
});
