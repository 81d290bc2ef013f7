import { UserInputError } from "../errors.js";
import { parseDays, parseHours, parseRegion, parseTimeZone, parseYesNo } from "../members/fields.js";
import { formatProfile } from "../members/format.js";
import type { Member } from "../members/member.js";
import {
  PROMPT_CADENCES,
  TIP_CADENCES,
  fromMinutes,
  parseCadence,
  preferencesOf,
  toMinutes,
} from "../schedule/preferences.js";
import type { HandlerContext, Subcommand } from "./context.js";

export const profileCommand: Subcommand = {
  name: "profile",
  usage: "/peer profile",
  summary: "show the settings I keep for you",
  async run(context) {
    await context.responder.reply({ text: formatProfile(context.member as Member) });
  },
};

interface SettableField {
  readonly label: string;
  readonly example: string;
  apply(member: Member, value: string): Member;
}

/** Settings `/peer set` can change. Later features add their own entries. */
export const SETTABLE_FIELDS: Record<string, SettableField> = {
  region: {
    label: "region",
    example: '/peer set region "Wide Bay"',
    apply: (member, value) => ({ ...member, region: parseRegion(value) }),
  },
  tz: {
    label: "time zone",
    example: "/peer set tz Australia/Adelaide",
    apply: (member, value) => ({ ...member, timeZone: parseTimeZone(value) }),
  },
  days: {
    label: "working days",
    example: "/peer set days mon,wed,thu",
    apply: (member, value) => ({ ...member, workingDays: parseDays(value) }),
  },
  hours: {
    label: "working hours",
    example: "/peer set hours 09:30-14:30",
    apply: (member, value) => ({ ...member, workingHours: parseHours(value) }),
  },
  solo: {
    label: "only-peer-worker setting",
    example: "/peer set solo yes",
    apply: (member, value) => ({ ...member, soleWorker: parseYesNo(value, "solo") }),
  },
  prompts: {
    label: "reflective prompts",
    example: "/peer set prompts fortnightly",
    apply: (member, value) => ({
      ...member,
      preferences: { ...member.preferences, prompts: parseCadence(value, PROMPT_CADENCES, "prompts") },
    }),
  },
  "prompt-time": {
    label: "prompt time",
    example: "/peer set prompt-time 14:00",
    apply: (member, value) => ({
      ...member,
      preferences: { ...member.preferences, promptTime: parsePromptTime(member, value) },
    }),
  },
  tips: {
    label: "self-care tips",
    example: "/peer set tips off",
    apply: (member, value) => ({
      ...member,
      preferences: { ...member.preferences, tips: parseCadence(value, TIP_CADENCES, "tips") },
    }),
  },
};

/** A local time inside the member's working hours. */
function parsePromptTime(member: Member, raw: string): string {
  const { start, end } = member.workingHours;
  const example = `/peer set prompt-time ${fromMinutes(Math.max(toMinutes(start), toMinutes(end) - 60))}`;
  const match = /^(\d{1,2}):(\d{2})$/.exec(raw.trim());
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) {
    throw new UserInputError(`"${raw.trim()}" isn't a time of day. Use a 24-hour time like 14:00.`, example);
  }
  if (minutes < toMinutes(start) || minutes >= toMinutes(end)) {
    throw new UserInputError(
      `${fromMinutes(minutes)} is outside your working hours (${start}–${end}). I only get in touch while you're working.`,
      example,
    );
  }
  return fromMinutes(minutes);
}

const SET_EXAMPLE = "/peer set hours 09:00-15:00";

export const setCommand: Subcommand = {
  name: "set",
  usage: `/peer set <${Object.keys(SETTABLE_FIELDS).join("|")}> <value>`,
  summary: "change one of your settings",
  async run(context: HandlerContext, args) {
    const [rawField, ...rest] = args;
    const names = Object.keys(SETTABLE_FIELDS).join(", ");
    if (!rawField) {
      throw new UserInputError(`Tell me which setting to change: ${names}.`, SET_EXAMPLE);
    }
    const name = rawField.toLowerCase().replace(/:$/, "");
    const field = SETTABLE_FIELDS[name];
    if (!field) {
      throw new UserInputError(
        `"${rawField}" isn't a setting I can change. The settings are ${names}.`,
        SET_EXAMPLE,
      );
    }
    if (rest.length === 0) {
      throw new UserInputError(`Give the new ${field.label} after "${name}".`, field.example);
    }
    const updated = field.apply(context.member as Member, rest.join(" "));
    await context.deps.members.save(updated);
    await context.deps.onMemberChanged?.(updated.id, updated, "updated");
    await context.responder.reply({
      text: `Done — your ${field.label} is updated.\n\n${formatProfile(updated)}`,
    });
  },
};
