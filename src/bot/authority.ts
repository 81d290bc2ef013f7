import type { Member, MemberRole } from "../members/member.js";
import type { MemberId } from "../platform/chat-platform.js";

/** Who may do something: anyone (before joining too), members, or network coordinators. */
export type Access = "anyone" | "member" | "coordinator";

/** Who is acting, for this request: their record and their role now. */
export interface Actor {
  readonly id: MemberId;
  readonly member: Member | null;
  /** Null before they join. */
  readonly role: MemberRole | null;
}

/** Something an actor asks to do: a command, a button, a form. */
export interface Action {
  /** Stable name, e.g. `command:holiday`, `button:prompt:later`. */
  readonly name: string;
  readonly access: Access;
}

/** What the action is done to, where that matters: a record that belongs to one member. */
export interface Resource {
  readonly owner?: MemberId;
}

export type Verdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: "not-joined" | "not-coordinator" | "not-yours" };

/**
 * The role a person has right now: a coordinator while their id is in
 * COORDINATORS (so adding or removing them applies at once, demotion
 * included), otherwise a peer worker once they have joined. The role stored
 * in the record says what it was when they joined; it is not authority.
 */
export function roleOf(
  id: MemberId,
  member: Member | null,
  coordinators: ReadonlySet<MemberId>,
): MemberRole | null {
  if (!member) return null;
  return coordinators.has(id) ? "coordinator" : "peer-worker";
}

/** The one authority check, for commands, buttons and forms alike. */
export function can(actor: Actor, action: Action, resource: Resource = {}): Verdict {
  if (resource.owner !== undefined && resource.owner !== actor.id)
    return { allowed: false, reason: "not-yours" };
  if (action.access === "anyone") return { allowed: true };
  if (!actor.member) return { allowed: false, reason: "not-joined" };
  if (action.access === "coordinator" && actor.role !== "coordinator") {
    return { allowed: false, reason: "not-coordinator" };
  }
  return { allowed: true };
}
