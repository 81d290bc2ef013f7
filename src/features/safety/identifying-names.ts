/**
 * Finds personal names in a diary entry: compromise's person detection combined with our own rules
 * (titles, possessives, "named/called X", capitalised words that are not ordinary words, places, services,
 * trainings or calendar words, and a first-name list for casual lower-case writing).
 *
 * Initials ("J.", "JW", "K.M.") are what the guard recommends, so they are never flagged.
 */
import nlp from "compromise";
import {
  type BlockCategory,
  LOWER_ORG_NOUNS,
  ORG_SUFFIXES,
  WORD_NAMES,
  blockCategory,
  isEnglishWord,
  isKnownFirstName,
  isKnownPersonWord,
  isLexiconPlaceOrOrg,
  isListedFirstName,
  phrasesStartingWith,
  singulars,
} from "./identifying-lexicon.js";

export interface Span {
  readonly start: number;
  readonly end: number;
}

interface Tok {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Lower-case, NFC. */
  readonly lower: string;
  /** Lower-case without a possessive "'s". */
  readonly base: string;
  readonly poss: boolean;
  /** Starts with a capital and has lower-case letters ("Tama", "McAllister", not "NDIS"). */
  readonly cap: boolean;
  /** Two or more letters, all capitals ("JW", "NDIS"): initials or acronyms. */
  readonly allCaps: boolean;
  readonly initial: boolean;
  /** Inside a run of capitals ("TANIA RANG AGAIN"): read like lower-case writing. */
  shout: boolean;
  /** Text between the previous token and this one. */
  readonly gap: string;
  tags: ReadonlySet<string>;
  inPerson: boolean;
  block: BlockCategory | "run" | "modifier" | "determiner" | "locative" | undefined;
  own: boolean;
  name: boolean;
}

