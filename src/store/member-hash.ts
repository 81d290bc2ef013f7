import type { Redis } from "ioredis";
import { WEEKDAYS } from "../members/member.js";
import type { MemberId } from "../platform/chat-platform.js";
import { runScript } from "./lua-script.js";
import { PLAIN_FIELDS, decodeMember } from "./member-codec.js";
import { parseJson } from "./stored-record.js";

/**
 * One hash per member at `member:<id>` (the "v3" layout): the member's record,
 * their reflection state and their handle, as fields of one small hash, so a
 * member costs one key rather than three (a key costs 70–100 bytes of Redis's
 * own bookkeeping before it holds anything).
 *
 * - record: the compact fields of member-codec.ts, one field each: `n` name,
 *   `r` region, `z` zone, `d` days, `h` hours, `c` consented, and when not the
 *   default `j` joined, `s` "1" sole worker, `o` "c" coordinator, `st` pause
 *   and `p` preferences (JSON), `x:<field>` a field a later version added (JSON);
 * - state (redis-reflection-state.ts): `asked`, `themes`, `tips`, `open`,
 *   `gentle`, `soft`;
 * - `@`: the member's handle (redis-handles.ts; the claim itself stays in the
 *   global `handles` hash).
 *
 * Redis keeps a hash as a compact listpack only while every value is at most
 * `hash-max-listpack-value` (64) bytes; one longer value turns the whole hash
 * into a hash table, several times the size. So a longer value (the list of
 * questions asked grows with each one) is cut into 64-byte pieces: `f`, then
 * `f#1`, `f#2`…, cut only between UTF-8 characters, and joined again on
 * reading. Every write goes through the Lua helpers below.
 *
 * The older layouts are still read: the record as a JSON string at
 * `member:<id>` (member-codec.ts), the state in a hash at `member:<id>:state`,
 * the handle in the global `handle-of` hash (or older, `handle-of:<id>`). The
 * member's next record write moves all three into the one hash. State and
 * handles are written into the member's hash only when it exists as a hash,
 * so it is only ever made by a record write: while it exists, the member does.
 */

export const CHUNK_BYTES = 64;

/** Lua: long values in pieces (see above); `member_hash` says whether a key is the v3 layout. */
export const LONG_FIELDS = `
local function hdel_long(key, field)
  local n = 1
  while redis.call("HDEL", key, field .. "#" .. n) == 1 do n = n + 1 end
  return redis.call("HDEL", key, field)
end
local function hget_long(key, field)
  local first = redis.call("HGET", key, field)
  if not first then return false end
  local parts, n = { first }, 1
  while true do
    local more = redis.call("HGET", key, field .. "#" .. n)
    if not more then break end
    parts[#parts + 1] = more
    n = n + 1
  end
  return table.concat(parts)
end
local function hset_long(key, field, value)
  local n = 1
  while redis.call("HDEL", key, field .. "#" .. n) == 1 do n = n + 1 end
  local pos, len, piece = 1, #value, 0
  repeat
    local last = math.min(pos + ${CHUNK_BYTES} - 1, len)
    while last < len and last > pos do
      local b = string.byte(value, last + 1)
      if b < 128 or b >= 192 then break end
      last = last - 1
    end
    redis.call("HSET", key, piece == 0 and field or (field .. "#" .. piece), string.sub(value, pos, last))
    pos, piece = last + 1, piece + 1
  until pos > len
end
local function member_hash(key)
  return redis.call("TYPE", key)["ok"] == "hash"
end`;

/** The record's fields (see above); state fields and `@` are not among them. */
const RECORD_FIELDS = ["n", "r", "z", "d", "h", "c", "j", "s", "o", "st", "p"];

export function isRecordField(field: string): boolean {
  return RECORD_FIELDS.includes(field) || (field.startsWith("x:") && !field.includes("#"));
}

/** Lua: `is_record(field)` as isRecordField. */
export const RECORD_FIELD_LUA = `
local RECORD = {}
for _, f in ipairs({ ${RECORD_FIELDS.map((f) => `"${f}"`).join(", ")} }) do RECORD[f] = true end
local function is_record(field)
  return RECORD[field] or (string.sub(field, 1, 2) == "x:" and not string.find(field, "#", 1, true))
end`;

/** A hash as read (`HGETALL`), with every long value joined from its pieces. */
export function joinPieces(flat: Record<string, string>): Record<string, string> {
  const joined: Record<string, string> = {};
  const pieces = new Map<string, string[]>();
  for (const [field, value] of Object.entries(flat)) {
    const match = /^(.*)#(\d+)$/s.exec(field);
    if (!match) {
      joined[field] = value;
      continue;
    }
    const list = pieces.get(match[1] as string) ?? [];
    list[Number(match[2])] = value;
    pieces.set(match[1] as string, list);
  }
  for (const [field, list] of pieces) {
    if (joined[field] === undefined) continue;
    let value = joined[field];
    for (let i = 1; i < list.length && list[i] !== undefined; i++) value += list[i];
    joined[field] = value;
  }
  return joined;
}

