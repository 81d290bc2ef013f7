import { UserInputError } from "../errors.js";

/**
 * Caps on what a member types and on how much of it a reply repeats back.
 * A refusal names the word it couldn't read, but never quotes more than a
 * short stretch of it: an unknown word of 300,000 characters would otherwise
 * come back whole, split over a hundred messages.
 */

/** The longest command text that is parsed at all; a longer one is refused by its length alone. */
export const MAX_COMMAND_CHARS = 4000;

/** The most of what a member typed that a reply shows, in characters (code points) before the ellipsis. */
export const QUOTE_LIMIT = 48;

/** Quoted spans in a reply, in straight or curly double quotes. */
const QUOTED = /"([^"]*)"|“([^”]*)”/g;

/**
 * What the member typed, cut to `limit` characters with an ellipsis, on one
 * line (line breaks and tabs become spaces), its double quotes made single
 * (so they can't end the quotes around it), without splitting a surrogate pair.
 */
export function clipTyped(text: string, limit = QUOTE_LIMIT): string {
  const flat = text.replace(/[\r\n\t\u2028\u2029]+/g, " ").replace(/["“”]/g, "'");
  const chars = [...flat];
  return chars.length <= limit ? flat : `${chars.slice(0, limit).join("")}…`;
}

/** `"what they typed"`, clipped: for every reply that quotes the member. */
export function quoteTyped(text: string, limit = QUOTE_LIMIT): string {
  return `"${clipTyped(text, limit)}"`;
}

/**
 * A reply with every quoted span clipped: the net under the refusals that
 * build their own quotes (option schemas across the features), so none of
 * them repeats more than QUOTE_LIMIT characters of a quoted value.
 */
export function clipQuotes(message: string, limit = QUOTE_LIMIT): string {
  return message.replace(QUOTED, (whole, straight: string | undefined, curly: string | undefined) => {
    const inner = straight ?? curly ?? "";
    if ([...inner].length <= limit) return whole;
    return straight !== undefined ? quoteTyped(inner, limit) : `“${clipTyped(inner, limit)}”`;
  });
}

/**
 * A refusal's message with each of these typed values (as typed, trimmed or
 * lower-cased) clipped wherever it appears, then every quoted span clipped.
 */
export function clipEchoes(message: string, typed: readonly string[] = []): string {
  const variants = new Set(
    typed.flatMap((value) => [value, value.trim(), value.toLowerCase(), value.trim().toLowerCase()]),
  );
  let clipped = message;
  for (const value of [...variants].sort((a, b) => b.length - a.length)) {
    if (value === "" || clipTyped(value) === value) continue;
    clipped = clipped.split(value).join(clipTyped(value));
  }
  return clipQuotes(clipped);
}

/** Rethrows `error`, with its echoes of `typed` and its quotes clipped when it is a refusal the member will read. */
export function clippedRefusal(error: unknown, typed: readonly string[] = []): never {
  if (error instanceof UserInputError) error.message = clipEchoes(error.message, typed);
  throw error;
}

/** The refusal for command text over MAX_COMMAND_CHARS, before any of it is read. */
export function tooLongCommand(length: number): UserInputError {
  return new UserInputError(
    `That command is ${length.toLocaleString("en")} characters long; a command can be at most ${MAX_COMMAND_CHARS.toLocaleString("en")}. Nothing was changed.`,
    "/peer help",
  );
}
