import type { z } from "zod";
import type { Logger } from "../logging/logger.js";

/** What a stored record is, for reports: never the key itself, never the content. */
export type RecordKind =
  | "member"
  | "member-patch"
  | "reflection-state"
  | "open-prompt"
  | "journal-entry"
  | "pending-entry"
  | "pending-consent"
  | "holiday"
  | "custom-question"
  | "member-cache";

export type InvalidReason = "not-json" | "invalid-shape" | "undecryptable";

/** The log code every malformed-record report carries. */
export const STORED_RECORD_INVALID = "STORED_RECORD_INVALID";

/**
 * Reports a stored record that could not be read. Logs the code, the kind of
 * record, which part of it (a hash field name like `themes`, when given), why,
 * and the names of the fields that failed (schema paths, never values):
 * nothing a member wrote can reach the log.
 */
export function reportInvalid(
  logger: Logger,
  kind: RecordKind,
  reason: InvalidReason,
  fields: readonly string[] = [],
  part?: string,
): void {
  const context = {
    code: STORED_RECORD_INVALID,
    kind,
    ...(part ? { part } : {}),
    reason,
    ...(fields.length ? { fields } : {}),
  };
  if (reason === "undecryptable")
    logger.error(context, "skipped a stored record that could not be decrypted");
  else logger.warn(context, "skipped a malformed stored record");
}

/** `JSON.parse` that reports text that is not JSON as `{ ok: false }` instead of throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The names of the fields a zod error is about, e.g. `workingHours.start`; no values. */
export function issuePaths(error: z.ZodError): string[] {
  return [...new Set(error.issues.map((issue) => issue.path.map(String).join(".") || "(root)"))].slice(0, 10);
}

/**
 * Reads one stored JSON record through its schema. A record that is not JSON
 * or does not fit is reported and read as absent (null), never thrown.
 */
export function readRecord<S extends z.ZodType>(
  schema: S,
  text: string | null | undefined,
  kind: RecordKind,
  logger: Logger,
  part?: string,
): z.output<S> | null {
  if (text === null || text === undefined) return null;
  const json = parseJson(text);
  if (!json.ok) {
    reportInvalid(logger, kind, "not-json", [], part);
    return null;
  }
  return checkRecord(schema, json.value, kind, logger, part);
}

/** As `readRecord`, for a value already parsed. */
export function checkRecord<S extends z.ZodType>(
  schema: S,
  value: unknown,
  kind: RecordKind,
  logger: Logger,
  part?: string,
): z.output<S> | null {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  reportInvalid(logger, kind, "invalid-shape", issuePaths(result.error), part);
  return null;
}

/**
 * Reads one stored JSON record through its schema: null when absent, or
 * (reported by kind only, never content) when it isn't JSON or doesn't fit.
 */
export function readStored<T>(
  logger: Logger,
  schema: z.ZodType<T>,
  json: string | null | undefined,
  kind: string,
): T | null {
  if (!json) return null;
  const parsed = parseJson(json);
  if (parsed.ok) {
    const result = schema.safeParse(parsed.value);
    if (result.success) return result.data;
  }
  logger.warn({ code: STORED_RECORD_INVALID, kind }, "skipped a malformed stored record");
  return null;
}

/** Sets KEYS[1] to ARGV[2] only while it still holds ARGV[1]: 1 when written, 0 when it changed meanwhile. */
export const COMPARE_AND_SET = `
if redis.call("GET", KEYS[1]) == ARGV[1] then
  redis.call("SET", KEYS[1], ARGV[2])
  return 1
end
return 0`;
