import { DateTime } from "luxon";
import type { Member } from "../../members/member.js";
import type { OutboundMessage } from "../../platform/chat-platform.js";
import { firstName } from "../circles/circle-words.js";
import type { CheckinStore } from "./checkin-store.js";
import type { Checkins } from "./checkins.js";
import {
  type RecordRow,
  type SupervisionRecord,
  recordCsv,
  recordHtml,
  recordTotals,
} from "./supervision-record.js";

export interface SupervisionLogDeps {
  readonly store: CheckinStore;
  readonly checkins: Checkins;
  readonly now: () => number;
}

/**
 * A member's own co-supervision record for a period (local dates in their
 * zone, both ends included): a CSV file and a printable page, in one message
 * to their DM. Only ever built for the member asking.
 */
export async function supervisionLog(
  deps: SupervisionLogDeps,
  member: Member,
  from: string | null,
  to: string | null,
): Promise<{ message: OutboundMessage; record: SupervisionRecord }> {
  const lines = (await deps.store.attendance(member.id)).filter((line) => {
    const date = DateTime.fromMillis(line.start, { zone: member.timeZone }).toISODate() ?? "";
    return (!from || date >= from) && (!to || date <= to);
  });
  const others = await deps.checkins.membersOf([...new Set(lines.flatMap((line) => line.with))]);
  const nameOf = (id: string) => {
    const found = others.find((m) => m.id === id);
    return found ? firstName(found) : "a peer";
  };
  const rows: RecordRow[] = lines.map((line) => {
    const local = DateTime.fromMillis(line.start, { zone: member.timeZone });
    return {
      date: local.toISODate() ?? "",
      time: local.toFormat("HH:mm"),
      happened: line.happened,
      minutes: line.minutes,
      facilitated: line.facilitated,
      with: line.with.map(nameOf),
      takeaway: line.takeaway ?? "",
    };
  });
  const record: SupervisionRecord = {
    memberName: member.displayName,
    timeZone: member.timeZone,
    from,
    to,
    generatedAt: DateTime.fromMillis(deps.now(), { zone: member.timeZone }).toFormat("d LLLL yyyy, HH:mm"),
    rows,
  };
  const totals = recordTotals(record);
  const period = from || to ? ` (${from ?? "the start"} to ${to ?? "today"})` : "";
  const stem = `co-supervision-record${from ? `-from-${from}` : ""}${to ? `-to-${to}` : ""}`;
  return {
    record,
    message: {
      text:
        rows.length === 0
          ? `Your co-supervision record${period} has no sessions yet. After each check-in I ask whether it happened and how long it ran; those answers make up this record.`
          : `Your co-supervision record${period}: ${totals.sessions} session${totals.sessions === 1 ? "" : "s"} held, ${totals.hours} hour${totals.hours === 1 ? "" : "s"}, ${totals.facilitated} facilitated by you. Here it is as a spreadsheet (CSV) and as a page you can print or save as PDF. It's yours — only you can ask for it.`,
      files: [
        { name: `${stem}.csv`, contentType: "text/csv", content: recordCsv(record) },
        { name: `${stem}.html`, contentType: "text/html", content: recordHtml(record) },
      ],
    },
  };
}
