import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { type InboundEvent, type InboundHandler, dmWith } from "../../src/platform/chat-platform.js";
import { type LocalAdapter, createLocalAdapter } from "./local-adapter.js";

/** A started chat: post to it first if the test needs to, then `type` the lines and read what it printed. */
async function chat(handler: InboundHandler = async () => {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk) => {
    printed += chunk.toString();
  });
  const events: InboundEvent[] = [];
  const adapter: LocalAdapter = createLocalAdapter({ input, output });
  await adapter.start(async (event, responder) => {
    events.push(event);
    await handler(event, responder);
  });
  return {
    adapter,
    events,
    printed: () => printed,
    /** Types the lines, ends the input and resolves once all are handled. */
    async type(...lines: string[]): Promise<string> {
      const from = printed.length;
      input.end(`${lines.join("\n")}\n`);
      await adapter.done;
      return printed.slice(from);
    },
  };
}

const EDIT_USAGE = "Usage: /edit <message-id> <new text> — e.g. /edit 14 Thursday works too";
const DELETE_USAGE = "Usage: /delete <message-id> — e.g. /delete 14";
const failed = { name: "BotError", code: "PLATFORM_FAILED" };

describe("a member's own messages in a room", () => {
  it("/edit <message-id> <new text> prints the edited version and delivers message-edited with its reference", async () => {
    const c = await chat();
    const room = await c.adapter.openGroup(["local:alex", "local:sam"], "Circle");
    const printed = await c.type("/in circle Thursday might  work too", "/edit #1 Thursday works  too");
    const ref = { conversation: room, id: "1" };
    expect(printed).toBe(
      "alex → #circle (#1): Thursday might  work too\nalex → #circle (edited #1): Thursday works  too\n",
    );
    expect(c.events).toEqual([
      {
        kind: "message",
        member: "local:alex",
        conversation: room,
        displayName: "alex",
        text: "Thursday might  work too",
        message: ref,
      },
      {
        kind: "message-edited",
        member: "local:alex",
        conversation: room,
        displayName: "alex",
        text: "Thursday works  too",
        message: ref,
      },
    ]);
  });

  it("numbers members' messages and the bot's posts from one counter", async () => {
    const c = await chat(async (event, responder) => responder.reply({ text: `noted ${event.kind}` }));
    const room = await c.adapter.openGroup(["local:alex"], "Circle");
    const printed = await c.type("/in circle first", "/in circle second");
    expect(await c.adapter.post(room, { text: "a post" })).toEqual({ conversation: room, id: "5" });
    expect(printed).toBe(
      [
        "alex → #circle (#1): first",
        "bot → alex (#2): noted message",
        "alex → #circle (#3): second",
        "bot → alex (#4): noted message",
        "",
      ].join("\n"),
    );
  });

  it("/delete <message-id> prints that it was deleted, delivers message-deleted, and then it is gone", async () => {
    const c = await chat();
    const room = await c.adapter.openGroup(["local:alex", "local:sam"], "Circle");
    const printed = await c.type("/in circle see you there", "/delete 1", "/edit 1 changed", "/delete #1");
    expect(printed.split("\n").slice(0, -1)).toEqual([
      "alex → #circle (#1): see you there",
      "alex deleted #1 in #circle",
      "Message #1 was deleted; there's nothing to edit.",
      "Message #1 was deleted; there's nothing to delete.",
    ]);
    expect(c.events.map((e) => e.kind)).toEqual(["message", "message-deleted"]);
    expect(c.events[1]).toEqual({
      kind: "message-deleted",
      member: "local:alex",
      conversation: room,
      displayName: "alex",
      message: { conversation: room, id: "1" },
    });
  });

  it("refuses /edit and /delete without an id or text, for an unknown message, or one that isn't yours", async () => {
    const c = await chat();
    const room = await c.adapter.openGroup(["local:alex", "local:sam"], "Circle");
    await c.adapter.post(room, { text: "Who can come?" }); // #1
    await c.adapter.post(dmWith("local:alex"), { text: "Hello" }); // #2
    const printed = await c.type(
      "/as sam",
      "/in circle my words", // #3
      "/as alex",
      "/edit",
      "/edit 3",
      "/edit #3",
      "/delete",
      "/delete 3 please",
      "/edit 9 hello",
      "/delete 9",
      "/edit 3 your words",
      "/delete 3",
      "/edit 1 Everyone can come",
      "/delete 1",
      "/edit 2 Goodbye",
      "/delete 2",
      "/in circle mine", // #4
      "/edit 4 mine",
    );
    expect(printed.split("\n").slice(3, -1)).toEqual([
      `Which message, and what should it say now? ${EDIT_USAGE}`,
      `What should message #3 say now? ${EDIT_USAGE}`,
      `What should message #3 say now? ${EDIT_USAGE}`,
      `Which message? ${DELETE_USAGE}`,
      `Just the message's number, nothing after it. ${DELETE_USAGE}`,
      `There's no message #9. ${EDIT_USAGE}`,
      `There's no message #9. ${DELETE_USAGE}`,
      "Message #3 is sam's, not yours (alex); you can only edit your own messages.",
      "Message #3 is sam's, not yours (alex); you can only delete your own messages.",
      "Message #1 is the bot's; you can only edit your own messages in a room.",
      "Message #1 is the bot's; you can only delete your own messages in a room.",
      "Message #2 is the bot's, in a DM; you can only edit your own messages in a room (written with /in <room> <text>).",
      "Message #2 is the bot's, in a DM; you can only delete your own messages in a room (written with /in <room> <text>).",
      "alex → #circle (#4): mine",
      "Message #4 already says that; nothing changed.",
    ]);
    expect(c.events.map((e) => e.kind)).toEqual(["message", "message"]);
  });

  it("a /peer command in a room has no number and can't be edited", async () => {
    const c = await chat();
    await c.adapter.openGroup(["local:alex"], "Circle");
    const printed = await c.type("/in circle /peer help", "/edit 1 /peer join");
    expect(printed).toBe(`There's no message #1. ${EDIT_USAGE}\n`);
    expect(c.events.map((e) => e.kind)).toEqual(["command"]);
  });

  it("the bot can neither edit nor delete a member's message", async () => {
    const c = await chat();
    const room = await c.adapter.openGroup(["local:alex"], "Circle");
    await c.type("/in circle my words");
    const before = c.printed();
    const theirs = { conversation: room, id: "1" };
    await expect(c.adapter.edit(theirs, { text: "other words" })).rejects.toMatchObject(failed);
    await expect(c.adapter.delete(theirs)).rejects.toMatchObject(failed);
    expect(before).toContain("alex → #circle (#1): my words\n");
    expect(c.printed()).toBe(before);
  });

  it("says what /edit and /delete do when an unknown command is typed", async () => {
    const c = await chat();
    const printed = await c.type("/remove 3");
    expect(printed).toContain(
      "/edit <message-id> <new text> or /delete <message-id> changes or removes your own message there",
    );
  });
});

