import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { THEMES } from "../../src/reflection/question-bank.js";

/**
 * `/peer` as one Discord application command. The subcommands and options
 * mirror the core's text syntax, and `commandText` turns what the member
 * picked back into that text, so the core never sees Discord's shapes.
 */

interface OptionSpec {
  readonly name: string;
  readonly description: string;
  readonly type: "string" | "boolean";
  /**
   * How the option is written back: `named` as `region:"Wide Bay"`,
   * `value` as the bare (quoted if needed) value, `keyword` as `until 2027-01-15`.
   */
  readonly write: "named" | "value" | "keyword";
  readonly required?: boolean;
  readonly choices?: readonly { readonly name: string; readonly value: string }[];
  /** Suggest IANA time zones while the member types. */
  readonly timeZones?: boolean;
  readonly maxLength?: number;
}

const HOLIDAY_DATE: OptionSpec = {
  name: "date",
  description: "The date, YYYY-MM-DD",
  type: "string",
  write: "value",
  required: true,
};

interface SubcommandSpec {
  readonly name: string;
  readonly description: string;
  readonly options?: readonly OptionSpec[];
}

interface GroupSpec {
  readonly name: string;
  readonly description: string;
  readonly subcommands: readonly SubcommandSpec[];
}

const named = (value: string) => ({ name: value, value });
/** The core's question themes, so the member picks one rather than guessing its spelling. */
const THEME_CHOICES = THEMES.map((theme) => ({ name: theme.label, value: theme.id }));

export const PEER_SUBCOMMANDS: readonly SubcommandSpec[] = [
  { name: "help", description: "Show what I can do" },
  {
    name: "join",
    // Every option is optional: /peer join alone opens the join form.
    description: "Join the peer network (I'll ask before storing anything)",
    options: [
      {
        name: "region",
        description: "Where you work, e.g. Wide Bay",
        type: "string",
        write: "named",
        maxLength: 60,
      },
      {
        name: "tz",
        description: "Your time zone, e.g. Australia/Brisbane",
        type: "string",
        write: "named",
        timeZones: true,
      },
      {
        name: "days",
        description: "Days you work, e.g. mon-wed or mon,wed,thu",
        type: "string",
        write: "named",
      },
      { name: "hours", description: "Hours on those days, e.g. 09:00-15:00", type: "string", write: "named" },
      {
        name: "solo",
        description: "Are you the only peer worker in your service or region?",
        type: "boolean",
        write: "named",
      },
    ],
  },
  { name: "profile", description: "Show the settings I keep for you" },
  {
    name: "set",
    description: "Change one of your settings",
    options: [
      {
        name: "field",
        description: "The setting to change",
        type: "string",
        write: "value",
        required: true,
        choices: ["region", "tz", "days", "hours", "solo", "prompts", "prompt-time", "tips"].map(named),
      },
      { name: "value", description: "The new value", type: "string", write: "value", required: true },
    ],
  },
  {
    name: "pause",
    description: "Take a break from messages, no reason needed",
    options: [
      { name: "until", description: "Pause until this date (YYYY-MM-DD)", type: "string", write: "keyword" },
      { name: "for", description: "Pause for a while, e.g. 10d or 2w", type: "string", write: "keyword" },
    ],
  },
  { name: "resume", description: "End a pause" },
  {
    name: "reflect",
    description: "Start a reflection now",
    options: [
      {
        name: "theme",
        description: "A theme for the question",
        type: "string",
        write: "value",
        choices: THEME_CHOICES,
      },
    ],
  },
  { name: "journal", description: "Look back over your reflections" },
  { name: "tip", description: "Get a self-care tip" },
  { name: "support", description: "Support lines for where you are, any time" },
  { name: "export", description: "Send me everything stored about me" },
  { name: "forget", description: "Delete everything stored about me (I'll ask you to confirm)" },
];

