import type { AskedQuestions } from "../bot/asked.js";
import type { Access } from "../bot/authority.js";
import type { ScreenResult } from "../bot/screening.js";
import type { Outbox } from "../delivery/outbox.js";
import type { Logger } from "../logging/logger.js";
import type { HandleStore } from "../members/handles.js";
import type { MemberDataSection, MemberStore } from "../members/member-store.js";
import type { Member } from "../members/member.js";
import type { PendingConsentStore } from "../members/pending-consents.js";
import type {
  ConversationRef,
  InboundEvent,
  MemberId,
  MessageRef,
  OutboundMessage,
  Responder,
} from "../platform/chat-platform.js";
import type { Clock } from "../time/clock.js";
import type { CommandEntry } from "./schema.js";

export type MemberChange = "joined" | "updated" | "paused" | "resumed" | "forgotten";

/**
 * Posting outside the reply to the event in hand: into a member's DM or a
 * group, and editing what was posted. Straight to the platform — for a reply
 * to what a member has just done. Scheduled and group fan-out goes through
 * the paced outbound queue instead.
 */
export interface ChatPort {
  post(conversation: ConversationRef, message: OutboundMessage): Promise<MessageRef>;
  edit(message: MessageRef, replacement: OutboundMessage): Promise<void>;
  delete(message: MessageRef): Promise<void>;
  openGroup(members: readonly MemberId[], title: string): Promise<ConversationRef>;
}

/** What the core's handlers are given. Built once by `createBot`. */
export interface BotDeps {
  readonly members: MemberStore;
  /** Every store of member data, for export and forget. Includes the member store. */
  readonly dataSections: readonly MemberDataSection[];
  readonly consents: PendingConsentStore;
  /** The chat platforms, for posting into a DM or group (see ChatPort). */
  readonly chat: ChatPort;
  /** Posts that go through the paced, exactly-once outbound queue (group posts, fan-out). */
  readonly outbox: Outbox;
  /** The yes/no question last put to each member, so a typed yes or no answers it. */
  readonly asked: AskedQuestions;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Platform-qualified ids given the coordinator role when they join. */
  readonly coordinators: ReadonlySet<MemberId>;
  /**
   * Every member's handle (`@kim`): given at join, shown in /peer profile,
   * changed with /peer set handle, and how a member option names a peer.
   * Also list it in `dataSections` (RedisHandleStore is the "handle" section).
   */
  readonly handles: HandleStore;
  /** Told after a member joins, changes a setting, pauses, resumes or is forgotten (member null). */
  readonly onMemberChanged?: (id: MemberId, member: Member | null, change: MemberChange) => Promise<void>;
  /**
   * Whether the store (Redis) is reachable now. While it isn't, a request is
   * answered at once that nothing can be saved, instead of waiting for it.
   * Absent: always reachable.
   */
  readonly storeAvailable?: () => boolean;
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

/**
 * One top-level entry of `/peer` — a command or a group of them — declared
 * with the command schema (`schema.ts`), ready to run.
 */
export type Subcommand = CommandEntry;

/** A button the core sent earlier, routed by its action id. */
export interface ButtonAction {
  readonly id: string;
  /** Who may press it (default: members). */
  readonly access?: Access;
  /**
   * Whether the button still belongs to what is open now. A press on a button
   * from an earlier question does nothing but say so. Absent: always current.
   */
  isCurrent?(context: HandlerContext, value: string | undefined): Promise<boolean>;
  /** Typing this word in the DM presses the button, while its question is the last one asked. */
  readonly typedAnswer?: "yes" | "no";
  run(context: HandlerContext, value: string | undefined): Promise<void>;
}

export interface FormAction {
  readonly id: string;
  /** Who may submit it (default: members). */
  readonly access?: Access;
  run(context: HandlerContext, values: Readonly<Record<string, string>>): Promise<void>;
}
