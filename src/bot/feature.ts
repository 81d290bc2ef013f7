import type { ButtonAction, FormAction, HandlerContext, Subcommand } from "../commands/context.js";

/**
 * A slice of behaviour plugged into the core: its subcommands, the buttons
 * and forms it answers, and optionally a claim on direct messages (e.g. a
 * reflection in progress). Features are listed once, at start-up.
 */
export interface Feature {
  readonly commands?: readonly Subcommand[];
  readonly buttons?: readonly ButtonAction[];
  readonly forms?: readonly FormAction[];
  /** Returns true when it handled the message. */
  onDirectMessage?(context: HandlerContext, text: string): Promise<boolean>;
}
