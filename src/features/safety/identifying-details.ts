/**
 * De-identification guard, pure part: finds details in a diary entry that could identify the person a peer
 * worker supports (or the worker): personal names, phone numbers, email addresses, street addresses, dates
 * of birth and record numbers (MRN/URN, Medicare, NHI, client IDs). Deterministic, no I/O.
 *
 * Helpline and service numbers (13 11 14, 1300/1800 numbers, 1737, 0800/0508 numbers) are not flagged, nor
 * are the writer's own names, nor initials (which is what the guard recommends).
 */
import { findNames } from "./identifying-names.js";
import {
  type Found,
  findAddresses,
  findBirthdates,
  findEmails,
  findPhones,
  findRecords,
} from "./identifying-patterns.js";

export type DetailKind = "name" | "phone" | "email" | "address" | "birthdate" | "record";

export interface IdentifyingDetail {
  readonly kind: DetailKind;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface DetailOptions {
  /** The writer's own names (first, last, display name): never flagged. */
  readonly ownNames?: readonly string[];
}

/**
 * Names are looked for in the first 100,000 characters (far longer than any chat message; the NLP pass
 * costs about 6 ms per 1,000 characters). Phones, emails, addresses, dates of birth and record numbers are
 * always looked for in the whole text.
 */
const MAX_NAME_SCAN = 100_000;

/** Order of precedence when two finders claim overlapping text. */
const PRECEDENCE: readonly DetailKind[] = ["email", "record", "birthdate", "phone", "address"];

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Details found in the text, sorted by start and non-overlapping. */
export function findIdentifyingDetails(text: string, options: DetailOptions = {}): IdentifyingDetail[] {
  if (typeof text !== "string" || text.trim() === "") return [];
  const scan = text;
  const byKind: Record<Exclude<DetailKind, "name">, Found[]> = {
    email: findEmails(scan),
    record: findRecords(scan),
    birthdate: findBirthdates(scan),
    phone: findPhones(scan),
    address: findAddresses(scan),
  };
  const chosen: { kind: DetailKind; start: number; end: number }[] = [];
  for (const kind of PRECEDENCE) {
    if (kind === "name") continue;
    // Within a kind, prefer the longest match first.
    const found = [...byKind[kind]].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
    for (const f of found) {
      if (f.end <= f.start) continue;
      if (chosen.some((c) => overlaps(c, f))) continue;
      chosen.push({ kind, start: f.start, end: f.end });
    }
  }
  const ownNames = (options.ownNames ?? []).filter(
    (n): n is string => typeof n === "string" && n.trim() !== "",
  );
  const addresses = chosen.filter((c) => c.kind === "address");
  const nameScan = scan.length > MAX_NAME_SCAN ? scan.slice(0, MAX_NAME_SCAN) : scan;
  for (const span of findNames(nameScan, chosen, ownNames, addresses)) {
    if (chosen.some((c) => overlaps(c, span))) continue;
    chosen.push({ kind: "name", start: span.start, end: span.end });
  }
  return chosen
    .sort((a, b) => a.start - b.start)
    .map((c) => ({ kind: c.kind, start: c.start, end: c.end, text: scan.slice(c.start, c.end) }));
}

// ---------------------------------------------------------------- masking

const DOT = "•";

/** Titles (and the "and" of "Mr and Mrs") kept as they are when masking or making initials. */
const KEEP_TITLES = new Set([
  "mr",
  "mrs",
  "ms",
  "miss",
  "mx",
  "dr",
  "prof",
  "aunty",
  "auntie",
  "aunt",
  "uncle",
  "nana",
  "nanna",
  "nan",
  "koro",
  "kuia",
  "whaea",
  "matua",
  "sister",
  "father",
  "pastor",
  "coach",
  "and",
]);

/**
 * Keep the first letter of each word, dots for the other letters and digits; keep spaces, hyphens and
 * apostrophes ("O'Brien" → "O'•••••"). Words in `keep` (titles) stay as they are.
 */
function maskWords(s: string, keep: ReadonlySet<string> = new Set()): string {
  return s.replace(/[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*\.?/gu, (word) => {
    if (keep.has(word.replace(/\.$/u, "").toLowerCase())) return word;
    let seenFirst = false;
    let out = "";
    for (const ch of word) {
      if (/['’.]/u.test(ch)) out += ch;
      else if (!seenFirst && /\p{L}/u.test(ch)) {
        out += ch;
        seenFirst = true;
      } else {
        out += DOT;
        seenFirst = true;
      }
    }
    return out;
  });
}

/** Mask digits except the first `head` and last `tail` digits; letters become dots too. */
function maskDigits(s: string, head: number, tail: number): string {
  const total = (s.match(/[\p{N}\p{L}]/gu) ?? []).length;
  let seen = 0;
  let out = "";
  for (const ch of s) {
    if (/[\p{N}\p{L}]/u.test(ch)) {
      const keep = seen < head || seen >= total - tail;
      out += keep && /\p{N}/u.test(ch) ? ch : DOT;
      seen++;
    } else out += ch;
  }
  return out;
}

const KEEP_EMAIL_LABELS = new Set([
  "com",
  "net",
  "org",
  "edu",
  "gov",
  "govt",
  "co",
  "ac",
  "school",
  "iwi",
  "health",
  "id",
]);

function maskEmail(s: string): string {
  const at = s.lastIndexOf("@");
  if (at < 0) return maskWords(s);
  const local = [...s.slice(0, at)];
  const labels = s.slice(at + 1).split(".");
  // Keep the top-level domain and generic second-level labels ("co.nz", "edu.au"); mask the rest.
  let keepFrom = labels.length - 1;
  while (keepFrom > 1 && KEEP_EMAIL_LABELS.has((labels[keepFrom - 1] ?? "").toLowerCase())) keepFrom--;
  const domain = labels.map((l, i) => (i >= keepFrom ? l : DOT.repeat([...l].length))).join(".");
  return `${local[0] ?? ""}${DOT.repeat(Math.max(local.length - 1, 0))}@${domain}`;
}

/** For showing the member WHERE, without repeating the detail in full: "J•••• W••••••", "04•• ••• •89". */
export function maskDetail(detail: IdentifyingDetail): string {
  const s = detail.text;
  switch (detail.kind) {
    case "name": {
      const poss = s.match(/['’]s$/u);
      const body = poss ? s.slice(0, -2) : s;
      return maskWords(body, KEEP_TITLES) + (poss ? poss[0] : "");
    }
    case "phone": {
      const digits = (s.match(/\d/g) ?? []).length;
      return maskDigits(s, s.trim().startsWith("+") ? 3 : 2, digits > 6 ? 2 : 0);
    }
    case "email":
      return maskEmail(s);
    case "record":
      return maskDigits(s, 0, 2);
    case "birthdate":
      return maskDigits(s, 0, 0);
    case "address":
      return maskWords(s.replace(/\p{N}/gu, DOT));
  }
}

/** Valid, sorted, non-overlapping details that really are at their offsets in this text. */
function usable(text: string, details: readonly IdentifyingDetail[]): IdentifyingDetail[] {
  const out: IdentifyingDetail[] = [];
  for (const d of [...details].sort((a, b) => a.start - b.start)) {
    if (!Number.isInteger(d.start) || !Number.isInteger(d.end) || d.start < 0 || d.end > text.length)
      continue;
    if (d.end <= d.start || text.slice(d.start, d.end) !== d.text) continue;
    const last = out[out.length - 1];
    if (last && d.start < last.end) continue;
    out.push(d);
  }
  return out;
}

function replaceEach(
  text: string,
  details: readonly IdentifyingDetail[],
  fn: (d: IdentifyingDetail) => string,
): string {
  let out = "";
  let at = 0;
  for (const d of usable(text, details)) {
    out += text.slice(at, d.start) + fn(d);
    at = d.end;
  }
  return out + text.slice(at);
}

/** The text with each detail shown masked in place (for the "here's what I found" message). */
export function maskDetails(text: string, details: readonly IdentifyingDetail[]): string {
  return replaceEach(text, details, maskDetail);
}

const PLACEHOLDER: Record<Exclude<DetailKind, "name">, string> = {
  phone: "[phone]",
  email: "[email]",
  address: "[address]",
  birthdate: "[date of birth]",
  record: "[record number]",
};

/** "Jordan Whitaker" → "J.W.", "Tama's" → "T.'s", "Mrs Papadopoulos" → "Mrs P.", "Sarah-Jane" → "S.J.". */
export function toInitials(name: string): string {
  const poss = name.match(/['’]s$/u);
  const body = poss ? name.slice(0, -2) : name;
  const words = body.split(/\s+/u).filter(Boolean);
  const titles: string[] = [];
  let initials = "";
  for (const w of words) {
    const clean = w.replace(/\.$/u, "");
    if (initials === "" && KEEP_TITLES.has(clean.toLowerCase())) {
      titles.push(w);
      continue;
    }
    for (const part of clean.split(/-/u)) {
      // "O'Brien" → "O.", "McAllister" → "M."
      const letter = [...part].find((c) => /\p{L}/u.test(c));
      if (letter) initials += `${letter.toUpperCase()}.`;
    }
  }
  if (initials === "") return name;
  return [...titles, initials].join(" ") + (poss ? poss[0] : "");
}

/** "Use initials": names become initials, other kinds a plain placeholder ("[phone]", "[date of birth]"). */
export function replaceWithInitials(text: string, details: readonly IdentifyingDetail[]): string {
  return replaceEach(text, details, (d) => {
    if (d.kind !== "name") return PLACEHOLDER[d.kind];
    const initials = toInitials(d.text);
    // "… with J.O." at the end of a sentence: one full stop, not two.
    return initials.endsWith(".") && text[d.end] === "." ? initials.slice(0, -1) : initials;
  });
}

const DESCRIPTION: Record<DetailKind, string> = {
  name: "a name",
  phone: "a phone number",
  email: "an email address",
  address: "a street address",
  birthdate: "a date of birth",
  record: "a record number",
};

/** Human words for a kind, for messages: "a name", "a phone number", ... */
export function describeKind(kind: DetailKind): string {
  return DESCRIPTION[kind];
}
