import { describe, expect, it } from "vitest";
import { UserInputError } from "../errors.js";
import { HANDLE_MAX, handleCandidates, handleFromName, isHandle, parseHandle } from "./handles.js";

describe("handles", () => {
  it("derives a handle from a display name: lower-case letters, digits and dashes", () => {
    expect(handleFromName("Kim")).toBe("kim");
    expect(handleFromName("Kim Nguyen")).toBe("kim-nguyen");
    expect(handleFromName("  José  O'Brien ")).toBe("jose-o-brien");
    expect(handleFromName("Ngāti Whātua")).toBe("ngati-whatua");
    expect(handleFromName("2pac")).toBe("peer-2pac");
    expect(handleFromName("李")).toBe("peer");
    expect(handleFromName("K")).toBe("peer-k");
    const long = handleFromName("Bartholomew Alexander Montgomery-Smythe");
    expect(isHandle(long)).toBe(true);
    expect(long.length).toBeLessThanOrEqual(HANDLE_MAX - 3);
    expect(long).toBe("bartholomew-alexander");
    expect(handleFromName("Wolfeschlegelsteinhausenbergerdorff")).toBe("wolfeschlegelsteinhau");
  });

  it("makes it unique with a number", () => {
    const candidates = handleCandidates("kim");
    expect(candidates.slice(0, 3)).toEqual(["kim", "kim2", "kim3"]);
    expect(candidates.every(isHandle)).toBe(true);
  });

  it("reads a typed handle, with or without @, in any case", () => {
    expect(parseHandle("@Kim")).toBe("kim");
    expect(parseHandle(" sam-lee ")).toBe("sam-lee");
  });

  it.each([["k"], ["1kim"], ["kim lee"], ["kim_lee"], ["-kim"], ["kim-"], ["kim--lee"], ["x".repeat(25)]])(
    "refuses %j, saying what a handle can be",
    (typed) => {
      expect(() => parseHandle(typed)).toThrow(UserInputError);
      expect(() => parseHandle(typed)).toThrow("lower-case letters, digits and dashes");
    },
  );
});
