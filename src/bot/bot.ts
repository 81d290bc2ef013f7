import type { BotDeps, ButtonAction, FormAction, HandlerContext, Subcommand } from "../commands/context.js";
import { exportCommand, forgetCancel, forgetCommand, forgetConfirm } from "../commands/data-rights.js";
import { createHelpCommand } from "../commands/help.js";
import { JOIN_EXAMPLE, consentNo, consentYes, joinCommand, joinFormAction } from "../commands/join.js";
import { pauseCommand, resumeCommand } from "../commands/pause.js";
import { profileCommand, setCommand } from "../commands/profile.js";
import { tokenize } from "../commands/tokenize.js";
import { BotError, UserInputError, isBotError } from "../errors.js";
import type { Member } from "../members/member.js";
import type { InboundEvent, InboundHandler, Responder } from "../platform/chat-platform.js";
import { within } from "../time/within.js";
import type { Feature } from "./feature.js";
import {
  type HardMessage,
  NOTHING_FOUND,
  type ScreenResult,
  freeTextOf,
  whereaboutsOf,
} from "./screening.js";

export interface Bot {
  /** Give this to every platform adapter's `start`. */
  readonly handle: InboundHandler;
  readonly commands: readonly Subcommand[];
}

/**
 * How long the crisis reply waits for the member's record (to choose the lines
 * for where they are) before it goes anyway, with what the platform knows.
 */
export const CRISIS_LOOKUP_MS = 250;

const SORRY =
  "Sorry — something went wrong on my side and I couldn't do that just now. Nothing you sent has been lost; please try again in a minute.";

const baseFeature: Feature = {
  commands: [
    joinCommand,
    profileCommand,
    setCommand,
    pauseCommand,
    resumeCommand,
    exportCommand,
    forgetCommand,
  ],
  buttons: [consentYes, consentNo, forgetConfirm, forgetCancel],
  forms: [joinFormAction],
};

