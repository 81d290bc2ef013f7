import type { ChatPort } from "../commands/context.js";
import type { Member } from "../members/member.js";
import { type ConversationRef, dmWith, platformOf } from "../platform/chat-platform.js";

/**
 * A small group's spaces, one per platform its members are on: a group
 * conversation where two or more share the platform, else the one member's
 * DM (what is said elsewhere reaches them there). Used by peer circles and
 * co-supervision check-ins.
 */
export async function openSpaces(
  chat: ChatPort,
  members: readonly Member[],
  title: string,
): Promise<ConversationRef[]> {
  const byPlatform = new Map<string, Member[]>();
  for (const member of members) {
    const list = byPlatform.get(platformOf(member.id)) ?? [];
    list.push(member);
    byPlatform.set(platformOf(member.id), list);
  }
  return Promise.all(
    [...byPlatform.values()].map((group) =>
      group.length >= 2
        ? chat.openGroup(
            group.map((m) => m.id),
            title,
          )
        : dmWith((group[0] as Member).id),
    ),
  );
}
