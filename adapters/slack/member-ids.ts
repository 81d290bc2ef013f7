import { BotError } from "../../src/errors.js";
import type { MemberId } from "../../src/platform/chat-platform.js";

/**
 * `slack:<team_id>:<user_id>`, where the team is the workspace the bot is
 * installed in (the one an event or command arrives from).
 */
export function slackMemberId(teamId: string, userId: string): MemberId {
  return `slack:${teamId}:${userId}`;
}

const SLACK_ID = /^[A-Z0-9]{1,40}$/;
const SLACK_MEMBER = /^slack:([A-Z0-9]+):([A-Z0-9]+)$/;

/** A Slack team, user or channel id as Slack writes them (e.g. T01AB, U02CD). */
export function isSlackId(value: unknown): value is string {
  return typeof value === "string" && SLACK_ID.test(value);
}

export function slackUserId(member: MemberId): string {
  const match = SLACK_MEMBER.exec(member);
  if (!match?.[2]) throw new BotError("PLATFORM_FAILED", `not a Slack member id: ${member}`);
  return match[2];
}

export function slackTeamId(member: MemberId): string {
  const match = SLACK_MEMBER.exec(member);
  if (!match?.[1]) throw new BotError("PLATFORM_FAILED", `not a Slack member id: ${member}`);
  return match[1];
}
