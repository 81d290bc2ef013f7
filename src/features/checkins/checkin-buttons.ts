import type { ButtonAction, HandlerContext } from "../../commands/context.js";
import { type Member, WEEKDAYS } from "../../members/member.js";
import { dmWith } from "../../platform/chat-platform.js";
import type { JournalEntry, JournalStore } from "../../reflection/journal.js";
import { describeKind, findIdentifyingDetails } from "../safety/identifying-details.js";
import type { CheckinStore } from "./checkin-store.js";
import {
  MINUTES_QUESTION,
  TAKEAWAY_BUTTONS,
  TAKEAWAY_QUESTION,
  broughtText,
  minutesButtons,
  names,
  shortWhen,
  when,
} from "./checkin-words.js";
import { type Checkins, accepted } from "./checkins.js";
import { nextOccurrence, occurrenceAt, occurrencesBetween } from "./recurrence.js";
import type { Happened, Occurrence, Series } from "./series.js";
import { nearestSeriesSlots, nextSlotForAll, whoCannot } from "./slot-fit.js";

export interface CheckinButtonDeps {
  readonly store: CheckinStore;
  readonly checkins: Checkins;
  readonly journal: JournalStore;
  readonly now: () => number;
}

const HOUR = 60 * 60_000;

/** `id|original|…` → its parts. */
function parts(value: string | undefined): string[] {
  return (value ?? "").split("|");
}

function sessionRef(value: string | undefined): { seriesId: string; original: number } {
  const [seriesId = "", original = "0"] = parts(value);
  return { seriesId, original: Number(original) };
}

/** The words a member would bring into a session: their entry, each identifying detail replaced by what it was ("[a name]"). */
export function entryToShare(entry: JournalEntry, member: Member): { text: string; masked: boolean } {
  const text = [entry.answers.what, entry.answers.helped, entry.answers.why]
    .filter((part): part is string => Boolean(part?.trim()))
    .join("\n");
  const ownNames = member.displayName.split(/\s+/).filter(Boolean);
  const details = findIdentifyingDetails(text, { ownNames });
  // Wholly replaced, not partly masked: others in the session shouldn't get initials or digits either.
  let shared = text;
  for (const detail of [...details].sort((a, b) => b.start - a.start)) {
    shared = `${shared.slice(0, detail.start)}[${describeKind(detail.kind)}]${shared.slice(detail.end)}`;
  }
  return { text: shared, masked: details.length > 0 };
}

