import { UserInputError } from "../errors.js";

/**
 * Splits command text into words. Double quotes (straight or the curly ones
 * phones and Slack substitute) group words with spaces: `region:"Wide Bay"`
 * and `"region:Wide Bay"` both give `region:Wide Bay`.
 */
export function tokenize(text: string): string[] {
  const normalised = text.replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"');
  const tokens: string[] = [];
  let current = "";
  let inQuotes = false;
  let hasToken = false;
  for (const char of normalised) {
    if (char === '"') {
      inQuotes = !inQuotes;
      hasToken = true;
    } else if (!inQuotes && /\s/.test(char)) {
      if (hasToken) tokens.push(current);
      current = "";
      hasToken = false;
    } else {
      current += char;
      hasToken = true;
    }
  }
  if (inQuotes) {
    throw new UserInputError(
      "A double quote isn't closed. Put values with spaces inside a pair of quotes.",
      '/peer join region:"Wide Bay" tz:Australia/Brisbane days:mon-wed hours:09:00-15:00',
    );
  }
  if (hasToken) tokens.push(current);
  return tokens;
}

/**
 * Reads `key:value` options. Every key must be one of `allowed`, given once;
 * a word without a key is an error naming the word.
 */
export function parseOptions(
  tokens: readonly string[],
  allowed: readonly string[],
  example: string,
): Map<string, string> {
  const options = new Map<string, string>();
  for (const token of tokens) {
    const colon = token.indexOf(":");
    if (colon <= 0) {
      throw new UserInputError(
        `I didn't understand "${token}". Options are written name:value, with no space after the colon.`,
        example,
      );
    }
    const key = token.slice(0, colon).toLowerCase();
    const value = token.slice(colon + 1);
    if (!allowed.includes(key)) {
      throw new UserInputError(
        `"${key}" isn't an option here. The options are ${allowed.join(", ")}.`,
        example,
      );
    }
    if (options.has(key)) {
      throw new UserInputError(`${key} is given twice. Give each option once.`, example);
    }
    if (value.trim() === "") {
      throw new UserInputError(`${key} has no value after the colon.`, example);
    }
    options.set(key, value);
  }
  return options;
}
