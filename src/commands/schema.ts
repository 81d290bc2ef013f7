import { z } from "zod";
import type { Access } from "../bot/authority.js";
import { UserInputError } from "../errors.js";
import type { HandleStore } from "../members/handles.js";
import type { MemberId } from "../platform/chat-platform.js";
import type { HandlerContext } from "./context.js";
import { clipTyped, quoteTyped } from "./quote-typed.js";

/**
 * The one declarative description of `/peer`: every subcommand and group,
 * its typed options (validated with zod), and who may run it. From it come
 * the text parser (`parser.ts`), `/peer help` (`help.ts`) and the Discord
 * application command (`adapters/discord/peer-command.ts`).
 *
 * A feature declares its commands with `defineCommand` / `defineGroup` (or
 * `commandsWith<Deps>()` when they need the feature's stores, then
 * `bindCommands(specs, deps)` in the feature) and lists them in its
 * `commands`. Access is declared, never checked here: the bot's pipeline asks
 * `can(actor, action)` with the `action` the parser returns.
 */

export type { Access } from "../bot/authority.js";

/** What a parse needs to know beyond the text: who is asking (for Slack mentions) and the handles. */
export interface ParseEnv {
  readonly asker: MemberId;
  readonly handles?: Pick<HandleStore, "memberFor"> | undefined;
}

/** How an option's value arrives: as text, yes/no, or a member (a Discord user option). */
export type OptionType = "text" | "yes-no" | "member";

/**
 * How an option is written in text:
 * - `named`: `region:"Wide Bay"`;
 * - `positional`: the bare value, in the order declared (`/peer holiday add 2026-12-25`);
 * - `keyword`: the option's name, then its value (`/peer pause for 2w`).
 * `named` is accepted for every option, so `/peer pause until:2027-01-15` works too.
 */
export type OptionForm = "named" | "positional" | "keyword";

export interface Choice {
  /** What the member sees (Discord's choice name). */
  readonly name: string;
  /** What is written in the command's text. */
  readonly value: string;
}

export interface OptionSpec<N extends string = string, T = unknown, R extends boolean = boolean> {
  readonly name: N;
  /** One line on what to give, e.g. "The date, YYYY-MM-DD". Discord shows it (at most 100 characters). */
  readonly description: string;
  readonly type: OptionType;
  readonly form: OptionForm;
  readonly required: R;
  /** Its placeholder in usage lines, e.g. `YYYY-MM-DD`, `<name>`. */
  readonly placeholder: string;
  /** A positional or keyword option that takes every word up to the next option, so spaces need no quotes. */
  readonly rest: boolean;
  /** Its values may contain spaces: a stray word after it means the quotes were left off. */
  readonly spaces: boolean;
  /** The values it takes, when there is a fixed list (Discord shows them as choices). */
  readonly choices?: readonly Choice[];
  /** Discord suggests values while the member types. */
  readonly suggest?: "time-zones";
  readonly maxLength?: number;
  /** The refusal when a required option is missing, given the options read so far. */
  readonly missing?: (given: Readonly<Record<string, unknown>>) => UserInputError;
  /** Validates and converts the typed text. Refusals carry the problem and, in `params.example`, the right form. */
  schema(env: ParseEnv): z.ZodType<T, string>;
}

// biome-ignore lint/suspicious/noExplicitAny: the erased form of any option's value type
export type AnyOption = OptionSpec<string, any, boolean>;

type ValueOf<O> = O extends OptionSpec<string, infer T, infer R>
  ? R extends true
    ? T
    : T | undefined
  : never;

/** The typed values a command's `run` is given: each option by name, undefined when left out. */
export type OptionValues<O extends readonly AnyOption[]> = {
  readonly [K in O[number] as K["name"]]: ValueOf<K>;
};

export interface CommandSpec<O extends readonly AnyOption[] = readonly AnyOption[], D = void> {
  readonly kind: "command";
  /** One word: `join`, or `add` inside the `holiday` group. */
  readonly name: string;
  /** For help: what it does, lower-case, e.g. "take a break from messages — no reason needed". */
  readonly summary: string;
  /** For Discord, at most 100 characters (default: the summary, capitalised, and "(coordinators only)"). */
  readonly description?: string;
  readonly access: Access;
  readonly options: O;
  /** A full, correct command, shown under refusals: `/peer pause for 2w`. */
  readonly example: string;
  /** The usage line in help, when the generated one reads badly. */
  readonly usage?: string;
  /**
   * The first option is a setting's name and the second its value, and they
   * may be joined with a colon: `/peer set region:Mackay` is `/peer set region Mackay`.
   */
  readonly pairs?: boolean;
  /** Words after it are ignored rather than refused (`/peer help me` still helps). */
  readonly lenient?: boolean;
  run(context: HandlerContext, options: OptionValues<O>, deps: D): Promise<void>;
}

