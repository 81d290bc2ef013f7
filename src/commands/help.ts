import type { Subcommand } from "./context.js";

/** Builds `/peer help` from the list of subcommands, so it never falls out of date. */
export function createHelpCommand(all: () => readonly Subcommand[]): Subcommand {
  return {
    name: "help",
    usage: "/peer help",
    summary: "show this list",
    openToAll: true,
    async run(context) {
      const isCoordinator = context.member?.role === "coordinator";
      const lines = all()
        .filter((command) => !command.coordinatorOnly || isCoordinator)
        .map((command) => `• ${command.usage} — ${command.summary}`);
      await context.responder.reply({
        text: [
          "I'm a bot for peer workers. At a good moment in your working week I send a question to reflect on your practice, keep your answers in a diary only you can read, and share self-care ideas.",
          "Your reflections stay private to you, and you can pause or leave at any time without giving a reason.",
          "",
          "What you can ask me:",
          ...lines,
          "",
          'Values with spaces go in double quotes, e.g. region:"Wide Bay".',
        ].join("\n"),
      });
    },
  };
}
