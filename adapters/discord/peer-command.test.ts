import { describe, expect, it } from "vitest";
import { createTestApp } from "../../test/helpers/test-app.js";
import { VALID_JOIN } from "../../test/helpers/test-bot.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { type ChosenOption, commandText, peerCommandJson } from "./peer-command.js";

const SUB = 1;
const GROUP = 2;
const STRING = 3;
const BOOLEAN = 5;

const sub = (name: string, options: Record<string, string | boolean> = {}): ChosenOption[] => [
  {
    name,
    type: SUB,
    options: Object.entries(options).map(([key, value]) => ({
      name: key,
      type: typeof value === "boolean" ? BOOLEAN : STRING,
      value,
    })),
  },
];
const grouped = (group: string, name: string, options: Record<string, string> = {}): ChosenOption[] => [
  { name: group, type: GROUP, options: sub(name, options) },
];

describe("/peer options back into the core's text", () => {
  it("writes join options as name:value, quoting values with spaces and turning solo into yes/no", () => {
    const text = commandText(
      sub("join", {
        solo: true,
        hours: "09:00-15:00",
        region: "Wide Bay",
        days: "mon-wed",
        tz: "Australia/Brisbane",
      }),
    );
    // In definition order whatever order Discord sent them in: the core's own example, word for word.
    expect(text).toBe(VALID_JOIN);
    expect(commandText(sub("join", { solo: false }))).toBe("join solo:no");
    expect(commandText(sub("join"))).toBe("join");
  });

  it("writes set as field then value", () => {
    expect(commandText(sub("set", { field: "hours", value: "09:00-15:00" }))).toBe("set hours 09:00-15:00");
    expect(commandText(sub("set", { field: "region", value: "Wide Bay" }))).toBe('set region "Wide Bay"');
  });

  it("writes pause as until <date>, for <length>, or bare", () => {
    expect(commandText(sub("pause", { until: "2027-01-15" }))).toBe("pause until 2027-01-15");
    expect(commandText(sub("pause", { for: "2w" }))).toBe("pause for 2w");
    expect(commandText(sub("pause"))).toBe("pause");
  });

  it("writes the subcommands without options as their name", () => {
    for (const name of [
      "help",
      "profile",
      "resume",
      "reflect",
      "journal",
      "tip",
      "support",
      "export",
      "forget",
    ]) {
      expect(commandText(sub(name))).toBe(name);
    }
  });

  it("writes reflect with its optional theme", () => {
    expect(commandText(sub("reflect", { theme: "boundaries" }))).toBe("reflect boundaries");
  });

  it("writes the coordinator groups", () => {
    expect(commandText(grouped("holiday", "add", { date: "2026-12-28", region: "Wide Bay" }))).toBe(
      'holiday add 2026-12-28 region:"Wide Bay"',
    );
    expect(commandText(grouped("holiday", "add", { date: "2026-12-28" }))).toBe("holiday add 2026-12-28");
    expect(commandText(grouped("holiday", "list"))).toBe("holiday list");
    expect(commandText(grouped("holiday", "remove", { date: "2026-12-28" }))).toBe(
      "holiday remove 2026-12-28",
    );
    expect(
      commandText(grouped("prompts", "add", { theme: "boundaries", question: "What helped today?" })),
    ).toBe('prompts add "What helped today?" theme:boundaries');
  });

  it("turns double quotes inside a value into single ones, so they can't end the quoting", () => {
    expect(
      commandText(grouped("prompts", "add", { question: 'What does "enough" mean?', theme: "rest" })),
    ).toBe("prompts add \"What does 'enough' mean?\" theme:rest");
  });

  it("passes on options the definitions don't know as name:value", () => {
    expect(commandText(sub("newthing", { colour: "sea green" }))).toBe('newthing colour:"sea green"');
  });
});

describe("/peer command definition", () => {
  const command = peerCommandJson();
  type Option = { name: string; description: string; type: number; required?: boolean; options?: Option[] };
  const all: Option[] = [];
  const walk = (options: Option[]) => {
    for (const option of options) {
      all.push(option);
      walk(option.options ?? []);
    }
  };
  walk(command.options as Option[]);

  it("has every subcommand and group the core understands, and no other", async () => {
    const testRedis = createTestRedis("discord-peer-command");
    const app = createTestApp(testRedis, [], { scheduler: false });
    try {
      const core = app.bot.commands.map((c) => c.name).sort();
      expect((command.options ?? []).map((o) => o.name).sort()).toEqual(core);
    } finally {
      await app.stop();
      await testRedis.cleanup();
    }
  });

  it("keeps within Discord's limits on names, descriptions and option counts", () => {
    expect(command.name).toBe("peer");
    for (const option of [command as Option, ...all]) {
      expect(option.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(option.description.length).toBeGreaterThan(0);
      expect(option.description.length).toBeLessThanOrEqual(100);
      expect((option.options ?? []).length).toBeLessThanOrEqual(25);
    }
  });

  it("lists required options before optional ones, as Discord demands", () => {
    for (const option of all.filter((o) => o.type === SUB)) {
      const required = (option.options ?? []).map((o) => o.required === true);
      expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
    }
  });

  it("leaves every join option optional, so /peer join alone can open the form", () => {
    const join = all.find((o) => o.name === "join");
    expect(join?.options?.map((o) => [o.name, o.required])).toEqual([
      ["region", false],
      ["tz", false],
      ["days", false],
      ["hours", false],
      ["solo", false],
    ]);
    expect(join?.options?.find((o) => o.name === "tz")).toMatchObject({ autocomplete: true });
  });
});