export interface GroupSpec<D = void> {
  readonly kind: "group";
  readonly name: string;
  /** For Discord (at most 100 characters), e.g. "Coordinators: days when no one is messaged". */
  readonly description: string;
  readonly subcommands: readonly CommandSpec<readonly AnyOption[], D>[];
  /** The subcommand run when the group is named alone (`/peer circle` shows my circle). */
  readonly bare?: string;
}

/** One top-level entry of `/peer`: a command, or a group of them. */
export type CommandEntry<D = void> = CommandSpec<readonly AnyOption[], D> | GroupSpec<D>;

/**
 * An entry as declared, whatever deps it runs with: what help and the Discord
 * definition are generated from. (Not runnable as is: bind its deps first.)
 */
export type DeclaredEntry = CommandEntry<never>;

/** What the authority check is given for a command: a stable name and who may run it. */
export interface CommandAction {
  /** `command:join`, `command:holiday.add`. */
  readonly name: string;
  readonly access: Access;
}

/** The stable action name for a command path: `["holiday", "add"]` → `command:holiday.add`. */
export function actionName(path: readonly string[]): string {
  return `command:${path.join(".")}`;
}

/** `/peer holiday add`. */
export function commandPath(path: readonly string[]): string {
  return ["/peer", ...path].join(" ");
}

/** `region:<name>`, `[solo:yes|no]`, `YYYY-MM-DD`, `[until YYYY-MM-DD]`. */
function optionUsage(option: AnyOption): string {
  const written =
    option.form === "named"
      ? `${option.name}:${option.placeholder}`
      : option.form === "keyword"
        ? `${option.name} ${option.placeholder}`
        : option.placeholder;
  return option.required ? written : `[${written}]`;
}

/** The usage line of a command, from its options (or the one it declares). */
export function usageOf(path: readonly string[], spec: CommandSpec<readonly AnyOption[], never>): string {
  return spec.usage ?? [commandPath(path), ...spec.options.map(optionUsage)].join(" ");
}

type CommandInput<O extends readonly AnyOption[], D> = Omit<CommandSpec<O, D>, "kind" | "options"> & {
  readonly options?: O;
};

type GroupInput<D> = Omit<GroupSpec<D>, "kind">;

/**
 * Builders for commands whose `run` is given the feature's deps as its third
 * argument: `const { command } = commandsWith<ReflectionCommandDeps>();`.
 */
export function commandsWith<D>() {
  return {
    command<const O extends readonly AnyOption[] = readonly []>(spec: CommandInput<O, D>): CommandSpec<O, D> {
      return { ...spec, kind: "command", options: spec.options ?? ([] as unknown as O) };
    },
    group(spec: GroupInput<D>): GroupSpec<D> {
      return { ...spec, kind: "group" };
    },
  };
}

const core = commandsWith<void>();
/** A command that needs nothing beyond the handler context. */
export const defineCommand = core.command;
export const defineGroup = core.group;

/** The feature's commands, with its deps bound in: ready to list in `Feature.commands`. */
export function bindCommands<D>(entries: readonly CommandEntry<D>[], deps: D): CommandEntry[] {
  const bind = (spec: CommandSpec<readonly AnyOption[], D>): CommandSpec<readonly AnyOption[]> => ({
    ...spec,
    run: (context, options) => spec.run(context, options, deps),
  });
  return entries.map((entry) =>
    entry.kind === "group" ? { ...entry, subcommands: entry.subcommands.map(bind) } : bind(entry),
  );
}

// --- Options -------------------------------------------------------------

interface OptionInput<N extends string, R extends boolean> {
  readonly name: N;
  readonly description: string;
  readonly form?: OptionForm;
  readonly required?: R;
  readonly placeholder?: string;
  readonly rest?: boolean;
  readonly spaces?: boolean;
  readonly choices?: readonly Choice[];
  readonly suggest?: "time-zones";
  readonly maxLength?: number;
  readonly missing?: string | ((given: Readonly<Record<string, unknown>>) => UserInputError);
}

/** The issue a refusal becomes inside zod, keeping its example. */
function refuse(ctx: z.RefinementCtx, error: UserInputError): typeof z.NEVER {
  ctx.addIssue({ code: "custom", message: error.message, params: { example: error.example } });
  return z.NEVER;
}

/**
 * A zod schema from a parse function that throws UserInputError (the field
 * parsers in `members/fields.ts`): its refusal becomes the issue.
 */
export function parsedBy<T>(parse: (raw: string) => T | Promise<T>): z.ZodType<T, string> {
  return z.string().transform(async (raw, ctx) => {
    try {
      return await parse(raw);
    } catch (error) {
      if (error instanceof UserInputError) return refuse(ctx, error);
      throw error;
    }
  }) as unknown as z.ZodType<T, string>;
}

