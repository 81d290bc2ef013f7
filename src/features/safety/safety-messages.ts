import type { Whereabouts } from "../../bot/screening.js";
import type { OutboundMessage } from "../../platform/chat-platform.js";
import words from "./content/safety-words.json" with { type: "json" };
import { formatLines, supportDirectory } from "./support-lines.js";

/** How many support lines a crisis or debrief reply lists; `/peer support` lists them all. */
const CRISIS_LINES = 6;
const DEBRIEF_LINES = 3;

/** The private reply to someone who may be at risk: warm, plain, the lines for where they are. */
export function crisisReply(where: Whereabouts, sure: boolean): OutboundMessage {
  const directory = supportDirectory(where);
  const emergency = directory.emergency ?? words.emergencyUnknown;
  const opening = sure ? words.crisis.sure.replace("{emergency}", emergency) : words.crisis.unsure;
  return {
    text: [opening, "", formatLines(directory, { limit: CRISIS_LINES }), "", words.crisis.closing].join("\n"),
  };
}

/**
 * The reply to someone shaken by another person's crisis or worn down by the
 * work: it acknowledges, suggests talking it over, offers one small idea, and
 * lists a few lines as an option rather than an alarm.
 */
export function debriefReply(where: Whereabouts, random: () => number = Math.random): OutboundMessage {
  const ideas = words.debrief.ideas;
  const idea = ideas[Math.floor(random() * ideas.length)] ?? ideas[0];
  return {
    text: [
      `${words.debrief.opening} ${words.debrief.talk}`,
      "",
      `${words.debrief.care} ${idea}`,
      "",
      words.debrief.lines,
      formatLines(supportDirectory(where), { limit: DEBRIEF_LINES, emergency: false }),
    ].join("\n"),
  };
}

/** `/peer support`: every line we hold for where the person is. */
export function supportListReply(where: Whereabouts): OutboundMessage {
  const directory = supportDirectory(where);
  const place = directory.countryName && directory.lines.length > 0 ? ` in ${directory.countryName}` : "";
  return {
    text: [
      words.support.intro.replace("{where}", place),
      "",
      formatLines(directory),
      "",
      words.support.closing,
    ].join("\n"),
  };
}
