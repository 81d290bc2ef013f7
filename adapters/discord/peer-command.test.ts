import { describe, expect, it } from "vitest";
import { createCommandParser } from "../../src/commands/parser.js";
import { SETTING_NAMES } from "../../src/commands/profile.js";
import {
  type AnyOption,
  type CommandSpec,
  type DeclaredEntry,
  defineCommand,
  memberOption,
  textOption,
} from "../../src/commands/schema.js";
import { THEMES } from "../../src/reflection/question-bank.js";
import { createTestApp } from "../../test/helpers/test-app.js";
import { VALID_JOIN } from "../../test/helpers/test-bot.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { type ChosenOption, PEER_SCHEMA, commandText, peerCommandJson } from "./peer-command.js";

const SUB = 1;
const GROUP = 2;
const STRING = 3;
const BOOLEAN = 5;
const USER = 6;

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

/** A Discord option as registered (the parts this test reads). */
interface Registered {
  name: string;
  description: string;
  type: number;
  required?: boolean;
  autocomplete?: boolean;
  choices?: { name: string; value: string }[];
  options?: Registered[];
}

const OPTION_TYPE: Record<AnyOption["type"], number> = { text: STRING, "yes-no": BOOLEAN, member: USER };

/**
 * Every way the registered definition and the schema disagree, read
 * independently of the generator: each subcommand, group, option, type,
 * choice, required flag and autocomplete on one side must be on the other.
 */
function disagreements(schema: readonly DeclaredEntry[], registered: readonly Registered[]): string[] {
  const found: string[] = [];
  const names = (items: readonly { name: string }[]) => items.map((item) => item.name).sort();
  const sameNames = (where: string, want: readonly { name: string }[], got: readonly { name: string }[]) => {
    if (JSON.stringify(names(want)) !== JSON.stringify(names(got))) {
      found.push(`${where}: schema has [${names(want)}], Discord has [${names(got)}]`);
    }
  };
  const compareCommand = (where: string, spec: CommandSpec<readonly AnyOption[], never>, sub: Registered) => {
    if (sub.type !== SUB) found.push(`${where} is not a subcommand on Discord`);
    const options = sub.options ?? [];
    sameNames(`${where} options`, spec.options, options);
    for (const option of spec.options) {
      const got = options.find((o) => o.name === option.name);
      if (!got) continue;
      const at = `${where} ${option.name}`;
      if (got.type !== OPTION_TYPE[option.type]) found.push(`${at}: type ${got.type}`);
      if ((got.required ?? false) !== option.required) found.push(`${at}: required ${got.required}`);
      if ((got.autocomplete ?? false) !== (option.suggest !== undefined)) {
        found.push(`${at}: autocomplete ${got.autocomplete}`);
      }
      const want = option.suggest ? [] : (option.choices ?? []).map((c) => `${c.name}=${c.value}`);
      const have = (got.choices ?? []).map((c) => `${c.name}=${c.value}`);
      if (JSON.stringify(want) !== JSON.stringify(have))
        found.push(`${at}: choices [${have}], not [${want}]`);
    }
  };
  sameNames("/peer", schema, registered);
  for (const entry of schema) {
    const got = registered.find((r) => r.name === entry.name);
    if (!got) continue;
    if (entry.kind === "command") {
      compareCommand(`/peer ${entry.name}`, entry, got);
      continue;
    }
    if (got.type !== GROUP) found.push(`/peer ${entry.name} is not a group on Discord`);
    sameNames(`/peer ${entry.name}`, entry.subcommands, got.options ?? []);
    for (const spec of entry.subcommands) {
      const sub = got.options?.find((o) => o.name === spec.name);
      if (sub) compareCommand(`/peer ${entry.name} ${spec.name}`, spec, sub);
    }
  }
  return found;
}

/** The schema with one change made to one command. */
function changed(
  path: readonly string[],
  change: (spec: CommandSpec<readonly AnyOption[], never>) => CommandSpec<readonly AnyOption[], never>,
): DeclaredEntry[] {
  return PEER_SCHEMA.map((entry) => {
    if (entry.name !== path[0]) return entry;
    if (entry.kind === "command") return change(entry);
    return { ...entry, subcommands: entry.subcommands.map((s) => (s.name === path[1] ? change(s) : s)) };
  });
}

