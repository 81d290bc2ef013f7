import { DateTime } from "luxon";
import type { Member } from "../../members/member.js";
import { firstName } from "../circles/circle-words.js";
import type { Series, SeriesRule } from "./series.js";

const DAY_NAMES = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
} as const;

/** A moment in someone's own zone: "Tuesday 3 December, 11:30". */
export function when(at: number, timeZone: string): string {
  return DateTime.fromMillis(at, { zone: timeZone }).toFormat("cccc d LLLL, HH:mm");
}

/** A short moment: "Tue 3 Dec 11:30". */
export function shortWhen(at: number, timeZone: string): string {
  return DateTime.fromMillis(at, { zone: timeZone }).toFormat("ccc d LLL HH:mm");
}

/** "every 2 weeks on Tuesday at 11:30 (Australia/Adelaide), for 60 minutes". */
export function describeRule(rule: SeriesRule): string {
  const every = rule.everyWeeks === 1 ? "every week" : `every ${rule.everyWeeks} weeks`;
  return `${every} on ${DAY_NAMES[rule.day]} at ${rule.time} (${rule.timeZone}), for ${rule.lengthMinutes} minutes`;
}

/** The rule as this member sees it: the first session in their own time. */
export function ruleFor(rule: SeriesRule, first: number, member: Pick<Member, "timeZone">): string {
  const every = rule.everyWeeks === 1 ? "every week" : `every ${rule.everyWeeks} weeks`;
  const local = DateTime.fromMillis(first, { zone: member.timeZone });
  return `${every} on ${local.toFormat("cccc")}s at ${local.toFormat("HH:mm")} your time (${member.timeZone}), for ${rule.lengthMinutes} minutes — the first on ${local.toFormat("cccc d LLLL")}`;
}

/** "Kim and Sam", "Kim, Sam and Ari". */
export function names(members: readonly Pick<Member, "displayName">[]): string {
  const list = members.map(firstName);
  if (list.length <= 1) return list.join("");
  return `${list.slice(0, -1).join(", ")} and ${list.at(-1)}`;
}

export function seriesTitle(members: readonly Pick<Member, "displayName">[]): string {
  return `Co-supervision check-in: ${members.map(firstName).join(", ")}`;
}

export function invitationText(
  proposer: Member,
  others: readonly Member[],
  rule: SeriesRule,
  first: number,
  invitee: Member,
  suggested = false,
): string {
  const with_ = names(others.filter((m) => m.id !== invitee.id && m.id !== proposer.id));
  const head = suggested
    ? `${firstName(proposer)} suggested another time for your co-supervision check-ins${with_ ? ` with them and ${with_}` : ""}`
    : `${firstName(proposer)} would like to meet for peer co-supervision${with_ ? ` with you and ${with_}` : " with you"}`;
  return [
    `${head}: ${ruleFor(rule, first, invitee)}. Does it suit you?`,
    "It's a time to reflect on your practice together, as peers. Nothing is scheduled for you unless you say yes, and you can leave whenever you like, no reason needed.",
  ].join("\n");
}

export const INVITE_BUTTONS = (seriesId: string) => [
  { id: "checkin:accept", label: "Accept", style: "primary" as const, value: seriesId },
  { id: "checkin:decline", label: "Decline", value: seriesId },
  { id: "checkin:suggest", label: "Suggest another time", value: seriesId },
];

export const RSVP_BUTTONS = (seriesId: string, original: number) => [
  {
    id: "checkin:coming",
    label: "I'll be there",
    style: "primary" as const,
    value: `${seriesId}|${original}`,
  },
  { id: "checkin:not-coming", label: "Can't make it", value: `${seriesId}|${original}` },
  { id: "checkin:reschedule", label: "Reschedule", value: `${seriesId}|${original}` },
];

export function dayBeforeText(
  others: readonly Member[],
  start: number,
  series: Series,
  member: Member,
): string {
  return `Coming up: your co-supervision check-in with ${names(others) || "your peers"} is on ${when(start, member.timeZone)} your time, for ${series.rule.lengthMinutes} minutes. Will you be there?`;
}

