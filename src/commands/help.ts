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
          "I'm a bot for peer workers. I help you keep regular time to reflect on your practice, share self-care ideas, set up co-supervision check-ins with other peers, and connect people who are the only peer worker where they are.",
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
