import { BotError, UserInputError } from "../errors.js";
import type { HandlerContext } from "./context.js";
import { MAX_COMMAND_CHARS, clipTyped, clippedRefusal, quoteTyped, tooLongCommand } from "./quote-typed.js";
import {
  type Access,
  type AnyOption,
  type CommandAction,
  type CommandEntry,
  type CommandSpec,
  type ParseEnv,
  actionName,
  commandPath,
  usageOf,
} from "./schema.js";
import { tokenize } from "./tokenize.js";

/**
 * The text parser generated from the command schema: `/peer <command>
 * [<subcommand>] <options>`, where each option is written as its spec says
 * (`name:value`, a bare value in order, or `keyword value`), and `name:value`
 * is accepted for every option.
 *
 * Two steps, so the authority check sits between them: `resolve` finds the
 * command from its first words (and throws for one that does not exist);
 * then, once the member may run it, `run` reads the options and runs it.
 *
 * Text over MAX_COMMAND_CHARS is refused by its length before any of it is
 * read, and a refusal never quotes more than a few dozen characters of what
 * was typed (see quote-typed.ts): the parser quotes through `quoteTyped`, and
 * every refusal from reading options or running the command has its quotes
 * clipped on the way out.
 */

export interface ResolvedCommand {
  /** The command's words: `["holiday", "add"]`. */
  readonly path: readonly string[];
  /** For `can(actor, action)`: `command:holiday.add` and who may run it. */
  readonly action: CommandAction;
  /** Undefined when the words name a group but none of its commands (running it says so). */
  readonly spec: CommandSpec | undefined;
  /** Reads and validates the options: each option's value by name, undefined when left out. */
  parse(env: ParseEnv): Promise<Readonly<Record<string, unknown>>>;
  /** Reads the options, then runs the command. */
  run(context: HandlerContext): Promise<void>;
}

export interface CommandParser {
  readonly entries: readonly CommandEntry[];
  /** Finds the command `text` names (`/peer` is optional; nothing at all is help). */
  resolve(text: string): ResolvedCommand;
}

/** What a parse knows from the handler context. */
export function parseEnvOf(context: HandlerContext): ParseEnv {
  return { asker: context.memberId, handles: context.deps.handles };
}

const ACCESS_ORDER: readonly Access[] = ["anyone", "member", "coordinator"];

/** The least a member needs to run any of a group's commands. */
function loosest(accesses: readonly Access[]): Access {
  return ACCESS_ORDER.find((access) => accesses.includes(access)) ?? "coordinator";
}

/** `a, b or c`. */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

export function createCommandParser(entries: readonly CommandEntry[]): CommandParser {
  const byName = new Map<string, CommandEntry>();
  for (const entry of entries) {
    if (byName.has(entry.name)) throw new BotError("INTERNAL", `two commands are called "${entry.name}"`);
    byName.set(entry.name, entry);
  }

  function resolved(path: readonly string[], spec: CommandSpec, words: readonly string[]): ResolvedCommand {
    return {
      path,
      action: { name: actionName(path), access: spec.access },
      spec,
      parse: (env) => readOptions(spec, path, words, env).catch((error) => clippedRefusal(error, words)),
      async run(context) {
        try {
          const values = await readOptions(spec, path, words, parseEnvOf(context));
          await spec.run(context, values);
        } catch (error) {
          clippedRefusal(error, words);
        }
      },
    };
  }

  function resolve(text: string): ResolvedCommand {
    if (text.length > MAX_COMMAND_CHARS) throw tooLongCommand(text.length);
    const [first, second, ...more] = tokenize(text.replace(/^\s*\/peer\b/i, ""));
    const name = (first ?? "help").toLowerCase();
    const entry = byName.get(name);
    if (!entry) {
      throw new UserInputError(
        `I don't know the command ${quoteTyped(first ?? "")}. The commands are: ${[...byName.keys()].join(", ")}.`,
        "/peer help",
      );
    }
    if (entry.kind === "command") return resolved([name], entry, [second, ...more].filter(isWord));
    const wanted = second?.toLowerCase() ?? entry.bare;
    const sub = entry.subcommands.find((command) => command.name === wanted);
    if (sub) return resolved([name, sub.name], sub, more);
    const does = orList(entry.subcommands.map((command) => command.summary));
    const refusal = new UserInputError(
      second
        ? `${quoteTyped(second)} isn't something /peer ${name} does. It can ${does}.`
        : `/peer ${name} can ${does}. Say which.`,
      entry.subcommands[0]?.example ?? "/peer help",
    );
    return {
      path: [name],
      action: { name: actionName([name]), access: loosest(entry.subcommands.map((c) => c.access)) },
      spec: undefined,
      parse: () => Promise.reject(refusal),
      run: () => Promise.reject(refusal),
    };
  }

  return { entries, resolve };
}