function build<N extends string, T, R extends boolean>(
  input: OptionInput<N, R>,
  type: OptionType,
  schema: (env: ParseEnv) => z.ZodType<T, string>,
  defaultPlaceholder: string,
): OptionSpec<N, T, R> {
  const { missing, ...rest } = input;
  return {
    ...rest,
    type,
    form: input.form ?? "named",
    required: (input.required ?? false) as R,
    placeholder: input.placeholder ?? defaultPlaceholder,
    rest: input.rest ?? false,
    spaces: input.spaces ?? false,
    ...(missing === undefined
      ? {}
      : { missing: typeof missing === "string" ? () => new UserInputError(missing) : missing }),
    schema,
  };
}

/** A text option, read by `parse` (which throws UserInputError on bad input) or kept as typed (trimmed). */
export function textOption<const N extends string, T = string, const R extends boolean = false>(
  input: OptionInput<N, R> & { readonly parse?: (raw: string) => T },
): OptionSpec<N, T, R> {
  const { parse, ...spec } = input;
  const schema = parse ? parsedBy(parse) : (z.string().trim() as unknown as z.ZodType<T, string>);
  return build(spec, "text", () => schema, `<${input.name}>`);
}

/**
 * One of a fixed list (compared without case). `refusal` words the reply to
 * anything else; `choices` are what Discord offers.
 */
export function choiceOption<const N extends string, const V extends string, const R extends boolean = false>(
  input: OptionInput<N, R> & {
    readonly values: readonly V[];
    readonly refusal: (typed: string) => UserInputError;
    readonly labels?: (value: V) => string;
  },
): OptionSpec<N, V, R> {
  const { values, refusal, labels, ...spec } = input;
  const allowed = z.enum(values);
  const schema = z.string().transform((raw, ctx): V => {
    const found = allowed.safeParse(raw.trim().toLowerCase());
    return found.success ? (found.data as V) : refuse(ctx, refusal(raw.trim()));
  }) as unknown as z.ZodType<V, string>;
  return build(
    { choices: values.map((value) => ({ name: labels?.(value) ?? value, value })), ...spec },
    "text",
    () => schema,
    values.join("|"),
  );
}

const YES = ["yes", "y", "true", "on"] as const;
const NO = ["no", "n", "false", "off"] as const;

/** yes or no (also y/n, true/false, on/off). Discord shows a true/false option. */
export function yesNoOption<const N extends string, const R extends boolean = false>(
  input: OptionInput<N, R>,
): OptionSpec<N, boolean, R> {
  const schema = z.string().transform((raw, ctx) => {
    const word = raw.trim().toLowerCase();
    if ((YES as readonly string[]).includes(word)) return true;
    if ((NO as readonly string[]).includes(word)) return false;
    return refuse(
      ctx,
      new UserInputError(
        `${input.name} takes yes or no, not ${quoteTyped(raw.trim())}.`,
        `${input.name}:yes`,
      ),
    );
  }) as unknown as z.ZodType<boolean, string>;
  return build(input, "yes-no", () => schema, "yes|no");
}

/** A Slack mention as Slack writes it in text: `<@U02ABC>` or `<@U02ABC|kim>`. */
const SLACK_MENTION = /^<@([UW][A-Z0-9]{1,40})(?:\|[^>]*)?>$/;
/** A Discord mention: `<@123…>` (or the older `<@!123…>`), as peer-command.ts writes a user option. */
const DISCORD_MENTION = /^<@!?(\d{5,25})>$/;

/**
 * Someone in the network: a platform mention, or a handle (`@kim`, `kim`),
 * which names a member on any platform. The value is their member id. A
 * handle must belong to someone; a mention is taken as the platform gives it.
 */
export function memberOption<const N extends string, const R extends boolean = false>(
  input: OptionInput<N, R>,
): OptionSpec<N, MemberId, R> {
  const example = `${input.name}:@kim`;
  const schema = (env: ParseEnv) =>
    z.string().transform(async (raw, ctx): Promise<MemberId> => {
      const typed = raw.trim();
      const slack = SLACK_MENTION.exec(typed);
      if (slack) {
        const [platform, team] = env.asker.split(":");
        if (platform !== "slack" || !team) {
          return refuse(
            ctx,
            new UserInputError(
              `${clipTyped(typed)} is a Slack mention, and you're not on Slack, so I can't tell who it is. Use their handle instead (they can see it with /peer profile).`,
              example,
            ),
          );
        }
        return `slack:${team}:${slack[1]}`;
      }
      const discord = DISCORD_MENTION.exec(typed);
      if (discord) return `discord:${discord[1]}`;
      const handle = typed.replace(/^@/, "").toLowerCase();
      const id = await env.handles?.memberFor(handle);
      if (id) return id;
      return refuse(
        ctx,
        new UserInputError(
          `I don't know anyone with the handle ${quoteTyped(typed.replace(/^@/, ""))}. Mention them, or ask them for their handle — it's in their /peer profile.`,
          example,
        ),
      );
    }) as unknown as z.ZodType<MemberId, string>;
  return build(input, "member", schema, "@handle");
}
