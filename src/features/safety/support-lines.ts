import ct from "countries-and-timezones";
import raw from "./content/support-lines.json" with { type: "json" };

/** One support line, as a member would use it. */
export interface SupportLine {
  readonly name: string;
  readonly phone?: string;
  readonly text?: string;
  readonly url?: string;
  readonly hours: string;
  readonly for: string;
  /** The page that gives this line's number and hours. */
  readonly source: string;
  /** When the source was last checked, YYYY-MM-DD. */
  readonly checked: string;
}

/** What we know about where a member is. Either may be missing or wrong. */
export interface LocationHint {
  /** An IANA time zone, e.g. "Pacific/Auckland". */
  readonly timeZone?: string;
  /** Free text the member gave, e.g. "Wide Bay" or "Tāmaki Makaurau". */
  readonly region?: string;
}

export interface SupportDirectory {
  /** ISO 3166 alpha-2, when known. */
  readonly country?: string;
  readonly countryName?: string;
  /** The emergency number for the country, when known. */
  readonly emergency?: string;
  /**
   * The lines we hold for the country: the full list for AU and NZ, a key line for a few others
   * (e.g. 988 in the US and Canada); empty otherwise. Emergency is NOT repeated in here.
   */
  readonly lines: readonly SupportLine[];
  /** Always present: the international directory (name, url). */
  readonly directory: { readonly name: string; readonly url: string };
  /**
   * Set when the country is unknown: the emergency numbers of the countries this network mostly
   * serves (AU 000, NZ 111), so a person still gets something useful.
   */
  readonly fallbackEmergency?: readonly { readonly countryName: string; readonly number: string }[];
}

// ---------------------------------------------------------------------------
// Data: read once, checked once, frozen.
// ---------------------------------------------------------------------------

interface CountryEntry {
  readonly code: string;
  readonly name: string;
  readonly emergency?: string;
  readonly lines: readonly SupportLine[];
}

interface SupportData {
  readonly directory: { readonly name: string; readonly url: string };
  readonly fallback: readonly { readonly countryName: string; readonly number: string }[];
  readonly countries: ReadonlyMap<string, CountryEntry>;
}

