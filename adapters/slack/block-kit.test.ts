import { describe, expect, it } from "vitest";
import {
  SECTIONS_PER_MESSAGE,
  coreActionId,
  formValues,
  messageBlocks,
  modalView,
  titleMessage,
} from "./block-kit.js";
import { escapeSlackText, splitForSections, unescapeSlackText } from "./slack-text.js";

describe("Slack text", () => {
  it("escapes &, < and > for Slack and reads them back", () => {
    expect(escapeSlackText("region:<name> & tz:<zone>")).toBe("region:&lt;name&gt; &amp; tz:&lt;zone&gt;");
    expect(unescapeSlackText("I &lt;3 this &amp; that &gt; the rest")).toBe("I <3 this & that > the rest");
    expect(unescapeSlackText(escapeSlackText("&lt; stays literal"))).toBe("&lt; stays literal");
  });

  it("keeps short text whole and drops nothing for empty text", () => {
    expect(splitForSections("hello")).toEqual(["hello"]);
    expect(splitForSections("")).toEqual([]);
  });

  it("cuts at line breaks, then spaces, within the limit", () => {
    expect(splitForSections("aaaa\nbbbb\ncc", 9)).toEqual(["aaaa\nbbbb", "cc"]);
    expect(splitForSections("aaa bbb ccc", 8)).toEqual(["aaa bbb", "ccc"]);
  });

  it("cuts long unbroken text at the limit, but never inside an entity or a surrogate pair", () => {
    expect(splitForSections("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
    expect(splitForSections("abc&amp;def", 5)).toEqual(["abc", "&amp;", "def"]);
    const emoji = "😀";
    expect(splitForSections(`abc${emoji}`, 4)).toEqual(["abc", emoji]);
  });
});

describe("Block Kit rendering", () => {
  it("renders text as mrkdwn sections and buttons as one actions block", () => {
    const rendered = messageBlocks({
      text: "Delete it all?",
      buttons: [
        { id: "forget:confirm", label: "Yes, delete everything", style: "danger" },
        { id: "forget:cancel", label: "Keep my data", value: "v1" },
      ],
    });
    expect(rendered).toEqual([
      {
        text: "Delete it all?",
        blocks: [
          { type: "section", text: { type: "mrkdwn", text: "Delete it all?" } },
          {
            type: "actions",
            block_id: "peer-buttons",
            elements: [
              {
                type: "button",
                action_id: "forget:confirm",
                text: { type: "plain_text", text: "Yes, delete everything" },
                style: "danger",
              },
              {
                type: "button",
                action_id: "forget:cancel",
                text: { type: "plain_text", text: "Keep my data" },
                value: "v1",
              },
            ],
          },
        ],
      },
    ]);
  });

  it("keeps one message's fallback text exactly the whole text", () => {
    const text = `${"word ".repeat(1000)}end`;
    const [only, ...more] = messageBlocks({ text });
    expect(more).toEqual([]);
    expect(only?.text).toBe(text);
    expect(only?.blocks.length).toBe(2);
  });

  it("spreads text too long for one message over several, with the buttons on the last", () => {
    const line = `${"x".repeat(2990)}\n`;
    const rendered = messageBlocks({
      text: line.repeat(SECTIONS_PER_MESSAGE * 2 + 1),
      buttons: [{ id: "b", label: "B" }],
    });
    expect(rendered.map((part) => part.blocks.map((block) => block.type[0]).join(""))).toEqual([
      "s".repeat(SECTIONS_PER_MESSAGE),
      "s".repeat(SECTIONS_PER_MESSAGE),
      "sa",
    ]);
    for (const part of rendered) expect(part.text.length).toBeLessThan(40_000);
  });

  it("turns a form into a modal of input blocks keyed by field id", () => {
    const view = modalView({
      id: "reflect",
      title: "A reflection that has a rather long title",
      submitLabel: "Save",
      fields: [
        { id: "notes", label: "What stood out?", multiline: true, hint: "Only you can read this" },
        { id: "mood", label: "Mood", optional: true, initial: "ok" },
      ],
    });
    expect(view.callback_id).toBe("reflect");
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.blocks).toEqual([
      {
        type: "input",
        block_id: "notes",
        label: { type: "plain_text", text: "What stood out?" },
        optional: false,
        hint: { type: "plain_text", text: "Only you can read this" },
        element: { type: "plain_text_input", action_id: "notes", multiline: true },
      },
      {
        type: "input",
        block_id: "mood",
        label: { type: "plain_text", text: "Mood" },
        optional: true,
        element: { type: "plain_text_input", action_id: "mood", multiline: false, initial_value: "ok" },
      },
    ]);
  });

  it("reads a submission back by field id, leaving out empty optional fields", () => {
    expect(
      formValues({
        notes: { notes: { value: "a good day" } },
        mood: { mood: { value: null } },
        other: { unrelated: { value: "ignored" } },
      }),
    ).toEqual({ notes: "a good day" });
  });

  it("heads a group DM with its title as a header, cut to Slack's 150 characters, whole in the fallback", () => {
    expect(titleMessage("Circle <Tues> & Thurs")).toEqual({
      text: "Circle &lt;Tues&gt; &amp; Thurs",
      blocks: [{ type: "header", text: { type: "plain_text", text: "Circle <Tues> & Thurs" } }],
    });
    const long = `${"a".repeat(148)}😀 and more`;
    const { text, blocks } = titleMessage(long);
    const shown = (blocks[0] as { text: { text: string } }).text.text;
    expect(shown).toBe(`${"a".repeat(148)}…`);
    expect(shown.length).toBeLessThanOrEqual(150);
    expect(text).toBe(long);
  });
});

describe("buttons sharing one id", () => {
  it("get distinct action_ids, as Slack requires, and come back as the core's id", () => {
    const blocks = messageBlocks({
      text: "Did it happen?",
      buttons: [
        { id: "checkin:happened", label: "Yes", value: "s|1|yes" },
        { id: "checkin:happened", label: "Partly", value: "s|1|partly" },
        { id: "checkin:happened", label: "No", value: "s|1|no" },
      ],
    }).at(-1)?.blocks as Array<{ type: string; elements?: Array<{ action_id: string }> }>;
    const ids = blocks.find((b) => b.type === "actions")?.elements?.map((e) => e.action_id) ?? [];
    expect(new Set(ids).size).toBe(3);
    expect(ids.map(coreActionId)).toEqual(["checkin:happened", "checkin:happened", "checkin:happened"]);
    expect(coreActionId("consent:yes")).toBe("consent:yes");
  });
});
