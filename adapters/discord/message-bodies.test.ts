import { describe, expect, it } from "vitest";
import { BotError } from "../../src/errors.js";
import { buttonCustomId, messageBodies, parseCustomId, splitText } from "./message-bodies.js";

describe("outbound messages as Discord message bodies", () => {
  it("carries a button's value after a bar in its custom id, and reads it back", () => {
    expect(buttonCustomId({ id: "prompt:later", label: "Later", value: "42" })).toBe("prompt:later|42");
    expect(parseCustomId("prompt:later|42")).toEqual({ actionId: "prompt:later", value: "42" });
    expect(parseCustomId("join:consent")).toEqual({ actionId: "join:consent" });
  });

  it("refuses a custom id over Discord's 100 characters rather than send a broken button", () => {
    expect(() => buttonCustomId({ id: "x", label: "X", value: "v".repeat(99) })).toThrow(BotError);
  });

  it("puts buttons in rows of five", () => {
    const buttons = Array.from({ length: 7 }, (_, i) => ({ id: `b:${i}`, label: `B${i}` }));
    const [body] = messageBodies({ text: "Pick", buttons });
    expect(body?.components?.map((row) => row.components.length)).toEqual([5, 2]);
  });

  it("splits text at line breaks into parts of at most 2000 characters", () => {
    const text = Array.from({ length: 300 }, (_, i) => `line ${i} of the export`).join("\n");
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((part) => part.length <= 2000)).toBe(true);
    expect(parts.join("\n")).toBe(text);
    expect(splitText("x".repeat(4001)).map((part) => part.length)).toEqual([2000, 2000, 1]);
  });
});
