import { DateTime } from "luxon";
import { MASK_WORDS, SLOTS_PER_WEEK, type WeekMask } from "./matching/week-mask.js";

const SLOT_MS = 30 * 60_000;

/** The half-hours every mask has. */
export function sharedMask(masks: readonly WeekMask[]): WeekMask {
  const out = new Uint32Array(MASK_WORDS);
  out.fill(0xffffffff);
  for (const mask of masks) for (let i = 0; i < MASK_WORDS; i++) out[i] = (out[i] ?? 0) & (mask[i] ?? 0);
  return out;
}

const has = (mask: WeekMask, slot: number) => (((mask[slot >>> 5] ?? 0) >>> (slot & 31)) & 1) === 1;

/**
 * The shared time as a reader in `zone` sees it: "Tue 10:00–12:00, Thu 13:30–15:00".
 * Empty when there is none.
 */
export function describeShared(mask: WeekMask, weekStartUtc: Date, zone: string): string {
  const ranges: string[] = [];
  let start = -1;
  for (let slot = 0; slot <= SLOTS_PER_WEEK; slot++) {
    const on = slot < SLOTS_PER_WEEK && has(mask, slot);
    if (on && start === -1) start = slot;
    if (!on && start !== -1) {
      const from = DateTime.fromMillis(weekStartUtc.getTime() + start * SLOT_MS, { zone });
      const to = DateTime.fromMillis(weekStartUtc.getTime() + slot * SLOT_MS, { zone });
      const toText = to.hasSame(from, "day") ? to.toFormat("HH:mm") : `${to.toFormat("ccc HH:mm")}`;
      ranges.push(`${from.toFormat("ccc HH:mm")}–${toText}`);
      start = -1;
    }
  }
  return ranges.join(", ");
}

/** Monday 00:00 UTC of the week after `now` (the week a round's circles start meeting). */
export function nextWeekStart(now: Date): Date {
  const day = DateTime.fromJSDate(now, { zone: "utc" }).startOf("week");
  return day.plus({ weeks: 1 }).toJSDate();
}