/** The platform-neutral bot: routes inbound events to commands, buttons, forms and features. */
export function createBot(deps: BotDeps, features: readonly Feature[] = []): Bot {
  const all = [baseFeature, ...features];
  const commands: Subcommand[] = [];
  const help = createHelpCommand(() => commands);
  commands.push(help, ...all.flatMap((feature) => feature.commands ?? []));
  const byName = new Map(commands.map((command) => [command.name, command]));
  const buttons = new Map<string, ButtonAction>(all.flatMap((f) => f.buttons ?? []).map((b) => [b.id, b]));
  const forms = new Map<string, FormAction>(all.flatMap((f) => f.forms ?? []).map((f) => [f.id, f]));
  const screens = all.flatMap((feature) => (feature.screen ? [feature.screen] : []));
  if (screens.length > 1) throw new BotError("INTERNAL", "only one feature may screen inbound text");
  const screen = screens[0];

  async function runCommand(context: HandlerContext, text: string): Promise<void> {
    const [first, ...args] = tokenize(text.replace(/^\s*\/peer\b/i, ""));
    const name = (first ?? "help").toLowerCase();
    const command = byName.get(name);
    if (!command) {
      throw new UserInputError(
        `I don't know the command "${first}". The commands are: ${commands.map((c) => c.name).join(", ")}.`,
        "/peer help",
      );
    }
    if (command.coordinatorOnly && context.member?.role !== "coordinator") {
      throw new UserInputError(`Only network coordinators can use /peer ${command.name}.`, "/peer help");
    }
    if (!command.openToAll && !context.member) {
      throw new UserInputError(
        `You haven't joined the network yet, so there's nothing for /peer ${command.name} to work on. Join first:`,
        JOIN_EXAMPLE,
      );
    }
    await command.run(context, args);
  }

  async function runMessage(context: HandlerContext, text: string): Promise<void> {
    if (/^\s*\/peer\b/i.test(text)) return runCommand(context, text);
    for (const feature of all) {
      if (feature.onDirectMessage && (await feature.onDirectMessage(context, text))) return;
    }
    // The debrief reply has answered it already.
    if (context.screen.outcome === "vicarious") return;
    await context.responder.reply({
      text: context.member
        ? "Thanks for your message. I don't have anything open with you right now — /peer reflect starts a reflection, and /peer help shows everything else."
        : "Hi, I'm the peer network bot. Type /peer help to see what I do, or /peer join to become part of the network.",
    });
  }

  async function dispatch(context: HandlerContext, event: InboundEvent): Promise<void> {
    switch (event.kind) {
      case "command":
        return runCommand(context, event.text);
      case "message":
        return runMessage(context, event.text);
      case "button": {
        const action = buttons.get(event.actionId);
        if (!action)
          throw new UserInputError("That button has expired. Type /peer help to see what you can do.");
        return action.run(context, event.value);
      }
      case "form": {
        const action = forms.get(event.formId);
        if (!action)
          throw new UserInputError("That form has expired. Type /peer help to see what you can do.");
        return action.run(context, event.values);
      }
    }
  }

  function contextFor(
    event: InboundEvent,
    responder: Responder,
    member: Member | null,
    found: ScreenResult,
  ): HandlerContext {
    const fallbackName = event.member.split(":").pop() || event.member;
    return {
      deps,
      event,
      memberId: event.member,
      responder,
      member,
      displayName: member?.displayName ?? event.displayName ?? fallbackName,
      screen: found,
    };
  }

  /**
   * Someone may be at risk. The reply goes first, straight back through the
   * responder (never the queue), and waits at most CRISIS_LOOKUP_MS for their
   * record, so a slow Redis cannot hold it up. Then features do their part
   * (put an open diary aside, ask whether to keep the words); a failure there
   * is logged by code only, since the member already has the reply that matters.
   */
  async function answerRisk(
    event: InboundEvent,
    responder: Responder,
    found: ScreenResult,
    text: string,
    log: typeof deps.logger,
  ): Promise<void> {
    if (!screen) return;
    const lookup = deps.members.get(event.member);
    const member = await within(lookup, CRISIS_LOOKUP_MS);
    await responder.reply(screen.crisisReply(whereaboutsOf(member ?? null, event), found.sure));
    try {
      const context = contextFor(event, responder, await lookup, found);
      const hard: HardMessage =
        event.kind === "form"
          ? { source: "form", text, formId: event.formId, values: event.values }
          : { source: event.kind === "command" ? "command" : "message", text };
      for (const feature of all) await feature.afterCrisisReply?.(context, hard);
    } catch (error) {
      log.error(
        { code: isBotError(error) ? error.code : "INTERNAL", err: errorSummary(error) },
        "aftercare failed",
      );
    }
  }

  const handle: InboundHandler = async (event: InboundEvent, responder: Responder) => {
    const log = deps.logger.child({ member: event.member, kind: event.kind });
    try {
      const text = screen ? freeTextOf(event) : "";
      const found = text.trim() ? (screen?.assess(text) ?? NOTHING_FOUND) : NOTHING_FOUND;
      if (found.outcome === "own-risk") return await answerRisk(event, responder, found, text, log);
      // Vicarious distress is answered in conversation, not on a command line.
      const screened = found.outcome === "vicarious" && event.kind === "command" ? NOTHING_FOUND : found;
      const member = await deps.members.get(event.member);
      const context = contextFor(event, responder, member, screened);
      if (screened.outcome === "vicarious" && screen) {
        await responder.reply(screen.debriefReply(whereaboutsOf(member, event)));
      }
      await dispatch(context, event);
    } catch (error) {
      const isInput = error instanceof UserInputError;
      if (isInput) log.debug({ code: error.code }, "input refused");
      else
        log.error(
          { code: isBotError(error) ? error.code : "INTERNAL", err: errorSummary(error) },
          "handler failed",
        );
      try {
        await responder.reply({ text: isInput ? error.toReply() : SORRY });
      } catch (replyError) {
        log.error(
          { code: "PLATFORM_FAILED", err: errorSummary(replyError) },
          "could not send the error reply",
        );
      }
    }
  };

  return { handle, commands };
}

/** Name, code and stack of an error, without its message's user text. */
function errorSummary(error: unknown): Record<string, unknown> {
  if (error instanceof BotError) {
    return { name: error.name, code: error.code, message: error.message, cause: errorSummary(error.cause) };
  }
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { value: String(error) };
}
