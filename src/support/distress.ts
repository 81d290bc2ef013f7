import support from "../content/support.json" with { type: "json" };
import type { OutboundMessage } from "../platform/chat-platform.js";

interface SupportLine {
  readonly name: string;
  readonly phone: string;
  readonly hours: string;
  readonly for: string;
}

function normalise(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02BC]/g, "'")
    .replace(/[^a-z0-9' ]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()} `;
}

const PHRASES: readonly string[] = support.phrases.map((phrase) => normalise(phrase));

/**
 * True when a member's message suggests they may be in distress. Only the
 * words a person writes about themselves are listed, so that describing
 * someone else's hard day at work does not trigger it.
 */
export function soundsLikeDistress(text: string): boolean {
  const haystack = normalise(text);
  return PHRASES.some((phrase) => haystack.includes(phrase));
}

/** The private reply offering support lines, sent at once and before anything else. */
export function supportMessage(): OutboundMessage {
  const lines = (support.lines as SupportLine[]).map(
    (line) => `• ${line.name}: ${line.phone} (${line.hours}) — ${line.for}`,
  );
  return { text: [support.intro, "", ...lines, "", support.closing].join("\n") };
}
