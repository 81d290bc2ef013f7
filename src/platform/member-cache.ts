import type { MemberId } from "./chat-platform.js";

/**
 * Small per-member facts an adapter keeps so that scheduled sends need no
 * look-ups (a Slack DM channel id, a display name). Kept under the member's
 * own keys, so `/peer forget` removes them with everything else; for someone
 * who has not joined, kept in memory only, since nothing is stored before consent.
 * It is a cache: a value may be missing (another process, an evicted or
 * too-long value) and the caller looks it up again.
 */
export interface MemberCache {
  get(member: MemberId, name: string): Promise<string | null>;
  set(member: MemberId, name: string, value: string): Promise<void>;
  delete(member: MemberId, name: string): Promise<void>;
}
