import type { Feature } from "../../bot/feature.js";
import { bindCommands } from "../../commands/schema.js";
import type { ScheduledKind } from "../../delivery/scheduled-kind.js";
import type { MemberDataSection } from "../../members/member-store.js";
import { ROUND_KIND, circleCommands, nextRoundAt } from "./circle-commands.js";
import type { CircleStore } from "./circle-store.js";
import { nudgeText } from "./circle-words.js";
import { type CirclesDeps, NUDGE_KIND, createCircles } from "./circles.js";

export type { CircleStore } from "./circle-store.js";

export interface CirclesFeatureDeps extends CirclesDeps {
  readonly store: CircleStore;
  /** The platforms running, in order: a round's work goes on the first one's queue. */
  readonly platforms: () => readonly string[];
}

/**
 * Peer circles: members opt in; rounds (run by a coordinator or on a
 * schedule) place the most isolated first into small circles across regions
 * whose working hours overlap, never with someone they or the network asked
 * to keep apart; each circle gets a private space on every platform its
 * members use, and what is written in one space is relayed to the others.
 */
export function createCirclesFeature(deps: CirclesFeatureDeps): Feature {
  const circles = createCircles(deps);
  const home = () => deps.platforms()[0] ?? "local";
  const roundSubject = () => `${home()}:circles:round`;

  const round: ScheduledKind = {
    kind: ROUND_KIND,
    label: "a round of peer circles",
    routeOf: () => home(),
    async prepare(items) {
      return items.map(() => ({
        async run() {
          await circles.runRound();
          const schedule = await deps.store.roundSchedule();
          return schedule ? nextRoundAt(schedule, deps.clock.now(), 1) : null;
        },
        nextAfterEarlier: () => null,
      }));
    },
  };

  const nudge: ScheduledKind = {
    kind: NUDGE_KIND,
    label: "a nudge to a quiet circle",
    async prepare(items) {
      return Promise.all(
        items.map(async (item) => ({
          async run() {
            const circle = await deps.store.circle(item.subject.slice(item.subject.lastIndexOf(":") + 1));
            if (!circle) return null;
            const text = nudgeText(await circles.connectionQuestion());
            for (const space of circle.spaces) await deps.outbox.post(space, { text });
            return null;
          },
        })),
      );
    },
  };

  const section: MemberDataSection = {
    name: "circles",
    async export(id) {
      const [wish, circle, notWith] = await Promise.all([
        deps.store.wish(id),
        deps.store.circleOf(id),
        deps.store.notWith(id),
      ]);
      return {
        wish,
        // About them, not the others: how many share it, not who (they see first names in /peer circle).
        circle: circle ? { people: circle.members.length, mode: circle.mode, since: circle.createdAt } : null,
        notWith,
      };
    },
    async forget(id) {
      // Out of their circle first (so nothing more is relayed to them), then out of every record.
      await circles.leave(id, null);
      await deps.store.forget(id);
    },
  };

  return {
    name: "circles",
    commands: bindCommands(circleCommands, {
      store: deps.store,
      circles,
      schedule: deps.schedule,
      clock: deps.clock,
      roundSubject,
    }),
    scheduled: [round, nudge],
    dataSections: [section],
    async onGroupMessage(context, text) {
      const circle = await deps.store.circleAt(context.event.conversation);
      if (!circle) return false;
      // Someone who has left (still in an old group) is not relayed.
      if (!context.member || !circle.members.includes(context.memberId)) return true;
      const source = context.event.kind === "message" ? context.event.message : undefined;
      await circles.relay(circle, context.member, text, context.event.conversation, source);
      return true;
    },
    async onGroupMessageChanged(context, text) {
      const event = context.event;
      if (event.kind !== "message-edited" && event.kind !== "message-deleted") return false;
      const circle = await deps.store.circleAt(event.conversation);
      if (!circle) return false;
      await circles.follow(context.member, event.message, text);
      return true;
    },
  };
}
