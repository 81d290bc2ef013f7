import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotError } from "../../src/errors.js";
import { silentLogger } from "../../src/logging/logger.js";
import { type OutboundFile, dmWith } from "../../src/platform/chat-platform.js";
import { RedisKeys } from "../../src/store/redis-keys.js";
import { RedisMemberCache } from "../../src/store/redis-member-cache.js";
import { FakeDiscord, type Json } from "../../test/fakes/fake-discord.js";
import { type TestRedis, createTestRedis } from "../../test/helpers/test-redis.js";
import { type DiscordAdapter, createDiscordAdapter } from "./discord-adapter.js";

let fake: FakeDiscord;
let testRedis: TestRedis;
let adapter: DiscordAdapter;
beforeAll(async () => {
  fake = await FakeDiscord.start();
  testRedis = createTestRedis("discord-files");
  adapter = createDiscordAdapter({
    token: fake.token,
    applicationId: fake.applicationId,
    guildId: fake.guildId,
    apiUrl: fake.apiUrl,
    memberCache: new RedisMemberCache(testRedis.redis, new RedisKeys(testRedis.prefix)),
    logger: silentLogger,
    groupsChannelId: fake.groupsChannelId,
  });
  await adapter.start(async () => {});
});
afterAll(async () => {
  await adapter.stop();
  await fake.close();
  await testRedis.cleanup();
});

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

type Attachment = { id: string; filename: string; size: number; url: string; content_type?: string };
const attachmentsOf = (messageId: string) =>
  (fake.message(messageId)?.object.attachments ?? []) as Attachment[];

describe("Discord: files sent with a post", () => {
  it("sends them as attachments of the message, in one multipart request, as Discord returns them", async () => {
    const user = fake.user("fia");
    const ref = await adapter.post(dmWith(`discord:${user.id}`), {
      text: "Your check-ins",
      files: [calendar, record],
    });
    const dm = fake.dmChannelFor(user.id);
    const [call, ...more] = fake.callsTo("POST", `/channels/${dm}/messages`);
    expect(more).toEqual([]);
    expect(call?.body).toMatchObject({
      content: "Your check-ins",
      attachments: [
        { id: 0, filename: "check-ins.ics" },
        { id: 1, filename: "record.csv" },
      ],
    });
    expect(
      call?.files?.map((f) => ({
        key: f.key,
        name: f.filename,
        type: f.contentType,
        text: f.bytes.toString(),
      })),
    ).toEqual([
      { key: "files[0]", name: "check-ins.ics", type: "text/calendar", text: calendar.content },
      { key: "files[1]", name: "record.csv", type: "text/csv", text: record.content },
    ]);
    const attachments = attachmentsOf(ref.id);
    expect(attachments.map(({ filename, size, content_type }) => ({ filename, size, content_type }))).toEqual(
      [
        {
          filename: "check-ins.ics",
          size: Buffer.byteLength(calendar.content),
          content_type: "text/calendar",
        },
        { filename: "record.csv", size: Buffer.byteLength(record.content), content_type: "text/csv" },
      ],
    );
    // Each opens from its url, byte for byte.
    const opened = await Promise.all(attachments.map(async (a) => (await fetch(a.url)).text()));
    expect(opened).toEqual([calendar.content, record.content]);
  });

  it("puts the files on the last part of a long post, whose reference it returns", async () => {
    const user = fake.user("gus");
    const text = `${"A long introduction. ".repeat(120)}\nAnd the end.`;
    const ref = await adapter.post(dmWith(`discord:${user.id}`), { text, files: [record] });
    const posts = fake.callsTo("POST", `/channels/${fake.dmChannelFor(user.id)}/messages`);
    expect(posts).toHaveLength(2);
    expect(posts.map((call) => call.files?.length ?? 0)).toEqual([0, 1]);
    expect((posts[0]?.body as Json).attachments).toBeUndefined();
    expect(attachmentsOf(ref.id).map((a) => a.filename)).toEqual(["record.csv"]);
  });

  it("keeps the files through an edit of the text", async () => {
    const user = fake.user("hal");
    const ref = await adapter.post(dmWith(`discord:${user.id}`), {
      text: "Your calendar",
      files: [calendar],
    });
    await adapter.edit(ref, { text: "Your calendar, updated" });
    const [patch] = fake.callsTo("PATCH", `/channels/${fake.dmChannelFor(user.id)}/messages/${ref.id}`);
    expect(patch?.body).not.toHaveProperty("attachments");
    expect(fake.message(ref.id)?.object.content).toBe("Your calendar, updated");
    expect(attachmentsOf(ref.id).map((a) => a.filename)).toEqual(["check-ins.ics"]);
  });

  it("posts files into a group thread too", async () => {
    const [a, b] = [fake.user("ida"), fake.user("jon")];
    const group = await adapter.openGroup(
      [`discord:${a.id}`, `discord:${b.id}`],
      "Co-supervision: Ida and Jon",
    );
    const ref = await adapter.post(group, { text: "This month", files: [calendar] });
    expect(fake.message(ref.id)?.channelId).toBe(group.id.replace("discord:", ""));
    expect(attachmentsOf(ref.id).map((a) => a.filename)).toEqual(["check-ins.ics"]);
  });

  it("refuses more files than a Discord message carries before sending anything", async () => {
    const user = fake.user("kai");
    const eleven = Array.from({ length: 11 }, (_, i) => ({ ...record, name: `record-${i}.csv` }));
    const error = await adapter
      .post(dmWith(`discord:${user.id}`), { text: "Too many", files: eleven })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BotError);
    expect((error as BotError).code).toBe("PLATFORM_FAILED");
    expect(fake.callsTo("POST", `/channels/${fake.dmChannelFor(user.id)}/messages`)).toEqual([]);
  });
});

