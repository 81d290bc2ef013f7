/**
 * What is not a personal name: words that look English, product-style camel case, and tokens that belong to
 * non-name phrases (places, services, trainings, calendar words), organisation names ("Black Dog Institute")
 * or modifiers of a place or service ("the Whanganui clinic"). Also which words are known first names.
 */
import {
  DETERMINERS,
  ENGLISH_SUFFIX,
  NAME_PREFIXES_BEFORE_CAPITAL,
  ORG_RUN_JOINERS,
} from "./identifying-cues.js";
import {
  LOWER_ORG_NOUNS,
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
