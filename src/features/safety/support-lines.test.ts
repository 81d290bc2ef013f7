import { describe, expect, it } from "vitest";
import raw from "./content/support-lines.json" with { type: "json" };
import { type SupportDirectory, countryFor, formatLines, supportDirectory } from "./support-lines.js";

const AU_REQUIRED = [
  ["Lifeline", "13 11 14"],
  ["Suicide Call Back Service", "1300 659 467"],
  ["Beyond Blue", "1300 22 4636"],
  ["13YARN", "13 92 76"],
  ["QLife", "1800 184 527"],
] as const;

function phones(directory: SupportDirectory): string[] {
  return directory.lines.flatMap((line) => (line.phone === undefined ? [] : [line.phone]));
}

function line(directory: SupportDirectory, name: string) {
  const found = directory.lines.find((entry) => entry.name === name);
  if (found === undefined) throw new Error(`no line named ${name}`);
  return found;
}

describe("countryFor", () => {
  it("takes the country from the time zone", () => {
    expect(countryFor({ timeZone: "Pacific/Auckland" })).toBe("NZ");
    expect(countryFor({ timeZone: "Pacific/Chatham" })).toBe("NZ");
    expect(countryFor({ timeZone: "Australia/Sydney" })).toBe("AU");
    expect(countryFor({ timeZone: "Australia/Perth" })).toBe("AU");
    expect(countryFor({ timeZone: "Australia/Lord_Howe" })).toBe("AU");
    expect(countryFor({ timeZone: "Australia/Eucla" })).toBe("AU");
    expect(countryFor({ timeZone: "Europe/London" })).toBe("GB");
    expect(countryFor({ timeZone: "America/Toronto" })).toBe("CA");
  });

  it("accepts a zone in the wrong case", () => {
    expect(countryFor({ timeZone: "australia/sydney" })).toBe("AU");
  });

  it("lets the zone win when zone and region disagree", () => {
    expect(countryFor({ timeZone: "Europe/London", region: "Auckland" })).toBe("GB");
    expect(countryFor({ timeZone: "Pacific/Auckland", region: "Sydney, NSW" })).toBe("NZ");
  });

  it("falls back to the region when the zone names no country", () => {
    expect(countryFor({ timeZone: "UTC", region: "Waikato" })).toBe("NZ");
    expect(countryFor({ timeZone: "UTC", region: "Wide Bay" })).toBe("AU");
    expect(countryFor({ timeZone: "Etc/GMT-12", region: "Dunedin" })).toBe("NZ");
    expect(countryFor({ timeZone: "Etc/UTC", region: "Pilbara" })).toBe("AU");
    expect(countryFor({ region: "Gippsland" })).toBe("AU");
  });

  it("falls back to the region when the zone is invalid, and does not throw", () => {
    for (const timeZone of [
      "Not/AZone",
      "",
      "   ",
      "constructor",
      "__proto__",
      "../../etc/passwd",
      "x".repeat(500),
    ]) {
      expect(() => countryFor({ timeZone })).not.toThrow();
      expect(() => supportDirectory({ timeZone })).not.toThrow();
      expect(countryFor({ timeZone })).toBeUndefined();
      expect(countryFor({ timeZone, region: "Otago" })).toBe("NZ");
    }
  });

  it("lets the region decide for Antarctic zones", () => {
    expect(countryFor({ timeZone: "Antarctica/McMurdo", region: "Christchurch" })).toBe("NZ");
    expect(countryFor({ timeZone: "Antarctica/McMurdo" })).toBeUndefined();
  });

  it("reads New Zealand places with and without macrons", () => {
    for (const region of [
      "NZ",
      "new zealand",
      "Aotearoa",
      "Tāmaki Makaurau",
      "Tamaki Makaurau",
      "Auckland",
      "Wellington",
      "Canterbury",
      "Otago",
      "Southland",
      "Northland",
      "Bay of Plenty",
      "Hawke's Bay",
      "Hawke’s Bay",
      "Hawkes Bay",
      "Taranaki",
      "Manawatū-Whanganui",
      "Manawatu-Whanganui",
      "Gisborne",
      "Tairāwhiti",
      "Nelson",
      "Tasman",
      "Marlborough",
      "West Coast",
      "Christchurch",
      "Ōtautahi",
      "Hamilton",
      "Tauranga",
      "Rotorua",
    ]) {
      expect(countryFor({ region }), region).toBe("NZ");
    }
  });

  it("reads Australian states, abbreviations and places", () => {
    for (const region of [
      "Australia",
      "AU",
      "NSW",
      "qld",
      "WA",
      "SA",
      "VIC",
      "Tas",
      "NT",
      "ACT",
      "New South Wales",
      "Western Australia",
      "Wide Bay",
      "Pilbara",
      "the Kimberley",
      "Riverina",
      "Hunter",
      "Illawarra",
      "Sydney",
      "Melbourne",
      "Brisbane",
      "Perth",
      "Adelaide",
      "Hobart",
      "Darwin",
      "Canberra",
      "Cairns",
      "Townsville",
      "Lord Howe Island",
    ]) {
      expect(countryFor({ region }), region).toBe("AU");
    }
  });

  it("matches whole words only", () => {
    expect(countryFor({ region: "Washington" })).toBeUndefined();
    expect(countryFor({ region: "Samoa" })).toBeUndefined();
    expect(countryFor({ region: "Tasmanian devil country" })).toBeUndefined();
    expect(countryFor({ region: "actually nowhere" })).toBeUndefined();
  });

  it("does not read New South Wales as Wales, nor Perth in Scotland as Australia", () => {
    expect(countryFor({ region: "New South Wales" })).toBe("AU");
    expect(countryFor({ region: "Perth, Scotland" })).toBe("GB");
    expect(countryFor({ region: "Canterbury, England" })).toBe("GB");
    expect(countryFor({ region: "Victoria, Canada" })).toBe("CA");
  });

  it("says nothing rather than guess between two countries", () => {
    expect(countryFor({ region: "Sydney or Auckland" })).toBeUndefined();
  });

  it("returns undefined when neither tells", () => {
    expect(countryFor({})).toBeUndefined();
    expect(countryFor({ timeZone: "UTC" })).toBeUndefined();
    expect(countryFor({ timeZone: "UTC", region: "the moon" })).toBeUndefined();
  });
});

