import { UserInputError } from "../errors.js";
import { parseDays, parseHours, parseRegion, parseTimeZone, parseYesNo } from "../members/fields.js";
import { formatProfile } from "../members/format.js";
import type { Member } from "../members/member.js";
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
};

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
    await context.responder.reply({
      text: `Done — your ${field.label} is updated.\n\n${formatProfile(updated)}`,
    });
  },
};
