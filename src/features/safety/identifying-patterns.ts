/**
 * Pattern-based finders for the non-name kinds of identifying detail: email addresses, phone numbers,
 * record numbers, dates of birth and street addresses. Pure and deterministic.
 */
import { findPhoneNumbersInText } from "libphonenumber-js";

export type PatternKind = "phone" | "email" | "address" | "birthdate" | "record";

export interface Found<K extends string = string> {
  readonly kind: K;
  readonly start: number;
  readonly end: number;
}

// ---------------------------------------------------------------- email

const EMAIL =
  /(?<![\w.+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]*[A-Za-z0-9_])?@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w@])/g;

export function findEmails(text: string): Found<"email">[] {
  return [...text.matchAll(EMAIL)].map((m) => ({
    kind: "email",
    start: m.index,
    end: m.index + m[0].length,
  }));
}

// ---------------------------------------------------------------- records

// Case matters for the acronyms ("UR" is a record cue, "ur" is casual "your").
const RECORD_CUE =
  "(?:(?:MRN|mrn|URN|urn|UR|NHI|nhi|IHI|CRN|crn|NDIS|ndis|DVA|[Mm]edicare|MEDICARE|[Cc]entrelink)" +
  "(?:\\s+(?:CRN|[Nn]umber|[Nn]o\\.?|num|[Cc]ard|ID|[Rr]ef(?:erence)?)|\\s*#)?" +
  "|(?:[Cc]lient|[Pp]atient|[Ff]ile|[Rr]ecord|[Cc]ase|[Cc]ustomer|[Mm]ember|[Pp]articipant|[Hh]ospital|[Rr]eference|[Rr]ef|[Hh]ealth|ID)" +
  "(?:\\s+(?:ID|id|[Nn]umber|[Nn]o\\.?|num)|\\s*#)" +
  "|ID)";
// What may stand between the cue and the identifier: "is", "was", ":", "#", ",", "-", "=".
const RECORD_JOIN = "(?:\\s*(?:is|was|:|#|,|=|-)\\s*|\\s+)";
const NHI_OLD = "[A-HJ-NP-Z]{3}\\d{4}";
const NHI_NEW = "[A-HJ-NP-Z]{3}\\d{2}[A-HJ-NP-Z]{2}";
const RECORD_ID = `(?:${NHI_OLD}|${NHI_NEW}|(?:[A-Z]{1,3}-?)?\\d(?:[ /-]?\\d){3,14}[A-Z]?)`;
// "client #88213", "ID #4471": a "#" written against the number is the join itself.
const RECORD_WITH_CUE = new RegExp(
  `(?<![\\p{L}\\p{N}])${RECORD_CUE}(?:(?<=#)\\s*|(?:${RECORD_JOIN}){1,3})(${RECORD_ID})(?![\\p{L}\\p{N}])`,
  "gu",
);
const NHI_ALONE = new RegExp(`(?<![\\p{L}\\p{N}])(?:${NHI_OLD}|${NHI_NEW})(?![\\p{L}\\p{N}])`, "gu");
// Medicare card: 10 digits (first 2-6) written 4-5-1, optionally with the 1-digit issue number.
const MEDICARE_GROUPED = /(?<![\d])[2-6]\d{3}[ -]\d{5}[ -]\d(?:[ -/]\d)?(?![\d])/g;
const MEDICARE_PLAIN = /(?<![\d])[2-6]\d{9,10}(?![\d])/g;
// Centrelink Customer Reference Number: 9 digits and a letter.
const CRN = /(?<![\p{L}\p{N}])\d{3} ?\d{3} ?\d{3}[A-Z](?![\p{L}\p{N}])/gu;

export function medicareChecksumOk(digits: string): boolean {
  if (!/^[2-6]\d{9,10}$/.test(digits)) return false;
  const weights = [1, 3, 7, 9, 1, 3, 7, 9];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (weights[i] ?? 0);
  return sum % 10 === Number(digits[8]);
}

