import { DateTime } from "luxon";
import { UserInputError } from "../errors.js";
import { parseDate } from "../members/fields.js";
import { formatDate } from "../members/format.js";
import type { Member } from "../members/member.js";
import type { Subcommand } from "./context.js";

const PAUSE_EXAMPLE = "/peer pause for 2w, /peer pause until 2027-01-15, or just /peer pause";
const MAX_DAYS = 730;

/** The member's local date today. */
export function localToday(member: Member, now: Date): DateTime {
  return DateTime.fromJSDate(now, { zone: member.timeZone }).startOf("day");
}

/** Parses the words after `pause` into the first local date they are back, or undefined for open-ended. */
export function parsePauseEnd(args: readonly string[], today: DateTime): string | undefined {
  if (args.length === 0) return undefined;
  const [mode, ...rest] = args;
  const value = rest.join(" ").trim();
  if (mode === "until" && value) {
    const until = parseDate(value, "/peer pause until 2027-01-15");
    if (DateTime.fromISO(until, { zone: today.zone }) <= today) {
      throw new UserInputError(
        `${until} isn't in the future. Give the date you'd like to hear from me again.`,
        PAUSE_EXAMPLE,
      );
    }
    if (DateTime.fromISO(until, { zone: today.zone }).diff(today, "days").days > MAX_DAYS) {
      throw new UserInputError(
        "That's more than two years away. Pause without a date instead, and resume whenever you like.",
        "/peer pause",
      );
    }
    return until;
  }
  if (mode === "for" && value) {
    const match = /^(\d{1,3})\s*(d|day|days|w|wk|wks|week|weeks)$/i.exec(value);
    if (!match) {
      throw new UserInputError(
        `"${value}" isn't a length of time I can read. Use a number of days or weeks, like 10d or 2w.`,
        PAUSE_EXAMPLE,
      );
    }
    const amount = Number(match[1]);
    const days = (match[2] ?? "d").toLowerCase().startsWith("w") ? amount * 7 : amount;
    if (days < 1 || days > MAX_DAYS) {
      throw new UserInputError("A pause can be from 1 day to 2 years.", PAUSE_EXAMPLE);
    }
    return today.plus({ days }).toISODate() ?? undefined;
  }
  throw new UserInputError(
    "I can pause until a date, for a number of days or weeks, or until you resume.",
    PAUSE_EXAMPLE,
  );
}

export const pauseCommand: Subcommand = {
  name: "pause",
  usage: "/peer pause [until YYYY-MM-DD | for <N>d|<N>w]",
  summary: "take a break from messages — no reason needed",
  async run(context, args) {
    const member = context.member as Member;
    const now = context.deps.clock.now();
    const until = parsePauseEnd(args, localToday(member, now));
    const status = until
      ? ({ state: "paused", since: now.toISOString(), until } as const)
      : ({ state: "paused", since: now.toISOString() } as const);
    const paused: Member = { ...member, status };
    await context.deps.members.save(paused);
    await context.deps.onMemberChanged?.(member.id, paused, "paused");
    context.deps.logger.info({ member: member.id, until: until ?? null }, "member paused");
    await context.responder.reply({
      text: until
        ? `Done. I won't send you anything until ${formatDate(until)}. Take care of yourself — /peer resume brings me back sooner.`
        : "Done. I won't send you anything until you say /peer resume. Take care of yourself.",
    });
  },
};

export const resumeCommand: Subcommand = {
  name: "resume",
  usage: "/peer resume",
  summary: "end a pause",
  async run(context) {
    const member = context.member as Member;
    if (member.status.state === "active") {
      await context.responder.reply({
        text: "You're not paused, so there's nothing to resume. I'm here when you need me.",
      });
      return;
    }
    const active: Member = { ...member, status: { state: "active" } };
    await context.deps.members.save(active);
    await context.deps.onMemberChanged?.(member.id, active, "resumed");
    context.deps.logger.info({ member: member.id }, "member resumed");
    await context.responder.reply({
      text: "Welcome back. I'll pick up gently from your next working day — no catching up on anything you missed.",
    });
  },
};
