import { UserInputError } from "../errors.js";
import { parseDays, parseHours, parseRegion, parseTimeZone, parseYesNo } from "../members/fields.js";
import { formatDays } from "../members/format.js";
import type { Member, MemberSettings } from "../members/member.js";
import type { Form } from "../platform/chat-platform.js";
import type { ButtonAction, FormAction, HandlerContext, Subcommand } from "./context.js";
import { parseOptions } from "./tokenize.js";

export const JOIN_EXAMPLE =
  '/peer join region:"Wide Bay" tz:Australia/Brisbane days:mon-wed hours:09:00-15:00 solo:yes';
const JOIN_OPTIONS = ["region", "tz", "days", "hours", "solo"] as const;
const REQUIRED: Record<string, string> = {
  region: "region (where you work, e.g. Pilbara)",
  tz: "tz (your time zone, e.g. Australia/Perth)",
  days: "days (the days you work, e.g. mon-wed)",
  hours: "hours (when you work on those days, e.g. 09:00-15:00)",
};

export const CONSENT_YES = "join:consent";
export const CONSENT_NO = "join:decline";
export const JOIN_FORM = "join";

function settingsFrom(values: ReadonlyMap<string, string>): MemberSettings {
  const given = (key: string) => {
    const value = values.get(key);
    return value === undefined || value.trim() === "" ? undefined : value;
  };
  // Check what was given first, so a typo is named before anything missing.
  const region = given("region");
  const settings = {
    region: region === undefined ? undefined : parseRegion(region),
    timeZone: mapDefined(given("tz"), parseTimeZone),
    workingDays: mapDefined(given("days"), parseDays),
    workingHours: mapDefined(given("hours"), parseHours),
    soleWorker: mapDefined(given("solo"), (value) => parseYesNo(value, "solo")) ?? false,
  };
  const missing = Object.keys(REQUIRED).filter((key) => given(key) === undefined);
  if (
    missing.length > 0 ||
    !settings.region ||
    !settings.timeZone ||
    !settings.workingDays ||
    !settings.workingHours
  ) {
    throw new UserInputError(
      `To join I still need ${missing.map((key) => REQUIRED[key]).join(", ")}.`,
      JOIN_EXAMPLE,
    );
  }
  return settings as MemberSettings;
}

function mapDefined<T>(value: string | undefined, parse: (value: string) => T): T | undefined {
  return value === undefined ? undefined : parse(value);
}

async function askConsent(context: HandlerContext, settings: MemberSettings): Promise<void> {
  context.deps.consents.hold(context.memberId, { settings, displayName: context.displayName });
  await context.responder.reply({
    text: [
      "Before I store anything: to reach you at good times I'll keep your name, region, time zone, working days and hours, and whether you're the only peer worker where you are.",
      "Anything you write in reflections is encrypted and only you can read it; coordinators see totals for groups of five or more, never your words.",
      "You can see everything with /peer export and delete it all with /peer forget, any time. Are you happy for me to keep this?",
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

export const joinCommand: Subcommand = {
  name: "join",
  usage:
    "/peer join region:<name> tz:<time zone> days:<mon,tue,...|mon-fri> hours:<HH:MM-HH:MM> [solo:yes|no]",
  summary: "join the network (I'll ask before storing anything)",
  openToAll: true,
  async run(context, args) {
    if (context.member) {
      await context.responder.reply({
        text: "You're already part of the network. See your settings with /peer profile, or change one with /peer set <field> <value>.",
      });
      return;
    }
    if (args.length === 0 && context.responder.openForm) {
      await context.responder.openForm(joinForm);
      return;
    }
    if (args.length === 0) {
      throw new UserInputError(
        "To join, tell me your region, time zone, working days and hours (values with spaces go in double quotes).",
        JOIN_EXAMPLE,
      );
    }
    await askConsent(context, settingsFrom(parseOptions(args, JOIN_OPTIONS, JOIN_EXAMPLE)));
  },
};

export const joinFormAction: FormAction = {
  id: JOIN_FORM,
  async run(context, values) {
    if (context.member) return joinCommand.run(context, []);
    await askConsent(context, settingsFrom(new Map(Object.entries(values))));
  },
};

export const consentYes: ButtonAction = {
  id: CONSENT_YES,
  async run(context) {
    const { deps, memberId } = context;
    const draft = deps.consents.take(memberId);
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
    await deps.onMemberChanged?.(memberId, member, "joined");
    deps.logger.info({ member: memberId, role: member.role }, "member joined");
    const { workingDays, workingHours, timeZone } = member;
    await context.responder.reply({
      text: [
        `Welcome to the network, ${member.displayName}. I'll only get in touch on your working days (${formatDays(workingDays)}, ${workingHours.start}–${workingHours.end}, ${timeZone} time).`,
        "Type /peer help any time to see what I can do, and /peer pause whenever you need a break — no reason needed.",
      ].join("\n"),
    });
  },
};

export const consentNo: ButtonAction = {
  id: CONSENT_NO,
  async run(context) {
    context.deps.consents.drop(context.memberId);
    await context.responder.reply({
      text: "That's fine — I haven't stored anything. You're welcome to join whenever it suits you.",
    });
  },
};
