/**
 * The decision for one token: is it (the start of) a personal name? Lower-case words need to be listed first
 * names with a cue; capitalised words are weighed by what they are (known first name, also a word or place,
 * unknown) and where they stand (start of a sentence, after a preposition, in a list).
 */
import {
  cueAfter,
  cueBefore,
  isPersonNoun,
  personNounBefore,
  phraseAfter,
  pronounLater,
  strongCue,
  surnameLike,
} from "./identifying-cue-rules.js";
import {
  BEFORE_MONTH,
  DESCRIPTIVE_TAGS,
  LIST_JOINERS,
  LOCATIVE,
  MONTH_NAMES,
  MONTH_TALK,
  NON_NAME_TAGS,
  NOT_NAME_INSIDE_TAGS,
  PERSON_AFTER_LOOSE,
  PLACE_ORG_TAGS,
  TITLES,
  VERB_READING_TAGS,
} from "./identifying-cues.js";
import { WORD_NAMES, isEnglishWord, isLexiconPlaceOrOrg, isListedFirstName } from "./identifying-lexicon.js";
import { isCamelCase, knownFirst, looksEnglish } from "./identifying-non-names.js";
import { type Tok, hasAny, nextWord, prevWord, tight } from "./identifying-tokens.js";

/** A month used as a month: "in June", "May 2024". */
function monthAsMonth(toks: readonly Tok[], k: number): boolean {
  const t = toks[k];
  if (!t || !MONTH_NAMES.has(t.base)) return false;
  return BEFORE_MONTH.has(prevWord(toks, k)?.lower ?? "") || /^[ \t]+\d/u.test(toks[k + 1]?.gap ?? "");
}

/** Month talk near token i ("May was a big month. June needs …"): a month name there is a month too. */
function monthTalkNear(toks: readonly Tok[], i: number): boolean {
  for (let k = Math.max(0, i - 15); k < toks.length && k <= i + 15; k++) {
    if (k !== i && (MONTH_TALK.has(toks[k]?.lower ?? "") || monthAsMonth(toks, k))) return true;
  }
  return false;
}

/** Is token i (the start of) a personal name? */
export function classify(text: string, toks: readonly Tok[], i: number): boolean {
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
    // "nikau's mum", "jono's mum": a listed name's possessive before a person is a person's.
    if (tok.poss && isPersonNoun(nextWord(toks, i))) return true;
    const common = isWordName || isEnglishWord(tok.base);
    // "tui came too, she's …": a phrase only a person does, and a cue before or a pronoun after.
    // At the start of a sentence, a name that is not also an English word needs no more ("moana came along").
    if (
      common &&
      phraseAfter(toks, i) &&
      (cueBefore(toks, i, false) || pronounLater(toks, i) || (tok.initial && !isEnglishWord(tok.base)))
    )
      return true;
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
    // A month among month talk is a month, unless it is someone's ("June's mum", "her nan June", "April
    // said she …").
    if (MONTH_NAMES.has(tok.base) && monthTalkNear(toks, i)) {
      if (tok.poss) return cueAfter(toks, i, false);
      return personNounBefore(toks, i) || (cueAfter(toks, i, false) && pronounLater(toks, i));
    }
    if (cueAfter(toks, i, false)) return true;
    if (surnameLike(nextWord(toks, i))) return true;
    if (!tok.initial && cueBefore(toks, i, false, false)) return true;
    return false;
  }

  if (tok.initial) {
    if (known) {
      // compromise reads "Will", "Pat", "Rob" at the start of a sentence as verbs when they are.
      if (hasAny(tok.tags, VERB_READING_TAGS)) {
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
    return (cueAfter(toks, i, false) || personNounBefore(toks, i)) && !hasAny(tok.tags, DESCRIPTIVE_TAGS);
  if (hasAny(tok.tags, NOT_NAME_INSIDE_TAGS)) return false;
  const p = prevWord(toks, i);
  if (p && LOCATIVE.has(p.lower))
    return cueAfter(toks, i, false) || cueBefore(toks, i, false) || tok.inPerson;
  // "Flaxmere and Camberley": listed beside a capitalised word that is not a name, it needs a cue too.
  const before = toks[i - 1];
  const listedBeside =
    before && LIST_JOINERS.has(before.lower) && tight(tok)
      ? toks[i - 2]
      : /^[ \t]*,[ \t]*$/u.test(tok.gap)
        ? before
        : undefined;
  if (listedBeside?.cap && !listedBeside.name && !listedBeside.own) {
    return cueAfter(toks, i, false) || cueBefore(toks, i, false);
  }
  return true;
}