function isWord(word: string | undefined): word is string {
  return word !== undefined;
}

/** `name:value`, where the name could be an option's. */
const NAMED = /^([a-z][a-z0-9-]*):(.*)$/is;

function describe(option: AnyOption): string {
  return option.form === "keyword" ? `${option.name} ${option.placeholder}` : option.placeholder;
}

/** Reads a command's option words into validated values (see the module comment for the forms). */
async function readOptions(
  spec: CommandSpec,
  path: readonly string[],
  words: readonly string[],
  env: ParseEnv,
): Promise<Record<string, unknown>> {
  const example = spec.example;
  if (spec.lenient) return Object.fromEntries(spec.options.map((option) => [option.name, undefined]));
  const byName = new Map(spec.options.map((option) => [option.name, option]));
  const positional = spec.options.filter((option) => option.form === "positional");
  const raw = new Map<string, string>();
  let nextPositional = 0;
  /** What the word before filled, and how it was written, for the missing-quotes hint. */
  let last: { option: AnyOption; written: "named" | "bare" } | undefined;

  const isOptionWord = (word: string) => {
    const named = NAMED.exec(word);
    if (named) return byName.has((named[1] ?? "").toLowerCase()) || spec.pairs === true;
    return byName.get(word.toLowerCase())?.form === "keyword";
  };
  /** Words from `from` up to the next option word: all of them, or just one. */
  const valueWords = (from: number, rest: boolean): string[] => {
    const taken: string[] = [];
    for (let i = from; i < words.length; i++) {
      const word = words[i] as string;
      if (isOptionWord(word)) break;
      taken.push(word);
      if (!rest) break;
    }
    return taken;
  };
  const set = (option: AnyOption, value: string, written: "named" | "bare") => {
    if (raw.has(option.name)) {
      throw new UserInputError(`${option.name} is given twice. Give each option once.`, example);
    }
    raw.set(option.name, value);
    last = { option, written };
  };

  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const named = NAMED.exec(word);
    if (named) {
      const key = (named[1] ?? "").toLowerCase();
      const value = named[2] ?? "";
      const option = byName.get(key);
      if (option) {
        if (value.trim() === "")
          throw new UserInputError(`${clipTyped(key)} has no value after the colon.`, example);
        set(option, value, "named");
        continue;
      }
      const [first, second] = positional;
      if (spec.pairs && nextPositional === 0 && first && second) {
        // `/peer set region:Mackay`: the setting, then its value (after the colon, or the next words).
        set(first, key, "bare");
        nextPositional = 1;
        if (value.trim() !== "") {
          const more = second.rest ? valueWords(i + 1, true) : [];
          set(second, [value, ...more].join(" "), "named");
          nextPositional = 2;
          i += more.length;
        }
        continue;
      }
      const names = spec.options.map((o) => o.name);
      throw new UserInputError(
        names.length > 0
          ? `${quoteTyped(key)} isn't an option here. The options are ${names.join(", ")}.`
          : `${commandPath(path)} doesn't take any options.`,
        example,
      );
    }
    const keyword = byName.get(word.toLowerCase());
    if (keyword?.form === "keyword") {
      const value = valueWords(i + 1, keyword.rest);
      if (value.length === 0) {
        throw new UserInputError(`"${keyword.name}" needs ${keyword.placeholder} after it.`, example);
      }
      set(keyword, value.join(" "), "bare");
      i += value.length;
      continue;
    }
    const slot = positional[nextPositional];
    if (slot) {
      const value = valueWords(i, slot.rest);
      set(slot, (value.length > 0 ? value : [word]).join(" "), "bare");
      nextPositional++;
      i += Math.max(value.length, 1) - 1;
      continue;
    }
    throw strayWord(spec, path, last, raw, valueWords(i, true), word);
  }

  return validate(spec, path, raw, env).catch((error) => clippedRefusal(error, [...raw.values()]));
}

