/**
 * Text preparation for the risk detector: one plain, lower-case form of what a
 * member wrote, with text-speak, common misspellings and emoji turned into
 * words, split into clauses, and with quoted speech set aside.
 */

/** Emoji that carry meaning here; every other pictograph is dropped. 💀 is laughter, not death. */
const EMOJI_WORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/🔪|🗡️?/gu, " knife "],
  [/💊/gu, " pills "],
  [/🪦|⚰️?/gu, " dead "],
  [/🪢/gu, " rope "],
  [/🩸/gu, " blood "],
];

/** Whole-word replacements, applied in order after lower-casing. */
const WORD_FORMS: ReadonlyArray<readonly [RegExp, string | ((...parts: string[]) => string)]> = [
  // Apostrophes that people leave out or type differently.
  [/\b(i|you|we|they)m\b/g, "$1 am"],
  [/\bi'm\b/g, "i am"],
  [/\bim\b/g, "i am"],
  [/\bi've\b|\bive\b/g, "i have"],
  [/\bi'd\b/g, "i would"],
  [/\bi'll\b/g, "i will"],
  [/\b(\w+)'re\b/g, "$1 are"],
  [/\b(he|she|it|that|there|what|who)'s\b/g, "$1 is"],
  [/\bwhats\b/g, "what is"],
  [/\bcan'?t\b|\bcannot\b/g, "can not"],
  [/\bwon'?t\b/g, "will not"],
  [/\b(do|does|did|is|was|are|were|have|has|had|would|could|should|need|must)n'?t\b/g, "$1 not"],
  [/\bain'?t\b/g, "am not"],
  [/\b(he|she|they|we|you)'d\b/g, "$1 would"],
  [/\b(he|she|they|we|you)'ll\b/g, "$1 will"],
  [/\b(they|we|you)'ve\b/g, "$1 have"],
  // Text-speak.
  [
    /\b(think|feel|go|do|try|say|hurt|kill|end|want|look|keep|start|harm|cry|sleep|noth|someth|talk|tak|liv|dy)in\b/g,
    "$1ing",
  ],
  [/\b(cut|plan|get|sit)(?:t|n)in\b/g, (_word: string, stem: string) => `${stem}${stem.slice(-1)}ing`],
  [/\b(?:bout|abt)\b/g, "about"],
  [/\b(?:cuz|coz|cos|bc)\b/g, "because"],
  [/\bdunno\b/g, "do not know"],
  [/\b(everyone|everybody|nobody|people|they|we|you|it|that|things)'d\b/g, "$1 would"],
  [/\bwanna\b/g, "want to"],
  [/\bgonna\b/g, "going to"],
  [/\bgotta\b/g, "got to"],
  [/\btryna\b/g, "trying to"],
  [/\b(want|wanted|going|ready|need|have|like|try|trying) 2\b/g, "$1 to"],
  [/\bu\b/g, "you"],
  [/\bur\b/g, "your"],
  [/\brn\b/g, "right now"],
  [/\b(lol|lmao|haha+|tbh|ngl|idk|omg|fr|lowkey|highkey|srsly)\b/g, " "],
  [/\bany more\b/g, "anymore"],
  [/\bno one\b|\bno-one\b/g, "nobody"],
  [/\bmy self\b/g, "myself"],
  [/\bkil\b/g, "kill"],
  [/\bkms\b/g, "kill myself"],
  [/\bkys\b/g, "kill yourself"],
  [/\bctb\b/g, "end my life"],
  [
    /\b(relaps\w*|urges?|did|doing|do|clean from|free from|months? clean|weeks? clean|days? clean) (?:on |with |to )?sh\b/g,
    "$1 selfharm",
  ],
  [/\bsh (urges?|again|scars?|cuts?|relapse|wounds?)\b/g, "selfharm $1"],
  [/\bhav\b/g, "have"],
  [/\bwknd\b|\bw\/e\b/g, "weekend"],
  [/\bnites\b/g, "nights"],
  [/\bnite\b/g, "night"],
  [/\bb4\b/g, "before"],
  [/\b(go|went|going) 4\b/g, "$1 for"],
  [/\b(suicide|death|dying|it|that|there|everything|nothing)'s\b/g, "$1 is"],
  [/\btmrw\b|\btmr\b|\b2moro\b|\btomoz\b/g, "tomorrow"],
  [/\btonite\b|\b2nite\b/g, "tonight"],
  [/\bunaliv(?:e|es)\b/g, "kill"],
  [/\bunaliv(ed|ing)\b/g, "kill$1"],
  [/\bkilld\b/g, "killed"],
  [/\bsewer ?slide\b|\bsui\b|\bsu1c1de\b/g, "suicide"],
  [/\bo\.?d\.?(?:'?d|ed)\b/g, "overdosed"],
  [/\bod\b/g, "overdose"],
  [/\bself[ -]?(harm|injur)(\w*)/g, "selfharm$2"],
  [/\bself[ -]?hurt(\w*)/g, "selfharm$1"],
  [/\bthe voice'?s\b/g, "the voices"],
];

/** Misspellings seen often enough to name; others are caught by edit distance. */
const MISSPELLINGS: Readonly<Record<string, string>> = {
  sucide: "suicide",
  suiside: "suicide",
  sucidal: "suicidal",
  suicdal: "suicidal",
  suisidal: "suicidal",
  dissapear: "disappear",
  disapear: "disappear",
  dissappear: "disappear",
  myslef: "myself",
  mysef: "myself",
  mself: "myself",
  burdon: "burden",
  overdoes: "overdose",
  tabelts: "tablets",
  tablest: "tablets",
  tabs: "tablets",
};

/** The long words that matter most, for catching typos by edit distance. */
const KEY_WORDS = [
  "suicide",
  "suicidal",
  "myself",
  "overdose",
  "overdosed",
  "disappear",
  "burden",
  "selfharm",
  "selfharmed",
  "selfharming",
  "stockpiling",
  "worthless",
  "hopeless",
  "tablets",
] as const;

/** Optimal string alignment distance, stopping early once it passes `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  const first = rows[0] as number[];
  for (let j = 1; j <= b.length; j++) first[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const above = rows[i - 1] as number[];
    let best = Number.POSITIVE_INFINITY;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = value;
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
  }
  return (rows[a.length] as number[])[b.length] as number;
}

const KNOWN = new Set<string>(KEY_WORDS);
const typoCache = new Map<string, string>();

/** A token within one edit of a key word (for words of six letters or more) becomes that word. */
function correctTypo(token: string): string {
  const named = MISSPELLINGS[token];
  if (named) return named;
  if (token.length < 6 || KNOWN.has(token) || !/^[a-z]+$/.test(token)) return token;
  const cached = typoCache.get(token);
  if (cached !== undefined) return cached;
  let result = token;
  for (const word of KEY_WORDS) {
    if (word[0] === token[0] && editDistance(token, word, 1) <= 1) {
      result = word;
      break;
    }
  }
  if (typoCache.size < 10_000) typoCache.set(token, result);
  return result;
}

/** Lower case, plain quotes, words for emoji and text-speak, typos mended. Keeps clause punctuation. */
export function normaliseText(text: string): string {
  let out = text.normalize("NFKC").toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
  out = out
    .replace(/[\u2018\u2019\u02BC\u0060\u00B4]/g, "'")
    .replace(/[\u201C\u201D\u201E\u00AB\u00BB]/g, '"');
  for (const [pattern, words] of EMOJI_WORDS) out = out.replace(pattern, words);
  out = out.replace(/\p{Extended_Pictographic}|\uFE0F|\u200D/gu, " ");
  out = out.replace(/[\u2013\u2014]/g, " - ");
  for (const [pattern, words] of WORD_FORMS) {
    out = typeof words === "string" ? out.replace(pattern, words) : out.replace(pattern, words);
  }
  out = out.replace(/[a-z]+/g, (token) => correctTypo(token));
  return out;
}

export interface Clause {
  /** Words separated by single spaces, no punctuation. */
  readonly text: string;
  /** Index of the sentence it belongs to. */
  readonly sentence: number;
  /** Set when these words were quoted from someone else, or named (a title, a poem). */
  readonly quotedFromOthers: boolean;
}

const SPEECH_VERB =
  /\b(said|says|say|saying|told|tells|tell|telling|asked|asks|asking|mentioned|wrote|writes|texted|texts|messaged|shouted|yelled|screamed|whispered|called|titled|named|meant|reads|read|like|described|describes|describing|wanting to|jokes|joked|joking|states|stated)\b/;
const MENTIONED = /^\s*(?:line|comment|phrase|bit|joke|thing|remark|message|saying|quote)\b/;
const FIRST_PERSON_VOICE =
  /\bi (?:\w+ ){0,3}?(?:said|say|told|tell|wrote|write|texted|thought|think|thinking|keep thinking|felt|feel)\b[^"]*$/;

/**
 * Splits normalised text into clauses. Quoted words are their own clause,
 * marked as someone else's unless the member introduces them as their own
 * words or thoughts ("I told her "I can't go on"").
 */
export function splitClauses(normalised: string): Clause[] {
  const clauses: Clause[] = [];
  const sentences = normalised.split(/(?<=[.!?])\s+|[\n\r]+|(?<=[.!?;])(?=\S)/);
  sentences.forEach((sentence, index) => {
    const parts = splitQuotes(sentence);
    for (const part of parts) {
      for (const piece of part.text.split(/[;:,]|\s-\s|\.{2,}|[.!?]|\b(?:but|though|although|whereas)\b/)) {
        const words = piece
          .replace(/[^a-z0-9' ]+/g, " ")
          .replace(/'(?![a-z])|(?<![a-z])'/g, " ")
          .replace(/\s+/g, " ")
          .trim();
        if (words) clauses.push({ text: words, sentence: index, quotedFromOthers: part.quoted });
      }
    }
  });
  return clauses;
}

function splitQuotes(sentence: string): Array<{ text: string; quoted: boolean }> {
  const parts: Array<{ text: string; quoted: boolean }> = [];
  const quote = /"([^"]+)"|(?<=^|[\s:(])'([^']+?)'(?=$|[\s,.;:!?)])/g;
  let last = 0;
  for (const match of sentence.matchAll(quote)) {
    const before = sentence.slice(last, match.index);
    parts.push({ text: before, quoted: false });
    const inner = match[1] ?? match[2] ?? "";
    const lead = sentence.slice(0, match.index).trimEnd();
    const ownWords = FIRST_PERSON_VOICE.test(lead);
    const introduced = SPEECH_VERB.test(lead.split(/\s+/).slice(-6).join(" "));
    // "the 'i will be dead by harvest' line": words mentioned, not meant.
    const mentioned = MENTIONED.test(sentence.slice((match.index ?? 0) + match[0].length));
    // A quote with no speaker named at all is the member's own emphasis; a speaker other than "I" makes it theirs.
    parts.push({ text: inner, quoted: (introduced && !ownWords) || mentioned });
    last = (match.index ?? 0) + match[0].length;
  }
  parts.push({ text: sentence.slice(last), quoted: false });
  return parts;
}
