import type { Redis } from "ioredis";
import { z } from "zod";
import { type Logger, silentLogger } from "../logging/logger.js";
import type { MemberDataSection } from "../members/member-store.js";
import type { MemberId } from "../platform/chat-platform.js";
import type {
  MemberReflectionState,
  OpenPrompt,
  ReflectionStateStore,
} from "../reflection/reflection-state.js";
import { runScript } from "./lua-script.js";
import { LONG_FIELDS, pairs } from "./member-hash.js";
import type { RedisKeys } from "./redis-keys.js";
import { readRecord } from "./stored-record.js";

// The state lives in the member's own hash (member-hash.ts: one key per member) beside their
// record; for a member still in the older layout (record a JSON string), in the hash
// `member:<id>:state`, until their next record write moves it. Every script gets both keys
// (KEYS[1] the member, KEYS[2] the older hash) and picks the one that holds it.
// asked: JSON array of question ids; themes: JSON object of counts; tips: JSON array of tip ids;
// open: `step|askedAt|entryId|questionId` (see encodeOpen; JSON before, still read). A value
// longer than 64 bytes is kept in pieces (member-hash.ts), so the hash stays a listpack.
//
// Every write touches only its own fields: HSET/HDEL of single fields, or a
// Lua script where a field is read and rewritten (asked, themes, tips), so a
// concurrent write from another process is never lost. The scripts read a
// field that is not valid JSON (or not the expected shape) as empty, so a
// corrupted field is repaired by the next write rather than failing it.
const DECODE = `
${LONG_FIELDS}
local key = member_hash(KEYS[1]) and KEYS[1] or KEYS[2]
local function decoded(raw)
  if not raw then return {} end
  local ok, value = pcall(cjson.decode, raw)
  if ok and type(value) == "table" then return value end
  return {}
end
local function strings(raw)
  local out = {}
  for _, id in ipairs(decoded(raw)) do if type(id) == "string" then out[#out + 1] = id end end
  return out
end`;

/** The state fields (pieces joined), from whichever key holds them. */
const LOAD = `
${LONG_FIELDS}
local key = member_hash(KEYS[1]) and KEYS[1] or KEYS[2]
local out = {}
for i = 1, #ARGV do
  local value = hget_long(key, ARGV[i])
  if value then
    out[#out + 1] = ARGV[i]
    out[#out + 1] = value
  end
end
return out`;

/** ARGV: field, value ("" with ARGV[3] "del": removes the field). */
const SET_FIELD = `
${LONG_FIELDS}
local key = member_hash(KEYS[1]) and KEYS[1] or KEYS[2]
if ARGV[3] == "del" then hdel_long(key, ARGV[1]) else hset_long(key, ARGV[1], ARGV[2]) end
return 1`;

/** Removes every state field from the member's hash, and the older hash. ARGV: the fields. */
const FORGET = `
${LONG_FIELDS}
if member_hash(KEYS[1]) then
  for i = 1, #ARGV do hdel_long(KEYS[1], ARGV[i]) end
end
redis.call("DEL", KEYS[2])
return 1`;

const STATE_FIELDS = ["asked", "themes", "tips", "gentle", "soft", "open"] as const;

const RECORD_QUESTION = `${DECODE}
local asked = strings(hget_long(key, "asked"))
local reset = {}
for i = 3, #ARGV do reset[ARGV[i]] = true end
reset[ARGV[1]] = true
local kept = {}
for _, id in ipairs(asked) do if not reset[id] then kept[#kept + 1] = id end end
kept[#kept + 1] = ARGV[1]
local themes = {}
for theme, count in pairs(decoded(hget_long(key, "themes"))) do
  if type(theme) == "string" and tonumber(count) then themes[theme] = tonumber(count) end
end
themes[ARGV[2]] = (themes[ARGV[2]] or 0) + 1
hset_long(key, "asked", cjson.encode(kept))
hset_long(key, "themes", cjson.encode(themes))
hdel_long(key, "gentle")
hdel_long(key, "soft")
return 1`;

const RECORD_TIP = `${DECODE}
local tips = ARGV[2] ~= "1" and strings(hget_long(key, "tips")) or {}
tips[#tips + 1] = ARGV[1]
hset_long(key, "tips", cjson.encode(tips))
return 1`;

/**
 * Replaces the open question only if the one stored is still the one expected
 * (same question, step and time asked). Reads both encodings of `open`: the
 * compact `step|askedAt|entryId|questionId` and the JSON object written before it.
 */
const REPLACE_OPEN = `
${LONG_FIELDS}
local key = member_hash(KEYS[1]) and KEYS[1] or KEYS[2]
local raw = hget_long(key, "open")
if not raw then return 0 end
local question, step, asked
if string.sub(raw, 1, 1) == "{" then
  local ok, open = pcall(cjson.decode, raw)
  if not ok or type(open) ~= "table" then return 0 end
  question, step, asked = open.questionId, open.step, open.askedAt
else
  local s, a, q = string.match(raw, "^(%d)|(%-?%d+)|[^|]*|(.+)$")
  question, step, asked = q, tonumber(s), tonumber(a)
end
if question ~= ARGV[1] or step ~= tonumber(ARGV[2]) or asked ~= tonumber(ARGV[3]) then
  return 0
end
hset_long(key, "open", ARGV[4])
return 1`;

/** Lua's cjson writes an empty array as {}; both mean none. */
const emptyObjectAsArray = (value: unknown) =>
  value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0
    ? []
    : value;
