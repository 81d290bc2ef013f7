import { UserInputError } from "../errors.js";

/**
 * Splits command text into words. Double quotes (straight or the curly ones
 * phones and Slack substitute) group words with spaces: `region:"Wide Bay"`
 * and `"region:Wide Bay"` both give `region:Wide Bay`. A platform mention
 * (`<@U02ABC|Kim Lee>`) stays one word.
 */
export function tokenize(text: string): string[] {
  const normalised = text.replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"');
  const tokens: string[] = [];
  let current = "";
  let inQuotes = false;
  /** Inside a mention as Slack writes it, `<@U02ABC|Kim Lee>`, whose name may have spaces. */
  let inMention = false;
  let hasToken = false;
  const chars = [...normalised];
  const lastClose = chars.lastIndexOf(">");
  for (const [index, char] of chars.entries()) {
    // Only a mention that closes: an unclosed `<@` must not swallow the rest of the text, quotes and all.
    if (!inQuotes && !inMention && char === "<" && chars[index + 1] === "@" && index < lastClose) {
      inMention = true;
    }
    if (inMention) {
      current += char;
      hasToken = true;
      if (char === ">") inMention = false;
    } else if (char === '"') {
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