const TOKEN = /[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*/gu;

const TITLES = new Set([
  "mr",
  "mrs",
  "ms",
  "miss",
  "mx",
  "dr",
  "prof",
  "professor",
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
  "fr",
  "pastor",
  "rev",
  "reverend",
  "coach",
  "sir",
  "dame",
  "judge",
  "constable",
  "sergeant",
  "sgt",
]);
/** Titles used in lower case in casual writing ("uncle bob", "aunty pat"). */
const CASUAL_TITLES = new Set([
  "aunty",
  "auntie",
  "aunt",
  "uncle",
  "nana",
  "nanna",
  "koro",
  "kuia",
  "whaea",
  "matua",
]);

/** Words right before a name that say "a name follows". */
const NAMING_WORDS = new Set(["named", "nicknamed", "called", "dubbed", "renamed"]);
const NOT_AFTER_CALLED = new Set([
  "me",
  "us",
  "him",
  "her",
  "them",
  "it",
  "you",
  "the",
  "a",
  "an",
  "back",
  "out",
  "in",
  "up",
  "off",
  "to",
  "for",
  "at",
  "on",
  "by",
  "and",
  "or",
  "this",
  "that",
  "my",
  "his",
  "their",
  "our",
  "your",
  "again",
  "twice",
  "ahead",
  "around",
  "over",
  "triple",
  "emergency",
  "police",
  "security",
  "lifeline",
  "someone",
  "somebody",
  "everyone",
  "nobody",
  "anyone",
  "mum",
  "dad",
]);

/** Words before a name that make a person likely ("sat with Tama", "rang Sione"). */
const PERSON_BEFORE = new Set([
  "with",
  "told",
  "tell",
  "tells",
  "asked",
  "ask",
  "asks",
  "rang",
  "ring",
  "rings",
  "phoned",
  "texted",
  "text",
  "texts",
  "messaged",
  "emailed",
  "called",
  "call",
  "saw",
  "see",
  "sees",
  "met",
  "meet",
  "meets",
  "visited",
  "visit",
  "visits",
  "took",
  "take",
  "takes",
  "drove",
  "picked",
  "helped",
  "help",
  "helps",
  "supported",
  "supporting",
  "gave",
  "give",
  "gives",
  "for",
  "thanked",
  "hugged",
  "collected",
  "joined",
  "invited",
  "reminded",
  "remind",
  "introduced",
  "encouraged",
  "greeted",
  "beside",
  "alongside",
  "miss",
  "missed",
  "love",
  "loves",
  "warned",
  "believe",
  "believed",
  "trust",
  "trusted",
  "congratulated",
  "comforted",
  "reassured",
  "checked",
  "sat",
  "walked",
  "accompanied",
]);
/** Verbs of speaking that make a following "to X" a person ("explained to Kiri"). */
const SPEAKING_VERBS = new Set([
  "explain",
  "explained",
  "spoke",
  "speak",
  "talk",
  "talked",
  "talking",
  "said",
  "say",
  "wrote",
  "write",
  "listen",
  "listened",
  "listening",
  "sent",
  "send",
  "reached",
  "chatted",
  "chat",
  "lied",
  "apologised",
  "apologized",
  "mentioned",
  "gave",
  "handed",
  "passed",
  "introduced",
  "referred",
  "read",
  "sang",
  "waved",
  "replied",
  "responded",
  "over",
]);
/** Verbs after a name that make a person likely ("Sione said", "Macca turned up"). */
const PERSON_AFTER = new Set([
  "said",
  "says",
  "told",
  "tells",
  "asked",
  "asks",
  "rang",
  "rings",
  "phoned",
  "texted",
  "texts",
  "messaged",
  "emailed",
  "reckons",
  "reckoned",
  "wants",
  "wanted",
  "turned",
  "came",
  "comes",
  "cried",
  "laughed",
  "smiled",
  "seemed",
  "seems",
  "looked",
  "spoke",
  "talked",
  "mentioned",
  "shared",
  "disclosed",
  "admitted",
  "agreed",
  "refused",
  "arrived",
  "showed",
  "brought",
  "wore",
  "introduced",
  "explained",
  "shouted",
  "yelled",
  "hugged",
  "thanked",
  "apologised",
  "apologized",
  "sounded",
  "sang",
  "didn't",
  "doesn't",
  "wasn't",
  "isn't",
  "hasn't",
  "won't",
  "can't",
  "couldn't",
  "wouldn't",
  "feels",
  "thinks",
  "thought",
  "knows",
  "knew",
  "decided",
  "chose",
  "slept",
  "stayed",
  "signs",
  "signed",
  "needs",
  "needed",
  "likes",
  "loves",
  "hates",
  "tried",
  "tries",
  "lives",
  "lived",
  "moved",
  "called",
  "calls",
  "reviewed",
  "wrote",
  "drew",
  "joined",
  "kept",
  "opened",
  "seems",
  "skipped",
  "missed",
  "relapsed",
  "disclosed",
  "whispered",
  "admitted",
  "cancelled",
  "rescheduled",
  "led",
]);
/** Lower-case names are also accepted before these (they are too broad for capitalised unknown words). */
const PERSON_AFTER_LOOSE = new Set([
  "is",
  "was",
  "has",
  "had",
  "and",
  "will",
  "would",
  "got",
  "gets",
  "went",
  "goes",
]);
const AND_PERSON = new Set(["i", "me", "his", "her", "their", "my", "myself"]);
const FROM_PERSON = new Set(["the", "our", "my", "his", "her", "their"]);

/** Nouns after a possessive that make it a person's ("Tama's mum"), or after which a name stands in apposition ("her nan, Ivy"). */
const PERSON_NOUNS = new Set([
  "mum",
  "mam",
  "mom",
  "mother",
  "dad",
  "father",
  "sister",
  "sisters",
  "brother",
  "brothers",
  "cousin",
  "cousins",
  "aunty",
  "auntie",
  "aunt",
  "uncle",
  "nan",
  "nana",
  "nanna",
  "koro",
  "kuia",
  "grandmother",
  "grandfather",
  "grandma",
  "grandpa",
  "grandson",
  "granddaughter",
  "grandkids",
  "son",
  "sons",
  "daughter",
  "daughters",
  "partner",
  "wife",
  "husband",
  "girlfriend",
  "boyfriend",
  "ex",
  "kids",
  "children",
  "child",
  "baby",
  "bub",
  "whānau",
  "whanau",
  "family",
  "friend",
  "friends",
  "mate",
  "mates",
  "housemate",
  "flatmate",
  "roommate",
  "carer",
  "foster",
  "caseworker",
  "case",
  "worker",
  "youth",
  "key",
  "support",
  "psych",
  "psychiatrist",
  "psychologist",
  "gp",
  "doctor",
  "nurse",
  "lawyer",
  "probation",
  "parole",
  "landlord",
  "neighbour",
  "neighbours",
  "teacher",
  "counsellor",
  "name",
  "number",
  "phone",
  "mobile",
  "place",
  "house",
  "flat",
  "birthday",
  "file",
  "plan",
  "appointment",
  "court",
  "story",
  "meds",
  "medication",
  "diagnosis",
  "car",
  "dog",
  "cat",
  "tribunal",
  "own",
  "coach",
  "manager",
  "advocate",
  "stepdad",
  "stepmum",
  "stepson",
  "stepdaughter",
  "nephew",
  "niece",
  "twin",
  "bestie",
  "colleague",
  "supervisor",
  "resident",
  "client",
  "participant",
  "consumer",
]);

/** Prepositions after which an unknown capitalised word is a place or organisation ("in Onehunga", "on Seek"). */
const LOCATIVE = new Set([
  "in",
  "at",
  "on",
  "near",
  "around",
  "across",
  "outside",
  "via",
  "through",
  "towards",
  "toward",
  "into",
  "from",
  "to",
  "of",
  "down",
  "up",
  "past",
  "between",
]);
const DETERMINERS = new Set(["the", "a", "an", "this", "that", "our", "these", "those"]);
/** Name particles written in lower case inside a full name ("Ludwig van Beethoven"). */
const PARTICLES = new Set([
  "van",
  "von",
  "de",
  "der",
  "den",
  "da",
  "di",
  "du",
  "dos",
  "bin",
  "binti",
  "ter",
  "ten",
  "la",
  "le",
]);
/** compromise tags that mean "not a name" for a capitalised token. */
const NON_NAME_TAGS = [
  "Verb",
  "Adverb",
  "Adjective",
  "Preposition",
  "Conjunction",
  "Determiner",
  "Pronoun",
  "Value",
  "Date",
  "Month",
  "WeekDay",
  "Holiday",
  "QuestionWord",
  "Expression",
  "Place",
  "City",
  "Country",
  "Region",
  "Organization",
  "Demonym",
  "Url",
  "Email",
  "Emoji",
  "Acronym",
];
const PLACE_ORG_TAGS = [
  "Place",
  "City",
  "Country",
  "Region",
  "Organization",
  "Demonym",
  "Month",
  "WeekDay",
  "Holiday",
];
const ENGLISH_SUFFIX =
  /(?:tion|sion|ment|ness|ity|ing|ed|ly|ful|ous|ive|able|ible|ism|ist|ship|hood|ance|ence|ical|ology|ward|wards|less|ise|ize|ising|ised)$/u;

const SENTENCE_END = /[.!?:;…\n]/u;
const SKIP_BACK = /[\s"'“”‘’([{*•–—-]/u;

function isSentenceInitial(text: string, start: number, prev: Tok | undefined): boolean {
  let i = start - 1;
  while (i >= 0 && SKIP_BACK.test(text[i] ?? "")) {
    if (text[i] === "\n") return true;
    i--;
  }
  if (i < 0) return true;
  const ch = text[i] ?? "";
  if (!SENTENCE_END.test(ch)) return false;
  // "Dr. Singh", "S. said": a full stop after a title or an initial does not end a sentence.
  if (ch === "." && prev && prev.end === i && (TITLES.has(prev.lower) || prev.text.length === 1))
    return false;
  return true;
}

function tokenize(text: string, claimed: readonly Span[]): Tok[] {
  const toks: Tok[] = [];
  let lastEnd = 0;
  for (const m of text.matchAll(TOKEN)) {
    const start = m.index;
    const end = start + m[0].length;
    if (claimed.some((c) => start < c.end && end > c.start)) continue;
    const raw = m[0];
    const lower = raw.normalize("NFC").toLowerCase();
    const poss = /['’]s$/u.test(lower) && lower.length > 3;
    const base = poss ? lower.slice(0, -2) : lower;
    const letters = raw.replace(/[^\p{L}]/gu, "");
    const first = raw[0] ?? "";
    const hasLower = /\p{Ll}/u.test(letters);
    const firstUpper = first !== first.toLowerCase();
    const prev = toks[toks.length - 1];
    toks.push({
      text: raw,
      start,
      end,
      lower,
      base,
      poss,
      cap: firstUpper && hasLower,
      allCaps: letters.length >= 2 && !hasLower,
      initial: isSentenceInitial(text, start, prev),
      shout: false,
      gap: text.slice(lastEnd, start),
      tags: new Set(),
      inPerson: false,
      block: undefined,
      own: false,
      name: false,
    });
    lastEnd = end;
  }
  // Shouting: three or more all-capital words in a row are read like lower-case writing.
  for (let i = 0; i < toks.length; i++) {
    let j = i;
    while (j < toks.length && toks[j]?.allCaps) j++;
    if (j - i >= 3) {
      for (const t of toks.slice(i, j)) t.shout = true;
    }
    i = j;
  }
  return toks;
}

interface CompromiseTerm {
  readonly text: string;
  readonly tags: ReadonlySet<string>;
  readonly id: string;
}
interface CompromiseView {
  readonly docs: readonly (readonly CompromiseTerm[])[];
  people(): CompromiseView;
}

/** Attach compromise's tags and person detection to our tokens (matched by position in the text). */
function annotate(text: string, toks: Tok[]): void {
  if (toks.length === 0) return;
  const doc = nlp(text) as unknown as CompromiseView;
  const personIds = new Set<string>();
  for (const sentence of doc.people().docs) for (const term of sentence) personIds.add(term.id);
  let cursor = 0;
  let t = 0;
  for (const sentence of doc.docs) {
    for (const term of sentence) {
      if (!term.text) continue;
      const at = text.indexOf(term.text, cursor);
      if (at < 0) continue;
      const end = at + term.text.length;
      cursor = end;
      while (t < toks.length && (toks[t]?.end ?? 0) <= at) t++;
      for (let k = t; k < toks.length; k++) {
        const tok = toks[k];
        if (!tok || tok.start >= end) break;
        tok.tags = term.tags;
        if (personIds.has(term.id)) tok.inPerson = true;
      }
    }
  }
}

function hasAny(tags: ReadonlySet<string>, list: readonly string[]): boolean {
  return list.some((t) => tags.has(t));
}

/** Separated from the previous token by spaces only (no punctuation, no line break). */
function tight(tok: Tok | undefined): boolean {
  return tok !== undefined && /^[ \t]+$/u.test(tok.gap);
}

function isTitle(tok: Tok | undefined): boolean {
  if (!tok) return false;
  if (!TITLES.has(tok.base)) return false;
  return tok.cap || CASUAL_TITLES.has(tok.base) || ["mr", "mrs", "ms", "dr"].includes(tok.base);
}

/** Gap after a title: "Dr Singh", "Dr. Singh". */
function titleGap(tok: Tok): boolean {
  return /^\.?[ \t]+$/u.test(tok.gap);
}

function knownFirst(base: string): boolean {
  if (isKnownFirstName(base)) return true;
  const parts = base.split(/[-']/u);
  return parts.length > 1 && parts.every((p) => isKnownFirstName(p) || p.length <= 1);
}

function looksEnglish(tok: Tok): boolean {
  const b = tok.base;
  if (isEnglishWord(b)) return true;
  if (singulars(b).some((s) => isEnglishWord(s) || blockCategory(s) !== undefined)) return true;
  if (knownFirst(b)) return false;
  return ENGLISH_SUFFIX.test(b) || singulars(b).some((s) => ENGLISH_SUFFIX.test(s));
}

/** Mark tokens that are part of non-name phrases, organisation names and place/service modifiers. */
function blockTokens(toks: Tok[]): void {
  // Multi-word phrases from the lexicon ("Te Whatu Ora", "Alice Springs", "Mental Health First Aid").
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i];
    if (!tok) continue;
    for (const phrase of phrasesStartingWith(tok.lower)) {
      const n = phrase.tokens.length;
      let ok = i + n <= toks.length;
      for (let k = 1; ok && k < n; k++) {
        const t = toks[i + k];
        const want = phrase.tokens[k] ?? "";
        ok =
          t !== undefined &&
          /^[ \t,]+$/u.test(t.gap) &&
          (t.lower === want || (k === n - 1 && t.base === want));
      }
      if (ok) {
        for (let k = 0; k < n; k++) {
          const t = toks[i + k];
          if (t) t.block = phrase.category;
        }
        i += n - 1;
        break;
      }
    }
  }
  for (const tok of toks) {
    if (tok.block) continue;
    const single = blockCategory(tok.base) ?? blockCategory(tok.lower);
    if (single) tok.block = single;
  }
  // Runs of capitalised words ending in an organisation word: "Black Dog Institute", "Banksia House".
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i];
    if (!tok?.cap || !ORG_SUFFIXES.has(tok.base)) continue;
    if (i === 0) continue;
    let j = i - 1;
    let startRun = i;
    while (j >= 0) {
      const t = toks[j];
      const next = toks[j + 1];
      if (!t || !tight(next)) break;
      if (t.cap || t.allCaps) {
        if (isTitle(t)) break;
        startRun = j;
        j--;
        continue;
      }
      if (["of", "and", "for", "de", "in", "on"].includes(t.lower) && toks[j - 1]?.cap) {
        j--;
        continue;
      }
      break;
    }
    if (startRun < i && !isTitle(toks[startRun - 1])) {
      for (let k = startRun; k <= i; k++) {
        const t = toks[k];
        if (t && t.block === undefined) t.block = "run";
      }
    }
  }
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i];
    if (!tok || tok.block || !tok.cap) continue;
    const next = toks[i + 1];
    const prev = toks[i - 1];
    // "the Whanganui clinic", "Sydney traffic", "Kmart vouchers": a modifier of a place or service noun.
    if (!tok.poss && next && tight(next) && !next.cap && LOWER_ORG_NOUNS.has(next.lower)) {
      let k = i;
      while (k >= 0) {
        const t = toks[k];
        if (!t?.cap || t.block) break;
        t.block = "modifier";
        if (!tight(t)) break;
        k--;
      }
      continue;
    }
    // "the Kimberley", "a Māori peer worker", "the Stolen Generations", "the Royal Flying Doctor Service".
    if (prev && !prev.cap && DETERMINERS.has(prev.lower) && tight(tok)) {
      for (let k = i; k < toks.length; k++) {
        const t = toks[k];
        if (!t?.cap || (k > i && !tight(t))) break;
        if (t.block === undefined) t.block = "determiner";
        if (t.poss) break;
      }
    }
  }
}

