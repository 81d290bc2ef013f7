/**
 * A member's own co-supervision record, as a spreadsheet (CSV) and as a page
 * they can print or save as PDF. Pure: the caller gathers the rows (already
 * in the member's zone) and sends the text.
 *
 * Everything in a record that a member typed (names, take-aways) is treated
 * as hostile text: CSV cells that a spreadsheet would run as a formula get a
 * leading apostrophe, and the HTML page escapes every such string.
 */
import { stringify } from "csv-stringify/sync";
import type { Happened } from "./series.js";

export interface RecordRow {
  /** Local date in the member's zone, YYYY-MM-DD. */
  readonly date: string;
  /** Local HH:MM. */
  readonly time: string;
  readonly happened: Happened;
  readonly minutes: number | null;
  readonly facilitated: boolean;
  /** First names. */
  readonly with: readonly string[];
  /** "" when none. */
  readonly takeaway: string;
}

export interface SupervisionRecord {
  readonly memberName: string;
  readonly timeZone: string;
  /** YYYY-MM-DD or null (from the start). */
  readonly from: string | null;
  readonly to: string | null;
  /** Local date-time text. */
  readonly generatedAt: string;
  readonly rows: readonly RecordRow[];
}

const held = (row: RecordRow) => row.happened === "yes" || row.happened === "partly";

/**
 * Sessions that happened (yes or partly); hours = the minutes of those / 60, rounded to 2 decimals (a session with no
 * minutes given adds none); facilitated = sessions that happened that they facilitated.
 */
export function recordTotals(record: SupervisionRecord): {
  sessions: number;
  hours: number;
  facilitated: number;
} {
  const happened = record.rows.filter(held);
  const minutes = happened.reduce((sum, row) => sum + (row.minutes ?? 0), 0);
  return {
    sessions: happened.length,
    hours: Math.round((minutes * 100) / 60) / 100,
    facilitated: happened.filter((row) => row.facilitated).length,
  };
}

const HAPPENED_WORDS: Record<Happened, string> = {
  yes: "Yes",
  partly: "Partly",
  no: "Didn't go ahead",
};

/** Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell a spreadsheet will show as text: a leading apostrophe when it starts with = + - @, a tab or a carriage return, or
 * with spaces before one of those (some spreadsheets trim them first).
 */
export function safeCell(text: string): string {
  return FORMULA_START.test(text) || FORMULA_START.test(text.trimStart()) ? `'${text}` : text;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `csv-stringify/sync`: a header row, a row a session, and a totals row; UTF-8 with a byte-order mark (so spreadsheets keep macrons and accents), CRLF line ends. */
export function recordCsv(record: SupervisionRecord): string {
  const totals = recordTotals(record);
  const header = [
    "Date",
    `Time (${record.timeZone})`,
    "Happened",
    "Minutes",
    "Facilitated",
    "With",
    "Take-away",
  ];
  const rows = record.rows.map((row) => [
    row.date,
    row.time,
    HAPPENED_WORDS[row.happened],
    row.minutes === null ? "" : String(row.minutes),
    row.facilitated ? "Yes" : "No",
    row.with.join(", "),
    row.takeaway,
  ]);
  const totalRow = [
    "Total",
    "",
    plural(totals.sessions, "session held", "sessions held"),
    plural(totals.hours, "hour", "hours"),
    `${totals.facilitated} facilitated`,
    "",
    "",
  ];
  const cells = [header, ...rows, totalRow].map((row) => row.map(safeCell));
  // A take-away holding a lone \r or \n is quoted too, so it can't split a record.
  return stringify(cells, { bom: true, record_delimiter: "windows", quote_record_delimiter: true });
}

/** Text safe inside HTML elements and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function periodText(record: SupervisionRecord): string {
  if (record.from && record.to) return `From ${record.from} to ${record.to}`;
  if (record.from) return `From ${record.from} onwards`;
  if (record.to) return `From the start to ${record.to}`;
  return "All your sessions so far";
}

const STYLE = `
  :root { color-scheme: light; }
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #222; background: #fff;
    margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.45; }
  h1 { font-size: 1.5rem; margin: 0 0 0.25rem; }
  .intro, .period { color: #444; margin: 0.25rem 0; }
  table { border-collapse: collapse; width: 100%; margin: 1.25rem 0; font-size: 0.95rem; }
  th, td { border: 1px solid #bbb; padding: 0.4rem 0.5rem; text-align: left; vertical-align: top; }
  th { background: #f1efe9; }
  td.number { text-align: right; white-space: nowrap; }
  td.takeaway { white-space: pre-wrap; overflow-wrap: anywhere; }
  tfoot td { font-weight: 600; background: #faf9f6; }
  .empty { font-style: italic; color: #555; }
  .totals { margin: 0.5rem 0 1.5rem; }
  footer { color: #555; font-size: 0.85rem; }
  @media print {
    body { margin: 0; max-width: none; font-size: 10.5pt; }
    th { background: #eee; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    tr { break-inside: avoid; page-break-inside: avoid; }
    thead { display: table-header-group; }
    @page { margin: 15mm; }
  }
`;

/**
 * A complete, self-contained HTML5 page: inline CSS (with print styles), no scripts, no links to anything outside it (its
 * Content-Security-Policy allows nothing but its own inline style). Every string from the record is HTML-escaped.
 */
export function recordHtml(record: SupervisionRecord): string {
  const totals = recordTotals(record);
  const name = escapeHtml(record.memberName);
  const title = `Co-supervision record — ${name}`;
  const rows = record.rows
    .map((row) =>
      [
        "<tr>",
        `<td>${escapeHtml(row.date)}</td>`,
        `<td>${escapeHtml(row.time)}</td>`,
        `<td>${escapeHtml(HAPPENED_WORDS[row.happened])}</td>`,
        `<td class="number">${row.minutes === null ? "" : escapeHtml(String(row.minutes))}</td>`,
        `<td>${row.facilitated ? "Yes" : "No"}</td>`,
        `<td>${escapeHtml(row.with.join(", "))}</td>`,
        `<td class="takeaway">${escapeHtml(row.takeaway)}</td>`,
        "</tr>",
      ].join(""),
    )
    .join("\n");
  const table =
    record.rows.length === 0
      ? `<p class="empty">No sessions in this period yet.</p>`
      : `<table>
<thead><tr><th scope="col">Date</th><th scope="col">Time</th><th scope="col">Happened</th><th scope="col">Minutes</th><th scope="col">You facilitated</th><th scope="col">With</th><th scope="col">Your take-away</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr><td colspan="2">Total</td><td>${plural(totals.sessions, "session held", "sessions held")}</td><td class="number">${plural(totals.hours, "hour", "hours")}</td><td>${totals.facilitated}</td><td colspan="2"></td></tr></tfoot>
</table>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${title}</h1>
<p class="intro">This record is yours. It was made at your request on ${escapeHtml(record.generatedAt)}, from what you noted after each check-in.</p>
<p class="period">${escapeHtml(periodText(record))}. Times are in ${escapeHtml(record.timeZone)}.</p>
${table}
<p class="totals">Sessions held: ${totals.sessions} · Hours together: ${totals.hours} · Sessions you facilitated: ${totals.facilitated}</p>
<footer>You can print this page or save it as a PDF. Share it only if and when you choose to.</footer>
</main>
</body>
</html>
`;
}
