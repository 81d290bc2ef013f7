/**
 * Word lists for the name finder: which capitalised words are not personal names (places, services,
 * trainings, calendar words, cultural terms, brands and shows, public figures, openings of organisation
 * names), which first names to recognise in lower-case writing, and which names are also ordinary words.
 * Built once at module load.
 */
import nlp from "compromise";
import lexiconJson from "./content/identifying-lexicon.json" with { type: "json" };
import namesJson from "./content/names-first.json" with { type: "json" };

export type BlockCategory = "place" | "organisation" | "training" | "calendar" | "word" | "figure";

function lowerAll(list: readonly string[]): string[] {
  return list.map((w) => w.normalize("NFC").toLowerCase());
}

/** Single-word entries by category, and multi-word phrases (as token arrays) by first token. */
const singleBlock = new Map<string, BlockCategory>();
const phraseBlock = new Map<string, { tokens: string[]; category: BlockCategory }[]>();

function addBlock(list: readonly string[], category: BlockCategory): void {
  for (const entry of lowerAll(list)) {
    const tokens = entry.split(/\s+/).filter(Boolean);
    if (tokens.length === 0) continue;
    if (tokens.length === 1) {
      const only = tokens[0] ?? "";
      // Keep the first category seen: places before words, so "Hunter" stays a place.
      if (!singleBlock.has(only)) singleBlock.set(only, category);
      continue;
    }
    const first = tokens[0] ?? "";
    const bucket = phraseBlock.get(first) ?? [];
    bucket.push({ tokens, category });
    phraseBlock.set(first, bucket);
  }
}
addBlock(lexiconJson.organisations, "organisation");
addBlock(lexiconJson.trainings, "training");
addBlock(lexiconJson.places, "place");
addBlock(lexiconJson.calendar, "calendar");
addBlock(lexiconJson.words, "word");

export function blockCategory(lower: string): BlockCategory | undefined {
  return singleBlock.get(lower);
}

/** Multi-word non-name phrases starting with this lower-case token, longest first. */
export function phrasesStartingWith(lower: string): readonly { tokens: string[]; category: BlockCategory }[] {
  return phraseBlock.get(lower) ?? [];
}

/** Openings of organisation names, as token arrays ("Te Puna …", "Te Whare …"): the capitalised words after them belong to the name. */
export const ORG_OPENERS: readonly (readonly string[])[] = lowerAll(lexiconJson.orgOpeners).map((o) =>
  o.split(/\s+/u).filter(Boolean),
);
export const ORG_SUFFIXES: ReadonlySet<string> = new Set(lowerAll(lexiconJson.orgSuffixes));
export const LOWER_ORG_NOUNS: ReadonlySet<string> = new Set(lowerAll(lexiconJson.lowerOrgNouns));

/** Names that are also ordinary English or te reo Māori words: need a context cue. */
export const WORD_NAMES: ReadonlySet<string> = new Set(lowerAll(lexiconJson.wordNames));

const ownFirstNames = new Set<string>();
for (const [key, value] of Object.entries(namesJson)) {
  if (key.startsWith("_") || !Array.isArray(value)) continue;
  for (const name of lowerAll(value as string[])) ownFirstNames.add(name);
}

// compromise's own lexicon: about 3,000 first names and many ordinary English words.
const compromiseLexicon = (
  nlp as unknown as { model(): { one: { lexicon: Record<string, string | string[]> } } }
).model().one.lexicon;
const NAME_TAGS = new Set(["FemaleName", "MaleName", "FirstName"]);
const PERSON_TAGS = new Set(["Person", "LastName"]);
const PLACE_TAGS = new Set([
  "City",
  "Country",
  "Place",
  "Region",
  "Organization",
  "SportsTeam",
  "Demonym",
  "Currency",
]);

function lexTags(lower: string): readonly string[] {
  const v = Object.hasOwn(compromiseLexicon, lower) ? compromiseLexicon[lower] : undefined;
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** A first name we know (our list or compromise's). */
export function isKnownFirstName(lower: string): boolean {
  if (ownFirstNames.has(lower)) return true;
  return lexTags(lower).some((t) => NAME_TAGS.has(t));
}

// Shops, products, TV shows and games ("Dan Murphy's", "Tim Tams", "Bluey"): never a person here. A shop
// named as a first name's possessive ("Macca's") reads like someone's place, so it needs a person cue.
const possessiveOfName = (b: string): boolean => /^[^\s]+['’]s$/u.test(b) && isKnownFirstName(b.slice(0, -2));
addBlock(
  lexiconJson.brands.filter((b) => !possessiveOfName(b)),
  "organisation",
);
addBlock(lexiconJson.brands.filter(possessiveOfName), "word");
// Public figures in passing: full names are not someone supported; a single name ("Jacinda") still can
// be, so it is read like a name that is also a word and needs a person cue ("her daughter Jacinda").
addBlock(
  lexiconJson.publicFigures.filter((f) => f.includes(" ")),
  "figure",
);
addBlock(
  lexiconJson.publicFigures.filter((f) => !f.includes(" ")),
  "word",
);
for (const bucket of phraseBlock.values()) bucket.sort((a, b) => b.tokens.length - a.tokens.length);

/** In our own first-name list (used for lower-case writing, where compromise's list is too broad). */
export function isListedFirstName(lower: string): boolean {
  return ownFirstNames.has(lower);
}

/** compromise knows it as a surname or a (famous) person. */
export function isKnownPersonWord(lower: string): boolean {
  return lexTags(lower).some((t) => PERSON_TAGS.has(t));
}

/** compromise knows it as a place, organisation, team or demonym. */
export function isLexiconPlaceOrOrg(lower: string): boolean {
  return lexTags(lower).some((t) => PLACE_TAGS.has(t));
}

/** An ordinary English word in compromise's lexicon (not a name, place or organisation). */
export function isEnglishWord(lower: string): boolean {
  const tags = lexTags(lower);
  if (tags.length === 0) return false;
  return !tags.some((t) => NAME_TAGS.has(t) || PERSON_TAGS.has(t) || PLACE_TAGS.has(t));
}

/** Singular forms to try when looking a plural up ("Elders" → "elder", "Aunties" → "auntie"). */
export function singulars(lower: string): string[] {
  const out: string[] = [];
  if (lower.endsWith("ies")) out.push(`${lower.slice(0, -3)}y`, `${lower.slice(0, -1)}`);
  if (lower.endsWith("es")) out.push(lower.slice(0, -2));
  if (lower.endsWith("s") && !lower.endsWith("ss")) out.push(lower.slice(0, -1));
  return out;
}
