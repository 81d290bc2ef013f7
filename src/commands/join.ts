import { UserInputError } from "../errors.js";
import { parseDays, parseHours, parseRegion, parseTimeZone } from "../members/fields.js";
import { formatDays } from "../members/format.js";
import { ensureHandle } from "../members/handles.js";
import type { Member, MemberSettings } from "../members/member.js";
import type { Form } from "../platform/chat-platform.js";
import type { ButtonAction, FormAction, HandlerContext } from "./context.js";
import { parseEnvOf, readNamedValues } from "./parser.js";
import { type OptionValues, defineCommand, textOption, yesNoOption } from "./schema.js";

export const JOIN_EXAMPLE =
  '/peer join region:"Wide Bay" tz:Australia/Brisbane days:mon-wed hours:09:00-15:00 solo:yes';

// Every option is optional to the parser: /peer join alone opens the join form.
const JOIN_OPTIONS = [
  textOption({
    name: "region",
    description: "Where you work, e.g. Wide Bay",
    placeholder: "<name>",
    spaces: true,
    maxLength: 60,
    parse: parseRegion,
  }),
  textOption({
    name: "tz",
    description: "Your time zone, e.g. Australia/Brisbane",
    placeholder: "<time zone>",
    suggest: "time-zones",
    parse: parseTimeZone,
  }),
  textOption({
    name: "days",
    description: "Days you work, e.g. mon-wed or mon,wed,thu",
    placeholder: "<mon,tue,...|mon-fri>",
    parse: parseDays,
  }),
  textOption({
    name: "hours",
    description: "Hours on those days, e.g. 09:00-15:00",
    placeholder: "<HH:MM-HH:MM>",
    parse: parseHours,
  }),
  yesNoOption({ name: "solo", description: "Are you the only peer worker in your service or region?" }),
] as const;

type JoinValues = OptionValues<typeof JOIN_OPTIONS>;

const REQUIRED: Record<string, string> = {
  region: "region (where you work, e.g. Pilbara)",
  tz: "tz (your time zone, e.g. Australia/Perth)",
  days: "days (the days you work, e.g. mon-wed)",
  hours: "hours (when you work on those days, e.g. 09:00-15:00)",
};

export const CONSENT_YES = "join:consent";
export const CONSENT_NO = "join:decline";
export const JOIN_FORM = "join";

/** The settings, once every required one is there (the parser has checked each given value). */
function settingsFrom(values: JoinValues): MemberSettings {
  const { region, tz, days, hours, solo } = values;
  if (!region || !tz || !days || !hours) {
    const missing = Object.keys(REQUIRED).filter((key) => values[key as keyof JoinValues] === undefined);
    throw new UserInputError(
      `To join I still need ${missing.map((key) => REQUIRED[key]).join(", ")}.`,
      JOIN_EXAMPLE,
    );
  }
  return { region, timeZone: tz, workingDays: days, workingHours: hours, soleWorker: solo ?? false };
}

async function askConsent(context: HandlerContext, settings: MemberSettings): Promise<void> {
  await context.deps.consents.hold(context.memberId, { settings, displayName: context.displayName });
  await context.responder.reply({
    text: [
      "Before I store anything: to reach you at good times I'll keep your name, region, time zone, working days and hours, and whether you're the only peer worker where you are, and I'll give you a short handle (like @kim) that you can change.",
      "What you write in reflections is kept encrypted in your diary, and only you can read it — coordinators can't see it. I also note which questions and tips I've sent you, so they don't repeat.",
      "You can see everything I keep with /peer export and delete it all with /peer forget, any time. Are you happy for me to keep this?",
    ].join(" "),
    buttons: [
      { id: CONSENT_YES, label: "Yes, I agree", style: "primary" },
      { id: CONSENT_NO, label: "Not now" },
    ],
  });
}

