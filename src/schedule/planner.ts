import { DateTime } from "luxon";
import type { MemberStore } from "../members/member-store.js";
import type { Member } from "../members/member.js";
import type { Clock } from "../time/clock.js";
import { type HolidayStore, holidayCheck } from "./holidays.js";
import type { ScheduleStore } from "./schedule-store.js";
import { type HolidayCheck, type SlotKind, minimumGapMs, nextSlot } from "./slots.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Keeps each member's schedule in step with their settings: the next prompt,
 * tip and (while paused with an end date) welcome back. Slots are always
 * planned forwards from now, so time away never turns into a burst of
 * missed prompts.
 */
export class Planner {
  constructor(
    private readonly schedule: ScheduleStore,
    private readonly holidays: HolidayStore,
    private readonly clock: Clock,
  ) {}

  async holidayCheck(): Promise<HolidayCheck> {
    return holidayCheck(await this.holidays.list());
  }

  /** The slots a member should have now, by kind (null: none). */
  slotsFor(
    member: Member,
    holidays: HolidayCheck,
    options: { promptsNotBefore?: Date } = {},
  ): Record<SlotKind, number | null> {
    const now = this.clock.now();
    const status = member.status;
    if (status.state === "paused" && !status.until) {
      return { prompt: null, tip: null, welcome: null, snooze: null };
    }
    // While paused with an end date, regular slots start after the welcome back.
    const welcome = nextSlot(member, "welcome", now, { holidays });
    const resumeFrom = status.state === "paused" ? (welcome ?? now) : now;
    const promptsNotBefore =
      options.promptsNotBefore ??
      (status.state === "paused" ? new Date(resumeFrom.getTime() + DAY_MS) : undefined);
    const prompt = nextSlot(member, "prompt", resumeFrom, {
      holidays,
      ...(promptsNotBefore ? { notBefore: promptsNotBefore } : {}),
    });
    const tip = nextSlot(member, "tip", resumeFrom, { holidays });
    return {
      prompt: prompt?.getTime() ?? null,
      tip: tip?.getTime() ?? null,
      welcome: welcome?.getTime() ?? null,
      snooze: null,
    };
  }

  /** Replans a member after join or any change of settings or status. A pending snooze is kept while active. */
  async plan(member: Member, options: { promptsNotBefore?: Date } = {}): Promise<void> {
    const slots = this.slotsFor(member, await this.holidayCheck(), options);
    await Promise.all([
      this.schedule.set(member.id, "prompt", slots.prompt),
      this.schedule.set(member.id, "tip", slots.tip),
      this.schedule.set(member.id, "welcome", slots.welcome),
      ...(member.status.state === "paused" ? [this.schedule.set(member.id, "snooze", null)] : []),
    ]);
  }

  /**
   * On boot: gives every member the entries they should have and lacks,
   * without moving ones already planned. Heals a flushed queue or schedule.
   */
  async reconcile(members: MemberStore): Promise<{ members: number; added: number }> {
    const holidays = await this.holidayCheck();
    const ids = await members.listIds();
    let added = 0;
    for (let i = 0; i < ids.length; i += 200) {
      const batch = await members.getMany(ids.slice(i, i + 200));
      await Promise.all(
        batch.map(async (member) => {
          if (!member) return;
          const slots = this.slotsFor(member, holidays);
          for (const kind of ["prompt", "tip", "welcome"] as const) {
            const due = slots[kind];
            if (due === null) await this.schedule.set(member.id, kind, null);
            else if ((await this.schedule.get(member.id, kind)) === null) {
              await this.schedule.setIfAbsent(member.id, kind, due);
              added++;
            }
          }
        }),
      );
    }
    return { members: ids.length, added };
  }

  /** The slot after one that was just delivered (or passed over), never in the past. */
  following(member: Member, kind: SlotKind, due: number, holidays: HolidayCheck): number | null {
    if (kind === "welcome" || kind === "snooze") return null;
    if (member.status.state === "paused") return this.slotsFor(member, holidays)[kind];
    const now = this.clock.now().getTime();
    const slot = nextSlot(member, kind, new Date(Math.max(due, now)), {
      holidays,
      notBefore: new Date(due + minimumGapMs(member, kind)),
    });
    return slot?.getTime() ?? null;
  }

  /** Where a slot goes when its day turned out to be a holiday: the next working day, same time. */
  moved(member: Member, kind: SlotKind, due: number, holidays: HolidayCheck): number | null {
    return nextSlot(member, kind, new Date(due - 1), { holidays })?.getTime() ?? null;
  }
}

/** The member's local date at an instant. */
export function localDate(member: Member, at: number): string {
  return DateTime.fromMillis(at, { zone: member.timeZone }).toISODate() ?? "";
}
