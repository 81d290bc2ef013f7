import { DateTime } from "luxon";
import { roleOf } from "../../bot/authority.js";
import type { HandlerContext } from "../../commands/context.js";
import { quoteTyped } from "../../commands/quote-typed.js";
import { commandsWith, memberOption, textOption } from "../../commands/schema.js";
import { UserInputError } from "../../errors.js";
import { parseTimeZone } from "../../members/fields.js";
import { type Member, WEEKDAYS, type Weekday } from "../../members/member.js";
import { type MemberId, dmWith } from "../../platform/chat-platform.js";
import type { JournalStore } from "../../reflection/journal.js";
import type { CircleStore } from "../circles/circle-store.js";
import { atLeastFive, firstName, platformName } from "../circles/circle-words.js";
import type { CheckinStore } from "./checkin-store.js";
import { describeRule, names, shortWhen, when } from "./checkin-words.js";
import { type Checkins, accepted } from "./checkins.js";
import { firstDateFrom, nextOccurrence } from "./recurrence.js";
import type { Series, SeriesRule } from "./series.js";
import { misfits, nearestSeriesSlots } from "./slot-fit.js";
import { supervisionLog } from "./supervision-log.js";

export interface CheckinCommandDeps {
  readonly store: CheckinStore;
  readonly checkins: Checkins;
  readonly circles: CircleStore;
  readonly journal: JournalStore;
  readonly now: () => number;
}

const NEW_EXAMPLE = "/peer checkin new @kim @sam every 2w tue 10:00 tz:Australia/Adelaide length:60";
const CIRCLE_EXAMPLE = "/peer checkin circle every 2w tue 10:00 length:60";
const LOG_EXAMPLE = "/peer supervision log from 2026-07-01 to 2026-12-31";

const { command, group } = commandsWith<CheckinCommandDeps>();

/** `2w tue 10:00` → how often, which day, what time. */
function parseEvery(raw: string, example: string): { everyWeeks: number; day: Weekday; time: string } {
  const words = raw.trim().toLowerCase().split(/\s+/);
  const [often = "", dayWord = "", time = ""] = words;
  const weeks = Number(/^(\d{1,2})w$/.exec(often)?.[1]);
  if (!weeks || weeks < 1 || weeks > 8) {
    throw new UserInputError(
      `every starts with how many weeks apart, from 1w to 8w — not ${quoteTyped(often)}.`,
      example,
    );
  }
  const day = WEEKDAYS.find((d) => dayWord.startsWith(d));
  if (!day)
    throw new UserInputError(
      `${quoteTyped(dayWord || "(nothing)")} isn't a weekday: mon, tue, … sun.`,
      example,
    );
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) {
    throw new UserInputError(
      `${quoteTyped(time || "(nothing)")} isn't a time of day. Use 24-hour HH:MM, e.g. 10:00.`,
      example,
    );
  }
  if (words.length > 3)
    throw new UserInputError(
      `I didn't follow ${quoteTyped(words.slice(3).join(" "))} after the time.`,
      example,
    );
  return { everyWeeks: weeks, day, time };
}

function parseLength(raw: string): number {
  const minutes = Number(raw.trim().replace(/m(in(ute)?s?)?$/i, ""));
  if (!Number.isInteger(minutes) || minutes < 15 || minutes > 180) {
    throw new UserInputError(`length takes minutes from 15 to 180, not ${quoteTyped(raw)}.`, "length:60");
  }
  return minutes;
}

function parseDate(raw: string): string {
  const date = DateTime.fromISO(raw.trim(), { zone: "utc" });
  if (!/^\d{4}-\d\d-\d\d$/.test(raw.trim()) || !date.isValid) {
    throw new UserInputError(`${quoteTyped(raw)} isn't a date. Use YYYY-MM-DD.`, LOG_EXAMPLE);
  }
  return raw.trim();
}

const everyOption = (example: string) =>
  textOption({
    name: "every",
    description: "How often, the weekday and the time, e.g. 2w tue 10:00",
    form: "keyword",
    required: true,
    rest: true,
    placeholder: "<N>w <day> <HH:MM>",
    parse: (raw) => parseEvery(raw, example),
  });
const tzOption = textOption({
  name: "tz",
  description: "The time zone of that time (yours if left out)",
  parse: parseTimeZone,
  suggest: "time-zones",
});
const lengthOption = textOption({
  name: "length",
  description: "How long, in minutes (60 if left out)",
  placeholder: "<minutes>",
  parse: parseLength,
});
const peer = (n: number, required: boolean) =>
  memberOption({
    name: `peer${n}`,
    description: n === 1 ? "Who to invite (a handle or mention)" : "And who else (optional)",
    form: "positional",
    required,
  });