export function findRecords(text: string): Found<"record">[] {
  const out: Found<"record">[] = [];
  for (const m of text.matchAll(RECORD_WITH_CUE)) {
    const id = m[1] ?? "";
    const digits = id.replace(/\D/g, "");
    const nhi = new RegExp(`^(?:${NHI_OLD}|${NHI_NEW})$`, "u").test(id);
    if (!nhi && digits.length < 4) continue;
    // A year or a date is not a record number ("ID 2024"); dates are handled elsewhere.
    if (!nhi && /^(?:19|20)\d{2}$/.test(id)) continue;
    const start = m.index + m[0].length - id.length;
    out.push({ kind: "record", start, end: start + id.length });
  }
  for (const m of text.matchAll(NHI_ALONE))
    out.push({ kind: "record", start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(MEDICARE_GROUPED)) {
    out.push({ kind: "record", start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(MEDICARE_PLAIN)) {
    if (medicareChecksumOk(m[0])) out.push({ kind: "record", start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(CRN))
    out.push({ kind: "record", start: m.index, end: m.index + m[0].length });
  return out;
}

// ---------------------------------------------------------------- dates of birth

const MONTH =
  "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?";
const DAY = "(?:[0-2]?\\d|3[01])(?:st|nd|rd|th)?";
const YEAR = "(?:(?:19|20)\\d{2}|'?\\d{2})";
const DATE_FORMS = [
  "(?:19|20)\\d{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:[0-2]?\\d|3[01])", // 1988-07-03
  "(?:[0-2]?\\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:(?:19|20)\\d{2}|\\d{2})", // 03/07/1988, 1/3/95
  `${DAY}(?:\\s+of)?\\s+${MONTH},?(?:\\s+${YEAR})?`, // 3 July 1988, 5th of June 1999
  `${MONTH}\\s+${DAY},?(?:\\s+${YEAR})?`, // July 3, 1988
];
const DATE = `(?:${DATE_FORMS.join("|")})`;
const BIRTH_CUE =
  "(?:D\\.?O\\.?B\\.?|date\\s+of\\s+birth|birth\\s*date|born(?:\\s+on)?(?:\\s+the)?|b\\.(?=\\s*\\d))";
const BIRTH_JOIN = "(?:\\s*(?:is|was|of|:|,|-|=|\\()\\s*|\\s+){0,3}";
const BIRTHDATE = new RegExp(
  `(?<![\\p{L}])${BIRTH_CUE}${BIRTH_JOIN}(?:the\\s+)?(${DATE})(?![\\p{L}\\p{N}])`,
  "giu",
);
// "Her birthday is 14/02/2001": a birthday counts only with a year (a birthday alone is everyday talk).
const DATE_WITH_YEAR = `(?:${[
  DATE_FORMS[0],
  DATE_FORMS[1],
  `${DAY}(?:\\s+of)?\\s+${MONTH},?\\s+(?:19|20)\\d{2}`,
  `${MONTH}\\s+${DAY},?\\s+(?:19|20)\\d{2}`,
].join("|")})`;
const BIRTHDAY = new RegExp(
  `(?<![\\p{L}])birthday${BIRTH_JOIN}(?:the\\s+|on\\s+(?:the\\s+)?)?(${DATE_WITH_YEAR})(?![\\p{L}\\p{N}])`,
  "giu",
);

// "DOB as 7 July 1992", "DOB on the Centrelink letter: 02-09-1985", "date of birth so we wrote 21st of
// October 2004": a full date (with its year) a few words after the cue, in the same sentence.
const BIRTHDATE_NEAR = new RegExp(
  `(?<![\\p{L}])${BIRTH_CUE}(?![\\p{L}])(?:[\\s:,(-]+[\\p{L}'’]+){1,5}?[\\s:,(-]+(?:the\\s+)?(${DATE_WITH_YEAR})(?![\\p{L}\\p{N}])`,
  "giu",
);

export function findBirthdates(text: string): Found<"birthdate">[] {
  const out: Found<"birthdate">[] = [];
  for (const re of [BIRTHDATE, BIRTHDAY, BIRTHDATE_NEAR]) {
    for (const m of text.matchAll(re)) {
      const date = m[1] ?? "";
      const start = m.index + m[0].length - date.length;
      out.push({ kind: "birthdate", start, end: start + date.length });
    }
  }
  return out;
}

// ---------------------------------------------------------------- addresses

const STREET_TYPES =
  "Street|St|Road|Rd|Avenue|Ave|Av|Crescent|Cres|Cr|Close|Cl|Court|Ct|Drive|Dr|Lane|Ln|Place|Pl|Parade|Pde|Terrace|Tce|Way|Highway|Hwy|Boulevard|Blvd|Grove|Gr|Gve|Circuit|Cct|Esplanade|Esp|Square|Sq|Mews|Rise|Quay|Row|Loop|Walk|Track|Trail|Heights|Hts|Vale|View|Green|Mall|Promenade|Parkway|Pkwy|Ridge|Gardens|Gdns|Retreat|Crest|Link|Wynd|Strand|Glade|Point|Pass|Square";
const UNIT_PREFIX =
  "(?:(?:Unit|Flat|Apartment|Apt|Suite|Shop|Lot|Villa|Townhouse|Room|Rm)\\.?\\s*\\d{1,4}[A-Za-z]?\\s*[,/]?\\s*)";
const STREET_NUMBER = "\\d{1,5}[A-Za-z]?(?:\\s*[/-]\\s*\\d{1,5}[A-Za-z]?)?";
const STREET_NAME_WORD = "(?:St\\.?\\s|Mt\\.?\\s|Saint\\s|Mount\\s)?\\p{Lu}[\\p{L}\\p{M}'’-]*";
const ADDRESS = new RegExp(
  `(?<![\\p{L}\\p{N}/])${UNIT_PREFIX}?${STREET_NUMBER}\\s+(?:${STREET_NAME_WORD}\\s+){1,3}(?:${STREET_TYPES})\\b`,
  "gu",
);
// Casual lower case ("lives at 5 smith st"): only unambiguous street words, no function words in the name.
const LOWER_STREET_TYPES =
  "street|st|road|rd|avenue|ave|crescent|cres|parade|pde|terrace|tce|highway|hwy|boulevard|blvd|esplanade";
const LOWER_STOP =
  "the|a|an|in|on|at|to|of|and|or|for|with|down|up|my|his|her|their|our|your|this|that|from|into|onto|off|along|across|by|near|over|past";
const LOWER_ADDRESS = new RegExp(
  `(?<![\\p{L}\\p{N}/])${STREET_NUMBER}\\s+(?:(?!(?:${LOWER_STOP})\\b)\\p{Ll}[\\p{L}'’-]*\\s+){1,2}(?:${LOWER_STREET_TYPES})\\b`,
  "gu",
);
// Caravan parks and similar: "Lot 7, Riverside Caravan Park", "Site 12 Big4 Holiday Park".
const PARK_ADDRESS =
  /(?<![\p{L}])(?:Lot|Site|Cabin|Van|Unit|Room)\s*\d{1,4}[A-Za-z]?,?\s+(?:[\p{Lu}\d][\p{L}\d'’-]*\s+){0,3}(?:Caravan|Holiday|Tourist|Residential|Lifestyle)\s+(?:Park|Village|Resort)/gu;
const PO_BOX =
  /(?<![\p{L}])(?:P\.?\s?O\.?\s?Box|Post\s+Office\s+Box|GPO\s+Box|Private\s+Bag|Locked\s+Bag)\s+\d{1,6}(?![\p{N}])/giu;

export function findAddresses(text: string): Found<"address">[] {
  const out: Found<"address">[] = [];
  for (const m of text.matchAll(ADDRESS)) {
    out.push({ kind: "address", start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(LOWER_ADDRESS))
    out.push({ kind: "address", start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(PARK_ADDRESS))
    out.push({ kind: "address", start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(PO_BOX))
    out.push({ kind: "address", start: m.index, end: m.index + m[0].length });
  return out;
}

// ---------------------------------------------------------------- phones

/**
 * National-format digits of service numbers that identify nobody: Australian 13/1300/1800/1900 numbers,
 * New Zealand 0800/0508/0900 numbers, and short codes such as 000, 111 and 1737.
 */
export function isServiceNumber(digits: string): boolean {
  if (digits.length <= 6) return true; // 000, 111, 1737, 13 11 14, 131 444 ...
  return /^(?:1300|1800|1900|13|0800|0508|0900|0500)/.test(digits);
}

/** Digits as dialled nationally: "+61 412 ..." → "0412...". */
export function nationalDigits(raw: string): string {
  let digits = raw.replace(/\D/g, "");
  const trimmed = raw.trim();
  if (trimmed.startsWith("+")) {
    // already international
  } else if (/^0011\s?-?6[14]/.test(trimmed)) digits = digits.slice(4);
  else if (/^00\s?-?6[14]/.test(trimmed)) digits = digits.slice(2);
  else return digits;
  if (digits.startsWith("61") || digits.startsWith("64")) return `0${digits.slice(2).replace(/^0/, "")}`;
  return digits;
}

/** A plausible Australian or New Zealand number, written nationally (leading 0). */
export function plausiblePhone(national: string): boolean {
  if (!/^0[2-9]/.test(national)) return false;
  if (isServiceNumber(national)) return false;
  const n = national.length;
  if (national.startsWith("02")) return n >= 9 && n <= 11; // AU 02 landlines (10), NZ 02x mobiles (9-11)
  if (national.startsWith("04")) return n === 10 || n === 9; // AU mobiles (10), NZ Wellington landlines (9)
  return n === 9 || n === 10; // NZ landlines (9), AU landlines (10)
}

// A loose pattern beside libphonenumber: it misses fictional ranges (0491 570 xxx) and some spacings.
const LOOSE_PHONE =
  /(?<![\p{L}\p{N}+/.])(?:(?:\+|0011[\s-]?|00[\s-]?)6[14][\s.-]?(?:\(0\)\s?)?|\(0\d{1,2}\)\s?|0)\d(?:[ .-]?\d){5,11}(?![\p{N}])/gu;

// Australian landlines written without the area code ("on 9876 5432", "the number for the house is 9555 1234"):
// only with a phone word shortly before ("on" must be right before it).
const LOCAL_LANDLINE =
  /(?:(?<=\b(?:call|ring|rang|phone|ph|tel|number|landline|contact|reach(?:ed)?|text)\b[^\d\n]{0,30})|(?<=\bon\s))(?<![\p{N}])[2-9]\d{3}[ -]?\d{4}(?![\p{N}])/giu;

export function findPhones(text: string): Found<"phone">[] {
  const out: Found<"phone">[] = [];
  const accept = (start: number, end: number): void => {
    const raw = text.slice(start, end);
    if (!plausiblePhone(nationalDigits(raw))) return;
    out.push({ kind: "phone", start, end });
  };
  for (const country of ["AU", "NZ"] as const) {
    for (const hit of findPhoneNumbersInText(text, country)) accept(hit.startsAt, hit.endsAt);
  }
  for (const m of text.matchAll(LOCAL_LANDLINE)) {
    if (!isServiceNumber(m[0].replace(/\D/g, "")))
      out.push({ kind: "phone", start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(LOOSE_PHONE)) {
    // Trim trailing digit groups until the number is plausible ("0412 345 678 2 times").
    let raw = m[0];
    while (raw.length > 0 && !plausiblePhone(nationalDigits(raw))) {
      const cut = raw.search(/[ .-]\d+$/);
      if (cut <= 0) {
        raw = "";
        break;
      }
      raw = raw.slice(0, cut);
    }
    if (raw) accept(m.index, m.index + raw.length);
  }
  return out;
}