describe("the bot deleting its own posts", () => {
  it("prints that it deleted a room post or a DM, and the deleted message's buttons can't be pressed", async () => {
    const c = await chat();
    const room = await c.adapter.openGroup(["local:alex", "local:sam"], "Circle");
    const post = await c.adapter.post(room, { text: "Who?", buttons: [{ id: "rsvp", label: "I can come" }] });
    const dm = await c.adapter.post(dmWith("local:alex"), {
      text: "Shall we?",
      buttons: [{ id: "yes", label: "Yes" }],
    });
    await c.adapter.delete(post);
    await c.adapter.delete(dm);
    expect(c.printed()).toContain("bot deleted #1 in #circle\nbot deleted #2 in alex's DM\n");
    const printed = await c.type("/press 1 1", "/press 2 Yes", "Yes");
    expect(printed.split("\n").slice(0, 2)).toEqual([
      "Message #1 was deleted, so its buttons can't be pressed.",
      "Message #2 was deleted, so its buttons can't be pressed.",
    ]);
    // With the last message to alex gone, "Yes" is just a message.
    expect(c.events.map((e) => e.kind)).toEqual(["message"]);
  });

  it("resolves quietly for a message already deleted, never printed, or not where the reference says", async () => {
    const c = await chat();
    const room = await c.adapter.openGroup(["local:alex"], "Circle");
    const post = await c.adapter.post(room, { text: "Who?" });
    await c.adapter.delete(post);
    const before = c.printed();
    await c.adapter.delete(post);
    await c.adapter.delete({ conversation: room, id: "99" });
    await c.adapter.delete({ conversation: { kind: "group", id: "local:nowhere" }, id: "1" });
    const dm = await c.adapter.post(dmWith("local:alex"), { text: "hi" });
    await c.adapter.delete({ ...dm, conversation: dmWith("local:sam") });
    expect(c.printed()).toBe(`${before}bot → alex (#2): hi\n`);
  });

  it("a deleted post can't be edited", async () => {
    const c = await chat();
    const post = await c.adapter.post(dmWith("local:alex"), { text: "hi" });
    await c.adapter.delete(post);
    await expect(c.adapter.edit(post, { text: "hello" })).rejects.toMatchObject(failed);
    expect(c.printed()).not.toContain("edited");
  });
});