/**
 * Values given by name outside a command line (a form's fields), read and
 * validated exactly as the command's options are. Empty fields count as left out.
 */
export function readNamedValues(
  spec: CommandSpec,
  path: readonly string[],
  given: Readonly<Record<string, string>>,
  env: ParseEnv,
): Promise<Record<string, unknown>> {
  const raw = new Map<string, string>();
  for (const option of spec.options) {
    const value = given[option.name];
    if (value !== undefined && value.trim() !== "") raw.set(option.name, value);
  }
  return validate(spec, path, raw, env).catch((error) => clippedRefusal(error, [...raw.values()]));
}

/** Each given value through its option's schema (in declared order), then anything required but missing. */
async function validate(
  spec: CommandSpec,
  path: readonly string[],
  raw: ReadonlyMap<string, string>,
  env: ParseEnv,
): Promise<Record<string, unknown>> {
  const example = spec.example;
  const values: Record<string, unknown> = {};
  for (const option of spec.options) {
    const typed = raw.get(option.name);
    if (typed === undefined) {
      values[option.name] = undefined;
      continue;
    }
    const result = await option.schema(env).safeParseAsync(typed);
    if (!result.success) {
      const [issue] = result.error.issues;
      const params =
        issue && "params" in issue ? (issue.params as { example?: unknown } | undefined) : undefined;
      throw new UserInputError(
        issue?.message ?? `${option.name} isn't right.`,
        typeof params?.example === "string" ? params.example : example,
      );
    }
    values[option.name] = result.data;
  }
  for (const option of spec.options) {
    if (!option.required || raw.has(option.name)) continue;
    const refusal = option.missing?.(values);
    // A refusal written without an example (an option's `missing` text) shows the command's.
    if (refusal && refusal.example === undefined) throw new UserInputError(refusal.message, example);
    throw refusal ?? new UserInputError(`${commandPath(path)} needs ${describe(option)}.`, example);
  }
  return values;
}

/** The refusal for a word that fits no option: most often a value with spaces and no quotes. */
function strayWord(
  spec: CommandSpec,
  path: readonly string[],
  last: { option: AnyOption; written: "named" | "bare" } | undefined,
  raw: ReadonlyMap<string, string>,
  run: readonly string[],
  word: string,
): UserInputError {
  const before = last ? raw.get(last.option.name) : undefined;
  if (last?.option.spaces && before !== undefined) {
    const whole = `${before} ${(run.length > 0 ? run : [word]).join(" ")}`;
    const quoted = last.written === "named" ? `${last.option.name}:${quoteTyped(whole)}` : quoteTyped(whole);
    return new UserInputError(
      `It looks like the ${last.option.name} has spaces in it. Put the whole value in double quotes: ${quoted}`,
      spec.example,
    );
  }
  if (spec.options.length === 0) {
    return new UserInputError(
      `${commandPath(path)} doesn't take anything after it, so I didn't understand ${quoteTyped(word)}.`,
      commandPath(path),
    );
  }
  const hasNamed = spec.options.some((option) => option.form === "named");
  return new UserInputError(
    hasNamed
      ? `I didn't understand ${quoteTyped(word)}. Options are written name:value, with no space after the colon.`
      : `I didn't understand ${quoteTyped(word)}. It goes: ${usageOf(path, spec)}`,
    spec.example,
  );
}
