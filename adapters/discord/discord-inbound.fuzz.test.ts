import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/platform/chat-platform.js";
import { type ProcessGuard, installProcessGuard } from "../../src/runtime/process-guard.js";
import type { FakeUser } from "../../test/fakes/fake-discord.js";
import { discordDispatch } from "../../test/fuzz/discord-payloads.js";
import { QUICK_RUNS, fuzzRuns, fuzzTimeout } from "../../test/fuzz/generators.js";
import { type DiscordHarness, startDiscordHarness } from "../../test/helpers/discord-harness.js";
import { RecordingLogger } from "../../test/helpers/slack-harness.js";

/*
 * Malformed gateway dispatches (interactions, messages, edits, deletions)
 * through the fake Discord gateway into the real discord.js client and the
 * real adapter. After each, a plain DM (the sentinel) must still reach the
 * handler: the client is still connected and the adapter still serving; and
 * the process guard sees no unhandled rejection or uncaught exception.
 */
const runs = fuzzRuns(QUICK_RUNS);
let d: DiscordHarness;
let guard: ProcessGuard;
const guardLog = new RecordingLogger();
let kim: FakeUser;
const seen = new Map<string, () => void>();
let handled = 0;
/** The kinds of event the generated dispatches reached the handler as. */
const kinds = new Set<string>();

beforeAll(async () => {
  guard = installProcessGuard({ logger: guardLog, onUncaughtException: "stay" });
  d = await startDiscordHarness("discord-fuzz", {
    handler: async (event: InboundEvent) => {
      handled += 1;
      if (event.kind === "message" && seen.has(event.text)) seen.get(event.text)?.();
      else kinds.add(event.kind);
    },
  });
  kim = d.fake.user("kim");
});
afterAll(async () => {
  await d.stop();
  guard.uninstall();
});

let sentinels = 0;
/** A plain DM, resolved once the handler has it: everything dispatched before it has been read. */
async function sentinel(): Promise<void> {
  const text = `sentinel ${++sentinels}`;
  const arrived = new Promise<void>((resolve) => seen.set(text, resolve));
  d.fake.directMessage(kim, text);
  await arrived;
  seen.delete(text);
  await d.adapter.idle();
}

describe("Discord inbound dispatches, fuzzed", () => {
  it(
    `survives malformed interactions and messages (${runs} generated)`,
    { timeout: fuzzTimeout(runs) },
    async () => {
      await sentinel();
      await fc.assert(
        fc.asyncProperty(discordDispatch(d.fake, kim), async (dispatch) => {
          const before = handled;
          d.fake.dispatch(dispatch.type, dispatch.data);
          await sentinel();
          // The dispatch ran the handler at most once (and the sentinel once).
          expect(handled - before).toBeLessThanOrEqual(2);
        }),
        { numRuns: runs },
      );
      expect(guardLog.entries.slice(0, 3)).toEqual([]);
      expect(guard.counts).toEqual({ rejections: 0, exceptions: 0 });
      // The generator gets past discord.js to the adapter, not only into its refusals.
      expect([...kinds].sort()).toEqual(expect.arrayContaining(["button", "command", "message"]));
    },
  );
});
