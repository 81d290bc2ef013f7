import { DateTime } from "luxon";
import { UserInputError } from "../errors.js";
import { parseDate } from "../members/fields.js";
import { formatDate } from "../members/format.js";
import type { Member } from "../members/member.js";
import { quoteTyped } from "./quote-typed.js";
import { defineCommand, textOption } from "./schema.js";

const PAUSE_EXAMPLE = "/peer pause for 2w, /peer pause until 2027-01-15, or just /peer pause";
const MAX_DAYS = 730;
const NOT_FOUND =
  "I couldn't find your record just now — if you've used /peer forget, /peer join starts you again.";

/** The member's local date today. */
export function localToday(member: Member, now: Date): DateTime {
  return DateTime.fromJSDate(now, { zone: member.timeZone }).startOf("day");
}

/** `10d`, `2w`, `3 weeks`: a number of days. */
function parseLength(raw: string): number {
  const value = raw.trim();
  const match = /^(\d{1,3})\s*(d|day|days|w|wk|wks|week|weeks)$/i.exec(value);
  if (!match) {
    throw new UserInputError(
      `${quoteTyped(value)} isn't a length of time I can read. Use a number of days or weeks, like 10d or 2w.`,
      PAUSE_EXAMPLE,
    );
  }
  const amount = Number(match[1]);
  const days = (match[2] ?? "d").toLowerCase().startsWith("w") ? amount * 7 : amount;
  if (days < 1 || days > MAX_DAYS)
    throw new UserInputError("A pause can be from 1 day to 2 years.", PAUSE_EXAMPLE);
  return days;
}

/** The first local date they are back, from a date or a length; undefined for open-ended. */
function pauseEnd(today: DateTime, until: string | undefined, days: number | undefined): string | undefined {
  if (until !== undefined && days !== undefined) {
    throw new UserInputError("Give a date or a length of time, not both.", PAUSE_EXAMPLE);
  }
  if (days !== undefined) return today.plus({ days }).toISODate() ?? undefined;
  if (until === undefined) return undefined;
  const back = DateTime.fromISO(until, { zone: today.zone });
  if (back <= today) {
    throw new UserInputError(
      `${until} isn't in the future. Give the date you'd like to hear from me again.`,
      PAUSE_EXAMPLE,
    );
  }
  if (back.diff(today, "days").days > MAX_DAYS) {
    throw new UserInputError(
      "That's more than two years away. Pause without a date instead, and resume whenever you like.",
      "/peer pause",
    );
  }
  return until;
}

export const pauseCommand = defineCommand({
  name: "pause",
  usage: "/peer pause [until YYYY-MM-DD | for <N>d|<N>w]",
  summary: "take a break from messages — no reason needed",
  description: "Take a break from messages, no reason needed",
  access: "member",
  example: PAUSE_EXAMPLE,
  options: [
    textOption({
      name: "until",
      description: "Pause until this date (YYYY-MM-DD)",
      form: "keyword",
      placeholder: "YYYY-MM-DD",
      parse: (raw) => parseDate(raw, "/peer pause until 2027-01-15"),
    }),
    textOption({
      name: "for",
      description: "Pause for a while, e.g. 10d or 2w",
      form: "keyword",
      rest: true,
      placeholder: "<N>d|<N>w",
      parse: parseLength,
    }),
  ],
  async run(context, options) {
    const member = context.member as Member;
    const now = context.deps.clock.now();
    const until = pauseEnd(localToday(member, now), options.until, options.for);
    const status = until
      ? ({ state: "paused", since: now.toISOString(), until } as const)
      : ({ state: "paused", since: now.toISOString() } as const);
    const paused = await context.deps.members.update(member.id, { status });
    if (!paused) throw new UserInputError(NOT_FOUND, "/peer join");
    await context.deps.onMemberChanged?.(member.id, paused, "paused");
    context.deps.logger.info({ member: member.id, until: until ?? null }, "member paused");
    await context.responder.reply({
      text: until
        ? `Done. I won't send you anything until ${formatDate(until)}. Take care of yourself — /peer resume brings me back sooner.`
        : "Done. I won't send you anything until you say /peer resume. Take care of yourself.",
    });
  },
});

export const resumeCommand = defineCommand({
  name: "resume",
  summary: "end a pause",
  access: "member",
  example: "/peer resume",
  async run(context) {
    const member = context.member as Member;
    if (member.status.state === "active") {
      await context.responder.reply({
        text: "You're not paused, so there's nothing to resume. I'm here when you need me.",
      });
      return;
    }
    const status = { state: "active" } as const;
    const active = await context.deps.members.update(member.id, { status });
    if (!active) throw new UserInputError(NOT_FOUND, "/peer join");
    await context.deps.onMemberChanged?.(member.id, active, "resumed");
    context.deps.logger.info({ member: member.id }, "member resumed");
    await context.responder.reply({
      text: "Welcome back. I'll pick up gently from your next working day — no catching up on anything you missed.",
    });
  },
});
