/**
 * Slack's text formatting treats `&`, `<` and `>` as control characters: `<@U1>`
 * is a mention and `<http://x|y>` a link. The core's words (e.g. `region:<name>`
 * in help) must show literally, and members' words must reach the core as typed.
 */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Slack sends message and command text with `&`, `<` and `>` escaped. */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** Slack allows at most 3000 characters in a section block's text. */
export const SECTION_TEXT_LIMIT = 3000;

/**
 * Cuts already-escaped text into pieces of at most `limit` characters, at a line
 * break where there is one, else at a space, and never inside an `&lt;`-style
 * entity or a surrogate pair.
 */
export function splitForSections(text: string, limit = SECTION_TEXT_LIMIT): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf("\n", limit);
    if (cut <= 0) cut = rest.lastIndexOf(" ", limit);
    if (cut <= 0) {
      cut = limit;
      const amp = rest.lastIndexOf("&", cut - 1);
      if (amp > 0 && amp > cut - 5 && !rest.slice(amp, cut).includes(";")) cut = amp;
      const before = rest.charCodeAt(cut - 1);
      if (cut > 1 && before >= 0xd800 && before <= 0xdbff) cut -= 1;
    }
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, "");
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}