export const PEER_GROUPS: readonly GroupSpec[] = [
  {
    name: "holiday",
    description: "Coordinators: days when no one is messaged",
    subcommands: [
      {
        name: "add",
        description: "Add a holiday (coordinators only)",
        options: [
          HOLIDAY_DATE,
          {
            name: "region",
            description: "Only for this region (leave out for everyone)",
            type: "string",
            write: "named",
            maxLength: 60,
          },
        ],
      },
      { name: "list", description: "List the upcoming holidays (coordinators only)" },
      {
        name: "remove",
        description: "Remove a holiday (coordinators only)",
        options: [
          HOLIDAY_DATE,
          {
            name: "region",
            description: "The region it was added for (leave out if for everyone)",
            type: "string",
            write: "named",
            maxLength: 60,
          },
        ],
      },
    ],
  },
  {
    name: "prompts",
    description: "Coordinators: reflective prompts",
    subcommands: [
      {
        name: "add",
        description: "Add a reflective prompt (coordinators only)",
        options: [
          {
            name: "question",
            description: "The question members will be asked",
            type: "string",
            write: "value",
            required: true,
          },
          {
            name: "theme",
            description: "Its theme",
            type: "string",
            write: "named",
            required: true,
            choices: THEME_CHOICES,
          },
        ],
      },
    ],
  },
];

function optionJson(option: OptionSpec): APIApplicationCommandBasicOption {
  const base = { name: option.name, description: option.description, required: option.required ?? false };
  if (option.type === "boolean") return { ...base, type: ApplicationCommandOptionType.Boolean };
  const text = {
    ...base,
    type: ApplicationCommandOptionType.String as const,
    ...(option.maxLength ? { max_length: option.maxLength } : {}),
  };
  // Discord takes fixed choices or autocomplete, never both.
  if (option.timeZones) return { ...text, autocomplete: true };
  if (option.choices) return { ...text, choices: [...option.choices] };
  return text;
}

function subcommandJson(subcommand: SubcommandSpec): APIApplicationCommandSubcommandOption {
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name: subcommand.name,
    description: subcommand.description,
    options: (subcommand.options ?? []).map(optionJson),
  };
}

/** The body Discord's command registration takes. */
export function peerCommandJson(): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    type: ApplicationCommandType.ChatInput,
    name: "peer",
    description: "The peer network bot: reflections, check-ins and self-care",
    options: [
      ...PEER_SUBCOMMANDS.map(subcommandJson),
      ...PEER_GROUPS.map((group) => ({
        type: ApplicationCommandOptionType.SubcommandGroup as const,
        name: group.name,
        description: group.description,
        options: group.subcommands.map(subcommandJson),
      })),
    ],
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
  readonly spec: SubcommandSpec | undefined;
  readonly given: readonly ChosenOption[];
}

function resolve(chosen: readonly ChosenOption[]): Chosen {
  const [first] = chosen;
  if (!first) return { words: [], spec: undefined, given: [] };
  if (first.type === ApplicationCommandOptionType.SubcommandGroup) {
    const [sub] = first.options ?? [];
    const group = PEER_GROUPS.find((g) => g.name === first.name);
    return {
      words: sub ? [first.name, sub.name] : [first.name],
      spec: group?.subcommands.find((s) => s.name === sub?.name),
      given: sub?.options ?? [],
    };
  }
  return {
    words: [first.name],
    spec: PEER_SUBCOMMANDS.find((s) => s.name === first.name),
    given: first.options ?? [],
  };
}

/** Quotes a value with spaces. Double quotes inside would end the quoting, so they become single. */
function quote(value: string): string {
  const clean = value.replace(/["\u201C\u201D\u201E\u201F\u2033]/g, "'").trim();
  return clean === "" || /\s/.test(clean) ? `"${clean}"` : clean;
}

/** The core's text for an invocation, e.g. `join region:"Wide Bay" solo:yes` or `pause for 2w`. */
export function commandText(chosen: readonly ChosenOption[]): string {
  const { words, spec, given } = resolve(chosen);
  // An option the definitions do not know (registered commands out of date) is passed on as name:value.
  const known = spec?.options ?? given.map((o) => ({ name: o.name, write: "named" as const }));
  for (const option of known) {
    const raw = given.find((o) => o.name === option.name)?.value;
    if (raw === undefined) continue;
    const value = typeof raw === "boolean" ? (raw ? "yes" : "no") : quote(String(raw));
    if (option.write === "named") words.push(`${option.name}:${value}`);
    else if (option.write === "keyword") words.push(option.name, value);
    else words.push(value);
  }
  return words.join(" ");
}

/** The option being typed wants time zone suggestions. */
export function suggestsTimeZones(chosen: readonly ChosenOption[], focused: string): boolean {
  return resolve(chosen).spec?.options?.some((o) => o.name === focused && o.timeZones === true) ?? false;
}
