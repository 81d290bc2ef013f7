/**
 * The architecture, checked: the rules live in `test/architecture/rules.ts` (read its header for what counts
 * and why), and run here against the real tree and against fixtures that break each rule on purpose, so a
 * rule that could never fail shows up as a rule without a failing fixture.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { breaks, cleanTree } from "./architecture/fixtures.js";
import {
  RULES,
  type RuleId,
  checkArchitecture,
  describeViolation,
  isTestFile,
} from "./architecture/rules.js";
import { readTree } from "./architecture/tree.js";

const root = join(import.meta.dirname, "..");
const realTree = readTree(root, ["src", "adapters", "scheduler"]);
const check = (tree: ReadonlyMap<string, string>) => checkArchitecture(tree).map(describeViolation);

describe("architecture of the real tree", () => {
  it("finds the files it checks", () => {
    const production = (prefix: string) =>
      [...realTree.keys()].filter((file) => file.startsWith(prefix) && !isTestFile(file));
    expect(production("src/").length).toBeGreaterThan(10);
    for (const folder of ["adapters/slack/", "adapters/discord/", "scheduler/"]) {
      expect(production(folder).length, folder).toBeGreaterThan(0);
    }
  });

  it("sees the real imports: moved into the core, the adapters and the scheduler break core-no-sdk", () => {
    const moved = new Map(
      [...realTree].map(([file, text]) => [file.replace(/^(adapters|scheduler)\//, "src/moved-$1/"), text]),
    );
    const leaking = new Set(
      checkArchitecture(moved)
        .filter((violation) => violation.rule === "core-no-sdk")
        .map((violation) => violation.file.split("/").slice(0, 3).join("/")),
    );
    expect([...leaking].sort()).toEqual(
      expect.arrayContaining(["src/moved-adapters/discord", "src/moved-adapters/slack"]),
    );
    expect([...leaking].some((folder) => folder.startsWith("src/moved-scheduler/"))).toBe(true);
  });

  it("follows every rule", () => {
    expect(check(realTree)).toEqual([]);
  });
});

describe("architecture rules against fixtures", () => {
  it("passes the clean fixture", () => {
    expect(check(cleanTree)).toEqual([]);
  });

  it.each(Object.keys(RULES) as RuleId[])("has a fixture that breaks %s", (rule) => {
    expect(breaks.some((broken) => broken.rule === rule)).toBe(true);
  });

  it.each(breaks.map((broken) => [broken.rule, broken.how, broken] as const))(
    "%s fails on %s",
    (_rule, _how, broken) => {
      expect(cleanTree.has(broken.file), "a break adds a file, so the clean tree stays clean").toBe(false);
      const tree = new Map([...cleanTree, [broken.file, broken.source]]);
      expect(check(tree)).toEqual(broken.expected);
      expect(broken.expected.every((line) => line.startsWith(`${broken.rule}: ${broken.file}:`))).toBe(true);
    },
  );
});
