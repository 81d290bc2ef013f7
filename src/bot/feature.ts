import type {
  ButtonAction,
  FormAction,
  HandlerContext,
  MemberChange,
  Subcommand,
} from "../commands/context.js";
import type { ScheduledKind } from "../delivery/scheduled-kind.js";
import type { MemberDataSection } from "../members/member-store.js";
import type { Member } from "../members/member.js";
import type { MemberId } from "../platform/chat-platform.js";
import type { HardMessage, SafetyScreen } from "./screening.js";

/**
 * A slice of behaviour plugged into the core whole: its subcommands, the
 * buttons and forms it answers, its claim on messages, the kinds of item it
 * schedules (with their handlers), the data it keeps about a member (for
 * export and forget), and what it does when a member changes. Features are
 * listed once, in `bin/app.ts`; nothing else in the core names them.
 */
export interface Feature {
  /** A short name, for logs and the export's sections. */
  readonly name: string;
  readonly commands?: readonly Subcommand[];
  readonly buttons?: readonly ButtonAction[];
  readonly forms?: readonly FormAction[];
  /** The screen for every inbound text. One feature (safety) provides it. */
  readonly screen?: SafetyScreen;
  /** The kinds of scheduled item it sends, each with its handler. */
  readonly scheduled?: readonly ScheduledKind[];
  /** Every store of member data it keeps, so /peer export shows it and /peer forget deletes it. */
  readonly dataSections?: readonly MemberDataSection[];
  /** Told after a member joins, changes a setting, pauses, resumes or is forgotten (member null). */
  onMemberChanged?(id: MemberId, member: Member | null, change: MemberChange): Promise<void>;
  /** A message in the member's DM with the bot. Returns true when it handled the message. */
  onDirectMessage?(context: HandlerContext, text: string): Promise<boolean>;
  /** A message in a group conversation the bot is in. Returns true when it handled the message. */
  onGroupMessage?(context: HandlerContext, text: string): Promise<boolean>;
  /** A member's message in a group was edited (`text` set) or deleted (`text` null). True when handled. */
  onGroupMessageChanged?(context: HandlerContext, text: string | null): Promise<boolean>;
  /**
   * Told after the crisis reply has gone to a member who may be at risk, in
   * place of handling the event: e.g. put an open diary aside and ask whether
   * to keep their words. Nobody else is ever told.
   */
  afterCrisisReply?(context: HandlerContext, hard: HardMessage): Promise<void>;
}
