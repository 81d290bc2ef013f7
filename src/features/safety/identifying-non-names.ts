/**
 * What is not a personal name: words that look English, product-style camel case, and tokens that belong to
 * non-name phrases (places, services, trainings, calendar words), organisation names ("Black Dog Institute")
 * or modifiers of a place or service ("the Whanganui clinic"). Also which words are known first names.
 */
import {
  ANIMAL_NOUNS,
  DETERMINERS,
  ENGLISH_SUFFIX,
  NAME_PREFIXES_BEFORE_CAPITAL,
  NAMING_WORDS,
  ORG_RUN_JOINERS,
} from "./identifying-cues.js";
import {
  LOWER_ORG_NOUNS,
  ORG_OPENERS,
  ORG_SUFFIXES,
  blockCategory,
  isEnglishWord,
  isKnownFirstName,
  phrasesStartingWith,
  singulars,
} from "./identifying-lexicon.js";
import { type Tok, isTitle, tight } from "./identifying-tokens.js";

/** A known first name, or a hyphenated or apostrophised one made of known first names ("Mary-Jane"). */
export function knownFirst(base: string): boolean {
  if (isKnownFirstName(base)) return true;
  const parts = base.split(/[-']/u);
  return parts.length > 1 && parts.every((p) => isKnownFirstName(p) || p.length <= 1);
}

/** An English word (or its plural, or a word with an English ending) that is not a known first name. */
export function looksEnglish(tok: Tok): boolean {
  const b = tok.base;
  if (isEnglishWord(b)) return true;
  if (singulars(b).some((s) => isEnglishWord(s) || blockCategory(s) !== undefined)) return true;
  if (knownFirst(b)) return false;
  return ENGLISH_SUFFIX.test(b) || singulars(b).some((s) => ENGLISH_SUFFIX.test(s));
}

/** "BullMQ", "MindSpot", "iPhone": an inner capital that no surname prefix explains (McAllister, DeShawn, O'Brien). */
export function isCamelCase(text: string): boolean {
  const m = text.match(/^(\p{L}*?\p{Ll})\p{Lu}/u);
  if (!m) return false;
  return !NAME_PREFIXES_BEFORE_CAPITAL.has((m[1] ?? "").toLowerCase());
}

/** Mark tokens that are part of non-name phrases, organisation names and place/service modifiers. */
export function blockTokens(toks: Tok[]): void {
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
  blockOrgOpenings(toks);
  blockAfterOrganisations(toks);
  blockPets(toks);
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
      if (ORG_RUN_JOINERS.has(t.lower) && toks[j - 1]?.cap) {
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

/** Mark token i and the capitalised words right after it as part of an organisation's name. */
function runFrom(toks: Tok[], i: number): void {
  for (let k = i; k < toks.length; k++) {
    const t = toks[k];
    if (!t || (k > i && (!t.cap || !tight(t)))) break;
    if (t.block === undefined || t.block === "word") t.block = "run";
    if (t.poss) break;
  }
}

/** "Te Puna Waiora", "Te Whare Tiaki": a capitalised name that opens like an organisation's. */
function blockOrgOpenings(toks: Tok[]): void {
  for (let i = 0; i < toks.length; i++) {
    if (!toks[i]?.cap || isTitle(toks[i - 1])) continue;
    for (const opener of ORG_OPENERS) {
      const ok = opener.every((w, k) => toks[i + k]?.lower === w && (k === 0 || tight(toks[i + k])));
      const after = toks[i + opener.length];
      if (!ok || !after?.cap || !tight(after)) continue;
      runFrom(toks, i);
      break;
    }
  }
}

/** "Salvation Army Doorways", "headspace Camperdown": capitalised words right after an organisation. */
function blockAfterOrganisations(toks: Tok[]): void {
  for (let i = 1; i < toks.length; i++) {
    const org = toks[i - 1];
    const tok = toks[i];
    if (!org || !tok?.cap || tok.block || !tight(tok) || org.poss) continue;
    if (org.block !== "organisation" || (!org.cap && !org.allCaps && isEnglishWord(org.base))) continue;
    runFrom(toks, i);
  }
}

/** "his new dog, Biscuit", "her cat Mittens", "a puppy named Luna": a pet's name, not a person's. */
function blockPets(toks: Tok[]): void {
  for (let i = 1; i < toks.length; i++) {
    const tok = toks[i];
    if (!tok?.cap) continue;
    const naming = NAMING_WORDS.has(toks[i - 1]?.lower ?? "") && tight(tok);
    const animal = toks[naming ? i - 2 : i - 1];
    const after = toks[naming ? i - 1 : i];
    if (!animal || animal.cap || !ANIMAL_NOUNS.has(animal.base)) continue;
    if (after && /^[ \t]*,?[ \t]*$/u.test(after.gap)) tok.block = "pet";
  }
}
