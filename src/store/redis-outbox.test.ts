import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { FixedClock } from "../../test/fakes/fixed-clock.js";
import { RecordingPlatform } from "../../test/fakes/recording-platform.js";
import { recordingLogger } from "../../test/helpers/recording-logger.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { RecordCipher } from "../crypto/record-cipher.js";
import { OUTBOX_KIND, Outbox, type OutboxEntry, outboxKind } from "../delivery/outbox.js";
import { type OutboundMessage, dmWith } from "../platform/chat-platform.js";
import { RedisKeys } from "./redis-keys.js";
import { RedisOutboxStore } from "./redis-outbox.js";
import { RedisScheduleStore } from "./redis-schedule-store.js";

const testRedis = createTestRedis("outbox-store");
const keys = new RedisKeys(testRedis.prefix);
const cipher = new RecordCipher(Buffer.alloc(32, 9));
let log = recordingLogger();
let store = new RedisOutboxStore(testRedis.redis, keys, cipher, log);
afterAll(() => testRedis.cleanup());
beforeEach(() => {
  log = recordingLogger();
  store = new RedisOutboxStore(testRedis.redis, keys, cipher, log);
});

const calendar = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "BEGIN:VEVENT",
  "SUMMARY:Co-supervision check-in (marker-ics-51c2)",
  "END:VEVENT",
  "END:VCALENDAR",
  "",
].join("\r\n");
const withFiles: OutboundMessage = {
  text: "Your check-ins, to add to your calendar.",
  buttons: [{ id: "checkins:ok", label: "Thanks" }],
  files: [
    { name: "check-ins.ics", contentType: "text/calendar", content: calendar },
    { name: "record.csv", contentType: "text/csv", content: "date,with\n2026-03-02,Sam — ✓\n" },
  ],
};

describe("the outbox store", () => {
  it("keeps a queued post's files, sealed, and the queue sends them with the post", async () => {
    const schedule = new RedisScheduleStore(testRedis.redis, keys);
    const outbox = new Outbox(store, schedule, new FixedClock("2026-03-01T09:00:00Z"));
    const to = dmWith("local:sam");
    const id = await outbox.post(to, withFiles);

    // Nothing in Redis holds the file's words in the clear while the post waits.
    const raw = await testRedis.redis.get(keys.global(`outbox:${id}`));
    expect(raw).not.toBeNull();
    expect(raw).not.toContain("marker-ics-51c2");
    expect(await store.get(id)).toEqual({ to, message: withFiles });

    // The outbox's scheduled kind hands the platform the post exactly as queued.
    const platform = new RecordingPlatform();
    const [decision] = await outboxKind(store, platform).prepare([
      { subject: `local:outbox:${id}`, kind: OUTBOX_KIND, due: 0 },
    ]);
    if (!decision || !("to" in decision)) throw new Error(`the queued post was not prepared: ${decision}`);
    const ref = await platform.post(decision.to, decision.message);
    await decision.after(ref);
    expect(platform.filesTo("local:sam")).toEqual(withFiles.files);
    expect(platform.to("local:sam")[0]?.message).toEqual(withFiles);
  });

  it("keeps a post without files as it was, with no files added", async () => {
    await store.put("plain", { to: dmWith("local:alex"), message: { text: "hello" } });
    expect(await store.get("plain")).toEqual({ to: dmWith("local:alex"), message: { text: "hello" } });
  });

  it("reports and skips an entry whose files are not files, without their words", async () => {
    const bad = {
      to: dmWith("local:alex"),
      message: { text: "hello", files: [{ name: "x.csv", content: "secret-words-77" }] },
    } as unknown as OutboxEntry;
    await store.put("bad-file", bad);
    expect(await store.get("bad-file")).toBeNull();
    expect(log.lines.map((line) => line.context.code)).toEqual(["STORED_RECORD_INVALID"]);
    expect(log.text()).not.toContain("secret-words-77");
  });
});
