import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotError, RateLimitedError } from "../../src/errors.js";
import { type OutboundFile, dmWith } from "../../src/platform/chat-platform.js";
import {
  BOT_TOKEN,
  type BareSlackAdapter,
  TEAM_ID,
  startBareSlackAdapter,
} from "../../test/helpers/slack-harness.js";
import { slackMemberId } from "./member-ids.js";

let h: BareSlackAdapter;
beforeAll(async () => {
  h = await startBareSlackAdapter("slack-files", async () => {});
});
afterAll(() => h.stop());

function person(userId: string) {
  h.fake.addUser({ id: userId, name: userId.toLowerCase() });
  return slackMemberId(TEAM_ID, userId);
}

const calendar: OutboundFile = {
  name: "check-ins.ics",
  contentType: "text/calendar",
  content: "BEGIN:VCALENDAR\r\nSUMMARY:Check-in with Zoë 🌱\r\nEND:VCALENDAR\r\n",
};
const record: OutboundFile = {
  name: "record.csv",
  contentType: "text/csv",
  content: "date,with\n2026-03-02,Sam\n",
};

/** The method of each call from `mark` on, in order. */
const methodsSince = (mark: number) => h.fake.calls.slice(mark).map((call) => call.method);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("Slack: files sent with a post", () => {
  it("uploads each file's bytes unseen, posts the text, then shares the files into the same DM", async () => {
    const member = person("U0FILES1");
    await h.adapter.post(dmWith(member), { text: "warm up the DM channel" });
    const mark = h.fake.calls.length;
    const ref = await h.adapter.post(dmWith(member), { text: "Your check-ins", files: [calendar, record] });
    expect(methodsSince(mark)).toEqual([
      "files.getUploadURLExternal",
      "upload_url",
      "files.getUploadURLExternal",
      "upload_url",
      "chat.postMessage",
      "files.completeUploadExternal",
    ]);
    const [askCalendar, , askRecord] = h.fake.calls.slice(mark);
    // The length Slack is told is in bytes (ë and 🌱 are more than one), not characters.
    expect(askCalendar?.args).toMatchObject({
      filename: "check-ins.ics",
      length: String(Buffer.byteLength(calendar.content)),
    });
    expect(Buffer.byteLength(calendar.content)).toBeGreaterThan(calendar.content.length);
    expect(askRecord?.args).toMatchObject({ filename: "record.csv" });
    // The upload URL is pre-signed: the bot's token never goes with the bytes.
    expect(
      h.fake.calls
        .slice(mark)
        .filter((c) => c.method === "upload_url")
        .map((c) => c.token),
    ).toEqual([undefined, undefined]);
    const channel = h.fake.imChannel("U0FILES1");
    const complete = h.fake.calls.at(-1);
    expect(complete?.args).toMatchObject({ channel_id: channel });
    expect(complete?.args.initial_comment).toBeUndefined();
    expect(
      h.fake.filesIn(channel).map(({ filename, title, content }) => ({ filename, title, content })),
    ).toEqual([
      { filename: "check-ins.ics", title: "check-ins.ics", content: calendar.content },
      { filename: "record.csv", title: "record.csv", content: record.content },
    ]);
    // The reference is the text message, which is still there to edit.
    expect(h.fake.seenPrivatelyBy("U0FILES1").at(-1)).toMatchObject({ ts: ref.id, text: "Your check-ins" });
    expect(h.fake.unsharedUploads).toBe(0);
  });

  it("posts nothing when a file can't be uploaded", async () => {
    const member = person("U0FILES2");
    await h.adapter.post(dmWith(member), { text: "warm up" });
    const mark = h.fake.calls.length;
    h.fake.failNext("files.getUploadURLExternal", "file_uploads_disabled");
    const error = await rejection(h.adapter.post(dmWith(member), { text: "Your record", files: [record] }));
    expect(error).toBeInstanceOf(BotError);
    expect((error as BotError).code).toBe("PLATFORM_FAILED");
    expect((error as BotError).message).toContain("file_uploads_disabled");
    expect(methodsSince(mark)).toEqual(["files.getUploadURLExternal"]);
    expect(h.fake.seenPrivatelyBy("U0FILES2").map((m) => m.text)).toEqual(["warm up"]);
  });

  it("takes the text back when the files can't be shared, and says how long Slack asked to wait", async () => {
    const member = person("U0FILES3");
    await h.adapter.post(dmWith(member), { text: "warm up" });
    h.fake.rateLimitNext("files.completeUploadExternal", 1, 7);
    const error = await rejection(h.adapter.post(dmWith(member), { text: "Your record", files: [record] }));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(7000);
    // Nothing half-sent is left: a retry sends the words and the file once.
    expect(h.fake.seenPrivatelyBy("U0FILES3").map((m) => m.text)).toEqual(["warm up"]);
    expect(h.fake.filesSeenPrivatelyBy("U0FILES3")).toEqual([]);
    await h.adapter.post(dmWith(member), { text: "Your record", files: [record] });
    expect(h.fake.seenPrivatelyBy("U0FILES3").map((m) => m.text)).toEqual(["warm up", "Your record"]);
    expect(h.fake.filesSeenPrivatelyBy("U0FILES3").map((f) => f.content)).toEqual([record.content]);
  });

  it("shares a group post's files into the group DM, not into anyone's own DM", async () => {
    const a = person("U0FILESA");
    const b = person("U0FILESB");
    const group = await h.adapter.openGroup([a, b], "Co-supervision: A and B");
    await h.adapter.post(group, { text: "This month's check-ins", files: [calendar] });
    const channel = group.id.split(":")[2] ?? "";
    expect(h.fake.filesIn(channel).map((f) => f.content)).toEqual([calendar.content]);
    expect(h.fake.filesSeenPrivatelyBy("U0FILESA")).toEqual([]);
    expect(h.fake.filesSeenPrivatelyBy("U0FILESB")).toEqual([]);
  });
});

