import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  COMMAND_SCOPE,
  SCOPE_BY_EVENT,
  SCOPE_BY_METHOD,
  SLASH_COMMAND,
  requiredBotScopes,
} from "./slack-scopes.js";

interface Manifest {
  features: {
    app_home: { messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    slash_commands: Array<{ command: string; url: string }>;
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[]; user_events?: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

const here = import.meta.dirname;
const manifest = parse(readFileSync(join(here, "manifest.yaml"), "utf8")) as Manifest;
const REQUEST_URL = "https://your-bot.example.org/slack/events";

/** `client.<family>.<method>(` calls in the adapter's own code. */
function methodsCalledInCode(): string[] {
  const found = new Set<string>();
  for (const file of readdirSync(here).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"))) {
    const text = readFileSync(join(here, file), "utf8");
    for (const match of text.matchAll(/\bclient\.([a-z]+)\.([a-zA-Z]+)\(/g))
      found.add(`${match[1]}.${match[2]}`);
  }
  return [...found].sort();
}

describe("Slack app manifest", () => {
  it("lists exactly the bot scopes of the methods, events and command the code uses", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(requiredBotScopes());
    expect(manifest.oauth_config.scopes.user ?? []).toEqual([]);
  });

  it("has a scope-map entry for every Web API method the adapter calls, and no entry it doesn't use", () => {
    const inCode = methodsCalledInCode();
    expect(inCode.length).toBeGreaterThan(0);
    // auth.test is called by Bolt at start, not by our code.
    expect([...inCode, "auth.test"].sort()).toEqual(Object.keys(SCOPE_BY_METHOD).sort());
  });

  it("subscribes to the events and slash command the adapter listens for", () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(Object.keys(SCOPE_BY_EVENT));
    expect(manifest.settings.event_subscriptions.user_events ?? []).toEqual([]);
    expect(manifest.features.slash_commands.map((command) => command.command)).toEqual([SLASH_COMMAND]);
    expect(requiredBotScopes()).toContain(COMMAND_SCOPE);
  });

  it("sends events, the command and interactivity to /slack/events, with the messages tab on", () => {
    expect(manifest.features.slash_commands[0]?.url).toBe(REQUEST_URL);
    expect(manifest.settings.event_subscriptions.request_url).toBe(REQUEST_URL);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: REQUEST_URL });
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_read_only_enabled).toBe(false);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });
});
