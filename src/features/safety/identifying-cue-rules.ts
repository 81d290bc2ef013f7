/**
 * Context cues for the name finder: the words around a token that make it a person's name. A strong cue
 * ("named Kai", "Mrs Patel") is enough on its own; cues before ("rang Sione") and after ("Sione said") are
 * weighed by the classifier with how name-like the word itself is.
 */
import {
  AND_PERSON,
  ASIDE_WORDS,
  BARE_AFTER_TAGS,
  BEFORE_AS_NAME,
  FROM_PERSON,
  HOME_BEFORE,
  LOOSE_BEFORE,
  NAMING_WORDS,
  NOT_AFTER_CALLED,
  NOT_SURNAME_TAGS,
  PERSON_AFTER,
  PERSON_AFTER_LOOSE,
  PERSON_AFTER_PHRASES,
  PERSON_BEFORE,
  PERSON_NOUNS,
  PRONOUNS,
  SPEAKING_VERBS,
  THING_NOUNS,
  WEAK_BEFORE,
} from "./identifying-cues.js";
import {
  WORD_NAMES,
  isEnglishWord,
  isKnownPersonWord,
  isListedFirstName,
  singulars,
} from "./identifying-lexicon.js";
import { knownFirst } from "./identifying-non-names.js";
import { type Tok, hasAny, isTitle, nextWord, prevWord, tight, titleGap } from "./identifying-tokens.js";

/** "named Kai", "called Jaxon", "known as Niks", "introduced herself as Mele", "uncle bob", "Mrs Patel". */
export function strongCue(toks: readonly Tok[], i: number): boolean {
  const tok = toks[i];
  if (!tok) return false;
  const prev = toks[i - 1];
  if (prev && isTitle(prev) && titleGap(tok)) return true;
  const p = prevWord(toks, i);
  if (!p) return false;
  if (NAMING_WORDS.has(p.lower) && !NOT_AFTER_CALLED.has(tok.lower)) return true;
  const pp = prevWord(toks, i - 1);
  if (p.lower === "as" && pp && BEFORE_AS_NAME.has(pp.lower)) return true;
  if (p.lower === "by" && pp?.lower === "goes") return true;
  if (p.lower === "is" && pp?.lower === "name") return true;
  if (p.lower === "name's") return true;
  return false;
}

/** "her daughter Isla", "his partner Chloe", "her nan, Ivy", "The young person's mum, Tracey,". */
export function personNounBefore(toks: readonly Tok[], i: number): boolean {
  const tok = toks[i];
  const prev = toks[i - 1];
  if (!tok || !prev) return false;
  if (!/^[ \t]*,?[ \t]*$/u.test(tok.gap)) return false;
  if (!PERSON_NOUNS.has(prev.base) || prev.cap) return false;
  return !THING_NOUNS.has(prev.base);
}

/** A lower-case noun for a person (not a thing of theirs): "mum", "brothers", "aunty". */
export function isPersonNoun(tok: Tok | undefined): boolean {
  if (!tok || tok.cap) return false;
  return [tok.base, ...singulars(tok.base)].some((w) => PERSON_NOUNS.has(w) && !THING_NOUNS.has(w));
}

/** "Amara (14)", "Summer (she picked the name herself)", "Kobe (brothers, 12 and 9)": an aside about a person. */
function asideAfter(toks: readonly Tok[], i: number): boolean {
  const next = toks[i + 1];
  if (!next || !/^[ \t]*\(/u.test(next.gap)) return false;
  if (/^[ \t]*\([ \t]*\d{1,2}[ \t]*(?:yo|yrs?|years?(?:[ \t]+old)?)?[ \t]*[),]/u.test(next.gap)) return true;
  if (!/^[ \t]*\([ \t]*$/u.test(next.gap)) return false;
  return ASIDE_WORDS.has(next.lower) || isPersonNoun(next);
}

/** "a home visit to Mere's,", "stayed at Rose's until …": a first name's bare possessive for their home. */
function someonesPlace(toks: readonly Tok[], i: number): boolean {
  const tok = toks[i];
  const p = prevWord(toks, i);
  if (!tok?.poss || tok.block || !p || !HOME_BEFORE.has(p.lower)) return false;
  const next = toks[i + 1];
  const bare = !tight(next) || (next !== undefined && !next.cap && hasAny(next.tags, BARE_AFTER_TAGS));
  return bare && knownFirst(tok.base);
}

/** "tui came too", "Gaz showed up": a two-word phrase after the token that only a person does. */
export function phraseAfter(toks: readonly Tok[], i: number): boolean {
  const n = nextWord(toks, i);
  const nn = nextWord(toks, i + 1);
  return n !== undefined && nn !== undefined && PERSON_AFTER_PHRASES.has(`${n.lower} ${nn.lower}`);
}

/** "Hone and Ana": a known first name on the other side of "and". */
function coordinatedWithName(other: Tok | undefined): boolean {
  if (!other || other.own) return false;
  if (other.name) return true;
  if (!other.cap || (other.block && other.block !== "word")) return false;
  return knownFirst(other.base);
}

/** Context before the token that suggests a person. */
export function cueBefore(toks: readonly Tok[], i: number, loose: boolean, weakOk = true): boolean {
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
  if (loose && LOOSE_BEFORE.has(p.lower)) return true;
  return false;
}

/** Context after the token that suggests a person. */
export function cueAfter(toks: readonly Tok[], i: number, loose: boolean): boolean {
  const tok = toks[i];
  if (!tok) return false;
  if (asideAfter(toks, i)) return true;
  const n = nextWord(toks, i);
  if (tok.poss) return (n !== undefined && !n.cap && PERSON_NOUNS.has(n.base)) || someonesPlace(toks, i);
  if (!n) return false;
  if (PERSON_AFTER.has(n.lower) || phraseAfter(toks, i)) return true;
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
  // "Gaz and Dazza turned up": a known name on the other side, and a person's verb after the pair.
  if (
    n.lower === "and" &&
    nn &&
    !nn.poss &&
    coordinatedWithName(nn) &&
    PERSON_AFTER.has(nextWord(toks, i + 2)?.lower ?? "")
  )
    return true;
  // "sione & mele's baby": in lower-case writing, another listed first name that is not also a word.
  if (
    loose &&
    n.lower === "and" &&
    nn &&
    !nn.cap &&
    isListedFirstName(nn.base) &&
    !WORD_NAMES.has(nn.base) &&
    !isEnglishWord(nn.base)
  )
    return true;
  if (n.lower === "from" && nn && FROM_PERSON.has(nn.lower)) return true;
  if (n.lower === "turned" || (n.lower === "came" && nn?.lower === "back")) return true;
  return false;
}

/** A capitalised word that could be a surname following a first name. */
export function surnameLike(tok: Tok | undefined): boolean {
  if (!tok || !tok.cap || tok.own || !tight(tok)) return false;
  if (tok.block) return false;
  if (isTitle(tok)) return false;
  if (hasAny(tok.tags, NOT_SURNAME_TAGS)) return false;
  if (isEnglishWord(tok.base) && !isKnownPersonWord(tok.base) && !knownFirst(tok.base)) return false;
  return true;
}

/** A personal pronoun later in the same sentence. */
export function pronounLater(toks: readonly Tok[], i: number): boolean {
  for (let k = i + 1; k < toks.length && k < i + 15; k++) {
    const t = toks[k];
    if (!t) break;
    if (k > i + 1 && t.initial) break;
    if (PRONOUNS.has(t.lower) || PRONOUNS.has(t.base)) return true;
  }
  return false;
}
