import { BotError, UserInputError } from "../errors.js";
import { parseDays, parseHours, parseRegion, parseTimeZone, parseYesNo } from "../members/fields.js";
import { formatProfile } from "../members/format.js";
import { HANDLE_EXAMPLE, ensureHandle, handleCandidates, parseHandle } from "../members/handles.js";
import type { MemberPatch } from "../members/member-store.js";
import type { Member } from "../members/member.js";
import {
  PROMPT_CADENCES,
  TIP_CADENCES,
  fromMinutes,
  parseCadence,
  toMinutes,
} from "../schedule/preferences.js";
import type { HandlerContext } from "./context.js";
import { quoteTyped } from "./quote-typed.js";
import { choiceOption, defineCommand, textOption } from "./schema.js";

/** The member's handle, giving them one first if they joined before handles existed. */
export async function handleFor(context: HandlerContext, member: Member): Promise<string | null> {
  const handles = context.deps.handles;
  return handles ? ensureHandle(handles, member.id, member.displayName) : null;
}

export const profileCommand = defineCommand({
  name: "profile",
  summary: "show the settings I keep for you",
  access: "member",
  example: "/peer profile",
  async run(context) {
    const member = context.member as Member;
    await context.responder.reply({ text: formatProfile(member, await handleFor(context, member)) });
  },
});

interface SettableField {
  /** How the reply names it: "Done — your working days are updated". */
  readonly label: string;
  /** The label is plural ("working days are"), not singular ("time zone is"). */
  readonly plural?: boolean;
  readonly example: string;
  /** What changes in the member's record for the typed value (throws UserInputError when it can't be read). */
  patch(member: Member, value: string): MemberPatch;
}

/** Settings kept in the member's record that `/peer set` can change. Later features add their own entries. */
export const SETTABLE_FIELDS: Record<string, SettableField> = {
  region: {
    label: "region",
    example: '/peer set region "Wide Bay"',
    patch: (_member, value) => ({ region: parseRegion(value) }),
  },
  tz: {
    label: "time zone",
    example: "/peer set tz Australia/Adelaide",
    patch: (_member, value) => ({ timeZone: parseTimeZone(value) }),
  },
  days: {
    label: "working days",
    plural: true,
    example: "/peer set days mon,wed,thu",
    patch: (_member, value) => ({ workingDays: parseDays(value) }),
  },
  hours: {
    label: "working hours",
    plural: true,
    example: "/peer set hours 09:30-14:30",
    patch: (_member, value) => ({ workingHours: parseHours(value) }),
  },
  solo: {
    label: "only-peer-worker setting",
    example: "/peer set solo yes",
    patch: (_member, value) => ({ soleWorker: parseYesNo(value, "solo") }),
  },
  prompts: {
    label: "reflective prompts",
    plural: true,
    example: "/peer set prompts fortnightly",
    patch: (member, value) => ({
      preferences: { ...member.preferences, prompts: parseCadence(value, PROMPT_CADENCES, "prompts") },
    }),
  },
  "prompt-time": {
    label: "prompt time",
    example: "/peer set prompt-time 14:00",
    patch: (member, value) => ({
      preferences: { ...member.preferences, promptTime: parsePromptTime(member, value) },
    }),
  },
  tips: {
    label: "self-care tips",
    plural: true,
    example: "/peer set tips off",
    patch: (member, value) => ({
      preferences: { ...member.preferences, tips: parseCadence(value, TIP_CADENCES, "tips") },
    }),
  },
};

/** Every setting `/peer set` takes: the record's fields, and the handle (kept in the handle store). */
export const SETTING_NAMES: readonly string[] = [...Object.keys(SETTABLE_FIELDS), "handle"];