export function createCheckinButtons(deps: CheckinButtonDeps): ButtonAction[] {
  const { store, checkins } = deps;
  const me = (context: HandlerContext) => context.member as Member;

  async function invited(context: HandlerContext, value: string | undefined): Promise<Series | null> {
    const series = await store.series(parts(value)[0] ?? "");
    if (!series || !(context.memberId in series.people)) return null;
    return series.state === "proposed" || series.state === "running" ? series : null;
  }

  /** A session still ahead (or under way) in a running series the member is in. */
  async function liveSession(
    context: HandlerContext,
    value: string | undefined,
  ): Promise<{ series: Series; session: Occurrence } | null> {
    const { seriesId, original } = sessionRef(value);
    const series = await store.series(seriesId);
    if (!series || series.state !== "running" || series.people[context.memberId] !== "accepted") return null;
    const session = occurrenceAt(series.rule, series.moves, original);
    return session && session.end > deps.now() ? { series, session } : null;
  }

  /** Times that suit everyone still in, for one session: between now (or an hour on) and the next session. */
  async function slotsFor(
    series: Series,
    session: Occurrence,
    after: number,
    limit: number,
  ): Promise<number[]> {
    const people = (await checkins.membersOf(accepted(series))).filter((m) => m.status.state !== "paused");
    const following = nextOccurrence(series.rule, series.moves, session.start);
    const before = (following?.start ?? session.start + 7 * 24 * HOUR) - series.rule.lengthMinutes * 60_000;
    const found: number[] = [];
    let from = Math.max(after, deps.now() + HOUR);
    while (found.length < limit) {
      const slot = nextSlotForAll(people, series.rule.lengthMinutes, from, before);
      if (slot === null) break;
      if (slot !== session.start) found.push(slot);
      // The next offer on another day, so the choices differ.
      from = slot + 20 * HOUR;
    }
    return found;
  }

  const moveButtons = (series: Series, session: Occurrence, slots: readonly number[], member: Member) =>
    slots.map((slot) => ({
      id: "checkin:move",
      label: `Move to ${shortWhen(slot, member.timeZone)}`,
      value: `${series.id}|${session.original}|${slot}`,
    }));

  async function happened(context: HandlerContext, value: string | undefined): Promise<void> {
    const [seriesId = "", original = "0", answer = "no"] = parts(value);
    const session = Number(original);
    const [series, note] = await Promise.all([store.series(seriesId), store.sessionNote(seriesId, session)]);
    const start = series ? (occurrenceAt(series.rule, series.moves, session)?.start ?? session) : session;
    const said = answer as Happened;
    await store.recordAttendance(context.memberId, {
      seriesId,
      original: session,
      start,
      happened: said,
      minutes: said === "no" ? 0 : null,
      facilitated: note.facilitator === context.memberId,
      with: (note.coming ?? []).filter((id) => id !== context.memberId),
      recordedAt: new Date(deps.now()).toISOString(),
    });
    if (said === "no") {
      await store.setFollowUp(context.memberId, null);
      await context.responder.reply({
        text: "Thanks for letting me know — it happens. I've noted it didn't go ahead; nothing else to do.",
      });
      return;
    }
    await store.setFollowUp(context.memberId, { seriesId, original: session, step: "minutes" });
    await context.responder.reply({
      text: MINUTES_QUESTION,
      buttons: minutesButtons(seriesId, session, series?.rule.lengthMinutes ?? 60),
    });
  }

  return [
    {
      id: "checkin:accept",
      isCurrent: async (context, value) => (await invited(context, value)) !== null,
      async run(context, value) {
        const { series, started } = await checkins.answer(me(context), parts(value)[0] ?? "", "accepted");
        if (!series) return;
        const first = checkins.firstSession(series);
        const others = (await checkins.membersOf(accepted(series))).filter((m) => m.id !== context.memberId);
        const text =
          series.state === "running"
            ? `You're in${started ? ", and with that the check-ins are on" : ""}. ${first ? `The first one for you is ${when(first.start, me(context).timeZone)} your time, with ${names(others)}.` : ""} I'll remind you on your working day before, and 15 minutes before.`
            : "Thanks — you're in. The check-ins start as soon as one more person says yes, and I'll let you know.";
        await context.responder.reply({
          text,
          buttons: [{ id: "checkin:calendar", label: "Add to my calendar", value: series.id }],
        });
      },
    },
    {
      id: "checkin:decline",
      isCurrent: async (context, value) => (await invited(context, value)) !== null,
      async run(context, value) {
        await checkins.answer(me(context), parts(value)[0] ?? "", "declined");
        await context.responder.reply({
          text: "No problem — I won't schedule anything for you. If you change your mind, ask whoever invited you to send it again.",
        });
      },
    },
    {
      id: "checkin:suggest",
      isCurrent: async (context, value) => (await invited(context, value))?.state === "proposed",
      async run(context, value) {
        const series = (await store.series(parts(value)[0] ?? "")) as Series;
        const people = await checkins.membersOf(
          Object.keys(series.people).filter((id) => series.people[id] !== "declined"),
        );
        const slots = nearestSeriesSlots(series.rule, people, deps.now(), { limit: 4 }).filter(
          (slot) => slot.day !== series.rule.day || slot.time !== series.rule.time,
        );
        if (slots.length === 0) {
          await context.responder.reply({
            text: "I couldn't find another weekly time inside everyone's working hours. You could ask the others in chat, or decline this one.",
          });
          return;
        }
        await context.responder.reply({
          text: "These times suit everyone's working hours, every week it meets (daylight saving included). Pick one and I'll ask everyone again:",
          buttons: slots.slice(0, 3).map((slot) => {
            const first = occurrenceStart(series, slot);
            return {
              id: "checkin:use-time",
              label: shortWhen(first, me(context).timeZone),
              value: `${series.id}|${slot.day}|${slot.time}|${slot.firstDate}`,
            };
          }),
        });
      },
    },
    {
      id: "checkin:use-time",
      async isCurrent(context, value) {
        const [seriesId = "", day = "", time = "", firstDate = ""] = parts(value);
        const wellFormed =
          (WEEKDAYS as readonly string[]).includes(day) &&
          /^([01]\d|2[0-3]):[0-5]\d$/.test(time) &&
          /^\d{4}-\d\d-\d\d$/.test(firstDate);
        const series = await store.series(seriesId);
        const mine = series && (series.proposedBy === context.memberId || context.memberId in series.people);
        return Boolean(wellFormed && mine && (series.state === "draft" || series.state === "proposed"));
      },
      async run(context, value) {
        const [seriesId = "", day, time = "", firstDate = ""] = parts(value);
        const series = await store.updateSeries(seriesId, (s): Series => {
          const people: Series["people"] = Object.fromEntries(
            Object.entries(s.people).map(([id, answer]) => [
              id,
              answer === "declined" ? answer : id === context.memberId ? "accepted" : "invited",
            ]),
          );
          return {
            ...s,
            rule: { ...s.rule, day: day as Series["rule"]["day"], time, firstDate },
            people,
            state: "proposed",
            sequence: s.sequence + 1,
          };
        });
        if (!series) return;
        const suggested = series.proposedBy !== context.memberId;
        await checkins.invite(series, suggested ? context.memberId : undefined);
        const first = checkins.firstSession(series);
        await context.responder.reply({
          text: `Sent: I've asked everyone whether ${first ? when(first.start, me(context).timeZone) : "that time"} (your time) suits them, every ${series.rule.everyWeeks === 1 ? "week" : `${series.rule.everyWeeks} weeks`}. The check-ins start once two have said yes.`,
        });
      },
    },
    {
      id: "checkin:send-anyway",
      async isCurrent(context, value) {
        const series = await store.series(parts(value)[0] ?? "");
        return series?.state === "draft" && series.proposedBy === context.memberId;
      },
      async run(context, value) {
        const series = await store.updateSeries(parts(value)[0] ?? "", (s) => ({ ...s, state: "proposed" }));
        if (!series) return;
        await checkins.invite(series);
        await context.responder.reply({
          text: "Sent as you asked. Anyone it doesn't suit can decline or suggest another time.",
        });
      },
    },
    {
      id: "checkin:coming",
      isCurrent: async (context, value) => (await liveSession(context, value)) !== null,
      async run(context, value) {
        const live = (await liveSession(context, value)) as { series: Series; session: Occurrence };
        await checkins.rsvp(me(context), live.series, live.session.original, "coming");
        await context.responder.reply({ text: "Lovely — see you there." });
      },
    },
    {
      id: "checkin:not-coming",
      isCurrent: async (context, value) => (await liveSession(context, value)) !== null,
      async run(context, value) {
        const { series, session } = (await liveSession(context, value)) as {
          series: Series;
          session: Occurrence;
        };
        await checkins.rsvp(me(context), series, session.original, "not-coming");
        await context.responder.reply({
          text: "Thanks for letting me know. I'll tell the others you can't make this one — nothing more than that.",
        });
        const [slot] = await slotsFor(series, session, session.end - 1, 1);
        const others = (await checkins.membersOf(accepted(series))).filter(
          (m) => m.id !== context.memberId && m.status.state !== "paused",
        );
        for (const member of [...others, me(context)]) {
          const isMe = member.id === context.memberId;
          const head = isMe
            ? ""
            : `${names([me(context)])} can't make the check-in on ${when(session.start, member.timeZone)}. `;
          if (!slot) {
            if (!isMe) {
              await checkins.post(dmWith(member.id), {
                text: `${head}There's no other time before the next one that suits everyone, so it goes ahead as planned for those who can come.`,
              });
            }
            continue;
          }
          await checkins.post(dmWith(member.id), {
            text: `${head}The next time that suits everyone is ${when(slot, member.timeZone)} your time. Move this one to then?`,
            buttons: [
              ...moveButtons(series, session, [slot], member),
              { id: "checkin:keep", label: "Keep it as it is", value: `${series.id}|${session.original}` },
            ],
          });
        }
      },
    },
    {
      id: "checkin:reschedule",
      isCurrent: async (context, value) => (await liveSession(context, value)) !== null,
      async run(context, value) {
        const { series, session } = (await liveSession(context, value)) as {
          series: Series;
          session: Occurrence;
        };
        const slots = await slotsFor(series, session, deps.now(), 3);
        if (slots.length === 0) {
          await context.responder.reply({
            text: "I couldn't find another time before the next session that's inside everyone's working hours. If you can't come, say so with “Can't make it” and the others will know.",
          });
          return;
        }
        await context.responder.reply({
          text: "These times suit everyone who's in (in your time). Choosing one moves this session for everyone, and tells them:",
          buttons: [
            ...moveButtons(series, session, slots, me(context)),
            { id: "checkin:keep", label: "Keep it as it is", value: `${series.id}|${session.original}` },
          ],
        });
      },
    },
    {
      id: "checkin:move",
      async isCurrent(context, value) {
        const live = await liveSession(context, value);
        const start = Number(parts(value)[2]);
        if (!live || live.session.start === start || !(start > deps.now())) return false;
        // Only a time that still suits everyone in (a button's value is never trusted on its own).
        const people = (await checkins.membersOf(accepted(live.series))).filter(
          (m) => m.status.state !== "paused",
        );
        return whoCannot(people, start, live.series.rule.lengthMinutes).length === 0;
      },
      async run(context, value) {
        const { seriesId, original } = sessionRef(value);
        await checkins.move(me(context), seriesId, original, Number(parts(value)[2]));
      },
    },
    {
      id: "checkin:keep",
      async run(context) {
        await context.responder.reply({ text: "Okay — it stays as planned." });
      },
    },
    {
      id: "checkin:calendar",
      isCurrent: async (context, value) => (await invited(context, value))?.state === "running",
      async run(context, value) {
        const series = (await store.series(parts(value)[0] ?? "")) as Series;
        await checkins.sendCalendar(me(context), series);
        if (context.event.conversation.kind !== "dm") {
          await context.responder.reply({ text: "I've sent the calendar file to your DM." });
        }
      },
    },
    {
      id: "checkin:happened",
      async isCurrent(context, value) {
        const { seriesId, original } = sessionRef(value);
        return (await store.attendanceFor(context.memberId, seriesId, original)) === null;
      },
      run: happened,
    },
    {
      id: "checkin:minutes",
      async isCurrent(context, value) {
        const step = await store.followUp(context.memberId);
        const { seriesId, original } = sessionRef(value);
        return step?.step === "minutes" && step.seriesId === seriesId && step.original === original;
      },
      async run(context, value) {
        const { seriesId, original } = sessionRef(value);
        await recordMinutes(store, context, seriesId, original, Number(parts(value)[2]));
      },
    },
    {
      id: "checkin:skip-takeaway",
      async isCurrent(context, value) {
        const step = await store.followUp(context.memberId);
        const { seriesId, original } = sessionRef(value);
        return step?.step === "takeaway" && step.seriesId === seriesId && step.original === original;
      },
      async run(context) {
        await store.setFollowUp(context.memberId, null);
        await context.responder.reply({ text: RECORDED });
      },
    },
    {
      id: "checkin:bring",
      async isCurrent(context, value) {
        return (await liveSession(context, value)) !== null;
      },
      async run(context, value) {
        const entry = await deps.journal.get(context.memberId, parts(value)[2] ?? "");
        if (!entry) {
          await context.responder.reply({ text: "That diary entry isn't there any more." });
          return;
        }
        const { text, masked } = entryToShare(entry, me(context));
        await context.responder.reply({
          text: [
            "Here is exactly what the others would see:",
            broughtText(me(context), text),
            masked
              ? "I've masked details that could identify someone. If you'd rather not share it this way, choose Not now."
              : "I found nothing in it that identifies anyone.",
          ].join("\n\n"),
          buttons: [
            { id: "checkin:share", label: "Share this in the session", style: "primary", value: value ?? "" },
            { id: "checkin:keep-entry", label: "Not now", value: value ?? "" },
          ],
        });
      },
    },
    {
      id: "checkin:share",
      isCurrent: async (context, value) => (await liveSession(context, value)) !== null,
      async run(context, value) {
        const { series, session } = (await liveSession(context, value)) as {
          series: Series;
          session: Occurrence;
        };
        const entry = await deps.journal.get(context.memberId, parts(value)[2] ?? "");
        if (!entry) return;
        const { text } = entryToShare(entry, me(context));
        if (session.start <= deps.now()) {
          const ready = await checkins.ensureSpaces(series);
          for (const space of ready.spaces)
            await checkins.post(space, { text: broughtText(me(context), text) });
          await context.responder.reply({ text: "Shared in your check-in now, exactly as you saw it." });
          return;
        }
        await store.bring(series.id, session.original, context.memberId, text);
        await context.responder.reply({
          text: `Kept for the check-in on ${when(session.start, me(context).timeZone)}: I'll share it, exactly as you saw it, right after the agenda. Bringing another entry to that session replaces this one.`,
        });
      },
    },
    {
      id: "checkin:keep-entry",
      async run(context) {
        await context.responder.reply({ text: "Okay — it stays in your diary, just for you." });
      },
    },
  ];
}

