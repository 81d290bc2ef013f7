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
import type { RedisKeys } from "./redis-keys.js";
import { readRecord } from "./stored-record.js";

// One small hash per member, read in one command on the send path.
// asked: JSON array of question ids; themes: JSON object of counts; tips: JSON array of tip ids;
// open: `step|askedAt|entryId|questionId` (see encodeOpen; JSON before, still read).
//
// Every write touches only its own fields: HSET/HDEL of single fields, or a
// Lua script where a field is read and rewritten (asked, themes, tips), so a
// concurrent write from another process is never lost. The scripts read a
// field that is not valid JSON (or not the expected shape) as empty, so a
// corrupted field is repaired by the next write rather than failing it.
const DECODE = `
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

const RECORD_QUESTION = `${DECODE}
local asked = strings(redis.call("HGET", KEYS[1], "asked"))
local reset = {}
for i = 3, #ARGV do reset[ARGV[i]] = true end
reset[ARGV[1]] = true
local kept = {}
for _, id in ipairs(asked) do if not reset[id] then kept[#kept + 1] = id end end
kept[#kept + 1] = ARGV[1]
local themes = {}
for theme, count in pairs(decoded(redis.call("HGET", KEYS[1], "themes"))) do
  if type(theme) == "string" and tonumber(count) then themes[theme] = tonumber(count) end
end
themes[ARGV[2]] = (themes[ARGV[2]] or 0) + 1
redis.call("HSET", KEYS[1], "asked", cjson.encode(kept), "themes", cjson.encode(themes))
redis.call("HDEL", KEYS[1], "gentle", "soft")
return 1`;

const RECORD_TIP = `${DECODE}
local tips = ARGV[2] ~= "1" and strings(redis.call("HGET", KEYS[1], "tips")) or {}
tips[#tips + 1] = ARGV[1]
redis.call("HSET", KEYS[1], "tips", cjson.encode(tips))
return 1`;

/**
 * Replaces the open question only if the one stored is still the one expected
 * (same question, step and time asked). Reads both encodings of `open`: the
 * compact `step|askedAt|entryId|questionId` and the JSON object written before it.
 */
const REPLACE_OPEN = `
local raw = redis.call("HGET", KEYS[1], "open")
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
redis.call("HSET", KEYS[1], "open", ARGV[4])
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
 * Under the member's root, one hash `state`: questions asked, counts per
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

  private key(member: MemberId): string {
    return this.keys.memberPart(member, "state");
  }

  async load(member: MemberId): Promise<MemberReflectionState> {
    const state = await this.redis.hgetall(this.key(member));
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
    await this.redis.eval(RECORD_QUESTION, 1, this.key(member), questionId, theme, ...resetIds);
  }

  async recordTip(member: MemberId, tipId: string, reset: boolean): Promise<void> {
    await this.redis.eval(RECORD_TIP, 1, this.key(member), tipId, reset ? "1" : "0");
  }

  async getOpen(member: MemberId): Promise<OpenPrompt | null> {
    const raw = await this.redis.hget(this.key(member), "open");
    return readRecord(
      openPromptSchema,
      raw === null ? null : decodeOpen(raw),
      "open-prompt",
      this.logger,
      "open",
    );
  }

  async setOpen(member: MemberId, open: OpenPrompt): Promise<void> {
    await this.redis.hset(this.key(member), "open", encodeOpen(open));
  }

  /**
   * Moves the open question on (e.g. to the next diary step) only if it is
   * still `expected` (same question, step and time asked): of two processes
   * handling two messages at once, one advances and the other gets false.
   */
  async replaceOpen(member: MemberId, expected: OpenPrompt, next: OpenPrompt): Promise<boolean> {
    const replaced = await this.redis.eval(
      REPLACE_OPEN,
      1,
      this.key(member),
      expected.questionId,
      String(expected.step),
      String(expected.askedAt),
      encodeOpen(next),
    );
    return replaced === 1;
  }

  async clearOpen(member: MemberId): Promise<void> {
    await this.redis.hdel(this.key(member), "open");
  }

  async setGentle(member: MemberId, gentle: boolean): Promise<void> {
    if (gentle) await this.redis.hset(this.key(member), "gentle", "1");
    else await this.redis.hdel(this.key(member), "gentle");
  }

  async setSoft(member: MemberId, soft: boolean): Promise<void> {
    if (soft) await this.redis.hset(this.key(member), "soft", "1");
    else await this.redis.hdel(this.key(member), "soft");
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
    await this.redis.del(this.key(member));
  }
}
