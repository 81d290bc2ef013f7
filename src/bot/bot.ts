import type { BotDeps, ButtonAction, FormAction, HandlerContext, Subcommand } from "../commands/context.js";
import { createHelpCommand } from "../commands/help.js";
import { JOIN_EXAMPLE } from "../commands/join.js";
import { createCommandParser } from "../commands/parser.js";
import { clipQuotes } from "../commands/quote-typed.js";
import type { ScheduledKind } from "../delivery/scheduled-kind.js";
import { BotError, UserInputError, isBotError } from "../errors.js";
import type { Logger } from "../logging/logger.js";
import type { Member } from "../members/member.js";
import type { InboundEvent, InboundHandler, OutboundMessage, Responder } from "../platform/chat-platform.js";
import { within } from "../time/within.js";
import { type Action, type Actor, type Resource, can, roleOf } from "./authority.js";
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
  /** Every scheduled kind the features brought, by name. */
  readonly kinds: ReadonlyMap<string, ScheduledKind>;
}

/**
 * How long the crisis reply waits for the member's record (to choose the lines
 * for where they are) before it goes anyway, with what the platform knows.
 */
export const CRISIS_LOOKUP_MS = 250;

const SORRY =
  "Sorry — something went wrong on my side and I couldn't do that just now. Nothing you sent has been lost; please try again in a minute.";

const STALE =
  "That button was for an earlier message, so I've left things as they are. Type /peer help to see what you can do.";

/** Words that answer a yes/no question, typed instead of pressing its button. */
const TYPED: Readonly<Record<string, "yes" | "no">> = {
  yes: "yes",
  y: "yes",
  yep: "yes",
  yeah: "yes",
  "yes please": "yes",
  ok: "yes",
  okay: "yes",
  no: "no",
  n: "no",
  nope: "no",
  "no thanks": "no",
  "not now": "no",
};

/** Typed without the slash, these mean `/peer help`. */
const HELP_WORDS = new Set(["help", "?", "menu", "commands", "peer help", "/help"]);

/**
 * The platform-neutral bot. Every inbound event goes through one pipeline:
 * 1. resolve the member and their role for this request;
 * 2. screen all free text for safety (a crisis reply goes first, and alone);
 * 3. authorise with one `can(actor, action, resource)` check, for commands,
 *    buttons and forms alike; a button from an earlier state does nothing;
 * 4. dispatch to the feature that owns it;
 * and one error sink answers anything that went wrong.
 */
