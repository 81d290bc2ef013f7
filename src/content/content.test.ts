import { existsSync, readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface Theme {
  id: string;
  label: string;
}
interface Question {
  id: string;
  theme: string;
  text: string;
  gentle: boolean;
}
interface QuestionBank {
  themes: Theme[];
  questions: Question[];
}
interface Tip {
  id: string;
  theme: string;
  text: string;
}
interface SupportLines {
  countries: Array<{ code: string; lines: Array<{ name: string; for: string }> }>;
}

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), "utf8")) as T;
}

/** Every string in a JSON value, with its path. */
function stringsIn(value: unknown, path: string): Array<{ id: string; text: string }> {
  if (typeof value === "string") return [{ id: path, text: value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringsIn(item, `${path}[${i}]`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => stringsIn(item, `${path}.${key}`));
  }
  return [];
}

const bank = readJson<QuestionBank>("questions.json");
const { tips } = readJson<{ tips: Tip[] }>("tips.json");
const safetyWords = readJson<unknown>("../features/safety/content/safety-words.json");
const supportLines = readJson<SupportLines>("../features/safety/content/support-lines.json");

const EXPECTED_THEMES = [
  "diary",
  "connection",
  "worldview",
  "mutuality",
  "moving-towards",
  "boundaries",
  "sharing-experience",
  "role-clarity",
  "clinical-teams",
  "power",
  "self-care",
  "returning",
  "sole-worker",
];

const TIP_THEMES = [
  "reflection",
  "support",
  "boundaries",
  "bad-days",
  "workload",
  "connection",
  "rest",
  "sharing",
];

const BANNED =
  /\b(disorders?|illness(es)?|symptoms?|patients?|schizophrenia|bipolar|depression|psychosis|diagnosis|diagnoses|manic|treatment compliance)\b/i;

/** Lowercase, drop apostrophes, turn every other non-alphanumeric run into a space, split into words. */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['\u2018\u2019]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter((w) => w.length > 0);
}

function ngrams(ws: string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= ws.length; i++) out.push(ws.slice(i, i + n).join(" "));
  return out;
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) dups.add(v);
    seen.add(v);
  }
  return [...dups];
}

const allTexts: Array<{ id: string; text: string }> = [
  ...bank.questions.map((q) => ({ id: q.id, text: q.text })),
  ...tips.map((t) => ({ id: t.id, text: t.text })),
  ...stringsIn(safetyWords, "safety"),
  ...supportLines.countries.flatMap((country) =>
    country.lines.map((line) => ({ id: `support.${country.code}.${line.name}`, text: line.for })),
  ),
];

describe("question bank", () => {
  it("declares exactly the expected themes, each with a label", () => {
    expect(bank.themes.map((t) => t.id).sort()).toEqual([...EXPECTED_THEMES].sort());
    for (const t of bank.themes) expect(t.label.trim().length).toBeGreaterThan(0);
  });

  it("has at least 72 questions", () => {
    expect(bank.questions.length).toBeGreaterThanOrEqual(72);
  });

  it("gives every theme at least 6 questions and uses only declared themes", () => {
    const declared = new Set(bank.themes.map((t) => t.id));
    for (const q of bank.questions) expect(declared.has(q.theme), q.id).toBe(true);
    for (const theme of EXPECTED_THEMES) {
      const count = bank.questions.filter((q) => q.theme === theme).length;
      expect(count, theme).toBeGreaterThanOrEqual(6);
    }
  });

  it("has unique ids of the form <theme>-<nn>", () => {
    expect(duplicates(bank.questions.map((q) => q.id))).toEqual([]);
    expect(duplicates(bank.themes.map((t) => t.id))).toEqual([]);
    for (const q of bank.questions) expect(q.id).toMatch(new RegExp(`^${q.theme}-\\d{2}$`));
  });

  it("marks every returning question gentle, with at least 8 gentle overall", () => {
    for (const q of bank.questions.filter((x) => x.theme === "returning")) {
      expect(q.gentle, q.id).toBe(true);
    }
    for (const q of bank.questions) expect(typeof q.gentle, q.id).toBe("boolean");
    expect(bank.questions.filter((q) => q.gentle).length).toBeGreaterThanOrEqual(8);
  });

  it("keeps questions under 200 characters and ending as a question", () => {
    for (const q of bank.questions) {
      expect(q.text.length, q.id).toBeLessThan(200);
      expect(q.text.trim().length, q.id).toBeGreaterThan(0);
      expect(q.text, q.id).toMatch(/\?/);
    }
  });
});

describe("tips", () => {
  it("has at least 36 tips with unique ids and known themes", () => {
    expect(tips.length).toBeGreaterThanOrEqual(36);
    expect(duplicates(tips.map((t) => t.id))).toEqual([]);
    for (const t of tips) {
      expect(t.id).toMatch(/^tip-\d{2,}$/);
      expect(TIP_THEMES, t.id).toContain(t.theme);
    }
  });

  it("keeps tips under 300 characters", () => {
    for (const t of tips) {
      expect(t.text.length, t.id).toBeLessThan(300);
      expect(t.text.trim().length, t.id).toBeGreaterThan(0);
    }
  });
});

describe("all content", () => {
  it("has no duplicate texts", () => {
    expect(duplicates(allTexts.map((x) => words(x.text).join(" ")))).toEqual([]);
  });

  it("uses no clinical labels", () => {
    for (const { id, text } of allTexts) expect(text, id).not.toMatch(BANNED);
  });
});

const seedsDir = new URL("../../../shared/seeds/", import.meta.url);

describe("originality against the source documents", () => {
  it.skipIf(!existsSync(seedsDir))("shares no run of 7 consecutive words with any seed", () => {
    const seedGrams = new Set<string>();
    for (const name of readdirSync(seedsDir)) {
      if (!name.endsWith(".txt")) continue;
      const text = readFileSync(new URL(name, seedsDir), "utf8");
      for (const g of ngrams(words(text), 7)) seedGrams.add(g);
    }
    expect(seedGrams.size).toBeGreaterThan(0);
    const overlaps: string[] = [];
    for (const { id, text } of allTexts) {
      for (const g of ngrams(words(text), 7)) {
        if (seedGrams.has(g)) overlaps.push(`${id}: "${g}"`);
      }
    }
    expect(overlaps).toEqual([]);
  });
});
