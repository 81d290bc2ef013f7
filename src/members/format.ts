import { DateTime } from "luxon";
import { fromMinutes, preferencesOf, promptMinutes } from "../schedule/preferences.js";
import { type Member, type MemberStatus, WEEKDAYS, type Weekday } from "./member.js";

const DAY_LABEL: Record<Weekday, string> = {
  mon: "Mon",
  tue: "Tue",
  wed: "Wed",
  thu: "Thu",
  fri: "Fri",
  sat: "Sat",
  sun: "Sun",
};

/** `Mon–Fri`, `Mon, Wed, Thu`, `Mon–Wed, Fri`. */
export function formatDays(days: readonly Weekday[]): string {
  const runs: Weekday[][] = [];
  for (const day of WEEKDAYS) {
    if (!days.includes(day)) continue;
    const last = runs.at(-1);
    const previous = last?.at(-1);
    if (last && previous && WEEKDAYS.indexOf(previous) === WEEKDAYS.indexOf(day) - 1) last.push(day);
    else runs.push([day]);
  }
  return runs
    .flatMap((run) => {
      const first = run[0] as Weekday;
      const last = run.at(-1) as Weekday;
      if (run.length >= 3) return [`${DAY_LABEL[first]}–${DAY_LABEL[last]}`];
      return run.map((day) => DAY_LABEL[day]);
    })
    .join(", ");
}

/** `Tuesday 1 December 2026`. */
export function formatDate(isoDate: string): string {
  return DateTime.fromISO(isoDate).toFormat("cccc d LLLL yyyy");
}

export function formatStatus(status: MemberStatus): string {
  if (status.state === "active") return "active";
  return status.until ? `paused until ${formatDate(status.until)}` : "paused until you resume";
}

function describePrompts(member: Member): string {
  const { prompts } = preferencesOf(member);
  return prompts === "off" ? "off" : `${prompts}, at ${fromMinutes(promptMinutes(member))}`;
}

/** What `/peer profile` shows; `handle` is the member's handle, from the handle store. */
export function formatProfile(member: Member, handle?: string | null): string {
  return [
    `Here's what I have for you, ${member.displayName}:`,
    ...(handle ? [`• Handle: @${handle}`] : []),
    `• Region: ${member.region}`,
    `• Time zone: ${member.timeZone}`,
    `• Working days: ${formatDays(member.workingDays)}`,
    `• Working hours: ${member.workingHours.start}–${member.workingHours.end}`,
    `• Only peer worker in your service or region: ${member.soleWorker ? "yes" : "no"}`,
    `• Reflective prompts: ${describePrompts(member)}`,
    `• Self-care tips: ${preferencesOf(member).tips === "off" ? "off" : "weekly"}`,
    `• Role: ${member.role === "coordinator" ? "coordinator" : "peer worker"}`,
    `• Status: ${formatStatus(member.status)}`,
    `• Agreed to how your data is kept: ${DateTime.fromISO(member.consentedAt, { zone: member.timeZone }).toFormat("d LLLL yyyy")}`,
    "Change any of these with /peer set <field> <value>, e.g. /peer set hours 10:00-14:00.",
  ].join("\n");
}
