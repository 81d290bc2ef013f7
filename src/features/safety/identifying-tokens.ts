/**
 * Tokens for the name finder: the words of a diary entry with their shape (capitalised, all capitals,
 * possessive, sentence-initial, shouted), compromise's tags and person detection, and helpers for looking at
 * a token's neighbours. The finder's rules fill in `block`, `own` and `name` as they go.
 */
import nlp from "compromise";
import { ABBREVIATED_TITLES, CASUAL_TITLES, TITLES } from "./identifying-cues.js";
import type { BlockCategory } from "./identifying-lexicon.js";

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Tok {
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
  block: BlockCategory | "run" | "modifier" | "determiner" | "locative" | "pet" | undefined;
  own: boolean;
  name: boolean;
}

// Words, and the casual "&" and "w/" ("sione & mele", "caught up w/ bec"), read as "and" and "with".
const TOKEN = /(?<![\p{L}\p{N}])[Ww]\/(?=[ \t])|&|[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*/gu;
const SYMBOL_WORDS: Readonly<Record<string, string>> = { "&": "and", "w/": "with" };

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

/** The words of the text outside the claimed spans, with shouting (runs of capitals) marked. */
export function tokenize(text: string, claimed: readonly Span[]): Tok[] {
  const toks: Tok[] = [];
  let lastEnd = 0;
  for (const m of text.matchAll(TOKEN)) {
    const start = m.index;
    const end = start + m[0].length;
    if (claimed.some((c) => start < c.end && end > c.start)) continue;
    const raw = m[0];
    const lower = SYMBOL_WORDS[raw.toLowerCase()] ?? raw.normalize("NFC").toLowerCase();
    // "Tama's", and a lone initial's "T's" (so that what is left, "T", is read as an initial).
    const poss = /['’]s$/u.test(lower) && lower.length >= 3;
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
  // Shouting: three or more all-capital words in a row ("&" may join them) are read like lower-case writing.
  for (let i = 0; i < toks.length; i++) {
    let j = i;
    while (j < toks.length && (toks[j]?.allCaps || (j > i && toks[j]?.text === "&"))) j++;
    const run = toks.slice(i, j);
    if (run.filter((t) => t.allCaps).length >= 3) {
      for (const t of run) t.shout = true;
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
export function annotate(text: string, toks: Tok[]): void {
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

/** Has compromise given the token any of these tags? */
export function hasAny(tags: ReadonlySet<string>, list: ReadonlySet<string>): boolean {
  for (const t of list) if (tags.has(t)) return true;
  return false;
}

/** Separated from the previous token by spaces only (no punctuation, no line break). */
export function tight(tok: Tok | undefined): boolean {
  return tok !== undefined && /^[ \t]+$/u.test(tok.gap);
}

/** The token before token i, if only spaces separate them. */
export function prevWord(toks: readonly Tok[], i: number): Tok | undefined {
  const tok = toks[i];
  const prev = toks[i - 1];
  if (!tok || !prev) return undefined;
  return /^[ \t]+$/u.test(tok.gap) ? prev : undefined;
}

/** The token after token i, if only spaces separate them. */
export function nextWord(toks: readonly Tok[], i: number): Tok | undefined {
  const next = toks[i + 1];
  return next && /^[ \t]+$/u.test(next.gap) ? next : undefined;
}

/** A title before a name: capitalised ("Mrs", "Coach"), or one written in lower case too ("uncle", "dr"). */
export function isTitle(tok: Tok | undefined): boolean {
  if (!tok) return false;
  if (!TITLES.has(tok.base)) return false;
  return tok.cap || CASUAL_TITLES.has(tok.base) || ABBREVIATED_TITLES.has(tok.base);
}

/** Gap after a title: "Dr Singh", "Dr. Singh". */
export function titleGap(tok: Tok): boolean {
  return /^\.?[ \t]+$/u.test(tok.gap);
}
