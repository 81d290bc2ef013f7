import type { Member } from "../../members/member.js";
import { platformOf } from "../../platform/chat-platform.js";
import type { UnplacedReason } from "./matching/index.js";

const PLATFORM_NAMES: Readonly<Record<string, string>> = {
  slack: "Slack",
  discord: "Discord",
  local: "the local chat",
};

export function platformName(id: string): string {
  return PLATFORM_NAMES[platformOf(id)] ?? platformOf(id);
}

/** A member's first name, as the circle sees it. */
export function firstName(member: Pick<Member, "displayName">): string {
  return member.displayName.trim().split(/\s+/)[0] || member.displayName;
}

/** Counts about people are shown only from five up. */
export function atLeastFive(count: number): string {
  return count === 0 ? "none" : count < 5 ? "fewer than 5" : String(count);
}

export function circleTitle(members: readonly Member[]): string {
  return `Peer circle: ${members.map(firstName).join(", ")}`;
}

export interface IntroLine {
  readonly member: Member;
  /** The shared hours in this member's own zone. */
  readonly shared: string;
}

export function introText(lines: readonly IntroLine[], question: string | undefined, inDm: boolean): string {
  const who = lines
    .map(({ member }) => `${firstName(member)} (${member.region}, on ${platformName(member.id)})`)
    .join(", ");
  const hours = lines.map(
    ({ member, shared }) =>
      `• ${firstName(member)}: ${shared || "no shared hours this week"} (${member.timeZone})`,
  );
  return [
    `Welcome to your peer circle: ${who}.`,
    "You're all peer workers, from different places — a space to talk about the work with people who get it, at whatever pace suits you.",
    "",
    "When your working hours overlap each week, each in your own time:",
    ...hours,
    ...(question ? ["", `A first question, only if you'd like one: “${question}”`] : []),
    "",
    inDm
      ? "You're the only one here on this platform, so I'll pass on what the others write, in this chat. To write to the circle, use /peer circle say <your words>."
      : "What you write here reaches everyone in the circle, on whichever platform they use; what others write elsewhere shows up here with their name.",
    "Please keep what people share in the circle. You can leave any time with /peer circle leave — no reason needed.",
  ].join("\n");
}

export function relayedText(author: Member, text: string): string {
  return `${firstName(author)} (on ${platformName(author.id)}): ${text}`;
}

export function leftText(member: Member): string {
  return `${firstName(member)} has left the circle. Take care, ${firstName(member)}.`;
}

export function movedText(): string {
  return "Someone has left the circle, so it carries on here, with everyone still in it.";
}

export const ROUND_OVER =
  "This circle's round has finished. Thank you for being part of it. If you're still in for circles, you'll be in a new one this round.";

export const CIRCLE_ENDED =
  "Your circle has ended, as too few people are left in it. You'll be in a new one at the next round, if you'd like that.";

export function nudgeText(question: string | undefined): string {
  return [
    "It's been a quiet couple of weeks here — no pressure at all, everyone's weeks are full.",
    ...(question ? [`If it helps to start, here's something to think about: “${question}”`] : []),
  ].join("\n");
}

const REASONS: Readonly<Record<UnplacedReason, string>> = {
  "no-overlap":
    "your working hours didn't overlap enough with anyone else's this time (a circle needs about two shared hours a week)",
  conflicts: "the people whose hours matched yours were ones you or the network had asked to keep apart",
  "too-few": "there weren't enough people in for circles this round",
};

export function unplacedText(reason: UnplacedReason): string {
  return `I couldn't find you a peer circle this round: ${REASONS[reason]}. Nothing you need to do — you're still in, and I'll try again next round. /peer set hours or /peer set days can widen the times you're around.`;
}