function prevWord(toks: readonly Tok[], i: number): Tok | undefined {
  const tok = toks[i];
  const prev = toks[i - 1];
  if (!tok || !prev) return undefined;
  return /^[ \t]+$/u.test(tok.gap) ? prev : undefined;
}

function nextWord(toks: readonly Tok[], i: number): Tok | undefined {
  const next = toks[i + 1];
  return next && /^[ \t]+$/u.test(next.gap) ? next : undefined;
}

/** "named Kai", "called Jaxon", "known as Niks", "introduced herself as Mele", "uncle bob", "Mrs Patel". */
function strongCue(toks: readonly Tok[], i: number): boolean {
  const tok = toks[i];
  if (!tok) return false;
  const prev = toks[i - 1];
  if (prev && isTitle(prev) && titleGap(tok)) return true;
  const p = prevWord(toks, i);
  if (!p) return false;
  if (NAMING_WORDS.has(p.lower) && !NOT_AFTER_CALLED.has(tok.lower)) return true;
  const pp = prevWord(toks, i - 1);
  if (
    p.lower === "as" &&
    pp &&
    ["known", "herself", "himself", "themselves", "themself", "goes"].includes(pp.lower)
  )
    return true;
  if (p.lower === "by" && pp?.lower === "goes") return true;
  if (p.lower === "is" && pp?.lower === "name") return true;
  if (p.lower === "name's") return true;
  return false;
}

