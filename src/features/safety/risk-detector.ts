import { OWN_RISK_MODEL, VICARIOUS_MODEL, modelFeatures, probability } from "./risk-model.js";
import {
  BACK_TO_NOW,
  FIGURES_OF_SPEECH,
  FIRST_PERSON,
  HAPPENING_NOW,
  HISTORY,
  NEGATED_AFTER,
  NEGATED_CLAUSE,
  NEGATORS,
  NOT_NEGATING_NEXT,
  OTHER_SUBJECTS,
  OWN_RISK_PATTERNS,
  PASSIVE_BEFORE_SPEECH,
  RELATIVE_CLAUSE,
  type RiskPattern,
  SELF_RELATIVE,
  SETTLED_HISTORY,
  SPEECH_VERBS,
} from "./risk-patterns.js";
import { type Clause, normaliseText, splitClauses } from "./risk-text.js";
import { isVicarious } from "./vicarious.js";

/**
 * - `own-risk`: the member may be at risk themselves (said plainly or not);
 * - `vicarious`: they are affected by someone else's crisis, or worn down by the work;
 * - `none`: neither.
 */
export type RiskOutcome = "own-risk" | "vicarious" | "none";

export interface RiskAssessment {
  readonly outcome: RiskOutcome;
  /** False when the words are often meant another way; support is still offered, more softly. */
  readonly sure: boolean;
}

const NONE: RiskAssessment = { outcome: "none", sure: true };

/**
 * How sure the learned model must be, when the rules found nothing, before it
 * offers support on its own. Chosen on the labelled sets (see README): lower
 * catches more new phrasings and replies more often to ones that aren't risk.
 */
export const MODEL_THRESHOLD = 0.75;

/** Ends the look back for a negator: a new part of the sentence begins. */
const SCOPE_BREAKS = new Set(["and", "or", "so", "because", "then", "if", "when", "cause", "coz", "cos"]);
const NEGATION_WINDOW = 6;
/** "the thoughts i had before have gone": said after the risk, it is over. */
const RESOLVED_AFTER =
  /\b(?:have|has|had) (?:all )?(?:gone|stopped|eased|settled|passed|lifted|faded|gone away|left me)\b/;
/** "telling me i should...": an instruction aimed at the member, whoever gives it. */
const DIRECTED = /^i (?:should|need to|have to|must|deserve|am better off)\b/;

interface Match {
  readonly start: number;
  readonly end: number;
  readonly pattern: RiskPattern;
}

const GLOBAL_PATTERNS = OWN_RISK_PATTERNS.map((pattern) => ({
  pattern,
  global: new RegExp(pattern.pattern.source, "g"),
}));
const GLOBAL_FIGURES = FIGURES_OF_SPEECH.map((figure) => new RegExp(figure.source, "g"));

/** Words in `text` before character `index`, nearest last. */
function wordsBefore(text: string, index: number): string[] {
  return text.slice(0, index).trim().split(" ").filter(Boolean);
}

type Person = "first" | "other" | "none";

