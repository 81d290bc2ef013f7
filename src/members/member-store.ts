import type { MemberId } from "../platform/chat-platform.js";
import type { Preferences } from "../schedule/preferences.js";
import type { Member } from "./member.js";

/**
 * Top-level member fields to change; the id never changes. Each field given
 * replaces that field whole (`preferences` too: pass the full object you
 * want). `preferences: undefined` removes the preferences (back to defaults).
 */
export type MemberPatch = Omit<Partial<Member>, "id" | "preferences"> & {
  readonly preferences?: Partial<Preferences> | undefined;
};

/** The repository for members. Implementations: Redis (`store/redis-member-store.ts`). */
export interface MemberStore {
  get(id: MemberId): Promise<Member | null>;
  /** Several at once, in the order asked; null where there is no such member. */
  getMany(ids: readonly MemberId[]): Promise<Array<Member | null>>;
  /** Creates or replaces the member record. Prefer `update` for an existing member. */
  save(member: Member): Promise<void>;
  /**
   * Changes only the fields in `patch`, atomically: a change another process
   * made meanwhile to any other field is kept, never overwritten. Returns the
   * member as stored after the change, or null when there is no such member
   * (or its record is unreadable); never creates one.
   *
   * `patch` may be a function of the member as currently stored; it is called
   * again if another process changed the member first, so a patch built from
   * the current value (e.g. one preference inside `preferences`) never undoes
   * a concurrent change. It must have no side effects; what it throws is thrown.
   */
  update(id: MemberId, patch: MemberPatch | ((current: Member) => MemberPatch)): Promise<Member | null>;
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
