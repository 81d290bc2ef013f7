import { PassThrough } from "node:stream";
import { type LocalAdapter, createLocalAdapter } from "../../adapters/local/local-adapter.js";
import { dmWith } from "../../src/platform/chat-platform.js";
import { diaryForm } from "../../src/reflection/prompt-messages.js";
import { FixedClock } from "../fakes/fixed-clock.js";
import { RecordingResponder } from "../fakes/recording-responder.js";
import { RecordingLogger, waitFor } from "../helpers/slack-harness.js";
import { createTestApp } from "../helpers/test-app.js";
import { createTestRedis } from "../helpers/test-redis.js";
import type { BotReply, ChatDriver, OpenedForm, Person } from "./chat-driver.js";

/** The zone the terminal chat reports for its machine in these tests. */
export const LOCAL_MACHINE_ZONE = "Pacific/Auckland";

/**
 * The terminal chat, driven line by line through its own input and output
 * streams, exactly as a person at the keyboard would (or `printf … | npm start`).
 */
export async function startLocalDriver(name: string): Promise<ChatDriver> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk) => {
    printed += chunk.toString();
  });
  const adapter: LocalAdapter = createLocalAdapter({ input, output, timeZone: LOCAL_MACHINE_ZONE });
  const testRedis = createTestRedis(name);
  const logger = new RecordingLogger();
  const app = createTestApp(testRedis, [adapter], {
    clock: new FixedClock("2026-11-23T00:00:00Z"),
    scheduler: false,
    logger,
  });
  await app.start();
  let written = 0;
  let current = "";

  /** Types lines as `who` and returns what was printed while they were handled. */
  async function type(who: Person, ...lines: string[]): Promise<string> {
    const as = current === who.name ? [] : [`/as ${who.name}`];
    current = who.name;
    const from = printed.length;
    input.write(`${[...as, ...lines].join("\n")}\n`);
    written += as.length + lines.length;
    await waitFor(() => adapter.handled >= written, "the terminal chat to handle the lines");
    return printed.slice(from);
  }

  /**
   * Messages printed as `bot → name (#12): …` (or `(edited #12)`, or a form's
   * `bot → name: …`), each with its numbered buttons.
   */
  function repliesIn(text: string, who: Person): BotReply[] {
    const name = who.name.replace(/\./g, "\\.");
    const heading = new RegExp(`^bot → ${name}(?: \\((?:edited )?#\\d+\\))?: `);
    // Each block is a line the chat printed and the indented lines under it.
    return text
      .split(/\n(?! {2})/)
      .filter((block) => heading.test(block))
      .map((block) => {
        const lines = block.replace(heading, "").replace(/\n+$/, "").split("\n");
        const buttonLine = lines.at(-1)?.trim().startsWith("[1] ") ? lines.pop() : undefined;
        const buttons = [...(buttonLine ?? "").matchAll(/\[\d+\] (.+?)(?= {3}\[|$)/g)].map((m) => ({
          label: (m[1] ?? "").trim(),
        }));
        return { text: lines.map((line) => line.replace(/^ {2}/, "")).join("\n"), buttons };
      });
  }

  /** The diary form as the chat opens it: its fields in order, and what is already in the first. */
  function formIn(text: string): OpenedForm | undefined {
    if (!text.includes("Reflective diary — one answer per line")) return undefined;
    const now = /Now: “(.*)” — = keeps it/.exec(text)?.[1];
    const fields = diaryForm(undefined).fields.map((field, i) => ({
      id: field.id,
      ...(i === 0 && now !== undefined ? { initial: now } : {}),
    }));
    return { id: "diary", fields };
  }

  return {
    platform: "local",
    app,
    testRedis,
    logger,
    knowsTimeZones: true,
    async person(who) {
      return { name: who, member: `local:${who}` };
    },
    async join(who, timeZone, region) {
      const quiet = new RecordingResponder().responder;
      const text = `join region:"${region}" tz:${timeZone} days:mon-sun hours:00:00-24:00`;
      const conversation = dmWith(who.member);
      await app.bot.handle({ kind: "command", member: who.member, conversation, text }, quiet);
      await app.bot.handle(
        { kind: "button", member: who.member, conversation, actionId: "join:consent" },
        quiet,
      );
    },
    async dm(who, text) {
      return repliesIn(await type(who, text), who);
    },
    async command(who, subcommand, values = []) {
      const args = values.map(([, value]) => (/\s/.test(value) ? `"${value}"` : value));
      return repliesIn(await type(who, ["/peer", subcommand, ...args].join(" ")), who);
    },
    async press(who, reply, label) {
      if (!reply.buttons.some((b) => b.label === label)) throw new Error(`no "${label}" button`);
      const text = await type(who, label);
      const form = formIn(text);
      return { replies: repliesIn(text, who), ...(form ? { form } : {}) };
    },
    async submit(who, form, values) {
      // One field at a time, as the chat asks: "=" keeps what it shows is already there, "-" leaves it empty.
      let text = "";
      let shown = printed.slice(printed.lastIndexOf("one answer per line"));
      for (const field of form.fields) {
        const value = values[field.id] ?? (/Now: “/.test(shown) ? "=" : "-");
        shown = await type(who, value);
        text += shown;
      }
      return repliesIn(text, who);
    },
    async stop() {
      input.end();
      await adapter.done;
      await app.stop();
      await testRedis.cleanup();
    },
  };
}
