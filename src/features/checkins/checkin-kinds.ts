import type { Decision, ScheduledKind } from "../../delivery/scheduled-kind.js";
import type { Member } from "../../members/member.js";
import { dmWith } from "../../platform/chat-platform.js";
import type { CheckinStore } from "./checkin-store.js";
import {
  FOLLOW_UP_BUTTONS,
  RSVP_BUTTONS,
  agendaText,
  broughtText,
  calledOffText,
  dayBeforeText,
  followUpText,
  soonText,
} from "./checkin-words.js";
import {
  type Checkins,
  MEMBER_KINDS,
  SERIES_KINDS,
  accepted,
  parseMemberSubject,
  seriesIdOf,
} from "./checkins.js";
import type { Series } from "./series.js";
import { nextTiming, sessionFor } from "./session-times.js";

export interface CheckinKindDeps {
  readonly store: CheckinStore;
  readonly checkins: Checkins;
  readonly now: () => number;
  /** Where the series' own work goes: its proposer's platform, if running, else the first running one. */
  readonly routeOf: (platform: string) => string;
}

const LABELS: Readonly<Record<string, string>> = {
  "checkin-day-before": "a reminder of your next co-supervision check-in",
  "checkin-soon": "a 15-minute reminder before your check-in",
  "checkin-after": "a question after your check-in (did it happen, how long)",
  "checkin-tally": "the “who's coming” post for a check-in",
  "checkin-agenda": "a check-in's agenda",
};

/**
 * Reminders and the after-session question, in each participant's DM: only
 * while they are in a running series and not paused (nobody else is told
 * why someone is away), and not once they said they can't come. Each is
 * sent once, through the paced queue; then the next session's is planned.
 */
function memberKind(kind: keyof typeof MEMBER_KINDS, deps: CheckinKindDeps): ScheduledKind {
  const timing = MEMBER_KINDS[kind];
  const { store, checkins } = deps;
  return {
    kind,
    label: LABELS[kind] ?? kind,
    ownerOf: (subject) => parseMemberSubject(subject)?.member,
    async prepare(items) {
      return Promise.all(
        items.map(async (item): Promise<Decision> => {
          const parsed = parseMemberSubject(item.subject);
          const [series, member] = parsed
            ? await Promise.all([store.series(parsed.seriesId), checkins.membersOf([parsed.member])])
            : [null, []];
          const me = member[0];
          if (!series || !me || series.state !== "running" || series.people[me.id] !== "accepted") {
            return { reason: "not in a running series", next: null };
          }
          const following = () => nextTiming(series.rule, series.moves, timing, item.due, me)?.at ?? null;
          const session = sessionFor(series.rule, series.moves, timing, item.due, me);
          if (!session) {
            // The session moved (or their hours changed) since this was planned: plan afresh from now.
            return {
              reason: "session moved",
              next: nextTiming(series.rule, series.moves, timing, deps.now(), me)?.at ?? null,
            };
          }
          if (me.status.state === "paused") return { reason: "paused", next: following() };
          const rsvps = await store.rsvps(series.id, session.original);
          if (timing !== "day-before" && rsvps[me.id] === "not-coming") {
            return { reason: "not coming", next: following() };
          }
          if (timing === "after") {
            const note = await store.sessionNote(series.id, session.original);
            if (!note.coming?.includes(me.id))
              return { reason: "session did not go ahead", next: following() };
          }
          const others = (await checkins.membersOf(accepted(series))).filter((m) => m.id !== me.id);
          const message =
            timing === "after"
              ? {
                  text: followUpText(me, session.start),
                  buttons: FOLLOW_UP_BUTTONS(series.id, session.original),
                }
              : {
                  text:
                    timing === "day-before"
                      ? dayBeforeText(others, session.start, series, me)
                      : soonText(others, session.start, me),
                  buttons: RSVP_BUTTONS(series.id, session.original),
                };
          return { to: dmWith(me.id), message, after: async () => {}, next: following };
        }),
      );
    },
    async recheck(items) {
      return Promise.all(
        items.map(async (item) => {
          const parsed = parseMemberSubject(item.subject);
          const [member] = parsed ? await checkins.membersOf([parsed.member]) : [];
          if (member?.status.state !== "paused") return null;
          const series = parsed ? await store.series(parsed.seriesId) : null;
          const next = series ? nextTiming(series.rule, series.moves, timing, item.due, member) : null;
          return { reason: "paused", next: next?.at ?? null };
        }),
      );
    },
  };
}

/** The series' own moments: the "who's coming" post a day before, and the agenda at the start. */
function seriesKind(kind: keyof typeof SERIES_KINDS, deps: CheckinKindDeps): ScheduledKind {
  const timing = SERIES_KINDS[kind];
  const { store, checkins } = deps;
  return {
    kind,
    label: LABELS[kind] ?? kind,
    routeOf: (subject) => deps.routeOf(subject.slice(0, subject.indexOf(":"))),
    async prepare(items) {
      return items.map((item) => ({
        async run() {
          const series = await store.series(seriesIdOf(item.subject));
          if (!series || series.state !== "running") return null;
          const session = sessionFor(series.rule, series.moves, timing, item.due);
          const next = () => nextTiming(series.rule, series.moves, timing, item.due)?.at ?? null;
          if (!session) return nextTiming(series.rule, series.moves, timing, deps.now())?.at ?? null;
          if (timing === "tally") await checkins.postTally(series, session);
          else await runAgenda(series, session.original, session.start);
          return next();
        },
      }));
    },
  };

  async function runAgenda(series: Series, original: number, start: number): Promise<void> {
    const ready = await checkins.ensureSpaces(series);
    const view = await checkins.attendanceView(ready, original);
    if (view.present.length < 2) {
      await store.noteSession(ready.id, original, { coming: [], agendaAt: deps.now() });
      const next = nextTiming(ready.rule, ready.moves, "agenda", start)?.at ?? null;
      for (const space of ready.spaces) {
        await checkins.post(space, { text: calledOffText(next, ready.rule.timeZone) });
      }
      return;
    }
    const facilitator = checkins.nextFacilitator(ready, view.present) as Member;
    const questions = await checkins.agendaQuestions(view.present);
    await store.noteSession(ready.id, original, {
      facilitator: facilitator.id,
      coming: view.present.map((m) => m.id),
      agendaAt: deps.now(),
    });
    await store.updateSeries(ready.id, (s) => ({
      ...s,
      facilitated: { ...s.facilitated, [facilitator.id]: (s.facilitated[facilitator.id] ?? 0) + 1 },
    }));
    const text = agendaText({
      facilitator,
      coming: view.present,
      questions,
      away: view.away,
      lengthMinutes: ready.rule.lengthMinutes,
    });
    const brought = await store.takeBrought(ready.id, original);
    const people = await checkins.membersOf(brought.map((b) => b.member));
    for (const space of ready.spaces) {
      await checkins.post(space, { text });
      for (const entry of brought) {
        const author = people.find((m) => m.id === entry.member);
        // A second after the agenda, so it always lands below it.
        if (author) await checkins.post(space, { text: broughtText(author, entry.text) }, deps.now() + 1000);
      }
    }
  }
}

export function checkinKinds(deps: CheckinKindDeps): ScheduledKind[] {
  return [
    ...(Object.keys(MEMBER_KINDS) as Array<keyof typeof MEMBER_KINDS>).map((kind) => memberKind(kind, deps)),
    ...(Object.keys(SERIES_KINDS) as Array<keyof typeof SERIES_KINDS>).map((kind) => seriesKind(kind, deps)),
  ];
}