const idList = z.preprocess(emptyObjectAsArray, z.array(z.string()));
const themeCounts = z.preprocess(
  (value) => (Array.isArray(value) && value.length === 0 ? {} : value),
  z.record(z.string(), z.number()),
);

export const openPromptSchema = z.object({
  questionId: z.string(),
  step: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  entryId: z.string().exactOptional(),
  askedAt: z.number(),
});

/**
 * The open question as stored: `step|askedAt|entryId|questionId` (entryId empty when none).
 * Short, so the member's state hash stays under Redis's `hash-max-listpack-value` (64 bytes)
 * and is kept as a compact listpack; the JSON object it replaces was over that, which turned
 * every member's hash into a full hash table (about 200 bytes more each).
 */
export function encodeOpen(open: OpenPrompt): string {
  return `${open.step}|${open.askedAt}|${open.entryId ?? ""}|${open.questionId}`;
}

/** Either encoding of the open question, as a value for `openPromptSchema`; the old JSON as it was. */
function decodeOpen(raw: string): string {
  if (raw.startsWith("{")) return raw;
  const match = /^(\d)\|(-?\d+)\|([^|]*)\|(.+)$/s.exec(raw);
  if (!match) return "";
  const [, step, askedAt, entryId, questionId] = match;
  return JSON.stringify({
    questionId,
    step: Number(step),
    askedAt: Number(askedAt),
    ...(entryId ? { entryId } : {}),
  });
}

// Compile-time check that the schema and the domain type agree.
const _parsedIsOpen = (parsed: z.output<typeof openPromptSchema>): OpenPrompt => parsed;
void _parsedIsOpen;

/**
 * In the member's own hash (or, older layout, `member:<id>:state`): questions asked, counts per
 * theme, tips seen, the gentle flag and the open question (ids only). Each
 * field is read through its schema: a malformed one is reported and read as
 * empty (the rest of the state still counts).
 */
export class RedisReflectionState implements ReflectionStateStore, MemberDataSection {
  readonly name = "reflectionHistory";

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** The member's hash, and the older state hash. */
  private both(member: MemberId): [string, string] {
    return [this.keys.member(member), this.keys.memberPart(member, "state")];
  }

  private async fields(member: MemberId, names: readonly string[]): Promise<Record<string, string>> {
    return pairs((await runScript(this.redis, LOAD, 2, ...this.both(member), ...names)) as string[]);
  }

  private async setField(member: MemberId, field: string, value: string | null): Promise<void> {
    await runScript(
      this.redis,
      SET_FIELD,
      2,
      ...this.both(member),
      field,
      value ?? "",
      value === null ? "del" : "",
    );
  }

  async load(member: MemberId): Promise<MemberReflectionState> {
    const state = await this.fields(member, STATE_FIELDS);
    const read = <S extends z.ZodType>(schema: S, part: "asked" | "themes" | "tips") =>
      readRecord(schema, state[part], "reflection-state", this.logger, part);
    const themes = read(themeCounts, "themes") ?? {};
    return {
      asked: new Set(read(idList, "asked") ?? []),
      themeCounts: new Map(Object.entries(themes)),
      tipsSeen: new Set(read(idList, "tips") ?? []),
      gentle: state.gentle === "1",
      soft: state.soft === "1",
    };
  }

  async recordQuestion(
    member: MemberId,
    questionId: string,
    theme: string,
    resetIds: readonly string[],
  ): Promise<void> {
    await runScript(this.redis, RECORD_QUESTION, 2, ...this.both(member), questionId, theme, ...resetIds);
  }

  async recordTip(member: MemberId, tipId: string, reset: boolean): Promise<void> {
    await runScript(this.redis, RECORD_TIP, 2, ...this.both(member), tipId, reset ? "1" : "0");
  }

  async getOpen(member: MemberId): Promise<OpenPrompt | null> {
    const raw = (await this.fields(member, ["open"])).open ?? null;
    return readRecord(
      openPromptSchema,
      raw === null ? null : decodeOpen(raw),
      "open-prompt",
      this.logger,
      "open",
    );
  }

  async setOpen(member: MemberId, open: OpenPrompt): Promise<void> {
    await this.setField(member, "open", encodeOpen(open));
  }

  /**
   * Moves the open question on (e.g. to the next diary step) only if it is
   * still `expected` (same question, step and time asked): of two processes
   * handling two messages at once, one advances and the other gets false.
   */
  async replaceOpen(member: MemberId, expected: OpenPrompt, next: OpenPrompt): Promise<boolean> {
    const replaced = await runScript(
      this.redis,
      REPLACE_OPEN,
      2,
      ...this.both(member),
      expected.questionId,
      String(expected.step),
      String(expected.askedAt),
      encodeOpen(next),
    );
    return replaced === 1;
  }

  async clearOpen(member: MemberId): Promise<void> {
    await this.setField(member, "open", null);
  }

  async setGentle(member: MemberId, gentle: boolean): Promise<void> {
    await this.setField(member, "gentle", gentle ? "1" : null);
  }

  async setSoft(member: MemberId, soft: boolean): Promise<void> {
    await this.setField(member, "soft", soft ? "1" : null);
  }

  async export(member: MemberId): Promise<unknown> {
    const state = await this.load(member);
    return {
      questionsAsked: [...state.asked].sort(),
      questionsPerTheme: Object.fromEntries(state.themeCounts),
      tipsSeen: [...state.tipsSeen].sort(),
      openQuestion: await this.getOpen(member),
    };
  }

  async forget(member: MemberId): Promise<void> {
    await runScript(this.redis, FORGET, 2, ...this.both(member), ...STATE_FIELDS);
  }
}