describe("the fake Discord's multipart messages, as Discord checks them", () => {
  const channel = () => fake.dmChannelFor(fake.user("lee").id);
  async function send(form: FormData, method = "POST", route = `/channels/${channel()}/messages`) {
    const response = await fetch(`${fake.apiUrl}/v10${route}`, {
      method,
      headers: { authorization: `Bot ${fake.token}` },
      body: form,
    });
    return { status: response.status, body: (await response.json()) as Json };
  }
  const form = (payload: Json, files: Array<[string, string, string]>) => {
    const data = new FormData();
    data.append("payload_json", JSON.stringify(payload));
    for (const [key, name, content] of files)
      data.append(key, new Blob([content], { type: "text/plain" }), name);
    return data;
  };

  it("attaches every part when the body lists none, and refuses an attachment with no part", async () => {
    const all = await send(
      form({ content: "two" }, [
        ["files[0]", "a.txt", "A"],
        ["files[1]", "b.txt", "B"],
      ]),
    );
    expect(all.status).toBe(200);
    expect((all.body.attachments as Attachment[]).map((a) => a.filename)).toEqual(["a.txt", "b.txt"]);
    const missing = await send(
      form({ content: "x", attachments: [{ id: 3, filename: "c.txt" }] }, [["files[0]", "a.txt", "A"]]),
    );
    expect(missing).toMatchObject({ status: 400, body: { code: 50035 } });
  });

  it("refuses bad JSON, more than 10 files, and a file over 10 MiB", async () => {
    const bad = new FormData();
    bad.append("payload_json", "{not json");
    expect((await send(bad)).body).toMatchObject({ code: 50109 });
    const eleven = Array.from({ length: 11 }, (_, i): [string, string, string] => [
      `files[${i}]`,
      `${i}.txt`,
      "x",
    ]);
    expect(await send(form({ content: "x" }, eleven))).toMatchObject({ status: 400, body: { code: 50035 } });
    const huge = form({ content: "x" }, [["files[0]", "huge.txt", "x".repeat(10 * 1024 * 1024 + 1)]]);
    expect(await send(huge)).toMatchObject({ status: 413, body: { code: 40005 } });
  });

  it("keeps only the attachments an edit lists", async () => {
    const posted = await send(
      form({ content: "two" }, [
        ["files[0]", "a.txt", "A"],
        ["files[1]", "b.txt", "B"],
      ]),
    );
    const [first] = posted.body.attachments as Attachment[];
    const patch = await fetch(
      `${fake.apiUrl}/v10/channels/${posted.body.channel_id}/messages/${posted.body.id}`,
      {
        method: "PATCH",
        headers: { authorization: `Bot ${fake.token}`, "content-type": "application/json" },
        body: JSON.stringify({ attachments: [{ id: first?.id }] }),
      },
    );
    expect(((await patch.json()) as Json).attachments).toEqual([first]);
    const gone = await fetch(
      `${fake.apiUrl}/v10/channels/${posted.body.channel_id}/messages/${posted.body.id}`,
      {
        method: "PATCH",
        headers: { authorization: `Bot ${fake.token}`, "content-type": "application/json" },
        body: JSON.stringify({ attachments: [] }),
      },
    );
    expect(((await gone.json()) as Json).attachments).toEqual([]);
  });
});
