import type { Redis } from "ioredis";
import { z } from "zod";
import type { RecordCipher } from "../crypto/record-cipher.js";
import { BotError } from "../errors.js";
import type { CheckinStore, FollowUpStep, SessionNote } from "../features/checkins/checkin-store.js";
import type { AttendanceRecord, Rsvp, Series } from "../features/checkins/series.js";
import { type Logger, silentLogger } from "../logging/logger.js";
import type { MemberId } from "../platform/chat-platform.js";
import { runScript } from "./lua-script.js";
import type { RedisKeys } from "./redis-keys.js";
import { COMPARE_AND_SET, readStored } from "./stored-record.js";

const weekday = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
const conversationSchema = z.object({
  kind: z.enum(["dm", "group", "channel"]),
  id: z.string().min(1),
  thread: z.string().exactOptional(),
});
const seriesSchema = z.object({
  id: z.string().min(1),
  proposedBy: z.string(),
  createdAt: z.string(),
  rule: z.object({
    everyWeeks: z.number().int().min(1).max(12),
    day: weekday,
    time: z.string().regex(/^\d\d:\d\d$/),
    timeZone: z.string(),
    lengthMinutes: z.number().int().positive(),
    firstDate: z.string().regex(/^\d{4}-\d\d-\d\d$/),
  }),
  moves: z.record(z.string(), z.number().nullable()),
  people: z.record(z.string(), z.enum(["invited", "accepted", "declined"])),
  circleId: z.string().exactOptional(),
  state: z.enum(["draft", "proposed", "running", "ended"]),
  spaces: z.array(conversationSchema),
  spaceMembers: z.array(z.string()),
  sequence: z.number().int().nonnegative(),
  calendars: z.array(z.string()),
  facilitated: z.record(z.string(), z.number().int().nonnegative()),
});
const noteSchema = z.object({
  tallyPosts: z.array(z.string()).exactOptional(),
  facilitator: z.string().exactOptional(),
  coming: z.array(z.string()).exactOptional(),
  agendaAt: z.number().exactOptional(),
});
const attendanceSchema = z.object({
  seriesId: z.string(),
  original: z.number(),
  start: z.number(),
  happened: z.enum(["yes", "partly", "no"]),
  minutes: z.number().nullable(),
  facilitated: z.boolean(),
  with: z.array(z.string()),
  /** Sealed with the member's id and the line's key bound in. */
  sealedTakeaway: z.string().exactOptional(),
  recordedAt: z.string(),
});
const followUpSchema = z.object({
  seriesId: z.string(),
  original: z.number(),
  step: z.enum(["minutes", "takeaway"]),
});

const UPDATE_ATTEMPTS = 16;
/** Session notes, answers and brought entries outlive their session by a while, then go. */
const SESSION_TTL_S = 120 * 24 * 60 * 60;
const FOLLOW_UP_TTL_S = 4 * 24 * 60 * 60;

/**
 * The check-ins feature's data:
 * - `checkins:series:<id>` the series (JSON); `checkins:all` SET of ids;
 * - `checkins:rsvp:<id>:<original>` HASH member → coming | not-coming;
 * - `checkins:note:<id>:<original>` HASH of the session note's fields (JSON values);
 * - `checkins:brought:<id>:<original>` HASH member → sealed entry text;
 * - `checkins:of:<member>` SET of the series a member was invited to (outside their
 *   root, so it outlasts the member record's deletion until this store's `forget`);
 * - under each member's own root: `supervision` HASH `<id>:<original>` → their record line (take-away sealed),
 *   `checkin-follow-up` their place in the after-session questions.
 */
