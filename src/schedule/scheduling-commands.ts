import { choiceOption, commandsWith, textOption } from "../commands/schema.js";
import { UserInputError } from "../errors.js";
import { parseDate, parseRegion } from "../members/fields.js";
import { formatDate } from "../members/format.js";
import type { CustomQuestionStore, QuestionBankSource } from "../reflection/custom-questions.js";
import { THEMES } from "../reflection/question-bank.js";
import type { Clock } from "../time/clock.js";
import type { Holiday, HolidayStore } from "./holidays.js";

/** What the coordinators' commands use; the scheduling feature's deps have all of it. */
export interface SchedulingCommandDeps {
  readonly holidays: HolidayStore;
  readonly customQuestions: CustomQuestionStore;
  readonly questions: QuestionBankSource;
  readonly clock: Clock;
}

const HOLIDAY_EXAMPLE = '/peer holiday add 2026-12-28 region:"Wide Bay"';
const PROMPT_EXAMPLE = '/peer prompts add "What did you notice about your own needs today?" theme:self-care';
const THEME_IDS = THEMES.map((theme) => theme.id);

const { command, group } = commandsWith<SchedulingCommandDeps>();

function describeHoliday(holiday: Holiday): string {
  return `${formatDate(holiday.date)} — ${holiday.region ?? "every region"}`;
}

function holidayOptions(regionDescription: string) {
  return [
    textOption({
      name: "date",
      description: "The date, YYYY-MM-DD",
      form: "positional",
      required: true,
      placeholder: "YYYY-MM-DD",
      parse: (raw) => parseDate(raw, HOLIDAY_EXAMPLE),
      missing: () => new UserInputError("Give the holiday's date.", HOLIDAY_EXAMPLE),
    }),
    textOption({
      name: "region",
      description: regionDescription,
      placeholder: "<name>",
      spaces: true,
      maxLength: 60,
      parse: parseRegion,
    }),
  ] as const;
}

function holidayOf(options: { date: string; region: string | undefined }): Holiday {
  return { date: options.date, ...(options.region ? { region: options.region } : {}) };
}

/** `/peer holiday add|list|remove` and `/peer prompts add`: for network coordinators. */
export const schedulingCommands = [
  group({
    name: "holiday",
    description: "Coordinators: days when no one is messaged",
    subcommands: [
      command({
        name: "add",
        summary: "add a holiday (no prompts or tips go out that day)",
        description: "Add a holiday (coordinators only)",
        access: "coordinator",
        example: HOLIDAY_EXAMPLE,
        options: holidayOptions("Only for this region (leave out for everyone)"),
        async run(context, options, deps) {
          const holiday = holidayOf(options);
          const added = await deps.holidays.add(holiday);
          await context.responder.reply({
            text: added
              ? `Added: ${describeHoliday(holiday)}. Nobody there will get prompts or tips that day; anything due moves to their next working day.`
              : `That holiday is already on the list: ${describeHoliday(holiday)}.`,
          });
        },
      }),
      command({
        name: "list",
        summary: "list the upcoming holidays",
        description: "List the upcoming holidays (coordinators only)",
        access: "coordinator",
        example: "/peer holiday list",
        async run(context, _options, deps) {
          const today = deps.clock.now().toISOString().slice(0, 10);
          const upcoming = (await deps.holidays.list()).filter((h) => h.date >= today);
          await context.responder.reply({
            text:
              upcoming.length === 0
                ? `No upcoming holidays. Add one with ${HOLIDAY_EXAMPLE}`
                : `Upcoming holidays:\n${upcoming.map((h) => `• ${describeHoliday(h)}`).join("\n")}`,
          });
        },
      }),
      command({
        name: "remove",
        summary: "remove a holiday",
        description: "Remove a holiday (coordinators only)",
        access: "coordinator",
        example: "/peer holiday remove 2026-12-28",
        options: holidayOptions("The region it was added for (leave out if for everyone)"),
        async run(context, options, deps) {
          const holiday = holidayOf(options);
          const removed = await deps.holidays.remove(holiday);
          await context.responder.reply({
            text: removed
              ? `Removed: ${describeHoliday(holiday)}.`
              : `There's no holiday ${describeHoliday(holiday)} to remove.`,
          });
        },
      }),
    ],
  }),
  group({
    name: "prompts",
    description: "Coordinators: reflective prompts",
    subcommands: [
      command({
        name: "add",
        summary: "add a question to the bank of reflective prompts",
        description: "Add a reflective prompt (coordinators only)",
        access: "coordinator",
        usage: '/peer prompts add "<question>" theme:<theme>',
        example: PROMPT_EXAMPLE,
        options: [
          textOption({
            name: "question",
            description: "The question members will be asked",
            form: "positional",
            required: true,
            rest: true,
            spaces: true,
            placeholder: '"<question>"',
            parse: (raw) => {
              const question = raw.trim();
              if (question.length < 10 || question.length > 200 || question.includes(":")) {
                throw new UserInputError(
                  "Give the question in double quotes, 10 to 200 characters, then its theme.",
                  PROMPT_EXAMPLE,
                );
              }
              return question;
            },
            missing: () =>
              new UserInputError(
                "Give the question in double quotes, 10 to 200 characters, then its theme.",
                PROMPT_EXAMPLE,
              ),
          }),
          choiceOption({
            name: "theme",
            description: "Its theme",
            required: true,
            placeholder: "<theme>",
            values: THEME_IDS,
            labels: (id) => THEMES.find((theme) => theme.id === id)?.label ?? id,
            refusal: (typed) =>
              new UserInputError(
                `"${typed.toLowerCase()}" isn't a theme. The themes are: ${THEME_IDS.join(", ")}.`,
                PROMPT_EXAMPLE,
              ),
            missing: () =>
              new UserInputError(
                `Give the question's theme. The themes are: ${THEME_IDS.join(", ")}.`,
                PROMPT_EXAMPLE,
              ),
          }),
        ],
        async run(context, { question, theme }, deps) {
          const bank = await deps.questions.bank();
          if (bank.questions.some((q) => q.text.toLowerCase() === question.toLowerCase())) {
            throw new UserInputError("That question is already in the bank.", PROMPT_EXAMPLE);
          }
          const added = await deps.customQuestions.add(theme, question);
          deps.questions.invalidate();
          await context.responder.reply({
            text: `Added to ${theme} as ${added.id}. Members will get it as their rotation comes round.`,
          });
        },
      }),
    ],
  }),
];
