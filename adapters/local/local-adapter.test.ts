import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { type InboundEvent, type InboundHandler, dmWith } from "../../src/platform/chat-platform.js";
import { createLocalAdapter } from "./local-adapter.js";

/** Runs the adapter over the given lines with a handler that records events and echoes buttons. */
async function run(lines: string[], handler: InboundHandler) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk) => {
    printed += chunk.toString();
  });
  const adapter = createLocalAdapter({ input, output });
  await adapter.start(handler);
  input.end(`${lines.join("\n")}\n`);
  await adapter.done;
  return printed;
}

describe("local terminal adapter", () => {
  it("turns lines into commands, messages and button presses for the current member", async () => {
    const events: InboundEvent[] = [];
    const printed = await run(
      ["/peer join x", "1", "hello", "/as sam", "/peer help", "Keep"],
      async (event, responder) => {
        events.push(event);
        if (event.kind === "command" && event.text.startsWith("join")) {
          await responder.reply({
            text: "sure?",
            buttons: [
              { id: "a:yes", label: "Yes" },
              { id: "a:no", label: "Keep" },
            ],
          });
        } else {
          await responder.reply({ text: `got ${event.kind}` });
        }
      },
    );
    expect(events.map((e) => [e.kind, e.member])).toEqual([
      ["command", "local:alex"],
      ["button", "local:alex"],
      ["message", "local:alex"],
      ["command", "local:sam"],
      ["message", "local:sam"],
    ]);
    expect(events[0]).toMatchObject({ text: "join x" });
    expect(events[1]).toMatchObject({ actionId: "a:yes" });
    expect(printed).toContain("bot → alex (#1): sure?\n  [1] Yes   [2] Keep");
    expect(printed).toContain('You are now "sam".');
    expect(printed).toContain("bot → sam (#4): got command");
  });

  it("presses a button by its label, once", async () => {
    const events: InboundEvent[] = [];
    await run(["/peer x", "keep", "keep"], async (event, responder) => {
      events.push(event);
      if (event.kind === "command")
        await responder.reply({ text: "?", buttons: [{ id: "k", label: "Keep" }] });
    });
    expect(events.map((e) => e.kind)).toEqual(["command", "button", "message"]);
  });

  it("explains unknown slash commands and bad /as names without calling the bot", async () => {
    const events: InboundEvent[] = [];
    const printed = await run(["/dance", "/as", "/as two words"], async (event) => {
      events.push(event);
    });
    expect(events).toEqual([]);
    expect(printed).toContain('"/dance" isn\'t a command here');
    expect(printed.match(/Usage: \/as <name>/g)).toHaveLength(2);
  });

  it("prints messages posted to any member or room with its name and a number", async () => {
    const output = new PassThrough();
    let printed = "";
    output.on("data", (chunk) => {
      printed += chunk.toString();
    });
    const other = createLocalAdapter({ input: new PassThrough(), output });
    const ref = await other.post(dmWith("local:robin"), { text: "Time for a reflection?" });
    const room = await other.openGroup(["local:robin", "local:sam"], "Circle 1");
    const inRoom = await other.post(room, { text: "Welcome, everyone" });
    expect(ref).toEqual({ conversation: { kind: "dm", id: "local:robin" }, id: "1" });
    expect(room).toEqual({ kind: "group", id: "local:circle-1" });
    expect(inRoom).toEqual({ conversation: room, id: "2" });
    expect(printed).toBe(
      'bot → robin (#1): Time for a reflection?\nRoom "circle-1" (Circle 1) opened for robin, sam\nbot → #circle-1 (#2): Welcome, everyone\n',
    );
  });

  it("fills in a form one field per line: - leaves it empty, = keeps what is there, and it sends once complete", async () => {
    const events: InboundEvent[] = [];
    const form = {
      id: "diary",
      title: "Reflective diary",
      submitLabel: "Save",
      fields: [
        { id: "what", label: "What happened", optional: true, initial: "A walk by the river" },
        { id: "helped", label: "What helped", optional: true },
        { id: "why", label: "Why it mattered" },
      ],
    };
    const printed = await run(
      ["/peer write", "=", "-", "", "Because it was her idea"],
      async (event, responder) => {
        events.push(event);
        if (event.kind === "command") await responder.openForm?.(form);
      },
    );
    expect(events.map((e) => e.kind)).toEqual(["command", "form"]);
    expect(events[1]).toMatchObject({
      formId: "diary",
      values: { what: "A walk by the river", helped: "", why: "Because it was her idea" },
      member: "local:alex",
    });
    expect(printed).toContain("Reflective diary — one answer per line");
    expect(printed).toContain("Now: “A walk by the river” — = keeps it as it is.");
  });

  it("closes a form on /cancel and sends nothing; a required field must be answered", async () => {
    const events: InboundEvent[] = [];
    const form = { id: "f", title: "A form", submitLabel: "Send", fields: [{ id: "name", label: "Name" }] };
    const printed = await run(["/peer open", "-", "/cancel", "hello"], async (event, responder) => {
      events.push(event);
      if (event.kind === "command") await responder.openForm?.(form);
    });
    expect(printed).toContain('"Name" needs an answer');
    expect(printed).toContain("Form closed. Nothing was sent.");
    expect(events.map((e) => e.kind)).toEqual(["command", "message"]);
  });

  it("passes the machine's time zone on with every event", async () => {
    const input = new PassThrough();
    const events: InboundEvent[] = [];
    const adapter = createLocalAdapter({ input, output: new PassThrough(), timeZone: "Pacific/Auckland" });
    await adapter.start(async (event) => {
      events.push(event);
    });
    input.end("hello\n");
    await adapter.done;
    expect(events[0]).toMatchObject({ kind: "message", timeZone: "Pacific/Auckland" });
  });
});
