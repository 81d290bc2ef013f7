import lexicon from "./content/risk-lexicon.json" with { type: "json" };

/**
 * The detector's lexicon, read from content/risk-lexicon.json (see its
 * "about"): the ways people say they are at risk, and the ways they say
 * something that sounds like it but isn't. Checked and compiled once.
 */
export interface RiskPattern {
  readonly id: string;
  readonly pattern: RegExp;
  /** `self`: the words name the writer; `subject`: the subject of the clause decides. */
  readonly who: "self" | "subject";
  /** False where the words are often meant another way: support is offered more softly. */
  readonly sure: boolean;
  /** Voices telling the member to hurt themselves are reported speech that is still their own risk. */
  readonly reportedIsOwn?: boolean;
}

const parts: Readonly<Record<string, string>> = lexicon.parts;

/** A pattern from the lexicon, with each {PART} filled in. */
function compile(source: string, flags = ""): RegExp {
  const filled = source.replace(/\{([A-Z_]+)\}/g, (whole, name: string) => {
    const part = parts[name];
    if (part === undefined) throw new Error(`risk-lexicon.json: unknown part ${whole}`);
    return part;
  });
  return new RegExp(filled, flags);
}

export const OWN_RISK_PATTERNS: readonly RiskPattern[] = lexicon.own.map((entry) => {
  if (entry.who !== "self" && entry.who !== "subject") {
    throw new Error(`risk-lexicon.json: pattern ${entry.id} has who "${entry.who}"`);
  }
  return {
    id: entry.id,
    pattern: compile(entry.pattern),
    who: entry.who,
    sure: entry.sure,
    ...("reportedIsOwn" in entry && entry.reportedIsOwn ? { reportedIsOwn: true } : {}),
  };
});

/** Figures of speech and hyperbole: a match inside one is not the member's risk ("dying for a coffee"). */
export const FIGURES_OF_SPEECH: readonly RegExp[] = lexicon.figuresOfSpeech.map((source) => compile(source));
/** Risk told as part of a history the member has moved on from. */
export const HISTORY = compile(lexicon.history);
/** After a match, these bring it back to now, despite a history marker earlier in the clause. */
export const BACK_TO_NOW = compile(lexicon.backToNow);
/** Anywhere in the clause, these say it is happening now: "for the first time in six years". */
export const HAPPENING_NOW = compile(lexicon.happeningNow);
/** History stated so plainly that nothing else in the clause brings it back to now: "it has been twelve years". */
export const SETTLED_HISTORY = compile(lexicon.settledHistory);
/** Said straight after the risk, these deny it: "selfharm is not something i have done". */
export const NEGATED_AFTER = compile(lexicon.negatedAfter);
/** A clause that opens by denying what follows: "not once this month have i thought about...". */
export const NEGATED_CLAUSE = compile(lexicon.negatedClause);
/** "i am the one who wants to die": the "who" is the member. */
export const SELF_RELATIVE = compile(lexicon.selfRelative, "g");
/** "the person i support is...": the "i" there is not the subject of what follows. */
export const RELATIVE_CLAUSE = compile(lexicon.relativeClause, "g");

/** Words that turn what follows them around ("not suicidal", "never hurt myself"). */
export const NEGATORS: ReadonlySet<string> = new Set(lexicon.negators);
/** A negator followed by one of these is not negating the risk ("can not stop thinking about..."). */
export const NOT_NEGATING_NEXT: ReadonlySet<string> = new Set(lexicon.notNegatingNext);
/** Someone else's words: the risk after these belongs to whoever spoke. */
export const SPEECH_VERBS: ReadonlySet<string> = new Set(lexicon.speechVerbs);
/** Before a speech verb, these say the speaker is someone else: "i was asked", "i got told". */
export const PASSIVE_BEFORE_SPEECH: ReadonlySet<string> = new Set(lexicon.passiveBeforeSpeech);
/** Subjects that make a clause about someone else. */
export const OTHER_SUBJECTS: ReadonlySet<string> = new Set(lexicon.otherSubjects);
export const FIRST_PERSON: ReadonlySet<string> = new Set(lexicon.firstPerson);