/** A local time inside the member's working hours. */
function parsePromptTime(member: Member, raw: string): string {
  const { start, end } = member.workingHours;
  const example = `/peer set prompt-time ${fromMinutes(Math.max(toMinutes(start), toMinutes(end) - 60))}`;
  const match = /^(\d{1,2}):(\d{2})$/.exec(raw.trim());
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) {
    throw new UserInputError(
      `${quoteTyped(raw.trim())} isn't a time of day. Use a 24-hour time like 14:00.`,
      example,
    );
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
const settingList = () => SETTING_NAMES.join(", ");

/** The example for one setting, e.g. `/peer set tz Australia/Adelaide`. */
function exampleFor(name: string): string {
  return name === "handle" ? HANDLE_EXAMPLE : (SETTABLE_FIELDS[name]?.example ?? SET_EXAMPLE);
}

function labelFor(name: string): string {
  return name === "handle" ? "handle" : (SETTABLE_FIELDS[name]?.label ?? name);
}

export const setCommand = defineCommand({
  name: "set",
  usage: `/peer set <${SETTING_NAMES.join("|")}> <value>`,
  summary: "change one of your settings",
  access: "member",
  example: SET_EXAMPLE,
  pairs: true,
  options: [
    choiceOption({
      name: "field",
      description: "The setting to change",
      form: "positional",
      required: true,
      placeholder: "<setting>",
      values: SETTING_NAMES,
      refusal: (typed) =>
        new UserInputError(
          `${quoteTyped(typed)} isn't a setting I can change. The settings are ${settingList()}.`,
          SET_EXAMPLE,
        ),
      missing: () => new UserInputError(`Tell me which setting to change: ${settingList()}.`, SET_EXAMPLE),
    }),
    textOption({
      name: "value",
      description: "The new value",
      form: "positional",
      required: true,
      rest: true,
      spaces: true,
      placeholder: "<value>",
      missing: (given) => {
        const name = String(given.field);
        return new UserInputError(
          `Give the new ${labelFor(name)} after ${quoteTyped(name)}.`,
          exampleFor(name),
        );
      },
    }),
  ],
  async run(context, { field, value }) {
    const member = context.member as Member;
    if (field === "handle") return setHandle(context, member, value);
    const setting = SETTABLE_FIELDS[field];
    if (!setting) throw new BotError("INTERNAL", `no settable field "${field}"`);
    const updated = await context.deps.members.update(member.id, setting.patch(member, value));
    if (!updated) throw new UserInputError(NOT_FOUND, "/peer join");
    await context.deps.onMemberChanged?.(updated.id, updated, "updated");
    await context.responder.reply({
      text: `Done — your ${setting.label} ${setting.plural ? "are" : "is"} updated.\n\n${formatProfile(updated, await handleFor(context, updated))}`,
    });
  },
});

const NOT_FOUND =
  "I couldn't find your record just now — if you've used /peer forget, /peer join starts you again.";

async function setHandle(context: HandlerContext, member: Member, typed: string): Promise<void> {
  const handles = context.deps.handles;
  if (!handles) throw new BotError("INTERNAL", "no handle store");
  const wanted = parseHandle(typed);
  const current = await handles.handleOf(member.id);
  if (current === wanted) {
    await context.responder.reply({ text: `@${wanted} is already your handle — nothing to change.` });
    return;
  }
  if (!(await handles.claim(member.id, wanted))) {
    const free = [];
    for (const candidate of handleCandidates(wanted).slice(1, 10)) {
      if (!(await handles.memberFor(candidate))) free.push(`@${candidate}`);
      if (free.length === 2) break;
    }
    throw new UserInputError(
      `@${wanted} is already someone else's handle.${free.length > 0 ? ` ${free.join(" and ")} ${free.length > 1 ? "are" : "is"} free.` : " Try another one."}`,
      free[0] ? `/peer set handle ${free[0].slice(1)}` : HANDLE_EXAMPLE,
    );
  }
  context.deps.logger.info({ member: member.id }, "handle changed");
  await context.responder.reply({
    text: `Done — your handle is updated.\n\n${formatProfile(member, wanted)}`,
  });
}
