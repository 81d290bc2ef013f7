import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ProcessGuard, installProcessGuard } from "../../src/runtime/process-guard.js";
import {
  type BareSlackAdapter,
  RecordingLogger,
  type SlackHarness,
  TEAM_ID,
  startBareSlackAdapter,
  startSlackHarness,
  waitFor,
} from "../../test/helpers/slack-harness.js";
import { type SlackActor, blockActionsPayload, commandPayload } from "../../test/helpers/slack-requests.js";
import { RESPONSE_URL_USES } from "./inbound-listeners.js";

/*
 * Hostile requests at the Slack edge, each one measured on the bot before
 * this was fixed: a signed `null` body ended the process, a request stamped
 * ahead was taken, a replayed command ran every time, and an unknown word of
 * 3.9 MB came back whole over a hundred response_url posts.
 */
let h: SlackHarness;
let guard: ProcessGuard;
const guardLog = new RecordingLogger();
beforeAll(async () => {
  guard = installProcessGuard({ logger: guardLog, onUncaughtException: "stay" });
  h = await startSlackHarness("slack-hostile");
});
afterEach(() => h.adapter.idle());
afterAll(async () => {
  await h.stop();
  guard.uninstall();
});

const ada: SlackActor = { teamId: TEAM_ID, userId: "U0ADA" };
const repliesAt = (name: string) => h.fake.callsTo("response_url").filter((c) => c.responseUrlName === name);

async function snapshot() {
  await h.adapter.idle();
  return { calls: h.fake.calls.length, keys: (await h.testRedis.keys()).sort() };
}

describe("hostile requests at the Slack edge", () => {
  it("answers a signed null body with 400 and keeps serving", async () => {
    const form = "application/x-www-form-urlencoded";
    const statuses = [
      (await h.slack.send("payload=null", form)).status,
      (await h.slack.send("null", "application/json")).status,
      (await h.slack.send("payload=7", form)).status,
      (await h.slack.send('"text"', "application/json")).status,
    ];
    expect(statuses).toEqual([400, 400, 400, 400]);
    await h.slack.command(commandPayload(ada, "help", h.fake.responseUrl("after-null")));
    await waitFor(() => repliesAt("after-null")[0], "the reply after the null bodies");
    expect(guard.counts).toEqual({ rejections: 0, exceptions: 0 });
  });

  it("rejects a signed request stamped more than five minutes ahead with 401, and takes one 4 minutes ahead", async () => {
    const before = await snapshot();
    const at = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;
    const ahead = [
      await h.slack.command(commandPayload(ada, "help", h.fake.responseUrl("ahead-10m")), {
        timestamp: at(600),
      }),
      await h.slack.command(commandPayload(ada, "help", h.fake.responseUrl("ahead-1y")), {
        timestamp: at(365 * 86_400),
      }),
      await h.slack.command(commandPayload(ada, "help", h.fake.responseUrl("ahead-inf")), {
        timestamp: Number.POSITIVE_INFINITY,
      }),
    ];
    expect(ahead.map((response) => response.status)).toEqual([401, 401, 401]);
    expect(await snapshot()).toEqual(before);

    const near = await h.slack.command(commandPayload(ada, "help", h.fake.responseUrl("ahead-4m")), {
      timestamp: at(240),
    });
    expect(near.status).toBe(200);
    await waitFor(() => repliesAt("ahead-4m")[0], "the reply to a command stamped 4 minutes ahead");
  });

  it("runs a signed slash command replayed 20 times once, acknowledging every copy", async () => {
    const command = commandPayload(ada, "help", h.fake.responseUrl("replayed"));
    const timestamp = Math.floor(Date.now() / 1000);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await h.slack.command(command, { timestamp })).status);
    expect(statuses).toEqual(Array(20).fill(200));
    await h.adapter.idle();
    expect(repliesAt("replayed")).toHaveLength(1);
    expect(h.logger.entries.filter((e) => e.message === "skipped a replayed Slack request")).toHaveLength(19);
  });

  it("runs a replayed button press once", async () => {
    h.fake.addUser({ id: ada.userId, name: "ada" });
    const press = blockActionsPayload(ada, { actionId: "no-such-button" }, h.fake.responseUrl("press"));
    const posts = () => h.fake.callsTo("chat.postMessage").length;
    const before = posts();
    expect((await h.slack.interaction(press)).status).toBe(200);
    await waitFor(() => posts() > before, "the answer to the press");
    const after = posts();
    expect((await h.slack.interaction(press)).status).toBe(200);
    await h.adapter.idle();
    expect(posts()).toBe(after);
  });

  it("answers three 3.9 MB commands with one short reply each", async () => {
    for (const name of ["huge-1", "huge-2", "huge-3"]) {
      const text = `zz${"w".repeat(3_900_000)}`;
      expect((await h.slack.command(commandPayload(ada, text, h.fake.responseUrl(name)))).status).toBe(200);
    }
    await h.adapter.idle();
    for (const name of ["huge-1", "huge-2", "huge-3"]) {
      const replies = repliesAt(name);
      expect(replies).toHaveLength(1);
      const text = String(replies[0]?.args.text);
      expect(text).toContain("at most 4,000");
      expect(text.length).toBeLessThan(200);
    }
  });
});

describe("replies to one command", () => {
  let bare: BareSlackAdapter;
  let replies: string[] = [];
  beforeAll(async () => {
    bare = await startBareSlackAdapter("slack-reply-budget", async (_event, responder) => {
      for (const text of replies) await responder.reply({ text });
    });
  });
  afterAll(() => bare.stop());

  const dmPosts = () =>
    bare.fake.callsTo("chat.postMessage").filter((c) => c.args.channel === `D${ada.userId}`).length;
  const send = async (name: string) => {
    const before = dmPosts();
    await bare.slack.command(commandPayload(ada, "anything", bare.fake.responseUrl(name)));
    await bare.adapter.idle();
    return {
      viaUrl: bare.fake.callsTo("response_url").filter((c) => c.responseUrlName === name).length,
      inDm: dmPosts() - before,
    };
  };

  it(`post to the response_url at most ${RESPONSE_URL_USES} times; the rest go to the DM`, async () => {
    bare.fake.addUser({ id: ada.userId, name: "ada" });
    replies = Array.from({ length: 7 }, (_, i) => `reply ${i + 1}`);
    expect(await send("seven")).toEqual({ viaUrl: RESPONSE_URL_USES, inDm: 2 });
  });

  it("send a reply too long for the response_url's uses to the DM whole", async () => {
    replies = ["x ".repeat(120_000)];
    const sent = await send("long");
    expect(sent.viaUrl).toBe(0);
    expect(sent.inDm).toBeGreaterThan(RESPONSE_URL_USES);
  });
});