function fail(message: string): never {
  throw new Error(`support-lines.json: ${message}`);
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(`${where} is not an object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, where: string): string {
  if (typeof value !== "string" || value.trim() === "") fail(`${where} is not a non-empty string`);
  return value;
}

function optionalText(value: unknown, where: string): string | undefined {
  return value === undefined ? undefined : text(value, where);
}

function list(value: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(value)) fail(`${where} is not a list`);
  return value;
}

function sourced(entry: Record<string, unknown>, where: string): { source: string; checked: string } {
  const source = text(entry.source, `${where}.source`);
  if (!/^https?:\/\//.test(source)) fail(`${where}.source is not a URL`);
  const checked = text(entry.checked, `${where}.checked`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(checked)) fail(`${where}.checked is not YYYY-MM-DD`);
  return { source, checked };
}

function readLine(value: unknown, where: string): SupportLine {
  const entry = record(value, where);
  const phone = optionalText(entry.phone, `${where}.phone`);
  const sms = optionalText(entry.text, `${where}.text`);
  const url = optionalText(entry.url, `${where}.url`);
  if (phone === undefined && sms === undefined && url === undefined) fail(`${where} has no way to reach it`);
  return Object.freeze({
    name: text(entry.name, `${where}.name`),
    ...(phone === undefined ? {} : { phone }),
    ...(sms === undefined ? {} : { text: sms }),
    ...(url === undefined ? {} : { url }),
    hours: text(entry.hours, `${where}.hours`),
    for: text(entry.for, `${where}.for`),
    ...sourced(entry, where),
  });
}

function readData(value: unknown): SupportData {
  const file = record(value, "the file");
  const directoryEntry = record(file.directory, "directory");
  sourced(directoryEntry, "directory");
  const directory = Object.freeze({
    name: text(directoryEntry.name, "directory.name"),
    url: text(directoryEntry.url, "directory.url"),
  });

  const countries = new Map<string, CountryEntry>();
  for (const [index, item] of list(file.countries, "countries").entries()) {
    const entry = record(item, `countries[${index}]`);
    const code = text(entry.code, `countries[${index}].code`);
    if (!/^[A-Z]{2}$/.test(code)) fail(`countries[${index}].code is not ISO 3166 alpha-2`);
    if (countries.has(code)) fail(`${code} is listed twice`);
    let emergency: string | undefined;
    if (entry.emergency !== undefined) {
      const found = record(entry.emergency, `${code}.emergency`);
      sourced(found, `${code}.emergency`);
      emergency = text(found.number, `${code}.emergency.number`);
    }
    const lines = Object.freeze(
      list(entry.lines ?? [], `${code}.lines`).map((line, at) => readLine(line, `${code}.lines[${at}]`)),
    );
    countries.set(
      code,
      Object.freeze({
        code,
        name: text(entry.name, `${code}.name`),
        ...(emergency === undefined ? {} : { emergency }),
        lines,
      }),
    );
  }

  const fallback = Object.freeze(
    list(file.fallback, "fallback").map((item) => {
      const code = text(item, "fallback");
      const country = countries.get(code);
      if (country?.emergency === undefined) fail(`fallback country ${code} has no emergency number`);
      return Object.freeze({ countryName: country.name, number: country.emergency });
    }),
  );

  return { directory, fallback, countries };
}

const DATA = readData(raw);

// ---------------------------------------------------------------------------
// Where is the member? Time zone first, then the region they wrote.
// ---------------------------------------------------------------------------

/** The country of an IANA zone, or undefined when the zone is unknown or belongs to no country. */
function countryForZone(zone: string | undefined): string | undefined {
  const name = zone?.trim();
  if (!name) return undefined;
  for (const candidate of [name, canonicalZone(name)]) {
    if (candidate === undefined) continue;
    // Zones shared by several countries (Europe/London: GB, GG, IM, JE) give their main country.
    const id: string | undefined = ct.getCountryForTimezone(candidate)?.id;
    // Antarctica has no emergency service of its own; let the region decide instead.
    if (typeof id === "string" && /^[A-Z]{2}$/.test(id) && id !== "AQ") return id;
  }
  return undefined;
}

/** The zone as Intl spells it ("australia/sydney" → "Australia/Sydney"), or undefined if Intl rejects it. */
function canonicalZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * How strongly a phrase names a place. A country's full name beats its abbreviation, which beats
 * a state, region or city: "Perth, Scotland" is in Britain, "Canterbury, England" is not in New Zealand.
 */
const Strength = { CountryName: 3, CountryCode: 2, Place: 1 } as const;
type Strength = (typeof Strength)[keyof typeof Strength];

const PLACES: readonly (readonly [country: string, strength: Strength, phrases: readonly string[]])[] = [
  ["NZ", Strength.CountryName, ["new zealand", "aotearoa"]],
  ["NZ", Strength.CountryCode, ["nz"]],
  [
    "NZ",
    Strength.Place,
    [
      // Regions, with their Māori names (macrons are stripped before matching).
      "northland",
      "te tai tokerau",
      "auckland",
      "tamaki makaurau",
      "waikato",
      "bay of plenty",
      "te moana a toi",
      "gisborne",
      "tairawhiti",
      "hawkes bay",
      "te matau a maui",
      "taranaki",
      "manawatu whanganui",
      "manawatu",
      "whanganui",
      "wanganui",
      "wellington",
      "te whanganui a tara",
      "wairarapa",
      "tasman",
      "nelson",
      "whakatu",
      "marlborough",
      "west coast",
      "te tai poutini",
      "canterbury",
      "waitaha",
      "otago",
      "southland",
      "murihiku",
      "north island",
      "te ika a maui",
      "south island",
      "te waipounamu",
      "stewart island",
      "rakiura",
      "chatham islands",
      "wharekauri",
      "rekohu",
      // Cities and towns.
      "christchurch",
      "otautahi",
      "dunedin",
      "otepoti",
      "hamilton",
      "kirikiriroa",
      "tauranga",
      "rotorua",
      "napier",
      "palmerston north",
      "new plymouth",
      "invercargill",
      "queenstown",
      "whangarei",
      "blenheim",
      "timaru",
      "greymouth",
      "taupo",
      "porirua",
      "lower hutt",
      "upper hutt",
      "kapiti",
      "masterton",
      "coromandel",
    ],
  ],
  ["AU", Strength.CountryName, ["australia"]],
  ["AU", Strength.CountryCode, ["au", "aus"]],
  [
    "AU",
    Strength.Place,
    [
      // States and territories, with their abbreviations.
      "new south wales",
      "nsw",
      "queensland",
      "qld",
      "victoria",
      "vic",
      "tasmania",
      "tas",
      "western australia",
      "wa",
      "south australia",
      "sa",
      "northern territory",
      "nt",
      "australian capital territory",
      "act",
      "jervis bay",
      // Regions.
      "wide bay",
      "wide bay burnett",
      "pilbara",
      "kimberley",
      "gippsland",
      "riverina",
      "hunter",
      "hunter valley",
      "illawarra",
      "central coast",
      "gold coast",
      "sunshine coast",
      "northern rivers",
      "mid north coast",
      "far north queensland",
      "fnq",
      "blue mountains",
      "mornington peninsula",
      "barossa",
      "wheatbelt",
      "goldfields",
      "lord howe",
      "lord howe island",
      // Cities and towns.
      "sydney",
      "melbourne",
      "brisbane",
      "perth",
      "adelaide",
      "hobart",
      "darwin",
      "canberra",
      "cairns",
      "townsville",
      "newcastle",
      "wollongong",
      "geelong",
      "ballarat",
      "bendigo",
      "toowoomba",
      "launceston",
      "mackay",
      "rockhampton",
      "bundaberg",
      "hervey bay",
      "alice springs",
      "kalgoorlie",
      "broome",
      "karratha",
      "port hedland",
      "mildura",
      "shepparton",
      "wagga wagga",
      "dubbo",
      "lismore",
      "coffs harbour",
      "port macquarie",
      "albury",
      "wodonga",
      "mount isa",
    ],
  ],
  // Other countries we hold numbers for. Naming them also stops "Perth, Scotland" or
  // "Victoria, Canada" from being read as Australia.
  [
    "GB",
    Strength.CountryName,
    ["united kingdom", "great britain", "britain", "england", "scotland", "wales", "northern ireland"],
  ],
  ["GB", Strength.CountryCode, ["uk"]],
  ["IE", Strength.CountryName, ["ireland", "republic of ireland", "eire"]],
  ["US", Strength.CountryName, ["united states", "united states of america"]],
  ["US", Strength.CountryCode, ["usa"]],
  ["CA", Strength.CountryName, ["canada"]],
  ["SG", Strength.CountryName, ["singapore"]],
  ["JP", Strength.CountryName, ["japan"]],
  ["PH", Strength.CountryName, ["philippines"]],
  ["HK", Strength.CountryName, ["hong kong"]],
  ["MY", Strength.CountryName, ["malaysia"]],
  ["DE", Strength.CountryName, ["germany", "deutschland"]],
  ["FR", Strength.CountryName, ["france"]],
  ["NL", Strength.CountryName, ["netherlands", "holland"]],
  ["ES", Strength.CountryName, ["spain", "espana"]],
  ["IT", Strength.CountryName, ["italy", "italia"]],
];

/** Lower case, no macrons or other accents, no apostrophes, words split on anything else. */
function words(value: string): string[] {
  return value
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/['\u2018\u2019\u02BC`]/g, "")
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "");
}