function personOf(word: string): Person {
  const bare = word.replace(/'s$/, "");
  if (FIRST_PERSON.has(bare)) return "first";
  if (OTHER_SUBJECTS.has(bare)) return "other";
  return "none";
}

/** The nearest person named before the risk: "she said ... i want", "the resident is suicidal". */
function nearestPerson(words: readonly string[]): Person {
  for (let i = words.length - 1; i >= 0; i--) {
    const person = personOf(words[i] as string);
    if (person !== "none") return person;
  }
  return "none";
}

/** The nearest speech verb whose speaker is someone else ("she said", "i was asked"), or -1. */
function othersSpeech(words: readonly string[]): number {
  for (let i = words.length - 1; i >= 0; i--) {
    if (!SPEECH_VERBS.has(words[i] as string)) continue;
    // "telling me to hurt myself": whoever says it, it is aimed at the member.
    const aimedAt = words.slice(i + 2, i + 5).join(" ");
    if (words[i + 1] === "me" && (words[i + 2] === "to" || DIRECTED.test(aimedAt))) return -1;
    const passive = PASSIVE_BEFORE_SPEECH.has(words[i - 1] ?? "");
    return passive || nearestPerson(words.slice(0, i)) === "other" ? i : -1;
  }
  return -1;
}

/** Someone other than the member said it: "a resident told me he wants to die". */
function isReported(words: readonly string[]): boolean {
  return othersSpeech(words) !== -1;
}

/**
 * A clause that hands over to someone else's words for the rest of the sentence:
 * "one participant said," or "a consumer who says i can't keep doing this,".
 */
function opensReportedSpeech(text: string): boolean {
  const words = text.split(" ");
  const at = othersSpeech(words);
  if (at === -1) return false;
  const rest = words.slice(at + 1).join(" ");
  return (
    rest === "" ||
    /^(?:to me|to us|me|us|to the group|to the team)$/.test(rest) ||
    /^(?:me |us |to me |stuff like |things like |like )?i /.test(rest)
  );
}

function isNegated(words: readonly string[], firstOfMatch: string): boolean {
  for (let i = words.length - 1; i >= Math.max(0, words.length - NEGATION_WINDOW); i--) {
    const word = words[i] as string;
    if (SCOPE_BREAKS.has(word)) return false;
    // "what's not easy is that i cut myself": a new clause begins, unless it is "not that i...".
    if (word === "that" && words[i - 1] !== "not") return false;
    const next = words[i + 1] ?? firstOfMatch;
    if (NEGATORS.has(word) && !(next && NOT_NEGATING_NEXT.has(next))) return true;
    if (word === "free" && (next === "of" || next === "from")) return true;
  }
  return false;
}

function overlapsFigure(text: string, match: Match): boolean {
  for (const figure of GLOBAL_FIGURES) {
    figure.lastIndex = 0;
    for (const found of text.matchAll(figure)) {
      const start = found.index ?? 0;
      const end = start + found[0].length;
      if (start < match.end && match.start < end) return true;
    }
  }
  return false;
}

function isHistory(text: string, match: Match, neighbours: readonly string[]): boolean {
  if (SETTLED_HISTORY.test(text)) return true;
  const after = text.slice(match.end);
  if (BACK_TO_NOW.test(after) || HAPPENING_NOW.test(text)) return false;
  if (HISTORY.test(text)) return true;
  // A short phrase beside it in the same sentence: "in my twenties, i was suicidal".
  return neighbours.some((words) => words.split(" ").length <= 7 && HISTORY.test(words));
}

function matchesIn(text: string): Match[] {
  const found: Match[] = [];
  for (const { pattern, global } of GLOBAL_PATTERNS) {
    global.lastIndex = 0;
    for (const match of text.matchAll(global)) {
      const start = match.index ?? 0;
      found.push({ start, end: start + match[0].length, pattern });
    }
  }
  return found;
}

/** Whether one match in a clause is the member's own risk, now. */
function isOwnRisk(
  text: string,
  match: Match,
  next: Clause | undefined,
  neighbours: readonly string[],
): boolean {
  const before = wordsBefore(text, match.start);
  if (!match.pattern.reportedIsOwn && isReported(before)) return false;
  if (match.pattern.who === "subject" && nearestPerson(before) === "other") return false;
  if (isNegated(before, text.slice(match.start).split(" ")[0] ?? "")) return false;
  const after = text.slice(match.end).trim();
  if (NEGATED_AFTER.test(after) || (after === "" && next && NEGATED_AFTER.test(next.text))) return false;
  if (RESOLVED_AFTER.test(after)) return false;
  if (overlapsFigure(text, match)) return false;
  return !isHistory(text, match, neighbours);
}

/**
 * Reads what a member wrote for signs that they, or someone they support, is
 * in crisis. Pure and fast (no network): normalises the text, then checks each
 * clause against the patterns in risk-patterns.ts, setting aside figures of
 * speech, negation, history, reported speech and quotes; where the rules find
 * nothing, a small learned model (risk-model.ts) may still offer support.
 */
export function assessRisk(text: string): RiskAssessment {
  if (text.trim() === "") return NONE;
  const { clauses, spoken, ownVoice } = readClauses(text);
  let own: RiskAssessment | undefined;
  for (const { clause, text, index } of spoken) {
    if (NEGATED_CLAUSE.test(text)) continue;
    const next = clauses[index + 1]?.sentence === clause.sentence ? clauses[index + 1] : undefined;
    const neighbours = [clauses[index - 1], next]
      .filter((c): c is Clause => c !== undefined && c.sentence === clause.sentence)
      .map((c) => c.text);
    for (const match of matchesIn(text)) {
      if (!isOwnRisk(text, match, next, neighbours)) continue;
      // A sure match settles it; an unsure one is kept while the rest is read for a sure one.
      if (match.pattern.sure) return { outcome: "own-risk", sure: true };
      own = { outcome: "own-risk", sure: false };
    }
  }
  if (own) return own;
  const features = modelFeatures(ownVoice);
  if (probability(OWN_RISK_MODEL, features) >= MODEL_THRESHOLD) return { outcome: "own-risk", sure: false };
  const owned = clauses.filter((clause) => !clause.quotedFromOthers).map((clause) => clause.text);
  if (isVicarious(owned) || probability(VICARIOUS_MODEL, features) >= MODEL_THRESHOLD) {
    return { outcome: "vicarious", sure: true };
  }
  return NONE;
}

interface SpokenClause {
  readonly clause: Clause;
  /** Its words with relative clauses cut ("the person i support is…" → "the person is…"). */
  readonly text: string;
  readonly index: number;
}

/**
 * The clauses of a message, and which of them are in the member's own voice:
 * - `spoken`: not quoted from someone else and not in a sentence handed over
 *   to someone else's words ("one participant said, …"): the rules read these;
 * - `ownVoice`: of those, the ones that are not someone's reported speech, not
 *   denied outright and not history: the learned model reads only these.
 */
export function readClauses(text: string): {
  clauses: Clause[];
  spoken: SpokenClause[];
  ownVoice: Clause[];
} {
  const clauses = splitClauses(normaliseText(text));
  const spoken: SpokenClause[] = [];
  const ownVoice: Clause[] = [];
  let reportedSentence = -1;
  clauses.forEach((clause, index) => {
    if (clause.quotedFromOthers || clause.sentence === reportedSentence) return;
    const words = clause.text.replace(SELF_RELATIVE, "i").replace(RELATIVE_CLAUSE, "$1");
    if (opensReportedSpeech(words)) reportedSentence = clause.sentence;
    spoken.push({ clause, text: words, index });
    const past = HISTORY.test(words) && !HAPPENING_NOW.test(words);
    if (!past && !NEGATED_CLAUSE.test(words) && !isReported(words.split(" "))) ownVoice.push(clause);
  });
  return { clauses, spoken, ownVoice };
}
