import type { Redis } from "ioredis";
import { z } from "zod";
import type { Circle, CircleStore, CircleWish, RoundSchedule } from "../features/circles/circle-store.js";
import { type Logger, silentLogger } from "../logging/logger.js";
import type { ConversationRef, MemberId, MessageRef } from "../platform/chat-platform.js";
import type { RedisKeys } from "./redis-keys.js";
import { readStored } from "./stored-record.js";

const conversationSchema = z.object({
  kind: z.enum(["dm", "group", "channel"]),
  id: z.string().min(1),
  thread: z.string().exactOptional(),
});
const wishSchema = z.object({
  size: z.union([z.literal(3), z.literal(4), z.literal(5)]).exactOptional(),
  mode: z.enum(["stable", "rotating"]),
  since: z.string(),
});
const circleSchema = z.object({
  id: z.string(),
  members: z.array(z.string()),
  mode: z.enum(["stable", "rotating"]),
  createdAt: z.string(),
  spaces: z.array(conversationSchema),
});
const roundSchema = z.array(z.array(z.string()));
const scheduleSchema = z.object({
  everyWeeks: z.number().int().min(1).max(12),
  day: z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
  time: z.string(),
  timeZone: z.string(),
});

const HISTORY_KEPT = 12;
const RELAY_TTL_MS = 30 * 24 * 60 * 60_000;

/**
 * The circles feature's data, under `circles:`:
 * - `wishes` HASH member → wish; `contact` HASH member → last peer contact (ms);
 * - `circle:<id>` the circle; `all` SET of ids; `of` HASH member → circle id; `at` HASH conversation id → circle id;
 * - `history` LIST of rounds (newest first, JSON member lists), the last 12;
 * - `conflicts` SET "a|b" (sorted pair); `not-with` HASH owner → JSON list;
 * - `relay:<conversation>|<message>` → JSON outbox ids, 30 days (ids only, never words);
 * - `schedule` the round schedule.
 * Nothing here is under a member's own root, so `forget` takes them out of each one.
 */