interface Phrase {
  readonly words: readonly string[];
  readonly country: string;
  readonly strength: Strength;
}

/** Longest phrases first, so "new south wales" is read before "wales" and "western australia" before "australia". */
const PHRASES: readonly Phrase[] = PLACES.flatMap(([country, strength, phrases]) =>
  phrases.map((phrase) => ({ words: words(phrase), country, strength })),
).sort((a, b) => b.words.length - a.words.length);

function countryForRegion(region: string | undefined): string | undefined {
  if (!region) return undefined;
  const tokens = words(region);
  const found: Phrase[] = [];
  let at = 0;
  while (at < tokens.length) {
    const match = PHRASES.find((phrase) =>
      phrase.words.every((word, offset) => tokens[at + offset] === word),
    );
    if (match) {
      found.push(match);
      at += match.words.length;
    } else {
      at += 1;
    }
  }
  if (found.length === 0) return undefined;
  const strongest = Math.max(...found.map((phrase) => phrase.strength));
  const countries = new Set(
    found.filter((phrase) => phrase.strength === strongest).map((phrase) => phrase.country),
  );
  // "Sydney or Auckland" names two places equally strongly: better to say we don't know.
  return countries.size === 1 ? [...countries][0] : undefined;
}

/**
 * The ISO 3166 alpha-2 country a member is most likely in. The time zone decides when it maps to a
 * country; otherwise the free-text region is read for New Zealand and Australian places (and the names
 * of the other countries we hold numbers for). Undefined when neither tells. Never throws.
 */
