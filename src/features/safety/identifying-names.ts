/**
 * Finds personal names in a diary entry: compromise's person detection combined with our own rules
 * (titles, possessives, "named/called X", capitalised words that are not ordinary words, places, services,
 * trainings or calendar words, and a first-name list for casual lower-case writing).
 *
 * Initials ("J.", "JW", "K.M.") are what the guard recommends, so they are never flagged.
 *
 * The parts: identifying-tokens (words and compromise's tags), identifying-non-names (phrases, organisations
 * and modifiers that are not names), identifying-cue-rules (context cues), identifying-classify (the decision
 * for one word), identifying-cues (the word lists). This file turns decisions into spans.
 */
import { classify } from "./identifying-classify.js";
import { surnameLike } from "./identifying-cue-rules.js";
import { NON_NAME_TAGS, PARTICLES, PERSON_AFTER } from "./identifying-cues.js";
import { isListedFirstName } from "./identifying-lexicon.js";
import { blockTokens, looksEnglish } from "./identifying-non-names.js";
import {
  type Span,
  annotate,
  hasAny,
  isTitle,
  nextWord,
  tight,
  titleGap,
  tokenize,
} from "./identifying-tokens.js";

export type { Span } from "./identifying-tokens.js";

/**
 * Spans of personal names in the text, outside the claimed spans (details already found) and leaving out
 * the writer's own names. Capitalised words right after an address are read as its suburb and town.
 */
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
