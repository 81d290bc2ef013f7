import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { exportCommand, forgetCommand } from "../../src/commands/data-rights.js";
import { createHelpCommand } from "../../src/commands/help.js";
import { joinCommand } from "../../src/commands/join.js";
import { pauseCommand, resumeCommand } from "../../src/commands/pause.js";
import { profileCommand, setCommand } from "../../src/commands/profile.js";
import type { AnyOption, CommandSpec, DeclaredEntry } from "../../src/commands/schema.js";
import { checkinCommands } from "../../src/features/checkins/checkin-commands.js";
import { circleCommands } from "../../src/features/circles/circle-commands.js";
import { supportCommand } from "../../src/features/safety/support-command.js";
import { reflectionCommands } from "../../src/reflection/reflection-commands.js";
import { scheduleCommand } from "../../src/schedule/schedule-command.js";
import { schedulingCommands } from "../../src/schedule/scheduling-commands.js";

/**
 * `/peer` as one Discord application command, generated from the core's
 * command schema: its subcommands, groups, options, choices and required
 * flags. `commandText` turns what the member picked back into the core's
 * text, written as the schema says each option is written, so the core never
 * sees Discord's shapes.
 */

/**
 * Every `/peer` command the app runs, as its features declare them, in the
 * order Discord lists them. peer-command.test.ts checks it against the
 * running bot's commands, so a feature's new command can't be left out.
 */
export const PEER_SCHEMA: readonly DeclaredEntry[] = [
  createHelpCommand(() => PEER_SCHEMA),
  joinCommand,
  profileCommand,
  setCommand,
  pauseCommand,
  resumeCommand,
  scheduleCommand,
  ...reflectionCommands,
  supportCommand,
  exportCommand,
  forgetCommand,
  ...schedulingCommands,
  ...circleCommands,
  ...checkinCommands,
];

const DESCRIPTION_MAX = 100;

function clip(text: string): string {
  return text.length <= DESCRIPTION_MAX ? text : `${text.slice(0, DESCRIPTION_MAX - 1)}…`;
}

/** What Discord shows for a command: its own description, or its summary, capitalised. */
export function discordDescription(spec: CommandSpec<readonly AnyOption[], never>): string {
  if (spec.description) return clip(spec.description);
  const summary = spec.summary.charAt(0).toUpperCase() + spec.summary.slice(1);
  return clip(spec.access === "coordinator" ? `${summary} (coordinators only)` : summary);
}

/** Discord's type for each kind of option. */
export const DISCORD_OPTION_TYPE = {
  text: ApplicationCommandOptionType.String,
  "yes-no": ApplicationCommandOptionType.Boolean,
  member: ApplicationCommandOptionType.User,
} as const;

function optionJson(option: AnyOption): APIApplicationCommandBasicOption {
  const base = { name: option.name, description: clip(option.description), required: option.required };
  if (option.type === "yes-no") return { ...base, type: ApplicationCommandOptionType.Boolean };
  if (option.type === "member") return { ...base, type: ApplicationCommandOptionType.User };
  const text = {
    ...base,
    type: ApplicationCommandOptionType.String as const,
    ...(option.maxLength ? { max_length: option.maxLength } : {}),
  };
  // Discord takes fixed choices or autocomplete, never both.
  if (option.suggest) return { ...text, autocomplete: true };
  if (option.choices) return { ...text, choices: option.choices.map(({ name, value }) => ({ name, value })) };
  return text;
}

function subcommandJson(
  spec: CommandSpec<readonly AnyOption[], never>,
): APIApplicationCommandSubcommandOption {
  // Discord wants required options first; the order is otherwise the schema's.
  const options = [...spec.options].sort((a, b) => Number(b.required) - Number(a.required));
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name: spec.name,
    description: discordDescription(spec),
    options: options.map(optionJson),
  };
}

/** The body Discord's command registration takes. */
export function peerCommandJson(
  schema: readonly DeclaredEntry[] = PEER_SCHEMA,
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    type: ApplicationCommandType.ChatInput,
    name: "peer",
    description: "The peer network bot: reflections, self-care and support lines",
    options: schema.map((entry) =>
      entry.kind === "group"
        ? {
            type: ApplicationCommandOptionType.SubcommandGroup as const,
            name: entry.name,
            description: clip(entry.description),
            options: entry.subcommands.map(subcommandJson),
          }
        : subcommandJson(entry),
    ),
  };
}

/** The options of an invocation as Discord nests them (discord.js `interaction.options.data` has this shape). */
export interface ChosenOption {
  readonly name: string;
  readonly type: number;
  readonly value?: string | number | boolean | undefined;
  readonly options?: readonly ChosenOption[] | undefined;
}

interface Chosen {
  readonly words: string[];
  readonly spec: CommandSpec<readonly AnyOption[], never> | undefined;
  readonly given: readonly ChosenOption[];
}

function resolve(chosen: readonly ChosenOption[], schema: readonly DeclaredEntry[]): Chosen {
  const [first] = chosen;
  if (!first) return { words: [], spec: undefined, given: [] };
  const entry = schema.find((e) => e.name === first.name);
  if (first.type === ApplicationCommandOptionType.SubcommandGroup) {
    const [sub] = first.options ?? [];
    return {
      words: sub ? [first.name, sub.name] : [first.name],
      spec: entry?.kind === "group" ? entry.subcommands.find((s) => s.name === sub?.name) : undefined,
      given: sub?.options ?? [],
    };
  }
  return {
    words: [first.name],
    spec: entry?.kind === "command" ? entry : undefined,
    given: first.options ?? [],
  };
}

/** Quotes a value with spaces. Double quotes inside would end the quoting, so they become single. */
function quote(value: string): string {
  const clean = value.replace(/["\u201C\u201D\u201E\u201F\u2033]/g, "'").trim();
  return clean === "" || /\s/.test(clean) ? `"${clean}"` : clean;
}

/** A chosen value as the core reads it: yes/no for a boolean, a mention for a user. */
function valueText(option: ChosenOption): string {
  const raw = option.value;
  if (typeof raw === "boolean") return raw ? "yes" : "no";
  if (option.type === ApplicationCommandOptionType.User) return `<@${String(raw)}>`;
  return quote(String(raw));
}

/** The core's text for an invocation, e.g. `join region:"Wide Bay" solo:yes` or `pause for 2w`. */
export function commandText(
  chosen: readonly ChosenOption[],
  schema: readonly DeclaredEntry[] = PEER_SCHEMA,
): string {
  const { words, spec, given } = resolve(chosen, schema);
  const declared = spec?.options ?? [];
  // In the schema's order, whatever order Discord sent them in.
  for (const option of declared) {
    const picked = given.find((o) => o.name === option.name);
    if (picked?.value === undefined) continue;
    const value = valueText(picked);
    if (option.form === "named") words.push(`${option.name}:${value}`);
    else if (option.form === "keyword") words.push(option.name, value);
    else words.push(value);
  }
  // An option the schema does not know (registered commands out of date) is passed on as name:value.
  for (const picked of given) {
    if (picked.value === undefined || declared.some((o) => o.name === picked.name)) continue;
    words.push(`${picked.name}:${valueText(picked)}`);
  }
  return words.join(" ");
}

/** The option being typed wants time zone suggestions. */
export function suggestsTimeZones(
  chosen: readonly ChosenOption[],
  focused: string,
  schema: readonly DeclaredEntry[] = PEER_SCHEMA,
): boolean {
  return (
    resolve(chosen, schema).spec?.options.some((o) => o.name === focused && o.suggest === "time-zones") ??
    false
  );
}
