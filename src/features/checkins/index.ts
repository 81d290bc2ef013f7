import type { Feature } from "../../bot/feature.js";
import { bindCommands } from "../../commands/schema.js";
import type { MemberDataSection } from "../../members/member-store.js";
import type { CircleStore } from "../circles/circle-store.js";
import { RECORDED, createCheckinButtons, recordMinutes } from "./checkin-buttons.js";
import { checkinCommands } from "./checkin-commands.js";
import { checkinKinds } from "./checkin-kinds.js";
import type { CheckinStore } from "./checkin-store.js";
import { describeRule } from "./checkin-words.js";
import { type CheckinsDeps, accepted, createCheckins } from "./checkins.js";

export type { CheckinStore } from "./checkin-store.js";

export interface CheckinsFeatureDeps extends CheckinsDeps {
  readonly store: CheckinStore;
  readonly circles: CircleStore;
  /** The platforms running, in order: a series' own work goes on its proposer's, else the first. */
  readonly platforms: () => readonly string[];
}

const TAKEAWAY_LIMIT = 500;

/**
 * Co-supervision check-ins: recurring sessions for two to five peers, set up
 * by invitation (nothing is scheduled for anyone who hasn't said yes), with
 * reminders and RSVP in each person's DM, a "who's coming" post edited in
 * place, a reflective agenda with a fair turn at facilitating, questions
 * afterwards, and a supervision record that is the member's own.
 */
export function createCheckinsFeature(deps: CheckinsFeatureDeps): Feature {
  const checkins = createCheckins(deps);
  const now = () => deps.clock.now().getTime();
  const store = deps.store;

  const section: MemberDataSection = {
    name: "checkins",
    async export(id) {
      const [series, record] = await Promise.all([store.seriesOf(id), store.attendance(id)]);
      return {
        series: series
          .filter((s) => s.state !== "draft" || s.proposedBy === id)
          .map((s) => ({
            when: describeRule(s.rule),
            state: s.state,
            yourAnswer: s.people[id] ?? null,
            people: Object.keys(s.people).length,
          })),
        record,
      };
    },
    async forget(id) {
      // Out of every series first (ending those left with one person), then out of every record.
      for (const series of await store.seriesOf(id)) {
        if (series.state !== "ended" && series.people[id] !== "declined") await checkins.leave(id, series.id);
        else await checkins.unscheduleMember(series.id, id);
      }
      await store.forget(id);
    },
  };

  return {
    name: "checkins",
    commands: bindCommands(checkinCommands, {
      store,
      checkins,
      circles: deps.circles,
      journal: deps.journal,
      now,
    }),
    buttons: createCheckinButtons({ store, checkins, journal: deps.journal, now }),
    scheduled: checkinKinds({
      store,
      checkins,
      now,
      routeOf: (platform) => {
        const running = deps.platforms();
        return running.includes(platform) ? platform : (running[0] ?? platform);
      },
    }),
    dataSections: [section],
    /** The after-session questions, answered by typing: minutes (a number), then the take-away. */
    async onDirectMessage(context, text) {
      const step = await store.followUp(context.memberId);
      if (!step) return false;
      const typed = text.trim();
      if (step.step === "minutes") {
        const minutes = /^(\d{1,3})\s*(m|mins?|minutes?)?$/i.exec(typed);
        if (!minutes) return false;
        await recordMinutes(store, context, step.seriesId, step.original, Number(minutes[1]));
        return true;
      }
      await store.setFollowUp(context.memberId, null);
      if (/^(skip|no thanks?|nothing)$/i.test(typed)) {
        await context.responder.reply({ text: RECORDED });
        return true;
      }
      const record = await store.attendanceFor(context.memberId, step.seriesId, step.original);
      if (!record) return false;
      await store.recordAttendance(context.memberId, { ...record, takeaway: typed.slice(0, TAKEAWAY_LIMIT) });
      await context.responder.reply({
        text: `Kept, encrypted, with that session in your record.${typed.length > TAKEAWAY_LIMIT ? ` (I kept the first ${TAKEAWAY_LIMIT} characters.)` : ""} ${RECORDED}`,
      });
      return true;
    },
    async onMemberChanged(id, member, change) {
      // A member who changed their hours or zone: their reminders are planned afresh.
      if (!member || change !== "updated") return;
      for (const series of await store.seriesOf(id)) {
        if (series.state === "running" && accepted(series).includes(id))
          await checkins.scheduleMember(series, member);
      }
    },
  };
}
