import { DateTime } from "luxon";
import type { HandlerContext } from "../../commands/context.js";
import { quoteTyped } from "../../commands/quote-typed.js";
import { choiceOption, commandsWith, memberOption, textOption, yesNoOption } from "../../commands/schema.js";
import { UserInputError } from "../../errors.js";
import { parseTimeZone } from "../../members/fields.js";
import type { Member } from "../../members/member.js";
import type { ScheduleStore } from "../../schedule/schedule-store.js";
import type { Clock } from "../../time/clock.js";
import type { CircleStore, RoundSchedule } from "./circle-store.js";
import { atLeastFive, firstName, platformName } from "./circle-words.js";
import type { Circles, RoundSummary } from "./circles.js";
import { weekMask } from "./matching/index.js";
import { describeShared, nextWeekStart, sharedMask } from "./shared-hours.js";

export interface CircleCommandDeps {
  readonly store: CircleStore;
  readonly circles: Circles;
  readonly schedule: ScheduleStore;
  readonly clock: Clock;
  /** Where the round's work item goes (a running platform's queue). */
  readonly roundSubject: () => string;
}

export const ROUND_KIND = "circles-round";
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const JOIN_EXAMPLE = "/peer circle join size:4 mode:rotating";
const SCHEDULE_EXAMPLE = "/peer circles schedule every 2w mon 09:00 tz:Australia/Brisbane";

const { command, group } = commandsWith<CircleCommandDeps>();

/** The next round's time on or after `from`, per the schedule. */
export function nextRoundAt(schedule: RoundSchedule, from: Date, after?: number): number {
  const [hour, minute] = schedule.time.split(":").map(Number);
  let at = DateTime.fromJSDate(from, { zone: schedule.timeZone }).set({
    hour: hour ?? 9,
    minute: minute ?? 0,
    second: 0,
    millisecond: 0,
  });
  const weekday = DAYS.indexOf(schedule.day) + 1;
  while (at.weekday !== weekday || at.toMillis() <= from.getTime()) at = at.plus({ days: 1 });
  if (after !== undefined) at = at.plus({ weeks: schedule.everyWeeks - 1 });
  return at.toMillis();
}

function describeRound(summary: RoundSummary, dryRun: boolean): string {
  const head = dryRun
    ? "A dry run — nobody has been told anything, and no circle was made:"
    : "The round has run:";
  return [
    head,
    `• New circles: ${summary.placed >= 5 ? summary.formed : atLeastFive(summary.placed)}, with ${atLeastFive(summary.placed)} people`,
    `• Stable circles carrying on: ${summary.kept}`,
    `• Not placed this round: ${atLeastFive(summary.unplaced)}${dryRun ? "" : " (each has been told why, privately)"}`,
    `• Sole workers placed: ${atLeastFive(summary.soleWorkersPlaced)} of ${atLeastFive(summary.soleWorkers)}`,
    `• Shared working hours a week: ${summary.meanOverlapHours.toFixed(1)} on average, at least ${summary.minOverlapHours.toFixed(1)}`,
    ...(summary.relaxed.length > 0
      ? [`• To fit everyone, I had to relax: ${summary.relaxed.join(", ")}`]
      : []),
  ].join("\n");
}

async function myCircle(context: HandlerContext, deps: CircleCommandDeps): Promise<string> {
  const me = context.member as Member;
  const circle = await deps.store.circleOf(me.id);
  const wish = await deps.store.wish(me.id);
  if (!circle) {
    return wish
      ? "You're in for peer circles; you'll be placed at the next round. /peer circle leave if you change your mind."
      : "You're not in a peer circle. /peer circle join puts you in for the next round: a small group of 3 to 5 peer workers from other places, whose working hours overlap with yours.";
  }
  const members = (await context.deps.members.getMany(circle.members)).filter((m): m is Member => m !== null);
  const weekStart = nextWeekStart(context.deps.clock.now());
  const shared = describeShared(
    sharedMask(members.map((m) => weekMask(m, weekStart))),
    weekStart,
    me.timeZone,
  );
  return [
    `Your peer circle (${circle.mode === "stable" ? "stays together" : "changes each round"}):`,
    ...members.map((m) => `• ${firstName(m)} — ${m.region}, on ${platformName(m.id)}`),
    "",
    `When your working hours overlap, in your time (${me.timeZone}): ${shared || "none this week"}`,
  ].join("\n");
}

