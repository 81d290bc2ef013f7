import { WEEKDAYS } from "../members/member.js";
import type { MemberId } from "../platform/chat-platform.js";

/**
 * How a member record is written in Redis: compact JSON with one-letter
 * fields, the id left out (it is in the key), and defaults left out (a peer
 * worker, active, not a sole worker, joined when they consented, default
 * preferences). About 40% of the plain record, and each member has one.
 *
 * `{"v":2,"n":"Alex","r":"Wide Bay","z":"Australia/Brisbane","d":"12345",
 *   "h":"09:00-17:00","c":"2026-11-27T22:00:00.000Z"}` (+ `s`:1 sole worker,
 * `o`:"c" coordinator, `st` a pause, `j` joined if not when consented, `p`
 * preferences). Records in the older plain form are still read; `decode`
 * turns either into the plain shape the member schema checks.
 */
const VERSION = 2;

/** The plain record (as the member schema reads it) in the compact form. */
export function encodeMember(plain: Record<string, unknown>): string {
  const hours = plain.workingHours as { start?: unknown; end?: unknown } | undefined;
  const days = Array.isArray(plain.workingDays) ? (plain.workingDays as string[]) : [];
  const status = plain.status as { state?: unknown } | undefined;
  const preferences = plain.preferences as Record<string, unknown> | undefined;
  const compact: Record<string, unknown> = {
    v: VERSION,
    n: plain.displayName,
    r: plain.region,
    z: plain.timeZone,
    d: days.map((day) => WEEKDAYS.indexOf(day as (typeof WEEKDAYS)[number]) + 1).join(""),
    h: `${String(hours?.start)}-${String(hours?.end)}`,
    c: plain.consentedAt,
  };
  if (plain.joinedAt !== plain.consentedAt) compact.j = plain.joinedAt;
  if (plain.soleWorker === true) compact.s = 1;
  if (plain.role === "coordinator") compact.o = "c";
  if (status && status.state !== "active") compact.st = status;
  if (preferences && Object.keys(preferences).length > 0) compact.p = preferences;
  // Fields a later version added are carried over as they are.
  for (const [field, value] of Object.entries(plain)) {
    if (!PLAIN_FIELDS.has(field) && value !== undefined) compact[`x:${field}`] = value;
  }
  return JSON.stringify(compact);
}

/** The member's own fields, written each under its one-letter name (any other goes as `x:<field>`). */
export const PLAIN_FIELDS = new Set([
  "id",
  "displayName",
  "region",
  "timeZone",
  "workingDays",
  "workingHours",
  "soleWorker",
  "role",
  "status",
  "consentedAt",
  "joinedAt",
  "preferences",
]);

/** Either stored form, as the plain record (unchecked: the member schema checks it next). */
export function decodeMember(stored: unknown, id: MemberId): unknown {
  if (typeof stored !== "object" || stored === null) return stored;
  const record = stored as Record<string, unknown>;
  if (record.v !== VERSION) return record;
  const [start, end] = typeof record.h === "string" ? record.h.split("-") : [];
  const plain: Record<string, unknown> = {
    id,
    displayName: record.n,
    region: record.r,
    timeZone: record.z,
    workingDays:
      typeof record.d === "string"
        ? [...record.d].map((digit) => WEEKDAYS[Number(digit) - 1] ?? digit)
        : record.d,
    workingHours: { start, end },
    soleWorker: record.s === 1,
    role: record.o === "c" ? "coordinator" : "peer-worker",
    status: record.st ?? { state: "active" },
    consentedAt: record.c,
    joinedAt: record.j ?? record.c,
    ...(record.p !== undefined ? { preferences: record.p } : {}),
  };
  for (const [field, value] of Object.entries(record)) {
    if (field.startsWith("x:")) plain[field.slice(2)] = value;
  }
  return plain;
}