export class RedisCheckinStore implements CheckinStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly cipher: RecordCipher,
    private readonly logger: Logger = silentLogger,
  ) {}

  private key(name: string): string {
    return this.keys.global(`checkins:${name}`);
  }

  private parse<T>(schema: z.ZodType<T>, json: string | null | undefined, kind: string): T | null {
    return readStored(this.logger, schema, json, kind);
  }

  async series(id: string): Promise<Series | null> {
    return this.parse(
      seriesSchema,
      await this.redis.get(this.key(`series:${id}`)),
      "checkin-series",
    ) as Series | null;
  }

  async createSeries(series: Series): Promise<void> {
    const multi = this.redis.multi().set(this.key(`series:${series.id}`), JSON.stringify(series));
    multi.sadd(this.key("all"), series.id);
    for (const member of Object.keys(series.people)) multi.sadd(this.key(`of:${member}`), series.id);
    await multi.exec();
  }

  async updateSeries(id: string, change: (series: Series) => Series | null): Promise<Series | null> {
    const key = this.key(`series:${id}`);
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const before = await this.redis.get(key);
      const current = this.parse(seriesSchema, before, "checkin-series") as Series | null;
      if (!current || before === null) return null;
      const next = change(current);
      if (!next) return null;
      const after = JSON.stringify(next);
      if ((await runScript(this.redis, COMPARE_AND_SET, 1, key, before, after)) === 1) {
        const added = Object.keys(next.people).filter((m) => !(m in current.people));
        for (const member of added) await this.redis.sadd(this.key(`of:${member}`), id);
        return next;
      }
    }
    throw new BotError("STORE_FAILED", "a check-in series kept meeting concurrent changes");
  }

  async seriesOf(member: MemberId): Promise<Series[]> {
    const ids = await this.redis.smembers(this.key(`of:${member}`));
    return this.many(ids.sort());
  }

  async allSeries(): Promise<Series[]> {
    return this.many((await this.redis.smembers(this.key("all"))).sort());
  }

  private async many(ids: readonly string[]): Promise<Series[]> {
    if (ids.length === 0) return [];
    const found = await this.redis.mget(...ids.map((id) => this.key(`series:${id}`)));
    return found
      .map((json) => this.parse(seriesSchema, json, "checkin-series") as Series | null)
      .filter((s): s is Series => s !== null);
  }

  async setRsvp(
    seriesId: string,
    original: number,
    member: MemberId,
    rsvp: Rsvp,
  ): Promise<Record<MemberId, Rsvp>> {
    const key = this.key(`rsvp:${seriesId}:${original}`);
    const [, , all] = (await this.redis
      .multi()
      .hset(key, member, rsvp)
      .expire(key, SESSION_TTL_S)
      .hgetall(key)
      .exec()) as [unknown, unknown, [Error | null, Record<string, string>]];
    return onlyRsvps(all[1] ?? {});
  }

  async rsvps(seriesId: string, original: number): Promise<Record<MemberId, Rsvp>> {
    return onlyRsvps(await this.redis.hgetall(this.key(`rsvp:${seriesId}:${original}`)));
  }

  async clearRsvps(seriesId: string, original: number): Promise<void> {
    await this.redis.del(this.key(`rsvp:${seriesId}:${original}`));
  }

  async sessionNote(seriesId: string, original: number): Promise<SessionNote> {
    const raw = await this.redis.hgetall(this.key(`note:${seriesId}:${original}`));
    const fields: Record<string, unknown> = {};
    for (const [name, json] of Object.entries(raw)) {
      try {
        fields[name] = JSON.parse(json);
      } catch {
        // Dropped by the schema check below.
      }
    }
    const parsed = noteSchema.safeParse(fields);
    if (parsed.success) return parsed.data as SessionNote;
    this.logger.warn(
      { code: "STORED_RECORD_INVALID", kind: "checkin-note" },
      "skipped a malformed stored record",
    );
    return {};
  }

  async noteSession(
    seriesId: string,
    original: number,
    patch: SessionNote,
    onlyIfAbsent?: keyof SessionNote,
  ): Promise<boolean> {
    const key = this.key(`note:${seriesId}:${original}`);
    const entries = Object.entries(patch).filter(([, value]) => value !== undefined);
    if (onlyIfAbsent) {
      const value = (patch as Record<string, unknown>)[onlyIfAbsent];
      const won = await this.redis.hsetnx(key, onlyIfAbsent, JSON.stringify(value));
      if (won === 0) return false;
    }
    const rest = entries.filter(([name]) => name !== onlyIfAbsent);
    const multi = this.redis.multi();
    if (rest.length > 0) multi.hset(key, ...rest.flatMap(([name, value]) => [name, JSON.stringify(value)]));
    await multi.expire(key, SESSION_TTL_S).exec();
    return true;
  }

  private lineKey(record: { seriesId: string; original: number }): string {
    return `${record.seriesId}:${record.original}`;
  }

  private seal(member: MemberId, line: string): string {
    return `checkin-takeaway|${member}|${line}`;
  }

  async recordAttendance(member: MemberId, record: AttendanceRecord): Promise<void> {
    const line = this.lineKey(record);
    const { takeaway, ...rest } = record;
    const stored = {
      ...rest,
      ...(takeaway ? { sealedTakeaway: this.cipher.encrypt(takeaway, this.seal(member, line)) } : {}),
    };
    await this.redis.hset(this.keys.memberPart(member, "supervision"), line, JSON.stringify(stored));
  }

  async attendanceFor(
    member: MemberId,
    seriesId: string,
    original: number,
  ): Promise<AttendanceRecord | null> {
    const line = this.lineKey({ seriesId, original });
    const json = await this.redis.hget(this.keys.memberPart(member, "supervision"), line);
    return json ? this.open(member, line, json) : null;
  }

  async attendance(member: MemberId): Promise<AttendanceRecord[]> {
    const all = await this.redis.hgetall(this.keys.memberPart(member, "supervision"));
    return Object.entries(all)
      .map(([line, json]) => this.open(member, line, json))
      .filter((r): r is AttendanceRecord => r !== null)
      .sort((a, b) => a.start - b.start);
  }

  private open(member: MemberId, line: string, json: string): AttendanceRecord | null {
    const stored = this.parse(attendanceSchema, json, "checkin-attendance");
    if (!stored) return null;
    const { sealedTakeaway, ...rest } = stored;
    if (!sealedTakeaway) return rest;
    try {
      return { ...rest, takeaway: this.cipher.decrypt(sealedTakeaway, this.seal(member, line)) };
    } catch {
      this.logger.error(
        { code: "STORED_RECORD_INVALID", kind: "checkin-attendance", reason: "undecryptable" },
        "skipped a stored record that could not be decrypted",
      );
      return rest;
    }
  }

  async followUp(member: MemberId): Promise<FollowUpStep | null> {
    return this.parse(
      followUpSchema,
      await this.redis.get(this.keys.memberPart(member, "checkin-follow-up")),
      "checkin-follow-up",
    );
  }

  async setFollowUp(member: MemberId, step: FollowUpStep | null): Promise<void> {
    const key = this.keys.memberPart(member, "checkin-follow-up");
    if (step) await this.redis.set(key, JSON.stringify(step), "EX", FOLLOW_UP_TTL_S);
    else await this.redis.del(key);
  }

  async bring(seriesId: string, original: number, member: MemberId, text: string): Promise<void> {
    const key = this.key(`brought:${seriesId}:${original}`);
    const sealed = this.cipher.encrypt(text, `checkin-brought|${seriesId}:${original}|${member}`);
    await this.redis.multi().hset(key, member, sealed).expire(key, SESSION_TTL_S).exec();
  }

  async takeBrought(seriesId: string, original: number): Promise<Array<{ member: MemberId; text: string }>> {
    const key = this.key(`brought:${seriesId}:${original}`);
    const [[, all]] = (await this.redis.multi().hgetall(key).del(key).exec()) as [
      [Error | null, Record<string, string>],
    ];
    const out: Array<{ member: MemberId; text: string }> = [];
    for (const [member, sealed] of Object.entries(all ?? {})) {
      try {
        out.push({
          member,
          text: this.cipher.decrypt(sealed, `checkin-brought|${seriesId}:${original}|${member}`),
        });
      } catch {
        this.logger.error(
          { code: "STORED_RECORD_INVALID", kind: "checkin-brought", reason: "undecryptable" },
          "skipped a stored record that could not be decrypted",
        );
      }
    }
    return out;
  }

  async forget(member: MemberId): Promise<void> {
    const mine = await this.seriesOf(member);
    for (const series of mine) {
      const others = Object.keys(series.people).filter((m) => m !== member);
      const updated = await this.updateSeries(series.id, (s) => withoutMember(s, member));
      // Their answers and anything they brought, in every session of the series.
      for (const prefix of ["rsvp", "brought"]) {
        for (const key of await this.scan(this.key(`${prefix}:${series.id}:*`)))
          await this.redis.hdel(key, member);
      }
      for (const key of await this.scan(this.key(`note:${series.id}:*`)))
        await this.dropFromNote(key, member);
      // Out of the others' records' "who was there".
      for (const other of others) await this.dropFromRecords(other, series.id, member);
      if (updated && Object.keys(updated.people).length === 0) {
        await this.redis
          .multi()
          .del(this.key(`series:${series.id}`))
          .srem(this.key("all"), series.id)
          .exec();
      }
    }
    await this.redis.del(
      this.key(`of:${member}`),
      this.keys.memberPart(member, "supervision"),
      this.keys.memberPart(member, "checkin-follow-up"),
    );
  }

  private async dropFromNote(key: string, member: MemberId): Promise<void> {
    const raw = await this.redis.hmget(key, "facilitator", "coming");
    if (raw[0] === JSON.stringify(member)) await this.redis.hdel(key, "facilitator");
    if (raw[1]) {
      const coming = (JSON.parse(raw[1]) as string[]).filter((m) => m !== member);
      await this.redis.hset(key, "coming", JSON.stringify(coming));
    }
  }

  private async dropFromRecords(owner: MemberId, seriesId: string, member: MemberId): Promise<void> {
    const key = this.keys.memberPart(owner, "supervision");
    const all = await this.redis.hgetall(key);
    for (const [line, json] of Object.entries(all)) {
      if (!line.startsWith(`${seriesId}:`)) continue;
      const stored = this.parse(attendanceSchema, json, "checkin-attendance");
      if (!stored?.with.includes(member)) continue;
      await this.redis.hset(
        key,
        line,
        JSON.stringify({ ...stored, with: stored.with.filter((m) => m !== member) }),
      );
    }
  }

  private async scan(pattern: string): Promise<string[]> {
    const found: string[] = [];
    let cursor = "0";
    do {
      const [next, keys] = await this.redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
      found.push(...keys);
      cursor = next;
    } while (cursor !== "0");
    return found;
  }
}

function onlyRsvps(raw: Record<string, string>): Record<MemberId, Rsvp> {
  const out: Record<MemberId, Rsvp> = {};
  for (const [member, value] of Object.entries(raw)) {
    if (value === "coming" || value === "not-coming") out[member] = value;
  }
  return out;
}

/** The series without one member: not invited, not in its spaces' list, not in its calendars or turns. */
export function withoutMember(series: Series, member: MemberId): Series {
  const people = Object.fromEntries(Object.entries(series.people).filter(([m]) => m !== member));
  const facilitated = Object.fromEntries(Object.entries(series.facilitated).filter(([m]) => m !== member));
  return {
    ...series,
    people,
    facilitated,
    calendars: series.calendars.filter((m) => m !== member),
    spaceMembers: series.spaceMembers.filter((m) => m !== member),
    spaces: series.spaces.filter((space) => !(space.kind === "dm" && space.id === member)),
  };
}
