import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { REST, Routes } from "discord.js";
import { loadConfig } from "../../src/config/config.js";
import { ConfigError } from "../../src/errors.js";
import { toBotError } from "./discord-errors.js";
import { peerCommandJson } from "./peer-command.js";

export interface RegisterCommandsOptions {
  readonly token: string;
  readonly applicationId: string;
  /** Register for this server only (appears at once); without it, globally. */
  readonly guildId?: string | undefined;
  readonly apiUrl?: string | undefined;
}

/** Replaces the application's commands with `/peer`, in one server or globally. Returns the route used. */
export async function registerCommands(options: RegisterCommandsOptions): Promise<string> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  try {
    await rest.put(route, { body: [peerCommandJson()] });
  } catch (error) {
    throw toBotError(error, "command registration");
  }
  return route;
}

/** `npm run discord:register`: reads the Discord settings through the project's config. */
async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(
      `Can't register the /peer command: a setting is missing or malformed.\n${error.message}\n`,
    );
    return 1;
  }
  const discord = config.discord;
  if (!discord) {
    process.stderr.write(
      "Can't register the /peer command: set DISCORD_TOKEN and DISCORD_APPLICATION_ID (in .env or the environment; see .env.example), and DISCORD_GUILD_ID to register for one server.\n",
    );
    return 1;
  }
  await registerCommands(discord);
  process.stdout.write(
    discord.guildId
      ? `Registered /peer for server ${discord.guildId}.\n`
      : "Registered /peer globally, for every server the bot is in.\n",
  );
  return 0;
}

/** True when this file is the program being run (`tsx adapters/discord/register-commands.ts`), not an import. */
function invokedDirectly(): boolean {
  const path = process.argv[1];
  try {
    return path !== undefined && import.meta.url === pathToFileURL(realpathSync(path)).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `Registering the /peer command failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
