import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { BotError, MemberUnreachableError } from "../../src/errors.js";
import { type InboundEvent, type InboundHandler, dmWith } from "../../src/platform/chat-platform.js";
import type { TimeTravel } from "../../src/time/clock.js";
import { type LocalAdapter, type LocalAdapterConfig, createLocalAdapter } from "./local-adapter.js";

/** A started chat: post to it first if the test needs to, then `type` the lines and read what it printed. */
async function chat(
  handler: InboundHandler = async () => {},
  config: Partial<Omit<LocalAdapterConfig, "input" | "output">> = {},
) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk) => {
    printed += chunk.toString();
  });
  const events: InboundEvent[] = [];
  const adapter: LocalAdapter = createLocalAdapter({ input, output, ...config });
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

/** A bot clock the test moves; each advance can deliver something "due" on the way. */
function fakeTimeTravel(onAdvance: (ms: number) => Promise<void> = async () => {}) {
  let now = new Date("2026-11-23T00:00:00Z");
  const advances: number[] = [];
  const travel: TimeTravel = {
    now: () => new Date(now),
    advance: async (ms) => {
      advances.push(ms);
      await onAdvance(ms);
      now = new Date(now.getTime() + ms);
    },
  };
  return { travel, advances };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("local chat rooms", () => {
  it("opens a room named after its title, unique, and prints who is in it", async () => {
    const c = await chat();
    const first = await c.adapter.openGroup(
      ["local:alex", "local:sam", "local:kim"],
      "Peer circle: Tuesdays",
    );
    const second = await c.adapter.openGroup(["local:alex", "local:sam"], "Peer circle — Tuesdays!");
    const untitled = await c.adapter.openGroup(["local:kim"], "  ✿  ");
    expect(first).toEqual({ kind: "group", id: "local:peer-circle-tuesdays" });
    expect(second).toEqual({ kind: "group", id: "local:peer-circle-tuesdays-2" });
    expect(untitled).toEqual({ kind: "group", id: "local:room" });
    expect(c.printed()).toBe(
      [
        'Room "peer-circle-tuesdays" (Peer circle: Tuesdays) opened for alex, sam, kim',
        'Room "peer-circle-tuesdays-2" (Peer circle — Tuesdays!) opened for alex, sam',
        'Room "room" (✿) opened for kim',
        "",
      ].join("\n"),
    );
  });

  it("prints posts and edits with the room's name and the message's number", async () => {
    const c = await chat();
    const room = await c.adapter.openGroup(["local:alex", "local:sam"], "Circle");
    const ref = await c.adapter.post(room, {
      text: "Who can come?\n0 so far",
      buttons: [{ id: "rsvp", label: "I can come" }],
    });
    await c.adapter.edit(ref, { text: "Who can come? 1 so far" });
    expect(ref).toEqual({ conversation: room, id: "1" });
    expect(c.printed()).toContain(
      "bot → #circle (#1): Who can come?\n  0 so far\n  [1] I can come\nbot → #circle (edited #1): Who can come? 1 so far\n",
    );
  });

  it("/in <room> <text> is a numbered message (or a /peer command) in the room, answered privately", async () => {
    const c = await chat(async (event, responder) => responder.reply({ text: `noted, ${event.kind}` }));
    const room = await c.adapter.openGroup(["local:alex", "local:sam"], "Circle");
    const printed = await c.type("/in Circle Tuesday works for me", "/as sam", "/in #circle /peer help");
    expect(c.events).toEqual([
      {
        kind: "message",
        member: "local:alex",
        conversation: room,
        displayName: "alex",
        text: "Tuesday works for me",
        message: { conversation: room, id: "1" },
      },
      { kind: "command", member: "local:sam", conversation: room, displayName: "sam", text: "help" },
    ]);
    expect(printed).toContain("alex → #circle (#1): Tuesday works for me\nbot → alex (#2): noted, message");
    expect(printed).toContain("bot → sam (#3): noted, command");
    expect(printed).not.toContain("bot → #circle");
    expect(printed).not.toContain("sam → #circle");
  });

  it("refuses /in without a room or text, for a room that doesn't exist, or one you aren't in", async () => {
    const c = await chat();
    await c.adapter.openGroup(["local:alex", "local:sam"], "Circle");
    const printed = await c.type("/in", "/in circle", "/in nowhere hello", "/as kim", "/in circle hello");
    expect(c.events).toEqual([]);
    const lines = printed.split("\n");
    expect(lines[0]).toBe(
      "Which room, and what to say? Usage: /in <room> <text> — e.g. /in peer-circle-tuesdays Tuesday works for me",
    );
    expect(lines[1]).toMatch(/^What do you want to say there\? Usage: \/in <room> <text>/);
    expect(lines[2]).toMatch(/^There's no room "nowhere"\. Your rooms: circle\. Usage: \/in <room> <text>/);
    expect(lines[4]).toMatch(
      /^You \(kim\) aren't in room "circle"\. You aren't in any rooms yet\. Usage: \/in <room> <text>/,
    );
  });
});

describe("pressing buttons", () => {
  const yesNo = {
    text: "Shall we?",
    buttons: [
      { id: "q:yes", label: "Yes", value: "q-17" },
      { id: "q:no", label: "Not now" },
    ],
  };

  it("a number or label presses a button on the last message to you, with that message's reference", async () => {
    const c = await chat();
    const ref = await c.adapter.post(dmWith("local:alex"), yesNo);
    await c.type("not now", "not now");
    expect(c.events).toEqual([
      {
        kind: "button",
        member: "local:alex",
        conversation: dmWith("local:alex"),
        displayName: "alex",
        actionId: "q:no",
        message: ref,
      },
      {
        kind: "message",
        member: "local:alex",
        conversation: dmWith("local:alex"),
        displayName: "alex",
        text: "not now",
      },
    ]);
  });

  it("/press <message-id> <number|label> presses a button on an earlier message, as often as you like", async () => {
    const c = await chat();
    const earlier = await c.adapter.post(dmWith("local:alex"), yesNo);
    const later = await c.adapter.post(dmWith("local:alex"), {
      text: "Other",
      buttons: [{ id: "o", label: "Ok" }],
    });
    await c.type("/press 1 2", "/press #1 yes", "1");
    expect(c.events.map((e) => e.kind === "button" && [e.actionId, e.value, e.message?.id])).toEqual([
      ["q:no", undefined, earlier.id],
      ["q:yes", "q-17", earlier.id],
      ["o", undefined, later.id],
    ]);
  });

  it("/press on the last message to you counts as pressing it, so a later number is a message", async () => {
    const c = await chat();
    await c.adapter.post(dmWith("local:alex"), yesNo);
    await c.type("/press 1 1", "1");
    expect(c.events.map((e) => e.kind)).toEqual(["button", "message"]);
  });

  it("/press presses a room post's button for a member of the room, with the room as the conversation", async () => {
    const c = await chat();
    const room = await c.adapter.openGroup(["local:alex", "local:sam"], "Circle");
    const post = await c.adapter.post(room, { text: "Who?", buttons: [{ id: "rsvp", label: "I can come" }] });
    await c.type("1", "/as sam", "/press 1 I can come");
    expect(c.events).toEqual([
      {
        kind: "message",
        member: "local:alex",
        conversation: dmWith("local:alex"),
        displayName: "alex",
        text: "1",
      },
      {
        kind: "button",
        member: "local:sam",
        conversation: room,
        displayName: "sam",
        actionId: "rsvp",
        message: post,
      },
    ]);
  });

  it("after an edit, presses see the new buttons; an edit without buttons leaves nothing to press", async () => {
    const c = await chat();
    const ref = await c.adapter.post(dmWith("local:alex"), yesNo);
    await c.adapter.edit(ref, { text: "Changed", buttons: [{ id: "new", label: "Sounds good" }] });
    const other = await c.adapter.post(dmWith("local:alex"), yesNo);
    await c.adapter.edit(other, { text: "No more buttons" });
    const printed = await c.type("/press 1 1", "/press 1 Yes", "/press 2 1", "1");
    expect(printed).toContain('Message #1 has no button "Yes"; its buttons are [1] Sounds good.');
    expect(printed).toContain("Message #2 has no buttons.");
    expect(c.events.map((e) => (e.kind === "button" ? e.actionId : e.kind))).toEqual(["new", "message"]);
    expect(c.printed()).toContain("bot → alex (edited #1): Changed\n  [1] Sounds good\n");
  });

  it("refuses /press without a message and button, for an unknown message, or one not sent to you", async () => {
    const c = await chat();
    const room = await c.adapter.openGroup(["local:sam"], "Circle");
    await c.adapter.post(room, { text: "Who?", buttons: [{ id: "rsvp", label: "I can come" }] });
    await c.adapter.post(dmWith("local:sam"), yesNo);
    const printed = await c.type("/press", "/press 1", "/press 9 1", "/press 1 1", "/press 2 Yes");
    expect(c.events).toEqual([]);
    expect(printed.split("\n").slice(0, -1)).toEqual([
      "Which message, and which button? Usage: /press <message-id> <number|label> — e.g. /press 12 1, or /press 12 Yes",
      "Which button? Usage: /press <message-id> <number|label> — e.g. /press 12 1, or /press 12 Yes",
      "There's no message #9. Usage: /press <message-id> <number|label> — e.g. /press 12 1, or /press 12 Yes",
      "Message #1 wasn't sent to you (alex), so you can't press its buttons.",
      "Message #2 wasn't sent to you (alex), so you can't press its buttons.",
    ]);
  });
});

describe("/clock", () => {
  it("says time travel is only in the local demo when the chat wasn't given any", async () => {
    const c = await chat();
    const printed = await c.type("/clock", "/clock +3d");
    expect(printed).toBe(
      "Time travel is only available in the local demo (npm start with no chat credentials).\n".repeat(2),
    );
    expect(c.events).toEqual([]);
  });

  it("shows the bot's time in the machine's zone", async () => {
    const { travel } = fakeTimeTravel();
    const c = await chat(undefined, { timeTravel: travel, timeZone: "Pacific/Auckland" });
    expect(await c.type("/clock")).toBe(
      "Bot time: Mon, 23 Nov 2026, 13:00 (Pacific/Auckland). Move it forward with /clock +<amount>, e.g. /clock +3d, +2h, +30m, +1w or +1d12h.\n",
    );
  });

  it("moves it forward by weeks, days, hours and minutes, printing what falls due on the way", async () => {
    const due: { chat?: LocalAdapter } = {};
    const { travel, advances } = fakeTimeTravel(async () => {
      await due.chat?.post(dmWith("local:sam"), { text: "A gentle question for you" });
    });
    const c = await chat(undefined, { timeTravel: travel, timeZone: "UTC" });
    due.chat = c.adapter;
    const printed = await c.type("/clock +3d", "/clock +2h", "/clock +30m", "/clock +1w", "/clock +1d12h");
    expect(advances).toEqual([3 * DAY, 2 * HOUR, 30 * 60_000, 7 * DAY, DAY + 12 * HOUR]);
    expect(printed.split("\n").slice(0, 3)).toEqual([
      "Moving the bot's clock forward 3 days…",
      "bot → sam (#1): A gentle question for you",
      "Bot time is now Thu, 26 Nov 2026, 00:00 (UTC).",
    ]);
    expect(printed).toContain("Moving the bot's clock forward 1 day 12 hours…");
    expect(printed).toContain("Bot time is now Fri, 4 Dec 2026, 14:30 (UTC).");
    expect(c.events).toEqual([]);
  });

  it("names what is wrong with a bad amount and moves nothing", async () => {
    const { travel, advances } = fakeTimeTravel();
    const c = await chat(undefined, { timeTravel: travel });
    const printed = await c.type(
      "/clock 3d",
      "/clock -1d",
      "/clock +0m",
      "/clock +5x",
      "/clock + 3d",
      "/clock +53w",
    );
    expect(advances).toEqual([]);
    const usage =
      "Usage: /clock shows the bot's time; /clock +<amount> moves it forward — e.g. /clock +3d, +2h, +30m, +1w or +1d12h";
    expect(printed.split("\n").slice(0, -1)).toEqual([
      `Put a + before how far to move it ("3d"). ${usage}`,
      `The clock only moves forward. ${usage}`,
      `Move it forward by at least a minute. ${usage}`,
      `"+5x" isn't an amount of time: use numbers with w (weeks), d (days), h (hours) or m (minutes). ${usage}`,
      `"+ 3d" isn't an amount of time: use numbers with w (weeks), d (days), h (hours) or m (minutes). ${usage}`,
      `That's more than a year; move it forward at most +52w at a time. ${usage}`,
    ]);
  });

  it("says so, and carries on, when the clock can't move", async () => {
    const travel: TimeTravel = {
      now: () => new Date("2026-11-23T00:00:00Z"),
      advance: async () => {
        throw new Error("the schedule is unavailable");
      },
    };
    const c = await chat(undefined, { timeTravel: travel, timeZone: "UTC" });
    const printed = await c.type("/clock +1h", "hello");
    expect(printed).toContain(
      "The clock couldn't move forward: the schedule is unavailable. Bot time: Mon, 23 Nov 2026, 00:00 (UTC).",
    );
    expect(c.events.map((e) => e.kind)).toEqual(["message"]);
  });
});

describe("what the chat can't deliver", () => {
  it("a DM to a name the chat can't have is a MemberUnreachableError", async () => {
    const c = await chat();
    for (const member of ["local:", "local:two words", "slack:T1:U2", "alex"]) {
      await expect(c.adapter.post(dmWith(member), { text: "hi" })).rejects.toBeInstanceOf(
        MemberUnreachableError,
      );
    }
    await expect(c.adapter.openGroup(["local:alex", "local:"], "Circle")).rejects.toBeInstanceOf(
      MemberUnreachableError,
    );
    expect(c.printed()).toBe("");
  });

  it("a room that doesn't exist, a channel, or an unknown message is PLATFORM_FAILED", async () => {
    const c = await chat();
    const failed = { name: "BotError", code: "PLATFORM_FAILED" };
    const room = { kind: "group", id: "local:nowhere" } as const;
    await expect(c.adapter.post(room, { text: "hi" })).rejects.toMatchObject(failed);
    await expect(
      c.adapter.post({ kind: "channel", id: "local:general" }, { text: "hi" }),
    ).rejects.toMatchObject(failed);
    const dm = await c.adapter.post(dmWith("local:alex"), { text: "hi" });
    await expect(c.adapter.edit({ ...dm, id: "7" }, { text: "x" })).rejects.toMatchObject(failed);
    await expect(
      c.adapter.edit({ ...dm, conversation: dmWith("local:sam") }, { text: "x" }),
    ).rejects.toMatchObject(failed);
    await expect(c.adapter.openGroup([], "Empty")).rejects.toBeInstanceOf(BotError);
    await expect(c.adapter.post(room, { text: "hi" })).rejects.not.toBeInstanceOf(MemberUnreachableError);
  });
});

describe("the rest of the chat", () => {
  it("delivers commands, messages and forms from your DM with it as the conversation", async () => {
    const form = {
      id: "f",
      title: "Notes",
      submitLabel: "Save",
      fields: [
        { id: "story", label: "What happened", multiline: true },
        { id: "one", label: "One line" },
      ],
    };
    const c = await chat(async (event, responder) => {
      if (event.kind === "command") await responder.openForm?.(form);
    });
    const printed = await c.type(
      "/peer write",
      "It started\\",
      "  and then \\",
      "it ended",
      "fine\\",
      "hello",
    );
    expect(printed).toContain("End a line with \\ to go on to a new line of the same answer.");
    expect(c.events.map((e) => [e.kind, e.conversation])).toEqual([
      ["command", dmWith("local:alex")],
      ["form", dmWith("local:alex")],
      ["message", dmWith("local:alex")],
    ]);
    expect(c.events[1]).toMatchObject({
      kind: "form",
      values: { story: "It started\nand then\nit ended", one: "fine\\" },
    });
  });

  it("greets an interactive person with /in, /edit, /delete, /press and /clock as well", async () => {
    const c = await chat(undefined, { interactive: true });
    const printed = await c.type("/quit");
    expect(printed).toBe("");
    expect(c.printed()).toContain("/in <room> <text> writes in a room");
    expect(c.printed()).toContain(
      "/edit <message-id> <new text> and /delete <message-id> change or remove your own message there",
    );
    expect(c.printed()).toContain(
      "/press <message-id> <number|label> presses a button on an earlier message",
    );
    expect(c.printed()).toContain("/clock shows the bot's time and /clock +3d moves it forward");
  });
});