export function countryFor(hint: LocationHint): string | undefined {
  return countryForZone(hint.timeZone) ?? countryForRegion(hint.region);
}

// ---------------------------------------------------------------------------
// The directory and its plain-text form.
// ---------------------------------------------------------------------------

export function supportDirectory(hint: LocationHint): SupportDirectory {
  const code = countryFor(hint);
  if (code === undefined) {
    return { lines: [], directory: DATA.directory, fallbackEmergency: DATA.fallback };
  }
  const entry = DATA.countries.get(code);
  const countryName = entry?.name ?? ct.getCountry(code)?.name;
  return {
    country: code,
    ...(countryName === undefined ? {} : { countryName }),
    ...(entry?.emergency === undefined ? {} : { emergency: entry.emergency }),
    lines: entry?.lines ?? [],
    directory: DATA.directory,
  };
}

function howToReach(line: SupportLine): string {
  if (line.phone !== undefined && line.text === line.phone) return `call or text ${line.phone}`;
  if (line.phone !== undefined && line.text !== undefined) return `${line.phone}, or text ${line.text}`;
  if (line.phone !== undefined) return line.phone;
  if (line.text !== undefined) return `text ${line.text}`;
  return line.url ?? "";
}

function emergencyLine(directory: SupportDirectory): string {
  if (directory.emergency !== undefined) return `• In an emergency: ${directory.emergency}`;
  if (directory.fallbackEmergency !== undefined && directory.fallbackEmergency.length > 0) {
    const known = directory.fallbackEmergency.map((entry) => `${entry.number} in ${entry.countryName}`);
    return `• In an emergency: ${[...known, "or your local emergency number"].join(", ")}`;
  }
  return "• In an emergency: call your local emergency number";
}

/**
 * Plain-text bullet lines, one per line: the emergency number first, then each support line
 * ("• Lifeline: 13 11 14, or text 0477 13 11 14 (24/7) — …"), then the international directory.
 * With `limit`, only the first lines (the data file lists them in the order they matter most); with
 * `emergency: false`, no emergency number (for a reply that offers lines as an option, not an alarm).
 */
export function formatLines(
  directory: SupportDirectory,
  options: { limit?: number; emergency?: boolean } = {},
): string {
  return [
    ...(options.emergency === false ? [] : [emergencyLine(directory)]),
    ...directory.lines
      .slice(0, options.limit ?? directory.lines.length)
      .map((line) => `• ${line.name}: ${howToReach(line)} (${line.hours}) — ${line.for}`),
    `• Somewhere else? ${directory.directory.name} lists services worldwide: ${directory.directory.url}`,
  ].join("\n");
}
