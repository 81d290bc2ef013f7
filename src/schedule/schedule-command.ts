import { DateTime } from "luxon";
import type { Subcommand } from "../commands/context.js";
import { bindCommands, commandsWith } from "../commands/schema.js";
import type { ScheduledKind } from "../delivery/scheduled-kind.js";
import type { Member } from "../members/member.js";
import type { ScheduleStore } from "./schedule-store.js";

export interface ScheduleCommandDeps {
  readonly schedule: ScheduleStore;
  readonly kinds: () => readonly ScheduledKind[];
}

/** `/peer schedule`: what the bot will send the member next, in their own time zone. */
export const scheduleCommand = commandsWith<ScheduleCommandDeps>().command({
  name: "schedule",
  summary: "see when my next messages to you are due, in your time zone",
  description: "See when my next messages to you are due",
  access: "member",
  example: "/peer schedule",
  async run(context, _options, deps) {
    const member = context.member as Member;
    const kinds = deps.kinds();
    const labels = new Map(kinds.map((k) => [k.kind, k.label]));
    const upcoming = await deps.schedule.upcoming(
      member.id,
      kinds.map((k) => k.kind),
    );
    if (member.status.state === "paused" && upcoming.length === 0) {
      await context.responder.reply({
        text: "You're paused, so nothing is planned. /peer resume starts things again whenever you like.",
      });
      return;
    }
    if (upcoming.length === 0) {
      await context.responder.reply({
        text: "Nothing is planned for you right now. /peer profile shows your settings.",
      });
      return;
    }
    const lines = upcoming.map(({ kind, due }) => {
      const when = DateTime.fromMillis(due, { zone: member.timeZone }).toFormat("ccc d LLL, h:mm a");
      return `• ${when} — ${labels.get(kind) ?? kind}`;
    });
    const paused =
      member.status.state === "paused"
        ? "\nYou're paused; anything after the welcome back starts once you're back."
        : "";
    await context.responder.reply({
      text: `Coming up from me (times in ${member.timeZone}):\n${lines.join("\n")}${paused}\n\nYou can change when with /peer set, or take a break with /peer pause.`,
    });
  },
});

export function createScheduleCommand(deps: ScheduleCommandDeps): Subcommand {
  return bindCommands([scheduleCommand], deps)[0] as Subcommand;
}
