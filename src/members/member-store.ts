import type { MemberId } from "../platform/chat-platform.js";
import type { Member } from "./member.js";

/** The repository for members. Implementations: Redis (`store/redis-member-store.ts`). */
export interface MemberStore {
  get(id: MemberId): Promise<Member | null>;
  /** Several at once, in the order asked; null where there is no such member. */
  getMany(ids: readonly MemberId[]): Promise<Array<Member | null>>;
  /** Creates or replaces the member record. */
  save(member: Member): Promise<void>;
  /** Every member id, in no particular order. */
  listIds(): Promise<MemberId[]>;
}

/**
 * Anything that keeps data about a member registers a section, so that
 * `/peer export` shows all of it and `/peer forget` deletes all of it.
 */
export interface MemberDataSection {
  /** The key this section has in the export, e.g. "profile", "journal". */
  readonly name: string;
  export(id: MemberId): Promise<unknown>;
  forget(id: MemberId): Promise<void>;
}
