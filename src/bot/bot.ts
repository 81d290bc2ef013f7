import type { BotDeps, ButtonAction, FormAction, HandlerContext, Subcommand } from "../commands/context.js";
import { exportCommand, forgetCancel, forgetCommand, forgetConfirm } from "../commands/data-rights.js";
import { createHelpCommand } from "../commands/help.js";
import { JOIN_EXAMPLE, consentNo, consentYes, joinCommand, joinFormAction } from "../commands/join.js";
import { pauseCommand, resumeCommand } from "../commands/pause.js";
import { profileCommand, setCommand } from "../commands/profile.js";
import { tokenize } from "../commands/tokenize.js";
import { BotError, UserInputError, isBotError } from "../errors.js";
import type { InboundEvent, InboundHandler, Responder } from "../platform/chat-platform.js";
import { soundsLikeDistress, supportMessage } from "../support/distress.js";
import type { Feature } from "./feature.js";

export interface Bot {
  /** Give this to every platform adapter's `start`. */
  readonly handle: InboundHandler;
  readonly commands: readonly Subcommand[];
}

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
    if (soundsLikeDistress(text)) {
      await context.responder.reply(supportMessage());
      return;
    }
    if (/^\s*\/peer\b/i.test(text)) return runCommand(context, text);
    for (const feature of all) {
      if (feature.onDirectMessage && (await feature.onDirectMessage(context, text))) return;
    }
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

  const handle: InboundHandler = async (event: InboundEvent, responder: Responder) => {
    const log = deps.logger.child({ member: event.member, kind: event.kind });
    try {
      const member = await deps.members.get(event.member);
      const fallbackName = event.member.split(":").pop() || event.member;
      const context: HandlerContext = {
        deps,
        event,
        memberId: event.member,
        responder,
        member,
        displayName: member?.displayName ?? event.displayName ?? fallbackName,
      };
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