const joinForm: Form = {
  id: JOIN_FORM,
  title: "Join the peer network",
  submitLabel: "Next",
  fields: [
    { id: "region", label: "Your region", hint: "e.g. Pilbara, Wide Bay" },
    { id: "tz", label: "Your time zone", hint: "e.g. Australia/Perth" },
    { id: "days", label: "Days you work", hint: "e.g. mon-wed or mon,wed,thu" },
    { id: "hours", label: "Hours on those days", hint: "e.g. 09:00-15:00" },
    { id: "solo", label: "Only peer worker in your service or region?", hint: "yes or no", optional: true },
  ],
};

export const joinCommand = defineCommand({
  name: "join",
  usage:
    "/peer join region:<name> tz:<time zone> days:<mon,tue,...|mon-fri> hours:<HH:MM-HH:MM> [solo:yes|no]",
  summary: "join the network (I'll ask before storing anything)",
  description: "Join the peer network (I'll ask before storing anything)",
  access: "anyone",
  example: JOIN_EXAMPLE,
  options: JOIN_OPTIONS,
  async run(context, options) {
    await join(context, options);
  },
});

async function join(context: HandlerContext, options: JoinValues): Promise<void> {
  if (context.member) {
    await context.responder.reply({
      text: "You're already part of the network. See your settings with /peer profile, or change one with /peer set <field> <value>.",
    });
    return;
  }
  const given = Object.values(options).some((value) => value !== undefined);
  if (!given && context.responder.openForm) {
    await context.responder.openForm(joinForm);
    return;
  }
  if (!given) {
    throw new UserInputError(
      "To join, tell me your region, time zone, working days and hours (values with spaces go in double quotes).",
      JOIN_EXAMPLE,
    );
  }
  await askConsent(context, settingsFrom(options));
}

export const joinFormAction: FormAction = {
  id: JOIN_FORM,
  async run(context, values) {
    if (context.member) return join(context, {} as JoinValues);
    const read = await readNamedValues(joinCommand, ["join"], values, parseEnvOf(context));
    await askConsent(context, settingsFrom(read as JoinValues));
  },
};

export const consentYes: ButtonAction = {
  id: CONSENT_YES,
  async run(context) {
    const { deps, memberId } = context;
    const draft = await deps.consents.take(memberId);
    if (context.member) {
      await context.responder.reply({ text: "You're already part of the network — nothing more to do." });
      return;
    }
    if (!draft) {
      await context.responder.reply({
        text: "That join request has lapsed, so nothing was stored. Run /peer join again whenever suits you.",
      });
      return;
    }
    const now = deps.clock.now().toISOString();
    const member: Member = {
      id: memberId,
      displayName: draft.displayName,
      ...draft.settings,
      role: deps.coordinators.has(memberId) ? "coordinator" : "peer-worker",
      status: { state: "active" },
      consentedAt: now,
      joinedAt: now,
    };
    await deps.members.save(member);
    const handle = deps.handles ? await ensureHandle(deps.handles, memberId, member.displayName) : null;
    await deps.onMemberChanged?.(memberId, member, "joined");
    deps.logger.info({ member: memberId, role: member.role }, "member joined");
    const { workingDays, workingHours, timeZone } = member;
    await context.responder.reply({
      text: [
        `Welcome to the network, ${member.displayName}. I'll only get in touch on your working days (${formatDays(workingDays)}, ${workingHours.start}–${workingHours.end}, ${timeZone} time).`,
        ...(handle ? [`Your handle is @${handle} — change it any time with /peer set handle <new>.`] : []),
        "Type /peer help any time to see what I can do, and /peer pause whenever you need a break — no reason needed.",
      ].join("\n"),
    });
  },
};

export const consentNo: ButtonAction = {
  id: CONSENT_NO,
  async run(context) {
    await context.deps.consents.drop(context.memberId);
    await context.responder.reply({
      text: "That's fine — I haven't stored anything. You're welcome to join whenever it suits you.",
    });
  },
};
