import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import {
  type RecordRow,
  type SupervisionRecord,
  escapeHtml,
  recordCsv,
  recordHtml,
  recordTotals,
  safeCell,
} from "./supervision-record.js";

const row = (more: Partial<RecordRow> = {}): RecordRow => ({
  date: "2025-04-08",
  time: "10:00",
  happened: "yes",
  minutes: 60,
  facilitated: false,
  with: ["Ana", "Sam"],
  takeaway: "",
  ...more,
});

const record = (more: Partial<SupervisionRecord> = {}): SupervisionRecord => ({
  memberName: "Aroha",
  timeZone: "Pacific/Auckland",
  from: "2025-01-01",
  to: "2025-06-30",
  generatedAt: "1 July 2025, 9:15 am",
  rows: [
    row({ takeaway: "Naming the pressure helped." }),
    row({ date: "2025-04-15", happened: "partly", minutes: 35, facilitated: true }),
    row({ date: "2025-04-22", happened: "no", minutes: null }),
    row({
      date: "2025-04-29",
      minutes: 50,
      facilitated: true,
      takeaway: "Ask for a debrief after hard shifts",
    }),
    row({ date: "2025-05-06", minutes: null }),
  ],
  ...more,
});

/** A small RFC 4180 reader, enough to read the file back. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let rowCells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      rowCells.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      rowCells.push(cell);
      rows.push(rowCells);
      rowCells = [];
      cell = "";
      i++;
    } else cell += c;
  }
  if (cell !== "" || rowCells.length > 0) rows.push([...rowCells, cell]);
  return rows;
}

describe("recordTotals", () => {
  it("counts sessions that happened (yes or partly), their hours to 2 decimals, and those facilitated", () => {
    // 60 + 35 + 50 + (none given) = 145 minutes = 2.4166… hours.
    expect(recordTotals(record())).toEqual({ sessions: 4, hours: 2.42, facilitated: 2 });
  });

  it("leaves out a facilitated session that didn't go ahead, and is zero for an empty record", () => {
    expect(recordTotals(record({ rows: [row({ happened: "no", facilitated: true, minutes: 60 })] }))).toEqual(
      {
        sessions: 0,
        hours: 0,
        facilitated: 0,
      },
    );
    expect(recordTotals(record({ rows: [] }))).toEqual({ sessions: 0, hours: 0, facilitated: 0 });
    expect(recordTotals(record({ rows: [row({ minutes: 20 }), row({ minutes: 10 })] })).hours).toBe(0.5);
  });
});

describe("recordCsv", () => {
  it("has a header, a row per session and a totals row", () => {
    const text = recordCsv(record());
    expect(text.startsWith("\uFEFF")).toBe(true);
    const rows = readCsv(text.slice(1));
    expect(rows[0]).toEqual([
      "Date",
      "Time (Pacific/Auckland)",
      "Happened",
      "Minutes",
      "Facilitated",
      "With",
      "Take-away",
    ]);
    expect(rows[1]).toEqual([
      "2025-04-08",
      "10:00",
      "Yes",
      "60",
      "No",
      "Ana, Sam",
      "Naming the pressure helped.",
    ]);
    expect(rows[2]).toEqual(["2025-04-15", "10:00", "Partly", "35", "Yes", "Ana, Sam", ""]);
    expect(rows[3]).toEqual(["2025-04-22", "10:00", "Didn't go ahead", "", "No", "Ana, Sam", ""]);
    expect(rows).toHaveLength(7);
    expect(rows[6]).toEqual(["Total", "", "4 sessions held", "2.42 hours", "2 facilitated", "", ""]);
  });

  it("defuses every cell a spreadsheet would run as a formula", () => {
    const hostile = [
      "=cmd|' /C calc'!A0",
      "+SUM(1,2)",
      "-2+3",
      "@SUM(A1)",
      "\t=1+1",
      "\r=1+1",
      '  =HYPERLINK("http://x")',
    ];
    const text = recordCsv(
      record({
        rows: hostile.map((takeaway) => row({ takeaway, with: ["=Ana", "Sam"] })),
      }),
    );
    const rows = readCsv(text.slice(1));
    hostile.forEach((takeaway, i) => {
      expect(rows[i + 1]?.[6]).toBe(`'${takeaway}`);
      expect(rows[i + 1]?.[5]).toBe("'=Ana, Sam");
    });
    // No cell anywhere starts with a formula character.
    for (const cells of rows) for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(text).toContain(`,'=cmd|' /C calc'!A0\r\n`);
    expect(text).toContain(`,"'\r=1+1"\r\n`);
    // csv-stringify on its own passes it through as is.
    expect(stringify([["=cmd|' /C calc'!A0"]])).toBe("=cmd|' /C calc'!A0\n");
  });

  it("keeps ordinary text as it is, commas, quotes and new lines included", () => {
    const takeaway = 'She said "slow down", and\nI did.';
    const rows = readCsv(recordCsv(record({ rows: [row({ takeaway })] })).slice(1));
    expect(rows[1]?.[6]).toBe(takeaway);
    expect(safeCell("2025-04-08")).toBe("2025-04-08");
    expect(safeCell("A = B")).toBe("A = B");
    expect(safeCell("")).toBe("");
  });
});

describe("recordHtml", () => {
  it("is a complete page with the person's name, the period, a row per session and the totals", () => {
    const html = recordHtml(record());
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain("<title>Co-supervision record — Aroha</title>");
    expect(html).toContain("<h1>Co-supervision record — Aroha</h1>");
    expect(html).toContain("This record is yours. It was made at your request on 1 July 2025, 9:15 am");
    expect(html).toContain("From 2025-01-01 to 2025-06-30. Times are in Pacific/Auckland.");
    expect(html.match(/<tbody>[\s\S]*<\/tbody>/)?.[0].match(/<tr>/g)).toHaveLength(5);
    expect(html).toContain("<td>Didn&#39;t go ahead</td>");
    expect(html).toContain("Sessions held: 4 · Hours together: 2.42 · Sessions you facilitated: 2");
    expect(html).toContain("@media print");
    expect(html.trimEnd().endsWith("</html>")).toBe(true);
  });

  it("has no scripts and loads nothing from outside", () => {
    const html = recordHtml(record());
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|href=|@import|url\(/i);
    expect(html).toContain("default-src 'none'; style-src 'unsafe-inline'");
  });

  it("escapes everything a member wrote", () => {
    const html = recordHtml(
      record({
        memberName: '<script>alert("hi")</script> & Co',
        timeZone: "Pacific/Auckland<b>",
        generatedAt: "<i>now</i>",
        rows: [
          row({
            takeaway: `<img src=x onerror="alert('x')"> & "quotes" 'single'`,
            with: ["<b>Ana</b>", "Tom & Jerry"],
          }),
        ],
      }),
    );
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html).not.toContain("<i>");
    expect(html).toContain(
      "Co-supervision record — &lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt; &amp; Co",
    );
    expect(html).toContain(
      "&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt; &amp; &quot;quotes&quot; &#39;single&#39;",
    );
    expect(html).toContain("&lt;b&gt;Ana&lt;/b&gt;, Tom &amp; Jerry");
  });

  it("says so kindly when there are no sessions, and names an open-ended period plainly", () => {
    const html = recordHtml(record({ rows: [], from: null, to: null }));
    expect(html).toContain("No sessions in this period yet.");
    expect(html).toContain("All your sessions so far.");
    expect(html).not.toContain("<table>");
    expect(recordHtml(record({ from: null }))).toContain("From the start to 2025-06-30.");
    expect(recordHtml(record({ to: null }))).toContain("From 2025-01-01 onwards.");
  });

  it("escapeHtml covers the five characters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