function personNounBefore(toks: readonly Tok[], i: number): boolean {
  const tok = toks[i];
  const prev = toks[i - 1];
  if (!tok || !prev) return false;
  // "her daughter Isla", "his partner Chloe", "her nan, Ivy", "The young person's mum, Tracey,".
  if (!/^[ \t]*,?[ \t]*$/u.test(tok.gap)) return false;
  if (!PERSON_NOUNS.has(prev.base) || prev.cap) return false;
  return ![
    "name",
    "number",
    "phone",
    "mobile",
    "place",
    "house",
    "flat",
    "file",
    "plan",
    "car",
    "own",
  ].includes(prev.base);
}

/** Prepositions in PERSON_BEFORE that are too weak for names that are also months or words ("for May"). */
const WEAK_BEFORE = new Set([
  "for",
  "love",
  "miss",
  "trust",
  "believe",
  "see",
  "take",
  "give",
  "help",
  "support",
]);

/** "Hone and Ana": a known first name on the other side of "and". */
function coordinatedWithName(other: Tok | undefined): boolean {
  if (!other || other.own) return false;
  if (other.name) return true;
  if (!other.cap || (other.block && other.block !== "word")) return false;
  return knownFirst(other.base);
}

/** Context before the token that suggests a person. */
function cueBefore(toks: readonly Tok[], i: number, loose: boolean, weakOk = true): boolean {
  const p = prevWord(toks, i);
  if (personNounBefore(toks, i)) return true;
  if (!p) return false;
  if (PERSON_BEFORE.has(p.lower) && (weakOk || !WEAK_BEFORE.has(p.lower))) return true;
  if (p.lower === "and" && tight(toks[i - 1]) && coordinatedWithName(toks[i - 2])) return true;
  if (p.lower === "to") {
    const pp = prevWord(toks, i - 1);
    if (pp && SPEAKING_VERBS.has(pp.lower)) return true;
    if (pp && (pp.lower === "out" || pp.lower === "back") && SPEAKING_VERBS.has(toks[i - 3]?.lower ?? ""))
      return true;
  }
  if (loose && ["from", "and", "to", "about", "at", "by"].includes(p.lower)) return true;
  return false;
}

