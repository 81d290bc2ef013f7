/**
 * Word lists for the name finder, loaded from content/identifying-cues.json: the context words around a
 * capitalised or listed word that make it a person's name (or not), titles, name particles and the
 * compromise tags that rule a name out. Checked once at module load.
 */
import cuesJson from "./content/identifying-cues.json" with { type: "json" };

const cues: Readonly<Record<string, unknown>> = cuesJson;

/** The list under `key`, which must be a non-empty array of non-empty strings. */
function list(key: string): readonly string[] {
  const value = cues[key];
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error(`identifying-cues.json: "${key}" must be a non-empty array of strings`);
  }
  for (const [i, item] of value.entries()) {
    if (typeof item !== "string" || item === "") {
      throw new Error(`identifying-cues.json: "${key}"[${i}] must be a non-empty string`);
    }
  }
  return value as string[];
}

function set(key: string): ReadonlySet<string> {
  return new Set(list(key));
}

// Every key but "about" is a list: check them all, including any no code reads yet.
for (const key of Object.keys(cues)) if (key !== "about") list(key);

/** Titles before a name ("Mrs Patel", "Dr. Singh", "Aunty Pat"). */
export const TITLES = set("titles");
/** Titles used in lower case in casual writing ("uncle bob", "aunty pat"). */
export const CASUAL_TITLES = set("casualTitles");
/** Short titles that count as titles in lower case too ("mr smith"). */
export const ABBREVIATED_TITLES = set("abbreviatedTitles");

/** Words right before a name that say "a name follows". */
export const NAMING_WORDS = set("namingWords");
/** Words after "called"/"named" that are not a name ("called me", "called the police", "called back"). */
export const NOT_AFTER_CALLED = set("notAfterCalled");
/** Words before "as" that make the next word a name ("known as Niks", "introduced herself as Mele"). */
export const BEFORE_AS_NAME = set("beforeAsName");

/** Words before a name that make a person likely ("sat with Tama", "rang Sione"). */
export const PERSON_BEFORE = set("personBefore");
/** Words in PERSON_BEFORE that are too weak for names that are also months or words ("for May"). */
export const WEAK_BEFORE = set("weakBefore");
/** Prepositions before a listed lower-case first name that make a person likely ("from hemi"). */
export const LOOSE_BEFORE = set("looseBefore");
/** Verbs of speaking that make a following "to X" a person ("explained to Kiri"). */
export const SPEAKING_VERBS = set("speakingVerbs");

/** Verbs after a name that make a person likely ("Sione said", "Macca turned up"). */
export const PERSON_AFTER = set("personAfter");
/** Lower-case names are also accepted before these (they are too broad for capitalised unknown words). */
export const PERSON_AFTER_LOOSE = set("personAfterLoose");
/** Words after "X and" that make X a person ("Tama and I", "Hine and her sister"). */
export const AND_PERSON = set("andPerson");
/** Words after "X from" that make X a person ("Kiri from the clinic"). */
export const FROM_PERSON = set("fromPerson");

/** Nouns after a possessive that make it a person's ("Tama's mum"), or after which a name stands in apposition ("her nan, Ivy"). */
export const PERSON_NOUNS = set("personNouns");
/** Nouns in PERSON_NOUNS that belong to a person but are not one, so no name follows them ("her file", "his car"). */
export const THING_NOUNS = set("thingNouns");
/** Two-word phrases after a name that only a person does ("tui came too", "Gaz turned up"). */
export const PERSON_AFTER_PHRASES: ReadonlySet<string> = set("personAfterPhrases");
/** Words before a bare possessive that make it someone's home ("a home visit to Mere's,"). */
export const HOME_BEFORE = set("homeBefore");
/** compromise tags of a word that may follow such a bare possessive ("stayed at Grace's until …"). */
export const BARE_AFTER_TAGS = set("bareAfterTags");
/** First words of an aside in brackets after a name that make it a person's ("Summer (she …)"). */
export const ASIDE_WORDS = set("asideWords");
/** Animals: a capitalised word in apposition after one is a pet's name ("his dog, Biscuit"). */
export const ANIMAL_NOUNS = set("animalNouns");
/** Months, and words of month talk: "May was a big month. June needs to be gentler." */
export const MONTH_NAMES = set("monthNames");
export const MONTH_TALK = set("monthTalk");
/** Words before a month used as a month ("in June", "since May"). */
export const BEFORE_MONTH = set("beforeMonth");
/** Personal pronouns: one later in the sentence makes a sentence-initial unknown word a person. */
export const PRONOUNS = set("pronouns");

/** Prepositions after which an unknown capitalised word is a place or organisation ("in Onehunga", "on Seek"). */
export const LOCATIVE = set("locative");
/** Determiners before a capitalised run that is not a name ("the Kimberley", "a Māori peer worker"). */
export const DETERMINERS = set("determiners");
/** Words that join items in a list ("Flaxmere and Camberley"). */
export const LIST_JOINERS = set("listJoiners");
/** Lower-case words inside a run of capitalised words naming an organisation ("Ministry of Health"). */
export const ORG_RUN_JOINERS = set("orgRunJoiners");
/** Name particles written in lower case inside a full name ("Ludwig van Beethoven"). */
export const PARTICLES = set("particles");
/** Surname prefixes that explain an inner capital ("McAllister", "DeShawn", "O'Brien"). */
export const NAME_PREFIXES_BEFORE_CAPITAL = set("namePrefixesBeforeCapital");

const englishSuffixes = list("englishSuffixes");
if (englishSuffixes.some((s) => !/^\p{Ll}+$/u.test(s))) {
  throw new Error(`identifying-cues.json: "englishSuffixes" must hold lower-case letters only`);
}
/** Word endings of ordinary English words ("-tion", "-ness", "-ised"). */
export const ENGLISH_SUFFIX = new RegExp(`(?:${englishSuffixes.join("|")})$`, "u");

/** compromise tags that mean "not a name" for a capitalised token. */
export const NON_NAME_TAGS = set("nonNameTags");
/** compromise tags for places, organisations and calendar words. */
export const PLACE_ORG_TAGS = set("placeOrgTags");
/** compromise tags that rule out a capitalised word as a surname after a first name. */
export const NOT_SURNAME_TAGS = set("notSurnameTags");
/** compromise tags under which a known first name at the start of a sentence is read as a word ("Will", "Pat"). */
export const VERB_READING_TAGS = set("verbReadingTags");
/** compromise tags that rule out an English-looking capitalised word as a name even with a cue. */
export const DESCRIPTIVE_TAGS = set("descriptiveTags");
/** compromise tags that rule out an unknown capitalised word inside a sentence as a name. */
export const NOT_NAME_INSIDE_TAGS = set("notNameInsideTags");