describe("the fake Slack API's file upload, as Slack checks it", () => {
  const client = () =>
    new webApi.WebClient(BOT_TOKEN, { slackApiUrl: h.fake.apiUrl, retryConfig: { retries: 0 } });
  const slackError = async (call: Promise<unknown>) =>
    ((await rejection(call)) as { data?: { error?: string } }).data?.error;

  it("takes the real WebClient's files.uploadV2 (bytes sent as multipart form data)", async () => {
    person("U0UPV2");
    const channel = h.fake.imChannel("U0UPV2");
    await client().files.uploadV2({ channel_id: channel, filename: "notes.txt", content: "héllo\nthere\n" });
    expect(h.fake.filesIn(channel).map(({ filename, content }) => ({ filename, content }))).toEqual([
      { filename: "notes.txt", content: "héllo\nthere\n" },
    ]);
  });

  it("refuses a missing name or length, bytes of another length, and completing what wasn't uploaded", async () => {
    const web = client();
    expect(await slackError(web.files.getUploadURLExternal({ filename: "", length: 3 }))).toBe(
      "invalid_arguments",
    );
    expect(await slackError(web.files.getUploadURLExternal({ filename: "a.txt", length: 0 }))).toBe(
      "missing_argument",
    );
    const target = await web.files.getUploadURLExternal({ filename: "a.txt", length: 3 });
    const id = target.file_id ?? "";
    // Completing before the bytes arrive, or an id Slack never gave.
    expect(await slackError(web.files.completeUploadExternal({ files: [{ id }] }))).toBe("file_not_found");
    expect(await slackError(web.files.completeUploadExternal({ files: [{ id: "F0NOPE" }] }))).toBe(
      "file_not_found",
    );
    const url = target.upload_url ?? "";
    expect((await fetch(url, { method: "POST", body: "four" })).status).toBe(400);
    expect((await fetch(`${url}x`, { method: "POST", body: "abc" })).status).toBe(404);
    expect((await fetch(url, { method: "POST", body: "abc" })).status).toBe(200);
    expect(
      await slackError(web.files.completeUploadExternal({ files: [{ id }], channel_id: "C0NOWHERE" })),
    ).toBe("channel_not_found");
    // Completed without a channel: uploaded, and private to the bot; it can't be completed again.
    await web.files.completeUploadExternal({ files: [{ id }] });
    expect(await slackError(web.files.completeUploadExternal({ files: [{ id }] }))).toBe("file_not_found");
  });
});