describe("supportDirectory", () => {
  it("gives New Zealand's lines for Pacific/Auckland, with 111 and no 000", () => {
    const nz = supportDirectory({ timeZone: "Pacific/Auckland" });
    expect(nz.country).toBe("NZ");
    expect(nz.countryName).toBe("New Zealand");
    expect(nz.emergency).toBe("111");
    expect(nz.fallbackEmergency).toBeUndefined();
    const talk = line(nz, "1737 Need to talk?");
    expect(talk.phone).toBe("1737");
    expect(talk.text).toBe("1737");
    expect(line(nz, "Lifeline Aotearoa").phone).toBe("0800 543 354");
    expect(phones(nz)).toContain("0508 828 865");
    expect(phones(nz)).not.toContain("13 11 14");
    expect(JSON.stringify(nz)).not.toContain("000");
  });

  for (const timeZone of ["Australia/Perth", "Australia/Sydney", "Australia/Lord_Howe"]) {
    it(`gives Australia's lines for ${timeZone}`, () => {
      const au = supportDirectory({ timeZone });
      expect(au.country).toBe("AU");
      expect(au.emergency).toBe("000");
      for (const [name, phone] of AU_REQUIRED) expect(line(au, name).phone).toBe(phone);
      expect(line(au, "Lifeline").text).toBe("0477 13 11 14");
      expect(line(au, "QLife").hours).toBe("3pm to midnight local time, every day");
      expect(line(au, "QLife").hours).not.toBe("24/7");
      expect(phones(au)).not.toContain("1737");
      expect(au.lines.map((entry) => entry.phone)).not.toContain("000");
    });
  }

  it("uses the region when the zone is UTC", () => {
    expect(supportDirectory({ timeZone: "UTC", region: "Waikato" }).emergency).toBe("111");
    expect(supportDirectory({ timeZone: "UTC", region: "Wide Bay" }).emergency).toBe("000");
  });

  it("gives Britain's emergency number and the directory, without Australian lines", () => {
    const gb = supportDirectory({ timeZone: "Europe/London" });
    expect(gb.country).toBe("GB");
    expect(gb.emergency).toBe("999");
    expect(gb.directory).toEqual({ name: "Find A Helpline", url: "https://findahelpline.com" });
    expect(phones(gb)).not.toContain("13 11 14");
    expect(gb.lines.map((entry) => entry.name)).not.toContain("QLife");
    expect(gb.fallbackEmergency).toBeUndefined();
  });

  it("gives 988 as a line in the US and Canada", () => {
    expect(supportDirectory({ timeZone: "America/New_York" }).emergency).toBe("911");
    expect(phones(supportDirectory({ timeZone: "America/New_York" }))).toEqual(["988"]);
    expect(phones(supportDirectory({ timeZone: "America/Toronto" }))).toEqual(["988"]);
  });

  it("falls back to the AU and NZ emergency numbers when nothing is known", () => {
    for (const hint of [{}, { timeZone: "UTC" }, { timeZone: "Not/AZone", region: "" }]) {
      const unknown = supportDirectory(hint);
      expect(unknown.country).toBeUndefined();
      expect(unknown.emergency).toBeUndefined();
      expect(unknown.lines).toEqual([]);
      expect(unknown.fallbackEmergency).toEqual([
        { countryName: "Australia", number: "000" },
        { countryName: "New Zealand", number: "111" },
      ]);
      expect(unknown.directory.url).toBe("https://findahelpline.com");
    }
  });

  it("names a country we hold no numbers for, without inventing one", () => {
    const fiji = supportDirectory({ timeZone: "Pacific/Fiji" });
    expect(fiji.country).toBe("FJ");
    expect(fiji.countryName).toBe("Fiji");
    expect(fiji.emergency).toBeUndefined();
    expect(fiji.lines).toEqual([]);
    expect(fiji.fallbackEmergency).toBeUndefined();
  });
});