describe("/peer command definition", () => {
  const command = peerCommandJson();
  const registered = (command.options ?? []) as Registered[];
  const all: Registered[] = [];
  const walk = (options: Registered[]) => {
    for (const option of options) {
      all.push(option);
      walk(option.options ?? []);
    }
  };
  walk(registered);

  it("matches the schema in every subcommand, group, option, type, choice and required flag", () => {
    expect(disagreements(PEER_SCHEMA, registered)).toEqual([]);
  });

  it("would notice if they drifted apart", () => {
    const extra = textOption({ name: "colour", description: "A colour" });
    expect(
      disagreements(
        changed(["join"], (s) => ({ ...s, options: [...s.options, extra] })),
        registered,
      ),
    ).toEqual([
      "/peer join options: schema has [colour,days,hours,region,solo,tz], Discord has [days,hours,region,solo,tz]",
    ]);
    const required = changed(["holiday", "add"], (s) => ({
      ...s,
      options: s.options.map((o) => (o.name === "region" ? { ...o, required: true } : o)),
    }));
    expect(disagreements(required, registered)).toEqual(["/peer holiday add region: required false"]);
    const fewerChoices = changed(["set"], (s) => ({
      ...s,
      options: s.options.map((o) => (o.choices ? { ...o, choices: o.choices.slice(1) } : o)),
    }));
    expect(disagreements(fewerChoices, registered)).toHaveLength(1);
    const newCommand = defineCommand({
      name: "wave",
      summary: "wave",
      access: "member",
      example: "/peer wave",
      async run() {},
    });
    expect(disagreements([...PEER_SCHEMA, newCommand], registered)).toHaveLength(1);
  });

  it("has exactly the commands the running bot has", async () => {
    const testRedis = createTestRedis("discord-peer-command");
    const app = createTestApp(testRedis, [], { scheduler: false });
    try {
      const running = (
        entries: readonly { name: string; kind: string; subcommands?: readonly { name: string }[] }[],
      ) =>
        entries
          .map((e) =>
            e.kind === "group" ? `${e.name}: ${e.subcommands?.map((s) => s.name).join(" ")}` : e.name,
          )
          .sort();
      expect(running(PEER_SCHEMA)).toEqual(running(app.bot.commands));
    } finally {
      await app.stop();
      await testRedis.cleanup();
    }
  });

  it("offers every setting and every theme as a choice, and suggests time zones for join's tz", () => {
    const set = all.find((o) => o.name === "set");
    expect(set?.options?.find((o) => o.name === "field")?.choices?.map((c) => c.value)).toEqual([
      ...SETTING_NAMES,
    ]);
    expect(SETTING_NAMES).toContain("handle");
    const reflect = all.find((o) => o.name === "reflect");
    expect(reflect?.options?.[0]?.choices?.map((c) => c.value)).toEqual(THEMES.map((t) => t.id));
    const join = all.find((o) => o.name === "join");
    expect(join?.options?.find((o) => o.name === "tz")).toMatchObject({ autocomplete: true });
  });

  it("keeps within Discord's limits on names, descriptions and option counts", () => {
    expect(command.name).toBe("peer");
    for (const option of [command as Registered, ...all]) {
      expect(option.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(option.description.length).toBeGreaterThan(0);
      expect(option.description.length).toBeLessThanOrEqual(100);
      expect((option.options ?? []).length).toBeLessThanOrEqual(25);
      expect((option.choices ?? []).length).toBeLessThanOrEqual(25);
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
  });
});

describe("a member option on Discord", () => {
  // No real command names a member yet; this one is made up for the test.
  const pair = defineCommand({
    name: "pair",
    summary: "pair up with a peer",
    access: "member",
    example: "/peer pair @kim",
    options: [
      memberOption({ name: "with", description: "Who to pair with", form: "positional", required: true }),
    ],
    async run() {},
  });

  it("is a user option, written back as a mention the parser reads as a Discord member id", async () => {
    const [registered] = (peerCommandJson([pair]).options ?? []) as Registered[];
    expect(registered?.options).toEqual([
      { name: "with", description: "Who to pair with", required: true, type: USER },
    ]);
    const text = commandText(
      [{ name: "pair", type: SUB, options: [{ name: "with", type: USER, value: "4242424242" }] }],
      [pair],
    );
    expect(text).toBe("pair <@4242424242>");
    const read = await createCommandParser([pair]).resolve(text).parse({ asker: "discord:1" });
    expect(read).toEqual({ with: "discord:4242424242" });
  });
});
