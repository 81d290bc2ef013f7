import type { Redis } from "ioredis";
import type { MemberDataSection } from "../members/member-store.js";
import type { MemberId } from "../platform/chat-platform.js";
import type {
  MemberReflectionState,
  OpenPrompt,
  ReflectionStateStore,
} from "../reflection/reflection-state.js";
import type { RedisKeys } from "./redis-keys.js";

// One small hash per member, read in one command on the send path.
// asked: JSON array of question ids; themes: JSON object of counts; tips: JSON array of tip ids.
const RECORD_QUESTION = `
local raw = redis.call("HGET", KEYS[1], "asked")
local asked = raw and cjson.decode(raw) or {}
local reset = {}
for i = 3, #ARGV do reset[ARGV[i]] = true end
reset[ARGV[1]] = true
local kept = {}
for _, id in ipairs(asked) do if not reset[id] then kept[#kept + 1] = id end end
kept[#kept + 1] = ARGV[1]
local themesRaw = redis.call("HGET", KEYS[1], "themes")
local themes = themesRaw and cjson.decode(themesRaw) or {}
themes[ARGV[2]] = (tonumber(themes[ARGV[2]]) or 0) + 1
redis.call("HSET", KEYS[1], "asked", cjson.encode(kept), "themes", cjson.encode(themes))
redis.call("HDEL", KEYS[1], "gentle", "soft")
return 1`;

const RECORD_TIP = `
local raw = redis.call("HGET", KEYS[1], "tips")
local tips = (raw and ARGV[2] ~= "1") and cjson.decode(raw) or {}
tips[#tips + 1] = ARGV[1]
redis.call("HSET", KEYS[1], "tips", cjson.encode(tips))
return 1`;

/** Lua's cjson writes an empty array as {}; both mean none. */
function ids(json: string | undefined): string[] {
  const parsed: unknown = json ? JSON.parse(json) : [];
  return Array.isArray(parsed) ? (parsed as string[]) : [];
}

/**
 * Under the member's root, one hash `state`: questions asked, counts per
 * theme, tips seen, the gentle flag and the open question (ids only).
 */
export class RedisReflectionState implements ReflectionStateStore, MemberDataSection {
  readonly name = "reflectionHistory";

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  private key(member: MemberId): string {
    return this.keys.memberPart(member, "state");
  }

  async load(member: MemberId): Promise<MemberReflectionState> {
    const state = await this.redis.hgetall(this.key(member));
    const themes = state.themes ? (JSON.parse(state.themes) as Record<string, number>) : {};
    return {
      asked: new Set(ids(state.asked)),
      themeCounts: new Map(Object.entries(themes).map(([theme, count]) => [theme, Number(count)])),
      tipsSeen: new Set(ids(state.tips)),
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
    const json = await this.redis.hget(this.key(member), "open");
    return json ? (JSON.parse(json) as OpenPrompt) : null;
  }

  async setOpen(member: MemberId, open: OpenPrompt): Promise<void> {
    await this.redis.hset(this.key(member), "open", JSON.stringify(open));
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