export function createBot(deps: BotDeps, features: readonly Feature[] = []): Bot {
  const notifyChange: NonNullable<BotDeps["onMemberChanged"]> = async (id, member, change) => {
    for (const feature of features) await feature.onMemberChanged?.(id, member, change);
    await deps.onMemberChanged?.(id, member, change);
  };
  const withFeatures: BotDeps = {
    ...deps,
    dataSections: [...deps.dataSections, ...features.flatMap((f) => f.dataSections ?? [])],
    onMemberChanged: notifyChange,
  };
  const commands: Subcommand[] = [];
  const help = createHelpCommand(() => commands);
  commands.push(help, ...features.flatMap((feature) => feature.commands ?? []));
  const parser = createCommandParser(commands);
  const buttons = new Map<string, ButtonAction>(
    features.flatMap((f) => f.buttons ?? []).map((b) => [b.id, b]),
  );
  const forms = new Map<string, FormAction>(features.flatMap((f) => f.forms ?? []).map((f) => [f.id, f]));
  const kinds = new Map<string, ScheduledKind>();
  for (const kind of features.flatMap((f) => f.scheduled ?? [])) {
    if (kinds.has(kind.kind)) throw new BotError("INTERNAL", `two features schedule "${kind.kind}"`);
    kinds.set(kind.kind, kind);
  }
  const screens = features.flatMap((feature) => (feature.screen ? [feature.screen] : []));
  if (screens.length > 1) throw new BotError("INTERNAL", "only one feature may screen inbound text");
  const screen = screens[0];

  /** Step 3: the one authority check. Throws the refusal the member sees. */
  function authorise(context: HandlerContext, action: Action, resource?: Resource): void {
    const verdict = can(actorOf(context), action, resource);
    if (verdict.allowed) return;
    const what = action.name.startsWith("command:")
      ? `/peer ${action.name.slice(8).replaceAll(".", " ")}`
      : "that";
    switch (verdict.reason) {
      case "not-coordinator":
        throw new UserInputError(`Only network coordinators can use ${what}.`, "/peer help");
      case "not-joined":
        throw new UserInputError(
          `You haven't joined the network yet, so there's nothing for ${what} to work on. Join first:`,
          JOIN_EXAMPLE,
        );
      case "not-yours":
        throw new UserInputError("That belongs to someone else, so I've left it as it is.");
    }
  }

  async function runCommand(context: HandlerContext, text: string): Promise<void> {
    // Find the command (unknown words are refused here), authorise it, then read its options and run it.
    const command = parser.resolve(text);
    authorise(context, command.action);
    await command.run(context);
  }

  /** A press, or a typed answer to the question just asked (which is current by being taken). */
  async function pressButton(
    context: HandlerContext,
    actionId: string,
    value: string | undefined,
    typed = false,
  ) {
    const action = buttons.get(actionId);
    if (!action) throw new UserInputError("That button has expired. Type /peer help to see what you can do.");
    authorise(context, { name: `button:${action.id}`, access: action.access ?? "member" });
    if (!typed && action.isCurrent && !(await action.isCurrent(context, value))) {
      await context.responder.reply({ text: STALE });
      return;
    }
    await action.run(context, value);
  }

  async function runMessage(context: HandlerContext, text: string): Promise<void> {
    if (context.event.conversation.kind !== "dm") {
      // In a group the bot speaks only when a feature has something to say.
      for (const feature of features) {
        if (feature.onGroupMessage && (await feature.onGroupMessage(context, text))) return;
      }
      return;
    }
    if (/^\s*\/peer\b/i.test(text)) return runCommand(context, text);
    const word = text
      .trim()
      .toLowerCase()
      .replace(/[.!]+$/, "");
    const typed = TYPED[word];
    if (typed) {
      const answer = await deps.asked.take(context.memberId, typed);
      if (answer) return pressButton(context, answer.actionId, answer.value, true);
    }
    if (HELP_WORDS.has(word)) return runCommand(context, "help");
    for (const feature of features) {
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

  /** Step 4. */
  async function dispatch(context: HandlerContext, event: InboundEvent): Promise<void> {
    switch (event.kind) {
      case "command":
        return runCommand(context, event.text);
      case "message":
        return runMessage(context, event.text);
      case "message-edited":
      case "message-deleted": {
        // Only a group's own feature (a circle's relay) follows edits; elsewhere they change nothing.
        if (event.conversation.kind !== "group") return;
        const text = event.kind === "message-edited" ? event.text : null;
        for (const feature of features) {
          if (feature.onGroupMessageChanged && (await feature.onGroupMessageChanged(context, text))) return;
        }
        return;
      }
      case "button":
        return pressButton(context, event.actionId, event.value);
      case "form": {
        const action = forms.get(event.formId);
        if (!action)
          throw new UserInputError("That form has expired. Type /peer help to see what you can do.");
        authorise(context, { name: `form:${action.id}`, access: action.access ?? "member" });
        return action.run(context, event.values);
      }
    }
  }

  /**
   * The member's record as this request sees it, with their role now (a
   * change to COORDINATORS applies at once).
   */
  function withRole(event: InboundEvent, stored: Member | null): Member | null {
    const role = roleOf(event.member, stored, deps.coordinators);
    return stored && role && stored.role !== role ? { ...stored, role } : stored;
  }

  /**
   * The responder features are given: it remembers a yes/no question (so a
   * typed yes or no answers it) and forgets it once something else is said.
   */
  function remembering(event: InboundEvent, responder: Responder, asking: { asked: boolean }): Responder {
    const reply = async (message: OutboundMessage) => {
      await responder.reply(message);
      const answers: {
        yes?: { actionId: string; value?: string };
        no?: { actionId: string; value?: string };
      } = {};
      for (const button of message.buttons ?? []) {
        const typed = buttons.get(button.id)?.typedAnswer;
        if (typed && !answers[typed]) {
          answers[typed] = {
            actionId: button.id,
            ...(button.value !== undefined ? { value: button.value } : {}),
          };
        }
      }
      if (answers.yes || answers.no) {
        asking.asked = true;
        await deps.asked.ask(event.member, answers);
      }
    };
    return responder.openForm
      ? { reply, openForm: (form) => responder.openForm?.(form) ?? Promise.resolve() }
      : { reply };
  }

  function contextFor(
    event: InboundEvent,
    responder: Responder,
    member: Member | null,
    found: ScreenResult,
    asking: { asked: boolean },
  ): HandlerContext {
    const fallbackName = event.member.split(":").pop() || event.member;
    return {
      deps: withFeatures,
      event,
      memberId: event.member,
      responder: remembering(event, responder, asking),
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
    lookup: Promise<Member | null>,
    found: ScreenResult,
    text: string,
    log: Logger,
    asking: { asked: boolean },
  ): Promise<void> {
    if (!screen) return;
    const member = await within(lookup, CRISIS_LOOKUP_MS);
    await responder.reply(screen.crisisReply(whereaboutsOf(member ?? null, event), found.sure));
    try {
      const context = contextFor(event, responder, withRole(event, await lookup), found, asking);
      const hard: HardMessage =
        event.kind === "form"
          ? { source: "form", text, formId: event.formId, values: event.values }
          : { source: event.kind === "command" ? "command" : "message", text };
      for (const feature of features) await feature.afterCrisisReply?.(context, hard);
    } catch (error) {
      log.error(
        { code: isBotError(error) ? error.code : "INTERNAL", err: errorSummary(error) },
        "aftercare failed",
      );
    }
  }

  /** The one error sink: a member's mistake is answered with what to type; anything else is logged by code and answered calmly. */
  async function sink(error: unknown, responder: Responder, log: Logger): Promise<void> {
    const isInput = error instanceof UserInputError;
    if (isInput) log.debug({ code: error.code }, "input refused");
    else
      log.error(
        { code: isBotError(error) ? error.code : "INTERNAL", err: errorSummary(error) },
        "handler failed",
      );
    try {
      // Every refusal, from any feature or form, repeats at most a short clip of what was typed.
      await responder.reply({ text: isInput ? clipQuotes(error.toReply()) : SORRY });
    } catch (replyError) {
      log.error({ code: "PLATFORM_FAILED", err: errorSummary(replyError) }, "could not send the error reply");
    }
  }

  const storeUp = () => deps.storeAvailable?.() ?? true;

  /** Says plainly that nothing could be saved (once per request), so a member is never left waiting in silence. */
  function storeAway(event: InboundEvent, responder: Responder, log: Logger, later: boolean) {
    let told = false;
    return async () => {
      if (told) return;
      told = true;
      log.warn({ code: "STORE_UNAVAILABLE" }, "answered while the store is unreachable");
      await responder
        .reply({ text: storeAwayText(event, later) })
        .catch((error) =>
          log.error({ code: "PLATFORM_FAILED", err: errorSummary(error) }, "could not say the store is away"),
        );
    };
  }

  const handle: InboundHandler = async (event: InboundEvent, responder: Responder) => {
    const log = deps.logger.child({ member: event.member, kind: event.kind });
    const asking = { asked: false };
    let risk = false;
    let watchdog: NodeJS.Timeout | undefined;
    try {
      // 1. Who is asking (in flight while the text is screened).
      const lookup = deps.members.get(event.member);
      lookup.catch(() => {});
      // 2. Safety first: a crisis reply never waits for anything else.
      const text = screen ? freeTextOf(event) : "";
      const found = text.trim() ? (screen?.assess(text) ?? NOTHING_FOUND) : NOTHING_FOUND;
      if (found.outcome === "own-risk") {
        risk = true;
        return await answerRisk(event, responder, lookup, found, text, log, asking);
      }
      // The store is away: say so now rather than leave the member waiting (nothing is run, so nothing half-saved).
      // Support lines need no store: they are given from the platform's idea of where the person is.
      if (!storeUp()) {
        if (event.kind === "command" && /^\s*(\/peer\s+)?support\s*$/i.test(event.text)) {
          const member = await within(lookup, CRISIS_LOOKUP_MS);
          return await dispatch(
            contextFor(event, responder, withRole(event, member ?? null), found, asking),
            event,
          );
        }
        return await storeAway(event, responder, log, false)();
      }
      // It goes away mid-request: after a second, they are told; if the request completes when it is back,
      // its own reply follows as the confirmation.
      const tell = storeAway(event, responder, log, true);
      watchdog = setTimeout(() => {
        if (!storeUp()) void tell();
      }, STORE_WAIT_MS);
      // Vicarious distress is answered in a DM conversation, not on a command line or in a group.
      const inDm = event.conversation.kind === "dm";
      const screened =
        found.outcome === "vicarious" && (event.kind === "command" || !inDm) ? NOTHING_FOUND : found;
      const member = withRole(event, await lookup);
      const context = contextFor(event, responder, member, screened, asking);
      if (screened.outcome === "vicarious" && screen) {
        await responder.reply(screen.debriefReply(whereaboutsOf(member, event)));
      }
      // 3 and 4: authorise and dispatch.
      await dispatch(context, event);
    } catch (error) {
      await sink(error, responder, log);
    } finally {
      clearTimeout(watchdog);
      // A question waiting for a typed yes or no lapses once the member does anything else.
      if (!asking.asked && !risk && storeUp()) await deps.asked.clear(event.member).catch(() => {});
    }
  };

  return { handle, commands, kinds };
}

/** How long a request may wait on an unreachable store before the member is told. */
export const STORE_WAIT_MS = 1_000;

/** What a member is told while the store is away: plainly, that what they sent was not saved (or may be later). */
export function storeAwayText(event: InboundEvent, later: boolean): string {
  const wrote = event.kind === "message" || event.kind === "form";
  if (later) {
    return wrote
      ? "I'm having trouble saving right now. I'll keep trying; if it goes through you'll get my usual reply, and if you don't hear back in a few minutes, please send it again."
      : "I'm having trouble reaching my storage right now. If this goes through you'll get my usual reply; if you don't hear back in a few minutes, please try again.";
  }
  return wrote
    ? "I can't save anything right now — my storage is briefly unavailable, so what you just sent has not been saved. Please send it again in a few minutes. If you need support now, /peer support lists people to talk to."
    : "I can't do that right now — my storage is briefly unavailable. Please try again in a few minutes. /peer support works any time.";
}

/** The actor for a handler's request. */
function actorOf(context: HandlerContext): Actor {
  return { id: context.memberId, member: context.member, role: context.member?.role ?? null };
}

/** Name, code and stack of an error, without its message's user text. */
function errorSummary(error: unknown): Record<string, unknown> {
  if (error instanceof BotError) {
    return { name: error.name, code: error.code, message: error.message, cause: errorSummary(error.cause) };
  }
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { value: String(error) };
}