/** Context after the token that suggests a person. */
function cueAfter(toks: readonly Tok[], i: number, loose: boolean): boolean {
  const tok = toks[i];
  if (!tok) return false;
  const n = nextWord(toks, i);
  if (tok.poss) return n !== undefined && !n.cap && PERSON_NOUNS.has(n.base);
  if (!n) return false;
  if (PERSON_AFTER.has(n.lower)) return true;
  // "Jun Park asked": the cue after a two-word name.
  if (
    n.cap &&
    !n.poss &&
    (n.block === undefined || n.block === "word") &&
    PERSON_AFTER.has(nextWord(toks, i + 1)?.lower ?? "")
  )
    return true;
  if (loose && PERSON_AFTER_LOOSE.has(n.lower)) {
    if (n.lower !== "and") return true;
  }
  const nn = nextWord(toks, i + 1);
  if (n.lower === "and" && nn && AND_PERSON.has(nn.lower)) return true;
  if (n.lower === "and" && nn && !nn.poss && coordinatedWithName(nn) && knownFirst(tok.base)) return true;
  if (n.lower === "from" && nn && FROM_PERSON.has(nn.lower)) return true;
  if (n.lower === "turned" || (n.lower === "came" && nn?.lower === "back")) return true;
  return false;
}

/** A capitalised word that could be a surname following a first name. */
function surnameLike(tok: Tok | undefined): boolean {
  if (!tok || !tok.cap || tok.own || !tight(tok)) return false;
  if (tok.block) return false;
  if (isTitle(tok)) return false;
  if (
    hasAny(tok.tags, [
      "Verb",
      "Adverb",
      "Preposition",
      "Conjunction",
      "Determiner",
      "Pronoun",
      "Month",
      "WeekDay",
    ])
  )
    return false;
  if (isEnglishWord(tok.base) && !isKnownPersonWord(tok.base) && !knownFirst(tok.base)) return false;
  return true;
}

