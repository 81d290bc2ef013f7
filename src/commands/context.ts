import type { ScreenResult } from "../bot/screening.js";
import type { Logger } from "../logging/logger.js";
import type { MemberDataSection, MemberStore } from "../members/member-store.js";
import type { Member } from "../members/member.js";
import type { PendingConsents } from "../members/pending-consents.js";
import type { InboundEvent, MemberId, Responder } from "../platform/chat-platform.js";
import type { Clock } from "../time/clock.js";

export type MemberChange = "joined" | "updated" | "paused" | "resumed" | "forgotten";

/** What the core's handlers are given. Built once by `createBot`. */
export interface BotDeps {
  readonly members: MemberStore;
  /** Every store of member data, for export and forget. Includes the member store. */
  readonly dataSections: readonly MemberDataSection[];
  readonly consents: PendingConsents;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Platform-qualified ids given the coordinator role when they join. */
  readonly coordinators: ReadonlySet<MemberId>;
  /** Told after a member joins, changes a setting, pauses, resumes or is forgotten (member null). */
  readonly onMemberChanged?: (id: MemberId, member: Member | null, change: MemberChange) => Promise<void>;
}

export interface HandlerContext {
  readonly deps: BotDeps;
  readonly event: InboundEvent;
  readonly memberId: MemberId;
  readonly responder: Responder;
  /** The member's record, or null before they join. */
  readonly member: Member | null;
  /** What to call them: their record's name, else the platform's, else their id's last part. */
  readonly displayName: string;
  /** What the safety screen found in the event's text (nothing, for a button). */
  readonly screen: ScreenResult;
}

export interface Subcommand {
  readonly name: string;
  /** The form shown in help and in error examples, e.g. `/peer pause [until YYYY-MM-DD | for <N>d|<N>w]`. */
  readonly usage: string;
  readonly summary: string;
  /** Runs before joining too (help, join, forget, export). */
  readonly openToAll?: boolean;
  readonly coordinatorOnly?: boolean;
  run(context: HandlerContext, args: readonly string[]): Promise<void>;
}

/** A button the core sent earlier, routed by its action id. */
export interface ButtonAction {
  readonly id: string;
  run(context: HandlerContext, value: string | undefined): Promise<void>;
}

export interface FormAction {
  readonly id: string;
  run(context: HandlerContext, values: Readonly<Record<string, string>>): Promise<void>;
}