export function soonText(others: readonly Member[], start: number, member: Member): string {
  return `Your check-in with ${names(others) || "your peers"} starts in 15 minutes (${when(start, member.timeZone)} your time). I'll post the agenda in your group when it starts.`;
}

export interface TallyView {
  readonly start: number;
  readonly timeZone: string;
  readonly lengthMinutes: number;
  readonly coming: readonly Member[];
  readonly notComing: readonly Member[];
  readonly unanswered: readonly Member[];
  /** How many are away (paused): never who, never why. */
  readonly away: number;
}

export function tallyText(view: TallyView): string {
  const list = (members: readonly Member[]) => (members.length ? members.map(firstName).join(", ") : "—");
  return [
    `Next check-in: ${when(view.start, view.timeZone)} (${view.timeZone}), ${view.lengthMinutes} minutes.`,
    `Coming: ${list(view.coming)}`,
    `Can't make it: ${list(view.notComing)}`,
    `Not answered yet: ${list(view.unanswered)}`,
    ...(view.away > 0
      ? [view.away === 1 ? "One member is away this time." : `${view.away} members are away this time.`]
      : []),
    "(This updates as people answer their reminders.)",
  ].join("\n");
}

export function agendaText(input: {
  readonly facilitator: Member;
  readonly coming: readonly Member[];
  readonly questions: readonly string[];
  readonly away: number;
  readonly lengthMinutes: number;
}): string {
  const lines = [
    `Check-in time. Here's a gentle shape for the next ${input.lengthMinutes} minutes — use what helps.`,
    `Facilitating today: ${firstName(input.facilitator)} (everyone takes a turn, in fair order).`,
    "",
    "1. Arriving: a word or two each on how you're coming in today.",
    ...input.questions.map((q, i) => `${i + 2}. ${q}`),
    `${input.questions.length + 2}. Closing: one thing each of you will take away — and anything you need before next time.`,
    "",
    "What's said here stays with the people here. Anyone can pass on any question.",
  ];
  if (input.away > 0)
    lines.push(
      input.away === 1 ? "One member is away this time." : `${input.away} members are away this time.`,
    );
  return lines.join("\n");
}

export function calledOffText(next: number | null, timeZone: string): string {
  return `Only one of you can make this check-in, so I've let it go this time.${next ? ` The next one is ${when(next, timeZone)} (${timeZone}).` : ""}`;
}

export function broughtText(member: Member, text: string): string {
  return `${firstName(member)} brings an entry from their diary:\n> ${text.replace(/\n/g, "\n> ")}`;
}

export function followUpText(member: Member, start: number): string {
  return `How did the check-in on ${when(start, member.timeZone)} go — did it happen?`;
}

export const FOLLOW_UP_BUTTONS = (seriesId: string, original: number) => [
  { id: "checkin:happened", label: "Yes", value: `${seriesId}|${original}|yes` },
  { id: "checkin:happened", label: "Partly", value: `${seriesId}|${original}|partly` },
  { id: "checkin:happened", label: "No", value: `${seriesId}|${original}|no` },
];

export function minutesButtons(seriesId: string, original: number, planned: number) {
  const choices = [...new Set([planned, 30, 45, 60, 90])]
    .filter((m) => m <= planned + 30)
    .sort((a, b) => a - b);
  return choices.map((m) => ({
    id: "checkin:minutes",
    label: m === planned ? `${m} min (as planned)` : `${m} min`,
    value: `${seriesId}|${original}|${m}`,
  }));
}

export const MINUTES_QUESTION = "Thanks. How long did it run? Pick one, or type the number of minutes.";
export const TAKEAWAY_QUESTION =
  "One last, optional thing: a line on what you take away from it. Type it here and I'll keep it, encrypted, in your supervision record — only you can see it. Or skip.";
export const TAKEAWAY_BUTTONS = (seriesId: string, original: number) => [
  { id: "checkin:skip-takeaway", label: "Skip", value: `${seriesId}|${original}` },
];
