import fc from "fast-check";
import { PEER_SCHEMA } from "../../adapters/discord/peer-command.js";
import type { AnyOption, CommandEntry } from "../../src/commands/schema.js";

/**
 * Shared generators for the property-based fuzz tests (`*.fuzz.test.ts`),
 * and how many inputs each property runs: FUZZ_RUNS when set (`npm run
 * test:fuzz` sets 20,000), else the smaller count `npm test` runs.
 */
export function fuzzRuns(fallback: number): number {
  const set = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(set) && set > 0 ? set : fallback;
}

/** A fuzz test's time limit: generous per input, since the full count runs tens of thousands. */
export function fuzzTimeout(runs: number): number {
  return Math.max(20_000, runs * 20);
}

/** The default count in `npm test`: enough to find the shallow bugs, quick enough for every run. */
export const QUICK_RUNS = 400;

/** The bot's real command schema, every command and group, as the running app has it. */
export const REAL_SCHEMA = PEER_SCHEMA as unknown as readonly CommandEntry[];

/** Strings that break naive code: odd Unicode, control characters, quotes, mentions, markup. */
const NASTY = [
  "",
  " ",
  "\u0000",
  "\n\n",
  "\t",
  '"',
  '""',
  "“",
  "”",
  "'",
  ":",
  "::",
  "<@",
  "<@U0KIM|Kim Lee>",
  "<@123456789012345678>",
  "<@!12345>",
  "@kim",
  "@",
  "\u202E",
  "\uFEFF",
  "\u200B",
  "\uD800",
  "\uDC00",
  "😀",
  "👩🏽‍⚕️",
  "Z̸̢͉̆a̵l̴g̶o̷",
  "Ω≈ç√",
  "ﷺ",
  "𝕏",
  "null",
  "undefined",
  "__proto__",
  "constructor",
  "NaN",
  "-1",
  "1e309",
  "0x10",
  "99999999999999999999",
  "24:00",
  "25:99",
  "2026-02-30",
  "9999-12-31",
  "mon-sun",
  "fri-mon",
  "Australia/Perth",
  "AEST",
  "Etc/GMT+14",
  "yes",
  "no",
  "2w",
  "0d",
  "&lt;&gt;&amp;",
  "<script>",
  "%s%n",
  "${x}",
  "\\",
];

export const nastyString = fc.constantFrom(...NASTY);

/** Any text a member could type: full Unicode, nasty fragments, and now and then something long. */
export const typedText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 60, maxLength: 400 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom("a", "x", "😀", " ", '"'), fc.integer({ min: 100, max: 6000 }))
      .map(([unit, n]) => unit.repeat(n)),
  },
);

interface CommandWords {
  readonly path: readonly string[];
  readonly options: readonly AnyOption[];
}

/** Every runnable command's words and options, from the schema. */
export function commandsOf(schema: readonly CommandEntry[]): CommandWords[] {
  return schema.flatMap((entry) =>
    entry.kind === "group"
      ? entry.subcommands.map((sub) => ({ path: [entry.name, sub.name], options: sub.options }))
      : [{ path: [entry.name], options: entry.options }],
  );
}

/** One option word as a member might write it: name:value, keyword value, a bare value, or a mangled name. */
function optionWords(options: readonly AnyOption[]): fc.Arbitrary<string> {
  const names = options.map((option) => option.name);
  const name = names.length > 0 ? fc.constantFrom(...names) : fc.constant("region");
  const value = fc.oneof(typedText, nastyString);
  const quoted = (v: string) => (/\s/.test(v) || v === "" ? `"${v}"` : v);
  return fc.oneof(
    fc.tuple(name, value).map(([n, v]) => `${n}:${quoted(v)}`),
    fc.tuple(name, value).map(([n, v]) => `${n} ${quoted(v)}`),
    value.map(quoted),
    fc.tuple(name, typedText).map(([n, v]) => `${n}${v}:x`),
    fc.string({ unit: "grapheme-ascii", maxLength: 12 }).map((n) => `${n}:`),
  );
}

/**
 * Command text: mostly a real command (from the schema) with options written
 * right, wrong and strangely; sometimes an unknown word or no structure at all;
 * now and then over the length cap.
 */
export function commandText(schema: readonly CommandEntry[]): fc.Arbitrary<string> {
  const commands = commandsOf(schema);
  const structured = fc
    .constantFrom(...commands)
    .chain((command) =>
      fc
        .tuple(
          fc.constantFrom("", "/peer ", "/PEER ", "  /peer\t"),
          fc.constantFrom(
            command.path.join(" "),
            command.path.join(" ").toUpperCase(),
            command.path[0] ?? "",
          ),
          fc.array(optionWords(command.options), { maxLength: 6 }),
        )
        .map(([prefix, words, options]) => [prefix + words, ...options].join(" ")),
    );
  return fc.oneof(
    { weight: 6, arbitrary: structured },
    { weight: 2, arbitrary: fc.array(typedText, { maxLength: 5 }).map((words) => words.join(" ")) },
    { weight: 1, arbitrary: typedText },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom("help ", "join ", "zz"), fc.integer({ min: 3990, max: 20_000 }))
        .map(([head, n]) => head + "w".repeat(n)),
    },
  );
}