export const RECORDED =
  "That's everything — it's in your supervision record. /peer supervision log gives you the whole record as a file, whenever you want it.";

/** Records how long a session ran (from a button or typed), then asks for the optional take-away. */
export async function recordMinutes(
  store: CheckinStore,
  context: HandlerContext,
  seriesId: string,
  original: number,
  minutes: number,
): Promise<void> {
  const record = await store.attendanceFor(context.memberId, seriesId, original);
  if (!record) return;
  await store.recordAttendance(context.memberId, { ...record, minutes });
  await store.setFollowUp(context.memberId, { seriesId, original, step: "takeaway" });
  await context.responder.reply({ text: TAKEAWAY_QUESTION, buttons: TAKEAWAY_BUTTONS(seriesId, original) });
}

/** The first session's start, were the series to meet at this slot instead. */
function occurrenceStart(
  series: Series,
  slot: { day: Series["rule"]["day"]; time: string; firstDate: string },
): number {
  const rule = { ...series.rule, day: slot.day, time: slot.time, firstDate: slot.firstDate };
  const day = Date.parse(`${slot.firstDate}T00:00:00Z`);
  return occurrencesBetween(rule, {}, day - 2 * 24 * HOUR, day + 3 * 24 * HOUR)[0]?.start ?? day;
}