/** "BullMQ", "MindSpot", "iPhone": an inner capital that no surname prefix explains (McAllister, DeShawn, O'Brien). */
const NAME_PREFIX_CAPS = /^(?:mc|mac|de|di|da|du|la|le|van|von|fitz|st|o['’]|d['’])$/u;
function isCamelCase(text: string): boolean {
  const m = text.match(/^(\p{L}*?\p{Ll})\p{Lu}/u);
  if (!m) return false;
  return !NAME_PREFIX_CAPS.test((m[1] ?? "").toLowerCase());
}

/** Is token i (the start of) a personal name? */
function classify(text: string, toks: readonly Tok[], i: number): boolean {
  const tok = toks[i];
  if (!tok || tok.own || (tok.allCaps && !tok.shout)) return false;
  if (tok.text.split(/[-'’]/u).some(isCamelCase)) return false;
  const letters = tok.base.replace(/[^\p{L}]/gu, "");
  if (letters.length < 2) return false;
  if (TITLES.has(tok.base) && !strongCue(toks, i)) return false;

  const strong = strongCue(toks, i);
  const hardBlock =
    tok.block !== undefined && tok.block !== "word" && tok.block !== "calendar" && tok.block !== "place";
  const isWordName = WORD_NAMES.has(tok.base);
  const known = knownFirst(tok.base);

  if (!tok.cap || tok.shout) {
    // Lower-case writing: only listed first names, and only with a cue.
    if (tok.block && !strong) return false;
    if (!isListedFirstName(tok.base) && !(strong && (known || isWordName))) return false;
    if (strong) return true;
    const common = isWordName || isEnglishWord(tok.base);
    if (common) return cueBefore(toks, i, false) && cueAfter(toks, i, true);
    // "hemi's script": a listed name in the possessive.
    if (tok.poss) return true;
    return cueBefore(toks, i, true) || cueAfter(toks, i, true);
  }

  if (strong) return !hardBlock;
  if (hardBlock) return false;

  // Names that are also places, words or months ("Nelson", "Hope", "May", "Aroha"): need a person cue.
  const ambiguous =
    isWordName ||
    tok.block === "place" ||
    tok.block === "calendar" ||
    tok.block === "word" ||
    (known && (isEnglishWord(tok.base) || isLexiconPlaceOrOrg(tok.base)));
  if (ambiguous) {
    if (!known && !isWordName) return false;
    // "Ward 5", "May 2024", "June 12": followed by a number, not a name.
    if (/^[ \t]+\d/u.test(text.slice(tok.end, tok.end + 3))) return false;
    if (cueAfter(toks, i, false)) return true;
    if (surnameLike(nextWord(toks, i))) return true;
    if (!tok.initial && cueBefore(toks, i, false, false)) return true;
    return false;
  }

  if (tok.initial) {
    if (known) {
      // compromise reads "Will", "Pat", "Rob" at the start of a sentence as verbs when they are.
      if (hasAny(tok.tags, ["Verb", "Modal", "Adverb", "Preposition", "Conjunction", "Determiner"])) {
        return cueAfter(toks, i, false);
      }
      return true;
    }
    if (hasAny(tok.tags, NON_NAME_TAGS) || looksEnglish(tok) || isLexiconPlaceOrOrg(tok.base)) return false;
    if (cueAfter(toks, i, false)) return true;
    if (surnameLike(nextWord(toks, i))) return true;
    // "Marley was quiet and kept his hood up": a copula, then a personal pronoun later in the sentence.
    if (PERSON_AFTER_LOOSE.has(nextWord(toks, i)?.lower ?? "") && pronounLater(toks, i)) return true;
    return tok.inPerson && !tok.block;
  }

  // Capitalised, inside a sentence.
  if (known) return true;
  if (isLexiconPlaceOrOrg(tok.base) || hasAny(tok.tags, PLACE_ORG_TAGS)) return cueAfter(toks, i, false);
  if (looksEnglish(tok))
    return cueAfter(toks, i, false) && !hasAny(tok.tags, ["Verb", "Adjective", "Adverb"]);
  if (hasAny(tok.tags, ["Verb", "Adverb", "Preposition", "Conjunction", "Determiner", "Pronoun", "Value"]))
    return false;
  const p = prevWord(toks, i);
  if (p && LOCATIVE.has(p.lower))
    return cueAfter(toks, i, false) || cueBefore(toks, i, false) || tok.inPerson;
  // "Flaxmere and Camberley": listed beside a capitalised word that is not a name, it needs a cue too.
  const before = toks[i - 1];
  const listedBeside =
    before && ["and", "or"].includes(before.lower) && tight(tok)
      ? toks[i - 2]
      : /^[ \t]*,[ \t]*$/u.test(tok.gap)
        ? before
        : undefined;
  if (listedBeside?.cap && !listedBeside.name && !listedBeside.own) {
    return cueAfter(toks, i, false) || cueBefore(toks, i, false);
  }
  return true;
}

const PRONOUNS = new Set(["he", "she", "his", "her", "him", "hers", "himself", "herself"]);

/** A personal pronoun later in the same sentence. */
function pronounLater(toks: readonly Tok[], i: number): boolean {
  for (let k = i + 1; k < toks.length && k < i + 15; k++) {
    const t = toks[k];
    if (!t) break;
    if (k > i + 1 && t.initial) break;
    if (PRONOUNS.has(t.lower)) return true;
  }
  return false;
}

export function findNames(
  text: string,
  claimed: readonly Span[],
  ownNames: readonly string[],
  addresses: readonly Span[] = [],
): Span[] {
  const toks = tokenize(text, claimed);
  if (toks.length === 0) return [];
  // "16 Kahikatea Drive, Flaxmere": the capitalised words right after an address are its suburb and town.
  for (const a of addresses) {
    let at = a.end;
    for (const tok of toks) {
      if (tok.start < at) continue;
      if (!tok.cap || !/^[ \t]*,?[ \t]*$/u.test(text.slice(at, tok.start))) break;
      tok.block = "locative";
      at = tok.end;
    }
  }
  const own = new Set<string>();
  for (const n of ownNames) {
    for (const part of n.normalize("NFC").toLowerCase().split(/\s+/u)) {
      if (!part) continue;
      own.add(part);
      for (const sub of part.split(/[-']/u)) if (sub.length > 1) own.add(sub);
    }
  }
  for (const tok of toks) if (own.has(tok.base) || own.has(tok.lower)) tok.own = true;
  // Only run compromise when a capitalised word or listed lower-case name could be a name.
  if (toks.some((t) => (t.cap || isListedFirstName(t.base)) && !t.own)) annotate(text, toks);
  blockTokens(toks);

  const spans: Span[] = [];
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i];
    if (!tok || !classify(text, toks, i)) continue;
    // Extend left over titles ("Mrs", "Mr and Mrs") and a capitalised first name ("Akash Sharma").
    let s = i;
    while (s > 0) {
      const prev = toks[s - 1];
      const cur = toks[s];
      if (!prev || !cur) break;
      if (isTitle(prev) && titleGap(cur)) {
        s--;
        if (toks[s - 1]?.lower === "and" && isTitle(toks[s - 2]) && tight(toks[s - 1]) && tight(toks[s]))
          s -= 2;
        continue;
      }
      if (
        tight(cur) &&
        prev.cap &&
        !prev.own &&
        !prev.poss &&
        !prev.name &&
        !looksEnglish(prev) &&
        !hasAny(prev.tags, NON_NAME_TAGS) &&
        !prev.block
      ) {
        s--;
        continue;
      }
      break;
    }
    // Extend right over surnames and particles ("Jordan Whitaker", "Mrs Te Aho", "Ben Carter's").
    let e = i;
    while (!toks[e]?.poss) {
      const next = toks[e + 1];
      if (!next || !tight(next) || next.own) break;
      const wordThenVerb = next.block === "word" && PERSON_AFTER.has(nextWord(toks, e + 1)?.lower ?? "");
      if (
        next.cap &&
        (surnameLike(next) ||
          wordThenVerb ||
          (next.block === "word" && toks[e + 2]?.cap && tight(toks[e + 2])))
      ) {
        e++;
        continue;
      }
      if (PARTICLES.has(next.lower) && toks[e + 2]?.cap && tight(toks[e + 2])) {
        e += 2;
        continue;
      }
      break;
    }
    for (let k = s; k <= e; k++) {
      const t = toks[k];
      if (t) t.name = true;
    }
    const first = toks[s];
    const last = toks[e];
    if (first && last) spans.push({ start: first.start, end: last.end });
    i = e;
  }
  return spans;
}
