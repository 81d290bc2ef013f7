import type { Redis } from "ioredis";
import type { MemberDataSection } from "../members/member-store.js";
import type { MemberId } from "../platform/chat-platform.js";
import type {
  MemberReflectionState,
  OpenPrompt,
  ReflectionStateStore,
} from "../reflection/reflection-state.js";
import type { RedisKeys } from "./redis-keys.js";

/**
 * Under the member's root: `asked` (set of question ids), `themes` (hash of
 * counts), `tips` (set of tip ids seen), `state` (hash: open prompt, gentle flag).
 */
export class RedisReflectionState implements ReflectionStateStore, MemberDataSection {
  readonly name = "reflectionHistory";

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async load(member: MemberId): Promise<MemberReflectionState> {
    const [asked, themes, tips, gentle] = await Promise.all([
      this.redis.smembers(this.keys.memberPart(member, "asked")),
      this.redis.hgetall(this.keys.memberPart(member, "themes")),
      this.redis.smembers(this.keys.memberPart(member, "tips")),
      this.redis.hget(this.keys.memberPart(member, "state"), "gentle"),
    ]);
    return {
      asked: new Set(asked),
      themeCounts: new Map(Object.entries(themes).map(([theme, count]) => [theme, Number(count)])),
      tipsSeen: new Set(tips),
      gentle: gentle === "1",
    };
  }

  async recordQuestion(
    member: MemberId,
    questionId: string,
    theme: string,
    resetIds: readonly string[],
  ): Promise<void> {
    const asked = this.keys.memberPart(member, "asked");
    const tx = this.redis.multi();
    if (resetIds.length > 0) tx.srem(asked, ...resetIds);
    tx.sadd(asked, questionId).hincrby(this.keys.memberPart(member, "themes"), theme, 1);
    tx.hdel(this.keys.memberPart(member, "state"), "gentle");
    await tx.exec();
  }

  async recordTip(member: MemberId, tipId: string, reset: boolean): Promise<void> {
    const tips = this.keys.memberPart(member, "tips");
    const tx = this.redis.multi();
    if (reset) tx.del(tips);
    await tx.sadd(tips, tipId).exec();
  }

  async getOpen(member: MemberId): Promise<OpenPrompt | null> {
    const json = await this.redis.hget(this.keys.memberPart(member, "state"), "open");
    return json ? (JSON.parse(json) as OpenPrompt) : null;
  }

  async setOpen(member: MemberId, open: OpenPrompt): Promise<void> {
    await this.redis.hset(this.keys.memberPart(member, "state"), "open", JSON.stringify(open));
  }

  async clearOpen(member: MemberId): Promise<void> {
    await this.redis.hdel(this.keys.memberPart(member, "state"), "open");
  }

  async setGentle(member: MemberId, gentle: boolean): Promise<void> {
    if (gentle) await this.redis.hset(this.keys.memberPart(member, "state"), "gentle", "1");
    else await this.redis.hdel(this.keys.memberPart(member, "state"), "gentle");
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
    await this.redis.del(
      ...["asked", "themes", "tips", "state"].map((part) => this.keys.memberPart(member, part)),
    );
  }
}
