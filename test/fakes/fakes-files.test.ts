import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OutboundFile, dmWith } from "../../src/platform/chat-platform.js";
import { FakeChatServer } from "./fake-chat-server.js";
import { HttpChatPlatform } from "./http-chat-platform.js";
import { RecordingPlatform } from "./recording-platform.js";

const file: OutboundFile = {
  name: "record.csv",
  contentType: "text/csv",
  content: "date,with\r\n2026-03-02,Zoë\r\n",
};

describe("the in-process fake platforms keep the files sent with a post", () => {
  it("RecordingPlatform records them, and an edit changes the text and keeps them", async () => {
    const platform = new RecordingPlatform();
    const ref = await platform.post(dmWith("local:sam"), { text: "Your record", files: [file] });
    await platform.post(dmWith("local:sam"), { text: "no files here" });
    expect(platform.filesTo("local:sam")).toEqual([file]);
    await platform.edit(ref, { text: "Your record (updated)", files: [{ ...file, name: "ignored.csv" }] });
    expect(platform.to("local:sam")[0]?.message).toEqual({ text: "Your record (updated)", files: [file] });
    // A post without files stays exactly as it was given, through an edit too.
    const plain = await platform.post(dmWith("local:alex"), { text: "hello" });
    await platform.edit(plain, { text: "hello again" });
    expect(platform.to("local:alex")[0]?.message).toEqual({ text: "hello again" });
  });

  describe("HttpChatPlatform to FakeChatServer", () => {
    const server = new FakeChatServer();
    let platform: HttpChatPlatform;
    beforeAll(async () => {
      platform = new HttpChatPlatform("local", await server.start());
    });
    afterAll(async () => {
      await platform.stop();
      await server.stop();
    });

    it("carries the files over HTTP, and sends none for a post without", async () => {
      await platform.post(dmWith("local:sam"), { text: "Your record", files: [file] });
      await platform.post(dmWith("local:sam"), { text: "plain" });
      expect(server.delivered.map(({ member, text, files }) => ({ member, text, files }))).toEqual([
        { member: "local:sam", text: "Your record", files: [file] },
        { member: "local:sam", text: "plain", files: undefined },
      ]);
      expect(server.delivered[1]).not.toHaveProperty("files");
    });
  });
});
