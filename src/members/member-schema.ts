import { z } from "zod";
import { PROMPT_CADENCES, TIP_CADENCES } from "../schedule/preferences.js";
import { type Member, type MemberSettings, WEEKDAYS } from "./member.js";

/*
 * The shape of a stored member, checked on every read. Deliberately no
 * stricter than what the commands have always written (formats are checked
 * when the member types them, in `fields.ts`), so no good record is refused.
 * Unknown fields are dropped from what is returned, never rejected.
 * `exactOptional` matches `exactOptionalPropertyTypes`: absent, never undefined.
 */
const clockTime = z.string().regex(/^\d{2}:\d{2}$/);

const preferencesSchema = z.object({
  prompts: z.enum(PROMPT_CADENCES).exactOptional(),
  promptTime: clockTime.exactOptional(),
  tips: z.enum(TIP_CADENCES).exactOptional(),
});

const statusSchema = z.discriminatedUnion("state", [
  z.object({ state: z.literal("active") }),
  z.object({ state: z.literal("paused"), since: z.string(), until: z.string().exactOptional() }),
]);

const memberFields = {
  displayName: z.string(),
  region: z.string(),
  timeZone: z.string().min(1),
  workingDays: z.array(z.enum(WEEKDAYS)).min(1),
  workingHours: z.object({ start: clockTime, end: clockTime }),
  soleWorker: z.boolean(),
  role: z.enum(["peer-worker", "coordinator"]),
  status: statusSchema,
  consentedAt: z.string(),
  joinedAt: z.string(),
  preferences: preferencesSchema.exactOptional(),
};

export const memberSchema = z.object({ id: z.string().min(1), ...memberFields });

/** The settings chosen when joining (`MemberSettings`), bounded for a draft held before consent. */
export const memberSettingsSchema = z.object({
  region: memberFields.region.max(100),
  timeZone: memberFields.timeZone.max(64),
  workingDays: memberFields.workingDays.max(WEEKDAYS.length),
  workingHours: memberFields.workingHours,
  soleWorker: memberFields.soleWorker,
});

/** Any top-level fields but the id, each checked as in a member. */
export const memberPatchSchema = z.object(memberFields).partial();

// Compile-time check that the schema and the domain type agree.
const _parsedIsMember = (parsed: z.output<typeof memberSchema>): Member => parsed;
void _parsedIsMember;
const _parsedIsSettings = (parsed: z.output<typeof memberSettingsSchema>): MemberSettings => parsed;
void _parsedIsSettings;

/** The member, or null when `value` is not a valid member record. */
export function parseMember(value: unknown): Member | null {
  const result = memberSchema.safeParse(value);
  return result.success ? result.data : null;
}