describe("formatLines", () => {
  it("formats Australia: emergency first, directory last", () => {
    const text = formatLines(supportDirectory({ timeZone: "Australia/Sydney" }));
    const rows = text.split("\n");
    expect(rows[0]).toBe("• In an emergency: 000");
    expect(rows).toContain(
      "• Lifeline: 13 11 14, or text 0477 13 11 14 (24/7) — anyone going through a hard time who wants someone to talk to",
    );
    expect(rows).toContain(
      "• QLife: 1800 184 527 (3pm to midnight local time, every day) — LGBTIQ+ people and the people who care about them, to talk with a peer",
    );
    expect(rows.at(-1)).toBe(
      "• Somewhere else? Find A Helpline lists services worldwide: https://findahelpline.com",
    );
    expect(rows.every((row) => row.startsWith("• "))).toBe(true);
    expect(rows).toHaveLength(supportDirectory({ timeZone: "Australia/Sydney" }).lines.length + 2);
  });

  it("formats New Zealand", () => {
    const rows = formatLines(supportDirectory({ timeZone: "Pacific/Auckland" })).split("\n");
    expect(rows[0]).toBe("• In an emergency: 111");
    expect(rows[1]).toBe(
      "• 1737 Need to talk?: call or text 1737 (24/7) — anyone feeling stressed, down or overwhelmed, to reach a trained counsellor",
    );
    expect(rows).toContain(
      "• Lifeline Aotearoa: 0800 543 354, or text 4357 (24/7) — anyone who needs someone to listen, whatever is going on",
    );
    expect(rows.join("\n")).not.toContain("000");
    expect(rows.at(-1)).toBe(
      "• Somewhere else? Find A Helpline lists services worldwide: https://findahelpline.com",
    );
  });

  it("formats an unknown place with the fallback numbers", () => {
    expect(formatLines(supportDirectory({}))).toBe(
      [
        "• In an emergency: 000 in Australia, 111 in New Zealand, or your local emergency number",
        "• Somewhere else? Find A Helpline lists services worldwide: https://findahelpline.com",
      ].join("\n"),
    );
  });

  it("formats a country we hold no number for without a made-up one", () => {
    expect(formatLines(supportDirectory({ timeZone: "Pacific/Fiji" })).split("\n")[0]).toBe(
      "• In an emergency: call your local emergency number",
    );
  });
});

describe("support-lines.json", () => {
  const TODAY = "2026-11-27";

  interface Sourced {
    readonly where: string;
    readonly entry: Record<string, unknown>;
  }

  const entries: Sourced[] = [
    { where: "directory", entry: raw.directory },
    ...raw.countries.flatMap((country) => [
      { where: `${country.code} emergency`, entry: country.emergency as Record<string, unknown> },
      ...country.lines.map((entry) => ({ where: `${country.code} ${entry.name}`, entry })),
    ]),
  ];

  function isUrl(value: unknown): boolean {
    if (typeof value !== "string") return false;
    try {
      const url = new URL(value);
      return (url.protocol === "https:" || url.protocol === "http:") && url.hostname.includes(".");
    } catch {
      return false;
    }
  }

  function isDate(value: unknown): boolean {
    if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value && value <= TODAY;
  }

  it("covers the countries it should", () => {
    const codes = raw.countries.map((country) => country.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of ["AU", "NZ", "GB", "IE", "US", "CA"]) expect(codes).toContain(code);
    expect(entries.length).toBeGreaterThan(20);
  });

  it("gives every line, emergency number and the directory a source URL and a valid checked date", () => {
    for (const { where, entry } of entries) {
      expect(isUrl(entry.source), `${where}: source`).toBe(true);
      expect(isDate(entry.checked), `${where}: checked`).toBe(true);
      const also = entry.alsoSources;
      if (also !== undefined) {
        expect(Array.isArray(also), `${where}: alsoSources`).toBe(true);
        for (const url of also as unknown[]) expect(isUrl(url), `${where}: ${String(url)}`).toBe(true);
      }
      if (entry.verified !== undefined) expect(entry.verified, `${where}: verified`).toBe(false);
    }
  });

  it("gives every line hours, who it is for, and a way to reach it", () => {
    for (const country of raw.countries) {
      for (const entry of country.lines as Record<string, unknown>[]) {
        expect(typeof entry.hours === "string" && entry.hours.length > 0, String(entry.name)).toBe(true);
        expect(typeof entry.for === "string" && entry.for.length > 0, String(entry.name)).toBe(true);
        expect(entry.phone ?? entry.text ?? entry.url, String(entry.name)).toBeDefined();
        if (entry.url !== undefined) expect(isUrl(entry.url), String(entry.name)).toBe(true);
      }
    }
  });
});