export class RedisCircleStore implements CircleStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger = silentLogger,
  ) {}

  private key(name: string): string {
    return this.keys.global(`circles:${name}`);
  }

  private parse<T>(schema: z.ZodType<T>, json: string | null | undefined, kind: string): T | null {
    return readStored(this.logger, schema, json, kind);
  }

  async wish(member: MemberId): Promise<CircleWish | null> {
    return this.parse(wishSchema, await this.redis.hget(this.key("wishes"), member), "circle-wish");
  }

  async setWish(member: MemberId, wish: CircleWish | null): Promise<void> {
    if (wish) await this.redis.hset(this.key("wishes"), member, JSON.stringify(wish));
    else await this.redis.hdel(this.key("wishes"), member);
  }

  async wishes(): Promise<Map<MemberId, CircleWish>> {
    const all = await this.redis.hgetall(this.key("wishes"));
    const out = new Map<MemberId, CircleWish>();
    for (const [member, json] of Object.entries(all)) {
      const wish = this.parse(wishSchema, json, "circle-wish");
      if (wish) out.set(member, wish);
    }
    return out;
  }

  async circle(id: string): Promise<Circle | null> {
    return this.parse(circleSchema, await this.redis.get(this.key(`circle:${id}`)), "circle");
  }

  async circleOf(member: MemberId): Promise<Circle | null> {
    const id = await this.redis.hget(this.key("of"), member);
    return id ? this.circle(id) : null;
  }

  async circleAt(conversation: ConversationRef): Promise<Circle | null> {
    const id = await this.redis.hget(this.key("at"), conversation.id);
    return id ? this.circle(id) : null;
  }

  async circles(): Promise<Circle[]> {
    const ids = await this.redis.smembers(this.key("all"));
    const found = await Promise.all(ids.map((id) => this.circle(id)));
    return found.filter((circle): circle is Circle => circle !== null);
  }

  async saveCircle(circle: Circle, previous: Circle | null = null): Promise<void> {
    const multi = this.redis.multi();
    multi.set(this.key(`circle:${circle.id}`), JSON.stringify(circle));
    multi.sadd(this.key("all"), circle.id);
    for (const member of previous?.members ?? []) {
      if (!circle.members.includes(member)) multi.hdel(this.key("of"), member);
    }
    for (const space of previous?.spaces ?? []) {
      if (!circle.spaces.some((s) => s.id === space.id)) multi.hdel(this.key("at"), space.id);
    }
    for (const member of circle.members) multi.hset(this.key("of"), member, circle.id);
    // A DM is no circle's space by id (it is the member's own): only groups are looked up by conversation.
    for (const space of circle.spaces)
      if (space.kind === "group") multi.hset(this.key("at"), space.id, circle.id);
    await multi.exec();
  }

  async endCircle(circle: Circle): Promise<void> {
    const multi = this.redis.multi();
    multi.del(this.key(`circle:${circle.id}`));
    multi.srem(this.key("all"), circle.id);
    for (const member of circle.members) multi.hdel(this.key("of"), member);
    for (const space of circle.spaces) multi.hdel(this.key("at"), space.id);
    await multi.exec();
  }

  async history(rounds: number): Promise<string[][][]> {
    const list = await this.redis.lrange(this.key("history"), 0, rounds - 1);
    return list.map((json) => this.parse(roundSchema, json, "circle-round") ?? []);
  }

  async addRound(circles: readonly (readonly MemberId[])[]): Promise<void> {
    await this.redis
      .multi()
      .lpush(this.key("history"), JSON.stringify(circles))
      .ltrim(this.key("history"), 0, HISTORY_KEPT - 1)
      .exec();
  }

  async lastContact(members: readonly MemberId[]): Promise<number[]> {
    if (members.length === 0) return [];
    const values = await this.redis.hmget(this.key("contact"), ...members);
    return values.map((value) => Number(value ?? 0) || 0);
  }

  async touch(members: readonly MemberId[], at: number): Promise<void> {
    if (members.length === 0) return;
    await this.redis.hset(this.key("contact"), Object.fromEntries(members.map((m) => [m, String(at)])));
  }

  async conflicts(): Promise<Array<[MemberId, MemberId]>> {
    return (await this.redis.smembers(this.key("conflicts"))).flatMap((pair) => {
      const [a, b] = pair.split("|");
      return a && b ? [[a, b] as [MemberId, MemberId]] : [];
    });
  }

  async setConflict(a: MemberId, b: MemberId, on: boolean): Promise<boolean> {
    const pair = [a, b].sort().join("|");
    const changed = on
      ? await this.redis.sadd(this.key("conflicts"), pair)
      : await this.redis.srem(this.key("conflicts"), pair);
    return changed === 1;
  }

  async notWith(member: MemberId): Promise<MemberId[]> {
    return (
      this.parse(z.array(z.string()), await this.redis.hget(this.key("not-with"), member), "not-with") ?? []
    );
  }

  async setNotWith(member: MemberId, other: MemberId, on: boolean): Promise<boolean> {
    const list = await this.notWith(member);
    const has = list.includes(other);
    if (has === on) return false;
    const next = on ? [...list, other] : list.filter((id) => id !== other);
    if (next.length === 0) await this.redis.hdel(this.key("not-with"), member);
    else await this.redis.hset(this.key("not-with"), member, JSON.stringify(next));
    return true;
  }

  async allNotWith(): Promise<Array<[MemberId, MemberId]>> {
    const all = await this.redis.hgetall(this.key("not-with"));
    return Object.entries(all).flatMap(([owner, json]) =>
      (this.parse(z.array(z.string()), json, "not-with") ?? []).map(
        (other) => [owner, other] as [MemberId, MemberId],
      ),
    );
  }

  private relayKey(source: MessageRef): string {
    return this.key(`relay:${source.conversation.id}|${source.id}`);
  }

  async relayed(source: MessageRef): Promise<string[]> {
    return this.parse(z.array(z.string()), await this.redis.get(this.relayKey(source)), "relay") ?? [];
  }

  async setRelayed(source: MessageRef, outboxIds: readonly string[]): Promise<void> {
    await this.redis.set(this.relayKey(source), JSON.stringify(outboxIds), "PX", RELAY_TTL_MS);
  }

  async roundSchedule(): Promise<RoundSchedule | null> {
    return this.parse(scheduleSchema, await this.redis.get(this.key("schedule")), "round-schedule");
  }

  async setRoundSchedule(schedule: RoundSchedule | null): Promise<void> {
    if (schedule) await this.redis.set(this.key("schedule"), JSON.stringify(schedule));
    else await this.redis.del(this.key("schedule"));
  }

  async forget(member: MemberId): Promise<void> {
    await this.redis.hdel(this.key("wishes"), member);
    await this.redis.hdel(this.key("contact"), member);
    const circle = await this.circleOf(member);
    if (circle) {
      const members = circle.members.filter((id) => id !== member);
      const spaces = circle.spaces.filter((space) => !(space.kind === "dm" && space.id === member));
      await this.saveCircle({ ...circle, members, spaces }, circle);
    }
    await this.redis.hdel(this.key("of"), member);
    // History, conflicts and everyone's "not with" lists: rewritten without them.
    const history = await this.redis.lrange(this.key("history"), 0, -1);
    if (history.some((json) => json.includes(JSON.stringify(member)))) {
      const rewritten = history.map((json) => {
        const round = this.parse(roundSchema, json, "circle-round") ?? [];
        return JSON.stringify(round.map((c) => c.filter((id) => id !== member)).filter((c) => c.length > 0));
      });
      const multi = this.redis.multi().del(this.key("history"));
      if (rewritten.length > 0) multi.rpush(this.key("history"), ...rewritten);
      await multi.exec();
    }
    const pairs = (await this.redis.smembers(this.key("conflicts"))).filter((pair) =>
      pair.split("|").includes(member),
    );
    if (pairs.length > 0) await this.redis.srem(this.key("conflicts"), ...pairs);
    await this.redis.hdel(this.key("not-with"), member);
    for (const [owner] of (await this.allNotWith()).filter(([, other]) => other === member)) {
      await this.setNotWith(owner, member, false);
    }
  }
}