/** Proposes a series: straight to invitations when the time suits everyone, else the nearest times that do. */
async function propose(
  context: HandlerContext,
  deps: CheckinCommandDeps,
  ids: readonly MemberId[],
  timing: { everyWeeks: number; day: Weekday; time: string },
  options: { tz?: string | undefined; length?: number | undefined },
  circleId?: string,
): Promise<void> {
  const me = context.member as Member;
  const coordinator = roleOf(me.id, me, context.deps.coordinators) === "coordinator";
  const wanted = [...new Set(coordinator && !circleId ? ids : [me.id, ...ids])];
  const found = await context.deps.members.getMany(wanted);
  const missing = wanted.filter((_, i) => !found[i]);
  if (missing.length > 0) {
    throw new UserInputError(
      "Everyone in a check-in needs to have joined the network first — someone you named hasn't yet.",
      NEW_EXAMPLE,
    );
  }
  const people = found as Member[];
  if (people.length < 2 || people.length > 5) {
    throw new UserInputError(
      `A check-in is for two to five people; that would be ${people.length}.${coordinator ? " (As a coordinator you aren't counted unless you name yourself.)" : ""}`,
      NEW_EXAMPLE,
    );
  }
  const timeZone = options.tz ?? me.timeZone;
  const now = deps.now();
  const rule: SeriesRule = {
    ...timing,
    timeZone,
    lengthMinutes: options.length ?? 60,
    firstDate: firstDateFrom(timing.day, timing.time, timeZone, now),
  };
  const series = await deps.checkins.draft(me, people, rule, circleId);
  const misfit = misfits(rule, people, now);
  if (misfit.length === 0) {
    await deps.store.updateSeries(series.id, (s) => ({ ...s, state: "proposed" }));
    await deps.checkins.invite({ ...series, state: "proposed" });
    await context.responder.reply({
      text: `Invitations are on their way to ${names(people.filter((m) => m.id !== me.id))}: ${describeRule(rule)}. Each person sees it in their own time. The check-ins start once two have said yes.`,
    });
    return;
  }
  await deps.store.updateSeries(series.id, (s) => ({ ...s, state: "draft" }));
  const outside = people.filter((m) => misfit.some((f) => f.member === m.id));
  const lines = outside.map((m) => {
    const first = misfit.find((f) => f.member === m.id)?.start ?? now;
    return `• ${m.id === me.id ? "you" : firstName(m)}: ${shortWhen(first, m.timeZone)} their time`;
  });
  const slots = nearestSeriesSlots(rule, people, now, { limit: 3 });
  await context.responder.reply({
    text: [
      `That time falls outside someone's working hours (${outside.length === 1 ? "one person" : `${outside.length} people`}), so I haven't sent anything yet:`,
      ...lines,
      slots.length
        ? "The nearest times that suit everyone, every week it meets (daylight saving included), in your time:"
        : "I couldn't find a weekly time inside everyone's working hours. You can send yours anyway — anyone can decline or suggest another.",
    ].join("\n"),
    buttons: [
      ...slots.map((slot) => {
        const start = nextOccurrence({ ...rule, ...slot }, {}, now)?.start ?? now;
        return {
          id: "checkin:use-time",
          label: `Use ${shortWhen(start, me.timeZone)}`,
          value: `${series.id}|${slot.day}|${slot.time}|${slot.firstDate}`,
        };
      }),
      { id: "checkin:send-anyway", label: "Send my time anyway", value: series.id },
    ],
  });
}

async function mySeries(context: HandlerContext, deps: CheckinCommandDeps): Promise<Series[]> {
  // A draft (a time still being chosen) is the proposer's alone: the others haven't been asked yet.
  return (await deps.store.seriesOf(context.memberId)).filter(
    (s) =>
      s.state !== "ended" &&
      s.people[context.memberId] !== "declined" &&
      (s.state !== "draft" || s.proposedBy === context.memberId),
  );
}

function pick(series: readonly Series[], which: number | undefined, example: string): Series {
  if (series.length === 0) {
    throw new UserInputError(
      "You're not in any check-ins right now.",
      "/peer checkin new @kim every 2w tue 10:00",
    );
  }
  if (which === undefined) {
    if (series.length === 1) return series[0] as Series;
    throw new UserInputError(
      `You're in ${series.length} check-ins; say which, by its number in /peer checkin.`,
      example,
    );
  }
  const chosen = series[which - 1];
  if (!chosen)
    throw new UserInputError(`There's no check-in number ${which}; /peer checkin lists yours.`, example);
  return chosen;
}

