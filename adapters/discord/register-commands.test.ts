import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord } from "../../test/fakes/fake-discord.js";
import { peerCommandJson } from "./peer-command.js";
import { registerCommands } from "./register-commands.js";

const root = join(import.meta.dirname, "..", "..");
const script = join(root, "adapters", "discord", "register-commands.ts");

/** Runs the script as `npm run discord:register` would, in an empty folder (so no .env is read). */
function runScript(env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  const cwd = mkdtempSync(join(tmpdir(), "discord-register-"));
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, "node_modules", ".bin", "tsx"), [script], {
      cwd,
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => {
      out += String(chunk);
    });
    child.stderr.on("data", (chunk) => {
      err += String(chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, out, err });
    });
  });
}

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await FakeDiscord.start();
});
afterAll(() => fake.close());

describe("registering /peer", () => {
  it("PUTs the command definitions to the guild's route when a guild id is given", async () => {
    const route = await registerCommands({
      token: fake.token,
      applicationId: fake.applicationId,
      guildId: fake.guildId,
      apiUrl: fake.apiUrl,
    });
    const path = `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`;
    expect(route).toBe(path);
    const [call, ...more] = fake.callsTo("PUT", path);
    expect(more).toEqual([]);
    expect(call).toMatchObject({ status: 200, auth: `Bot ${fake.token}`, body: [peerCommandJson()] });
  });

  it("registers globally without a guild id", async () => {
    await registerCommands({ token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl });
    expect(fake.callsTo("PUT", `/applications/${fake.applicationId}/commands`)).toHaveLength(1);
  });

  it("runs as a script with the settings from the project's config", async () => {
    const before = fake.callsTo("PUT", "/applications/:app/guilds/:guild/commands").length;
    const result = await runScript({
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_GUILD_ID: fake.guildId,
      DISCORD_API_URL: fake.apiUrl,
      ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
    });
    expect(result).toMatchObject({ code: 0, out: `Registered /peer for server ${fake.guildId}.\n` });
    expect(fake.callsTo("PUT", "/applications/:app/guilds/:guild/commands")).toHaveLength(before + 1);
  });

  it("says which settings are missing, and registers nothing", async () => {
    const before = fake.calls.length;
    const [result, partial] = await Promise.all([
      runScript({}),
      runScript({ DISCORD_TOKEN: "abc", ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64") }),
    ]);
    expect(result.code).toBe(1);
    expect(result.err).toContain("set DISCORD_TOKEN and DISCORD_APPLICATION_ID");
    expect(partial.code).toBe(1);
    expect(partial.err).toContain("DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set");
    expect(fake.calls.length).toBe(before);
  });
});