/** `HGETALL`'s flat array reply as an object. */
export function pairs(flat: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
  return out;
}

/** The plain record (as the member schema reads it) as the hash's record fields. */
export function encodeMemberFields(plain: Record<string, unknown>): Record<string, string> {
  const hours = plain.workingHours as { start?: unknown; end?: unknown } | undefined;
  const days = Array.isArray(plain.workingDays) ? (plain.workingDays as string[]) : [];
  const status = plain.status as { state?: unknown } | undefined;
  const preferences = plain.preferences as Record<string, unknown> | undefined;
  const fields: Record<string, string> = {
    n: String(plain.displayName),
    r: String(plain.region),
    z: String(plain.timeZone),
    d: days.map((day) => WEEKDAYS.indexOf(day as (typeof WEEKDAYS)[number]) + 1).join(""),
    h: `${String(hours?.start)}-${String(hours?.end)}`,
    c: String(plain.consentedAt),
  };
  if (plain.joinedAt !== plain.consentedAt) fields.j = String(plain.joinedAt);
  if (plain.soleWorker === true) fields.s = "1";
  if (plain.role === "coordinator") fields.o = "c";
  if (status && status.state !== "active") fields.st = JSON.stringify(status);
  if (preferences && Object.keys(preferences).length > 0) fields.p = JSON.stringify(preferences);
  for (const [field, value] of Object.entries(plain)) {
    if (!PLAIN_FIELDS.has(field) && value !== undefined && !field.includes("#"))
      fields[`x:${field}`] = JSON.stringify(value);
  }
  return fields;
}

function json(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : text;
}

/** The record fields of a member's hash (pieces joined) as the plain record; null when it holds none. */
export function decodeMemberFields(
  fields: Record<string, string>,
  id: MemberId,
): Record<string, unknown> | null {
  if (fields.c === undefined && fields.n === undefined) return null;
  const [start, end] = (fields.h ?? "").split("-");
  const plain: Record<string, unknown> = {
    id,
    displayName: fields.n,
    region: fields.r,
    timeZone: fields.z,
    workingDays: [...(fields.d ?? "")].map((digit) => WEEKDAYS[Number(digit) - 1] ?? digit),
    workingHours: { start, end },
    soleWorker: fields.s === "1",
    role: fields.o === "c" ? "coordinator" : "peer-worker",
    status: fields.st === undefined ? { state: "active" } : json(fields.st),
    consentedAt: fields.c,
    joinedAt: fields.j ?? fields.c,
    ...(fields.p !== undefined ? { preferences: json(fields.p) } : {}),
  };
  for (const [field, value] of Object.entries(fields)) {
    if (field.startsWith("x:")) plain[field.slice(2)] = json(value);
  }
  return plain;
}

/** Only the record fields of a member's hash. */
export function recordFields(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([field]) => isRecordField(field)));
}

/**
 * Reads member keys in either layout. KEYS: the member keys. Per key: `{"h", field, value, …}`
 * (the v3 hash, pieces not yet joined), `{"s", json}` (the older JSON string), or `{"-"}`.
 */
export const READ_MEMBERS = `
local out = {}
for i, key in ipairs(KEYS) do
  local t = redis.call("TYPE", key)["ok"]
  if t == "hash" then
    local row = redis.call("HGETALL", key)
    table.insert(row, 1, "h")
    out[i] = row
  elseif t == "string" then
    out[i] = { "s", redis.call("GET", key) }
  else
    out[i] = { "-" }
  end
end
return out`;

/** A member's stored record as read: the layout it is in, and its content. */
export type StoredMember =
  | { readonly layout: "hash"; readonly fields: Record<string, string> }
  | { readonly layout: "string"; readonly json: string }
  | { readonly layout: "none" };

export function storedMemberFrom(reply: readonly string[]): StoredMember {
  const [kind, ...rest] = reply;
  if (kind === "h") return { layout: "hash", fields: joinPieces(pairs(rest)) };
  if (kind === "s" && typeof rest[0] === "string") return { layout: "string", json: rest[0] };
  return { layout: "none" };
}

/** The stored member record of one key, either layout, in its plain (unchecked) shape; for tests and tools. */
export async function readStoredMember(
  redis: Redis,
  key: string,
  id: MemberId,
): Promise<Record<string, unknown> | null> {
  const [reply] = (await runScript(redis, READ_MEMBERS, 1, key)) as string[][];
  const stored = storedMemberFrom(reply ?? []);
  if (stored.layout === "hash") return decodeMemberFields(stored.fields, id);
  if (stored.layout === "string") {
    const parsed = parseJson(stored.json);
    return parsed.ok ? (decodeMember(parsed.value, id) as Record<string, unknown>) : null;
  }
  return null;
}