const whichOption = textOption({
  name: "which",
  description: "Which check-in, by its number in /peer checkin (if you're in more than one)",
  form: "positional",
  placeholder: "<number>",
  parse: (raw) => {
    const n = Number(raw.trim());
    if (!Number.isInteger(n) || n < 1)
      throw new UserInputError(
        `${quoteTyped(raw)} isn't a number from /peer checkin.`,
        "/peer checkin leave 1",
      );
    return n;
  },
});

const ANSWER_WORDS = { accepted: "said yes", invited: "not answered yet", declined: "not joining" } as const;

export const checkinCommands = [
  group({
    name: "checkin",
    description: "Co-supervision check-ins: regular time to reflect with two to four peers",
    bare: "show",
    subcommands: [
      command({
        name: "show",
        summary: "your check-ins: with whom, when, and what's next",
        description: "Show your co-supervision check-ins",
        access: "member",
        example: "/peer checkin",
        async run(context, _options, deps) {
          const me = context.member as Member;
          const series = await mySeries(context, deps);
          if (series.length === 0) {
            await context.responder.reply({
              text: `You're not in any co-supervision check-ins. Start one: ${NEW_EXAMPLE} — or with your peer circle: ${CIRCLE_EXAMPLE}`,
            });
            return;
          }
          const blocks = await Promise.all(
            series.map(async (s, i) => {
              const people = await deps.checkins.membersOf(
                Object.keys(s.people).filter((id) => id !== me.id),
              );
              const next = nextOccurrence(s.rule, s.moves, deps.now());
              const state =
                s.state === "running"
                  ? next
                    ? `Next: ${when(next.start, me.timeZone)} your time.`
                    : "No more sessions planned."
                  : s.state === "draft"
                    ? "Not sent yet: choose a time."
                    : "Waiting for two people to say yes.";
              return [
                `${i + 1}. ${describeRule(s.rule)}`,
                `   With: ${people.map((m) => `${firstName(m)} (${ANSWER_WORDS[s.people[m.id] ?? "invited"]})`).join(", ")}`,
                `   ${state}`,
              ].join("\n");
            }),
          );
          await context.responder.reply({
            text: `Your co-supervision check-ins:\n${blocks.join("\n")}\n\n/peer checkin calendar for your calendar, /peer checkin bring to take a diary entry to the next one, /peer checkin leave to step out (no reason needed).`,
          });
        },
      }),
      command({
        name: "new",
        summary: "propose regular check-ins with one to four peers",
        description: "Propose co-supervision check-ins",
        access: "member",
        example: NEW_EXAMPLE,
        options: [
          peer(1, true),
          peer(2, false),
          peer(3, false),
          peer(4, false),
          peer(5, false),
          everyOption(NEW_EXAMPLE),
          tzOption,
          lengthOption,
        ],
        async run(context, options, deps) {
          const ids = [options.peer1, options.peer2, options.peer3, options.peer4, options.peer5].filter(
            (id): id is string => id !== undefined,
          );
          await propose(context, deps, ids, options.every, options);
        },
      }),
      command({
        name: "circle",
        summary: "propose regular check-ins with your peer circle",
        description: "Propose check-ins with your peer circle",
        access: "member",
        example: CIRCLE_EXAMPLE,
        options: [everyOption(CIRCLE_EXAMPLE), tzOption, lengthOption],
        async run(context, options, deps) {
          const circle = await deps.circles.circleOf(context.memberId);
          if (!circle) {
            throw new UserInputError(
              "You're not in a peer circle right now. /peer circle join puts you in one; or invite peers by name.",
              NEW_EXAMPLE,
            );
          }
          await propose(context, deps, circle.members, options.every, options, circle.id);
        },
      }),
      command({
        name: "calendar",
        summary: "get your check-ins as a calendar file (and updates when they change)",
        description: "Get your check-ins as a calendar file",
        access: "member",
        example: "/peer checkin calendar",
        options: [whichOption],
        async run(context, options, deps) {
          const series = pick(
            (await mySeries(context, deps)).filter((s) => s.state === "running"),
            options.which,
            "/peer checkin calendar 1",
          );
          await deps.checkins.sendCalendar(context.member as Member, series);
          if (context.event.conversation.kind !== "dm") {
            await context.responder.reply({ text: "I've sent the calendar file to your DM." });
          }
        },
      }),
      command({
        name: "bring",
        summary: "take one of your diary entries to your next check-in (you see exactly what's shared first)",
        description: "Bring a diary entry to your next check-in",
        access: "member",
        example: "/peer checkin bring",
        async run(context, _options, deps) {
          const now = deps.now();
          const upcoming = (await mySeries(context, deps))
            .filter((s) => s.state === "running" && s.people[context.memberId] === "accepted")
            .map((s) => ({
              series: s,
              session: nextOccurrence(s.rule, s.moves, now - s.rule.lengthMinutes * 60_000),
            }))
            .filter((x) => x.session !== null)
            .sort((a, b) => (a.session?.start ?? 0) - (b.session?.start ?? 0));
          const next = upcoming[0];
          if (!next?.session) {
            throw new UserInputError(
              "You don't have a check-in coming up to bring an entry to.",
              "/peer checkin",
            );
          }
          const entries = await deps.journal.list(context.memberId, 5);
          if (entries.length === 0) {
            await context.responder.reply({
              text: "Your diary is empty for now, so there's nothing to bring. Answering a reflective question adds an entry.",
            });
            return;
          }
          const me = context.member as Member;
          await context.responder.reply({
            text: `Which entry would you like to bring to the check-in on ${when(next.session.start, me.timeZone)}? You'll see exactly what the others would see before anything is shared.\n${entries
              .map(
                (e, i) =>
                  `${i + 1}. ${shortWhen(Date.parse(e.createdAt), me.timeZone)} — ${e.question ?? "a diary entry"}`,
              )
              .join("\n")}`,
            buttons: entries.map((e, i) => ({
              id: "checkin:bring",
              label: `Entry ${i + 1}`,
              value: `${next.series.id}|${next.session?.original}|${e.id}`,
            })),
          });
        },
      }),
      command({
        name: "leave",
        summary: "step out of a check-in series (no reason needed)",
        description: "Leave a check-in series",
        access: "member",
        example: "/peer checkin leave",
        options: [whichOption],
        async run(context, options, deps) {
          const series = pick(await mySeries(context, deps), options.which, "/peer checkin leave 1");
          const after = await deps.checkins.leave(context.memberId, series.id);
          await context.responder.reply({
            text:
              after?.state === "ended"
                ? "Done — you're out, and as there aren't two people left, the series has stopped. Thanks for the time you gave it."
                : "Done — you're out of that series, and nothing more about it will reach you. The others carry on.",
          });
        },
      }),
      command({
        name: "list",
        summary: "the network's check-in series: when, how many people, which platforms (no content)",
        description: "List the network's check-ins (coordinators only)",
        access: "coordinator",
        example: "/peer checkin list",
        async run(context, _options, deps) {
          const me = context.member as Member;
          const all = (await deps.store.allSeries()).filter(
            (s) => s.state === "proposed" || s.state === "running",
          );
          if (all.length === 0) {
            await context.responder.reply({
              text: "No check-in series yet. Members start them with /peer checkin new.",
            });
            return;
          }
          const lines = all.map((s) => {
            const inIt = s.state === "running" ? accepted(s) : Object.keys(s.people);
            const platforms = [...new Set(inIt.map((id) => platformName(id)))].sort().join(" and ");
            const next = nextOccurrence(s.rule, s.moves, deps.now());
            const state = s.state === "running" ? "meeting" : "waiting for replies";
            return `• ${describeRule(s.rule)} — ${inIt.length} people, on ${platforms}; ${state}${next && s.state === "running" ? `; next ${shortWhen(next.start, me.timeZone)} your time` : ""}`;
          });
          const people = new Set(all.filter((s) => s.state === "running").flatMap((s) => accepted(s)));
          await context.responder.reply({
            text: `Check-in series (${all.length}):\n${lines.join("\n")}\n\nPeople meeting in check-ins: ${atLeastFive(people.size)}. Nobody's words are shown here.`,
          });
        },
      }),
    ],
  }),
  group({
    name: "supervision",
    description: "Your co-supervision record: sessions, hours, your take-aways",
    bare: "log",
    subcommands: [
      command({
        name: "log",
        summary: "your co-supervision record as a CSV file and a printable page (only you can get it)",
        description: "Get your co-supervision record",
        access: "member",
        example: LOG_EXAMPLE,
        options: [
          textOption({
            name: "from",
            description: "From this date (YYYY-MM-DD)",
            form: "keyword",
            placeholder: "YYYY-MM-DD",
            parse: parseDate,
          }),
          textOption({
            name: "to",
            description: "Up to this date (YYYY-MM-DD)",
            form: "keyword",
            placeholder: "YYYY-MM-DD",
            parse: parseDate,
          }),
        ],
        async run(context, options, deps) {
          if (options.from && options.to && options.from > options.to) {
            throw new UserInputError(
              `The period starts (${options.from}) after it ends (${options.to}).`,
              LOG_EXAMPLE,
            );
          }
          const me = context.member as Member;
          const log = await supervisionLog(deps, me, options.from ?? null, options.to ?? null);
          await context.deps.chat.post(dmWith(me.id), log.message);
          if (context.event.conversation.kind !== "dm") {
            await context.responder.reply({ text: "I've sent your record to your DM." });
          }
        },
      }),
    ],
  }),
];