/** `/peer circle …` for members, `/peer conflict …` and `/peer circles …` for coordinators. */
export const circleCommands = [
  group({
    name: "circle",
    description: "Peer circles: small groups of peer workers from other places",
    bare: "show",
    subcommands: [
      command({
        name: "show",
        summary: "your peer circle: who is in it, and when your working hours overlap",
        description: "Show your peer circle",
        access: "member",
        example: "/peer circle",
        async run(context, _options, deps) {
          await context.responder.reply({ text: await myCircle(context, deps) });
        },
      }),
      command({
        name: "join",
        summary: "be placed in a peer circle at the next round",
        description: "Join peer circles",
        access: "member",
        example: JOIN_EXAMPLE,
        options: [
          choiceOption({
            name: "size",
            description: "How many people you'd like in it (3 to 5; 4 if you don't mind)",
            values: ["3", "4", "5"] as const,
            refusal: (typed) =>
              new UserInputError(`size takes 3, 4 or 5, not ${quoteTyped(typed)}.`, JOIN_EXAMPLE),
          }),
          choiceOption({
            name: "mode",
            description: "stable: the same people each round; rotating: new people each round",
            values: ["stable", "rotating"] as const,
            refusal: (typed) =>
              new UserInputError(`mode takes stable or rotating, not ${quoteTyped(typed)}.`, JOIN_EXAMPLE),
          }),
        ],
        async run(context, options, deps) {
          const size = options.size ? (Number(options.size) as 3 | 4 | 5) : undefined;
          const mode = options.mode ?? "rotating";
          await deps.store.setWish(context.memberId, {
            mode,
            since: context.deps.clock.now().toISOString(),
            ...(size ? { size } : {}),
          });
          await context.responder.reply({
            text: `You're in. At the next round I'll place you in a circle${size ? ` of ${size}` : ""} with peer workers from other places whose working hours overlap with yours, and ${mode === "stable" ? "keep it together for as long as you all stay in" : "you'll meet new people each round"}. /peer circle leave any time — no reason needed.`,
          });
        },
      }),
      command({
        name: "leave",
        summary: "leave your circle and stop being placed in new ones",
        description: "Leave peer circles",
        access: "member",
        example: "/peer circle leave",
        async run(context, _options, deps) {
          const wish = await deps.store.wish(context.memberId);
          await deps.store.setWish(context.memberId, null);
          const left = await deps.circles.leave(context.memberId, context.member);
          await context.responder.reply({
            text:
              left || wish
                ? "Done — you're out of peer circles, and nothing more from the circle will reach you. /peer circle join if you ever want to come back."
                : "You weren't in peer circles, so there's nothing to leave.",
          });
        },
      }),
      command({
        name: "say",
        summary: "write to your circle from here (when you're its only member on your platform)",
        description: "Write to your peer circle",
        access: "member",
        example: "/peer circle say Hi all, Tuesday suits me",
        options: [
          textOption({
            name: "words",
            description: "What to say to your circle",
            form: "positional",
            required: true,
            rest: true,
            placeholder: "<your words>",
            maxLength: 2000,
            missing: "Say what you'd like to write to your circle.",
          }),
        ],
        async run(context, options, deps) {
          const circle = await deps.store.circleOf(context.memberId);
          if (!circle) {
            throw new UserInputError(
              "You're not in a peer circle right now, so there's no one to pass that on to.",
              "/peer circle join",
            );
          }
          await deps.circles.relay(circle, context.member as Member, options.words, null);
          await context.responder.reply({ text: "Passed on to your circle." });
        },
      }),
      command({
        name: "not-with",
        summary: "privately ask never to be placed with someone (only you and I know)",
        description: "Never be placed with this person (private)",
        access: "member",
        example: "/peer circle not-with @kim",
        options: [
          memberOption({
            name: "person",
            description: "Who (their handle, or a mention)",
            form: "positional",
            required: true,
          }),
          yesNoOption({ name: "undo", description: "yes to take them off your list again" }),
        ],
        async run(context, options, deps) {
          if (options.person === context.memberId) {
            throw new UserInputError("That's you — pick someone else.", "/peer circle not-with @kim");
          }
          const on = options.undo !== true;
          const changed = await deps.store.setNotWith(context.memberId, options.person, on);
          await context.responder.reply({
            text: on
              ? `${changed ? "Noted" : "Already noted"} — I'll never place you in a circle with them. Nobody else can see this, them included.`
              : changed
                ? "Taken off your list."
                : "They weren't on your list.",
          });
        },
      }),
    ],
  }),
  group({
    name: "conflict",
    description: "Coordinators: pairs never placed in one circle",
    subcommands: [
      command({
        name: "add",
        summary: "never place these two in one circle (a dual relationship)",
        description: "Never place two people in one circle (coordinators only)",
        access: "coordinator",
        example: "/peer conflict add @kim @ari",
        options: [
          memberOption({ name: "first", description: "One person", form: "positional", required: true }),
          memberOption({ name: "second", description: "The other", form: "positional", required: true }),
        ],
        async run(context, options, deps) {
          if (options.first === options.second) {
            throw new UserInputError("Those are the same person.", "/peer conflict add @kim @ari");
          }
          const added = await deps.store.setConflict(options.first, options.second, true);
          await context.responder.reply({
            text: added
              ? "Recorded: they won't be placed in one circle. Only coordinators can see this list."
              : "That pair is already recorded.",
          });
        },
      }),
      command({
        name: "remove",
        summary: "take a pair off the list",
        description: "Take a pair off the never-together list (coordinators only)",
        access: "coordinator",
        example: "/peer conflict remove @kim @ari",
        options: [
          memberOption({ name: "first", description: "One person", form: "positional", required: true }),
          memberOption({ name: "second", description: "The other", form: "positional", required: true }),
        ],
        async run(context, options, deps) {
          const removed = await deps.store.setConflict(options.first, options.second, false);
          await context.responder.reply({ text: removed ? "Removed." : "That pair wasn't on the list." });
        },
      }),
      command({
        name: "list",
        summary: "the pairs never placed together",
        description: "List the never-together pairs (coordinators only)",
        access: "coordinator",
        example: "/peer conflict list",
        async run(context, _options, deps) {
          const pairs = await deps.store.conflicts();
          if (pairs.length === 0) {
            await context.responder.reply({
              text: "No pairs recorded. /peer conflict add @kim @ari adds one.",
            });
            return;
          }
          const handles = context.deps.handles;
          const name = async (id: string) => `@${(await handles.handleOf(id)) ?? id}`;
          const lines = await Promise.all(
            pairs.map(async ([a, b]) => `• ${await name(a)} and ${await name(b)}`),
          );
          await context.responder.reply({ text: `Never placed together:\n${lines.join("\n")}` });
        },
      }),
    ],
  }),
  group({
    name: "circles",
    description: "Coordinators: run or schedule rounds of peer circles",
    subcommands: [
      command({
        name: "run",
        summary: "form this round's peer circles now (add dry-run to see the figures first)",
        description: "Form peer circles now (coordinators only)",
        access: "coordinator",
        example: "/peer circles run dry-run",
        options: [
          choiceOption({
            name: "how",
            description: "dry-run to see the figures without making circles",
            form: "positional",
            values: ["dry-run", "same-region"] as const,
            refusal: (typed) =>
              new UserInputError(
                `${quoteTyped(typed)} isn't a way to run a round: dry-run or same-region.`,
                "/peer circles run dry-run",
              ),
          }),
        ],
        async run(context, options, deps) {
          const dryRun = options.how === "dry-run";
          const summary = await deps.circles.runRound({ dryRun, sameRegion: options.how === "same-region" });
          await context.responder.reply({ text: describeRound(summary, dryRun) });
        },
      }),
      command({
        name: "schedule",
        summary: "run rounds on their own, every N weeks",
        description: "Schedule rounds of peer circles (coordinators only)",
        access: "coordinator",
        example: SCHEDULE_EXAMPLE,
        options: [
          textOption({
            name: "every",
            description: "How often, in weeks, e.g. 2w",
            form: "keyword",
            required: true,
            placeholder: "<N>w",
            parse: (raw) => {
              const match = /^(\d{1,2})w$/i.exec(raw.trim());
              const weeks = Number(match?.[1]);
              if (!match || weeks < 1 || weeks > 12) {
                throw new UserInputError(
                  `every takes a number of weeks from 1w to 12w, not ${quoteTyped(raw)}.`,
                  SCHEDULE_EXAMPLE,
                );
              }
              return weeks;
            },
          }),
          choiceOption({
            name: "day",
            description: "The weekday",
            form: "positional",
            required: true,
            values: DAYS,
            refusal: (typed) =>
              new UserInputError(`${quoteTyped(typed)} isn't a weekday: mon, tue, … sun.`, SCHEDULE_EXAMPLE),
          }),
          textOption({
            name: "time",
            description: "The time, HH:MM",
            form: "positional",
            required: true,
            placeholder: "HH:MM",
            parse: (raw) => {
              if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(raw.trim())) {
                throw new UserInputError(
                  `${quoteTyped(raw)} isn't a time of day. Use 24-hour HH:MM.`,
                  SCHEDULE_EXAMPLE,
                );
              }
              return raw.trim();
            },
          }),
          textOption({
            name: "tz",
            description: "Time zone (yours if left out)",
            parse: parseTimeZone,
            suggest: "time-zones",
          }),
        ],
        async run(context, options, deps) {
          const timeZone = options.tz ?? (context.member as Member).timeZone;
          const schedule: RoundSchedule = {
            everyWeeks: options.every,
            day: options.day,
            time: options.time,
            timeZone,
          };
          await deps.store.setRoundSchedule(schedule);
          const next = nextRoundAt(schedule, deps.clock.now());
          await deps.schedule.set(deps.roundSubject(), ROUND_KIND, next);
          const when = DateTime.fromMillis(next, { zone: timeZone }).toFormat("cccc d LLLL, HH:mm");
          await context.responder.reply({
            text: `Rounds will run every ${options.every === 1 ? "week" : `${options.every} weeks`}, starting ${when} (${timeZone}).`,
          });
        },
      }),
    ],
  }),
];
