import type { Feature } from "../bot/feature.js";
import type { MemberChange } from "../commands/context.js";
import { parseOptions } from "../commands/tokenize.js";
import { UserInputError } from "../errors.js";
import { parseDate, parseRegion } from "../members/fields.js";
import { formatDate } from "../members/format.js";
import type { Member } from "../members/member.js";
import type { MemberId } from "../platform/chat-platform.js";
import type { CustomQuestionStore, QuestionBankSource } from "../reflection/custom-questions.js";
import type { ReflectionStateStore } from "../reflection/reflection-state.js";
import type { Clock } from "../time/clock.js";
import type { Holiday, HolidayStore } from "./holidays.js";
import type { Planner } from "./planner.js";
import type { ScheduleStore } from "./schedule-store.js";

export interface SchedulingFeatureDeps {
  readonly planner: Planner;
  readonly schedule: ScheduleStore;
  readonly holidays: HolidayStore;
  readonly customQuestions: CustomQuestionStore;
  readonly questions: QuestionBankSource;
  readonly reflection: ReflectionStateStore;
  readonly clock: Clock;
}

const HOLIDAY_EXAMPLE = '/peer holiday add 2026-12-28 region:"Wide Bay"';
const PROMPT_EXAMPLE = '/peer prompts add "What did you notice about your own needs today?" theme:self-care';
const DAY_MS = 24 * 60 * 60 * 1000;

function parseHoliday(args: readonly string[]): Holiday {
  const [date, ...rest] = args;
  if (!date) throw new UserInputError("Give the holiday's date.", HOLIDAY_EXAMPLE);
  const options = parseOptions(rest, ["region"], HOLIDAY_EXAMPLE);
  const region = options.get("region");
  return {
    date: parseDate(date, HOLIDAY_EXAMPLE),
    ...(region ? { region: parseRegion(region) } : {}),
  };
}

function describeHoliday(holiday: Holiday): string {
  return `${formatDate(holiday.date)} — ${holiday.region ?? "every region"}`;
}

/**
 * Keeps schedules in step with members (join, settings, pause, resume,
 * forget) and gives coordinators holidays and extra questions.
 */
export function createSchedulingFeature(deps: SchedulingFeatureDeps) {
  async function onMemberChanged(id: MemberId, member: Member | null, change: MemberChange): Promise<void> {
    if (!member) {
      await deps.schedule.removeMember(id);
      return;
    }
    if (change === "resumed") {
      // The resume reply is the welcome back; the next question is a gentle one, from tomorrow.
      await deps.reflection.setGentle(id, true);
      await deps.planner.plan(member, { promptsNotBefore: new Date(deps.clock.now().getTime() + DAY_MS) });
      return;
    }
    await deps.planner.plan(member);
  }

  const feature: Feature = {
    commands: [
      {
        name: "holiday",
        usage: "/peer holiday add YYYY-MM-DD [region:<name>] | list | remove YYYY-MM-DD [region:<name>]",
        summary: "regional holidays, when no prompts are sent (coordinators)",
        coordinatorOnly: true,
        async run(context, args) {
          const [action, ...rest] = args;
          switch (action?.toLowerCase()) {
            case "add": {
              const holiday = parseHoliday(rest);
              const added = await deps.holidays.add(holiday);
              await context.responder.reply({
                text: added
                  ? `Added: ${describeHoliday(holiday)}. Nobody there will get prompts or tips that day; anything due moves to their next working day.`
                  : `That holiday is already on the list: ${describeHoliday(holiday)}.`,
              });
              return;
            }
            case "remove": {
              const holiday = parseHoliday(rest);
              const removed = await deps.holidays.remove(holiday);
              await context.responder.reply({
                text: removed
                  ? `Removed: ${describeHoliday(holiday)}.`
                  : `There's no holiday ${describeHoliday(holiday)} to remove.`,
              });
              return;
            }
            case "list": {
              const today = deps.clock.now().toISOString().slice(0, 10);
              const upcoming = (await deps.holidays.list()).filter((h) => h.date >= today);
              await context.responder.reply({
                text:
                  upcoming.length === 0
                    ? `No upcoming holidays. Add one with ${HOLIDAY_EXAMPLE}`
                    : `Upcoming holidays:\n${upcoming.map((h) => `• ${describeHoliday(h)}`).join("\n")}`,
              });
              return;
            }
            default:
              throw new UserInputError(
                action
                  ? `"${action}" isn't something /peer holiday does. It can add, list or remove.`
                  : "Say add, list or remove.",
                HOLIDAY_EXAMPLE,
              );
          }
        },
      },
      {
        name: "prompts",
        usage: '/peer prompts add "<question>" theme:<theme>',
        summary: "add a reflective question to the bank (coordinators)",
        coordinatorOnly: true,
        async run(context, args) {
          const [action, text, ...rest] = args;
          if (action?.toLowerCase() !== "add") {
            throw new UserInputError(
              `/peer prompts can add a question${action ? `, not "${action}"` : ""}.`,
              PROMPT_EXAMPLE,
            );
          }
          const question = text?.trim() ?? "";
          if (question.length < 10 || question.length > 200 || question.includes(":")) {
            throw new UserInputError(
              "Give the question in double quotes, 10 to 200 characters, then its theme.",
              PROMPT_EXAMPLE,
            );
          }
          const themeId = parseOptions(rest, ["theme"], PROMPT_EXAMPLE).get("theme")?.toLowerCase();
          const bank = await deps.questions.bank();
          if (!themeId || !bank.themes.some((t) => t.id === themeId)) {
            throw new UserInputError(
              `${themeId ? `"${themeId}" isn't a theme. ` : "Give the question's theme. "}The themes are: ${bank.themes.map((t) => t.id).join(", ")}.`,
              PROMPT_EXAMPLE,
            );
          }
          if (bank.questions.some((q) => q.text.toLowerCase() === question.toLowerCase())) {
            throw new UserInputError("That question is already in the bank.", PROMPT_EXAMPLE);
          }
          const added = await deps.customQuestions.add(themeId, question);
          deps.questions.invalidate();
          await context.responder.reply({
            text: `Added to ${themeId} as ${added.id}. Members will get it as their rotation comes round.`,
          });
        },
      },
    ],
  };
  return { feature, onMemberChanged };
}
