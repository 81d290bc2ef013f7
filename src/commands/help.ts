import { type Actor, can } from "../bot/authority.js";
import type { Member } from "../members/member.js";
import type { HandlerContext } from "./context.js";
import { type CommandEntry, type CommandSpec, actionName, defineCommand, usageOf } from "./schema.js";

/** Every command with its words: `[["join"], spec]`, `[["holiday", "add"], spec]`. */
export function flatten(entries: readonly CommandEntry[]): [readonly string[], CommandSpec][] {
  return entries.flatMap((entry): [readonly string[], CommandSpec][] =>
    entry.kind === "group"
      ? entry.subcommands.map((sub): [readonly string[], CommandSpec] => [[entry.name, sub.name], sub])
      : [[[entry.name], entry]],
  );
}

/** One help line. */
export function helpLine(path: readonly string[], spec: CommandSpec): string {
  return `• ${usageOf(path, spec)} — ${spec.summary}${spec.access === "coordinator" ? " (coordinators)" : ""}`;
}

function actorOf(context: HandlerContext, member: Member | null): Actor {
  return { id: context.memberId, member, role: member?.role ?? null };
}

/**
 * `/peer help`, built from the command schema so it never falls out of date,
 * and filtered by what the asker may run (the same `can` the bot checks
 * with). Before joining, it also lists what joining opens up.
 */
export function createHelpCommand(all: () => readonly CommandEntry[]): CommandSpec {
  return defineCommand({
    name: "help",
    summary: "show this list",
    description: "Show what I can do",
    access: "anyone",
    example: "/peer help",
    lenient: true,
    async run(context) {
      const commands = flatten(all());
      const may = (path: readonly string[], spec: CommandSpec, member: Member | null) =>
        can(actorOf(context, member), { name: actionName(path), access: spec.access }).allowed;
      const now = commands.filter(([path, spec]) => may(path, spec, context.member));
      const lines = [
        "I'm a bot for peer workers. At a good moment in your working week I send a question to reflect on your practice, keep your answers in a diary only you can read, and share self-care ideas.",
        "Your reflections stay private to you, and you can pause or leave at any time without giving a reason.",
        "",
        "What you can ask me:",
        ...now.map(([path, spec]) => helpLine(path, spec)),
      ];
      if (!context.member) {
        const later = commands.filter(([, spec]) => spec.access === "member");
        if (later.length > 0) {
          lines.push(
            "",
            "Once you've joined, you can also:",
            ...later.map(([path, spec]) => helpLine(path, spec)),
          );
        }
      }
      lines.push("", 'Values with spaces go in double quotes, e.g. region:"Wide Bay".');
      await context.responder.reply({ text: lines.join("\n") });
    },
  });
}
