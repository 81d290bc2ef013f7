import type { ButtonAction, FormAction, HandlerContext, Subcommand } from "../commands/context.js";
import type { HardMessage, SafetyScreen } from "./screening.js";

/**
 * A slice of behaviour plugged into the core: its subcommands, the buttons
 * and forms it answers, and optionally a claim on direct messages (e.g. a
 * reflection in progress). Features are listed once, at start-up.
 */
export interface Feature {
  readonly commands?: readonly Subcommand[];
  readonly buttons?: readonly ButtonAction[];
  readonly forms?: readonly FormAction[];
  /** The screen for every inbound text. One feature (safety) provides it. */
  readonly screen?: SafetyScreen;
  /** Returns true when it handled the message. */
  onDirectMessage?(context: HandlerContext, text: string): Promise<boolean>;
  /**
   * Told after the crisis reply has gone to a member who may be at risk, in
   * place of handling the event: e.g. put an open diary aside and ask whether
   * to keep their words. Nobody else is ever told.
   */
  afterCrisisReply?(context: HandlerContext, hard: HardMessage): Promise<void>;
}
