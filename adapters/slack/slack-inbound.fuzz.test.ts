import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/platform/chat-platform.js";
import { type ProcessGuard, installProcessGuard } from "../../src/runtime/process-guard.js";
import { QUICK_RUNS, fuzzRuns, fuzzTimeout } from "../../test/fuzz/generators.js";
import { type RawBody, type Signing, signing, slackBody } from "../../test/fuzz/slack-bodies.js";
import {
  type BareSlackAdapter,
  RecordingLogger,
  SIGNING_SECRET,
  TEAM_ID,
  startBareSlackAdapter,
} from "../../test/helpers/slack-harness.js";
import { commandPayload, slackSignature } from "../../test/helpers/slack-requests.js";

/*
 * Signed (and forged) HTTP requests with generated bodies, through the real
 * Bolt receiver in the real Slack adapter, on real Redis, against the fake
 * Slack API. The properties: the process keeps serving and nothing escapes
 * as an unhandled rejection (the process guard counts them); no forged, old
 * or future-stamped request reaches the handler; a replayed request runs at
 * most once; a validly signed request runs the handler at most once.
 */
const runs = fuzzRuns(QUICK_RUNS);
const handled: InboundEvent[] = [];
let slack: BareSlackAdapter;
let guard: ProcessGuard;
const guardLog = new RecordingLogger();

beforeAll(async () => {
  guard = installProcessGuard({ logger: guardLog, onUncaughtException: "stay" });
  slack = await startBareSlackAdapter("slack-fuzz", async (event) => {
    handled.push(event);
  });
});
afterAll(async () => {
  await slack.stop();
  guard.uninstall();
});

const now = () => Math.floor(Date.now() / 1000);

/** One POST as the generated signing says, the body sent byte for byte as signed. */
async function post(raw: RawBody, how: Signing): Promise<number> {
  const bytes = Buffer.from(raw.body, "utf8");
  const text = bytes.toString("utf8");
  let timestamp = String(now());
  let signature = slackSignature(SIGNING_SECRET, now(), text);
  if (how.kind === "wrong-secret") signature = slackSignature(how.secret || "x", now(), text);
  if (how.kind === "garbage") signature = how.signature;
  if (how.kind === "old" || how.kind === "future") {
    const stamp = now() + (how.kind === "old" ? -how.seconds : how.seconds);
    timestamp = String(stamp);
    signature = slackSignature(SIGNING_SECRET, stamp, text);
  }
  if (how.kind === "bad-timestamp") {
    timestamp = how.timestamp;
    // Signed over the header exactly as sent: the most a forger could do with it.
    signature = slackSignature(SIGNING_SECRET, timestamp as unknown as number, text);
  }
  const headers: Record<string, string> = { "content-type": raw.contentType };
  if (/^[\x20-\x7e]*$/.test(timestamp)) headers["x-slack-request-timestamp"] = timestamp;
  if (/^[\x20-\x7e]*$/.test(signature)) headers["x-slack-signature"] = signature;
  const response = await fetch(slack.slack.url, { method: "POST", headers, body: bytes });
  await response.text();
  return response.status;
}

const isSslCheck = (raw: RawBody) =>
  raw.contentType === "application/x-www-form-urlencoded" &&
  new URLSearchParams(raw.body).get("ssl_check") === "1";

describe("Slack inbound requests, fuzzed", () => {
  it(
    `never crashes, never accepts a forgery, runs a replay once (${runs} generated)`,
    { timeout: fuzzTimeout(runs) },
    async () => {
      await fc.assert(
        fc.asyncProperty(slackBody, signing, fc.boolean(), async (raw, how, replay) => {
          const before = handled.length;
          const status = await post(raw, how);
          await slack.adapter.idle();
          const ran = handled.length - before;
          if (how.kind !== "valid") {
            // A forgery, a stale or future stamp, or a timestamp that is no number: refused, nothing run.
            expect(ran).toBe(0);
            if (!isSslCheck(raw)) expect(status).toBe(401);
            return;
          }
          expect([200, 400, 413]).toContain(status);
          expect(ran).toBeLessThanOrEqual(1);
          if (status !== 200) expect(ran).toBe(0);
          if (replay) {
            // The same signed request again, within the window: acknowledged, not run again.
            const again = await post(raw, how);
            await slack.adapter.idle();
            expect(again).toBe(status === 200 ? 200 : again);
            expect(handled.length - before).toBe(ran);
          }
        }),
        { numRuns: runs },
      );
      // Still serving: a right command is handled.
      const before = handled.length;
      const ok = await slack.slack.command(
        commandPayload({ teamId: TEAM_ID, userId: "U0AFTER" }, "help", slack.fake.responseUrl("after")),
      );
      await slack.adapter.idle();
      expect(ok.status).toBe(200);
      expect(handled.length - before).toBe(1);
      expect(guard.counts).toEqual({ rejections: 0, exceptions: 0 });
      expect(guardLog.entries).toEqual([]);
    },
  );
});
