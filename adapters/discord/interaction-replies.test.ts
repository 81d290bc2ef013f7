import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotError } from "../../src/errors.js";
import {
  type InboundEvent,
  type InboundHandler,
  type Responder,
  dmWith,
} from "../../src/platform/chat-platform.js";
import type { FakeUser } from "../../test/fakes/fake-discord.js";
import { type DiscordHarness, startDiscordHarness, waitFor } from "../../test/helpers/discord-harness.js";

/**
 * The acknowledgement rules with a scripted handler in place of the core, so
 * timing and order can be controlled: what the handler gets, and when.
 */
const received: Array<{ event: InboundEvent; responder: Responder }> = [];
/** The handler stays busy until the test lets it finish, like a slow core. */
let busy: Promise<void> = Promise.resolve();
const handler: InboundHandler = async (event, responder) => {
  received.push({ event, responder });
  await busy;
  if (event.kind === "command" && event.text === "tip") throw new Error("boom");
  if (event.kind === "command" && event.text === "export") {
    await responder.reply({
      text: `${"line of text\n".repeat(350)}the end`,
      buttons: [{ id: "a:b", label: "Ok" }],
    });
  }
};

let h: DiscordHarness;
beforeAll(async () => {
  h = await startDiscordHarness("discord-replies", { handler, formDeadlineMs: 100 });
});
afterAll(() => h.stop());

const receivedFrom = (user: FakeUser) =>
  waitFor(
    () => received.find((r) => r.event.member === `discord:${user.id}`),
    `an event from ${user.username}`,
  );

describe("Discord interaction responses", () => {
  it("holds a command open for a possible form, defers it at the deadline, and then refuses a form", async () => {
    const user = h.fake.user("ana");
    let finish = () => {};
    busy = new Promise((resolve) => {
      finish = resolve;
    });
    const join = h.fake.command(user, [{ name: "join", type: 1 }]);
    const { event, responder } = await receivedFrom(user);
    expect(event).toMatchObject({
      kind: "command",
      text: "join",
      member: `discord:${user.id}`,
      displayName: "Ana",
    });
    expect(responder.openForm).toBeTypeOf("function");
    // The handler has said nothing; at the deadline the adapter defers so Discord's 3 s are kept.
    expect(await h.callback(join)).toEqual({ type: 5, data: { flags: 64 } });
    await expect(
      responder.openForm?.({ id: "f", title: "T", submitLabel: "Go", fields: [{ id: "x", label: "X" }] }),
    ).rejects.toBeInstanceOf(BotError);
    await responder.reply({ text: "first" });
    await responder.reply({ text: "second" });
    expect(h.answers(join).map((a) => [a.via, a.message.content, a.message.flags])).toEqual([
      ["edit", "first", 64],
      ["followup", "second", 64],
    ]);
    finish();
  });

  it("defers a command when the handler first replies, and edits the deferral with the reply", async () => {
    const user = h.fake.user("ben");
    let finish = () => {};
    busy = new Promise((resolve) => {
      finish = resolve;
    });
    const join = h.fake.command(user, [
      { name: "join", type: 1, options: [{ name: "region", type: 3, value: "Pilbara" }] },
    ]);
    const { event, responder } = await receivedFrom(user);
    expect(event).toMatchObject({ text: "join region:Pilbara" });
    expect(responder.openForm).toBeTypeOf("function");
    await responder.reply({ text: "already joined" });
    expect(await h.callback(join)).toEqual({ type: 5, data: { flags: 64 } });
    expect(h.answers(join).map((a) => [a.via, a.message.content, a.message.flags])).toEqual([
      ["edit", "already joined", 64],
    ]);
    finish();
  });

  it("hands a button's value and its message to the handler, and a modal submission gets no form", async () => {
    const user = h.fake.user("cai");
    const member = `discord:${user.id}`;
    const posted = await h.adapter.post(dmWith(member), {
      text: "Pick",
      buttons: [{ id: "pick:one", label: "One", value: "q-42" }],
    });
    h.fake.press(user, "pick:one|q-42");
    const pressed = await receivedFrom(user);
    expect(pressed.event).toMatchObject({
      kind: "button",
      actionId: "pick:one",
      value: "q-42",
      conversation: dmWith(member),
      message: posted,
    });
    h.fake.submitModal(user, "diary", { what: "something" });
    const submitted = await waitFor(
      () => received.find((r) => r.event.member === member && r.event.kind === "form"),
      "the form",
    );
    expect(submitted.event).toMatchObject({ kind: "form", formId: "diary", values: { what: "something" } });
    // Submitted in the server (no modal was opened in her DM): the channel is the conversation.
    expect(submitted.event.conversation).toEqual({ kind: "channel", id: `discord:${h.fake.guildChannelId}` });
    expect(submitted.responder.openForm).toBeUndefined();
  });

  it("acknowledges quietly when the handler says nothing", async () => {
    const user = h.fake.user("dan");
    const silent = h.fake.command(user, [{ name: "profile", type: 1 }]);
    await waitFor(
      () => h.fake.callsTo("DELETE", `/webhooks/:app/${silent.token}/messages/@original`)[0],
      "the deferred reply to be removed",
    );
    expect(await h.callback(silent)).toEqual({ type: 5, data: { flags: 64 } });
    const press = h.fake.press(user, "pick:one|q-42");
    expect(await h.callback(press)).toEqual({ type: 6 });
  });

  it("splits a reply longer than Discord's 2000 characters, with the buttons on the last part", async () => {
    const user = h.fake.user("dee");
    const exported = h.fake.command(user, [{ name: "export", type: 1 }]);
    await waitFor(() => h.answers(exported).length === 3 || undefined, "three parts");
    const parts = h.answers(exported);
    expect(parts.map((p) => p.via)).toEqual(["edit", "followup", "followup"]);
    expect(parts.every((p) => String(p.message.content).length <= 2000)).toBe(true);
    expect(parts.map((p) => (p.message.components as unknown[]).length)).toEqual([0, 0, 1]);
    expect(String(parts[2]?.message.content)).toMatch(/the end$/);

    // The last part is ephemeral, editable only through its interaction: a press on it gives no message to edit.
    h.fake.press(user, "a:b");
    const pressed = await waitFor(
      () => received.find((r) => r.event.kind === "button" && r.event.member === `discord:${user.id}`),
      "the press on the ephemeral part",
    );
    expect(pressed.event).toMatchObject({ actionId: "a:b", conversation: { kind: "channel" } });
    expect(pressed.event).not.toHaveProperty("message");
  });

  it("keeps running after a handler throws", async () => {
    const user = h.fake.user("eve");
    h.fake.command(user, [{ name: "tip", type: 1 }]);
    await waitFor(
      () => received.find((r) => r.event.kind === "command" && r.event.text === "tip"),
      "the tip",
    );
    const help = h.fake.command(user, [{ name: "help", type: 1 }]);
    expect(await h.callback(help)).toEqual({ type: 5, data: { flags: 64 } });
  });
});
