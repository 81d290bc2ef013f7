import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemberUnreachableError, RateLimitedError } from "../../src/errors.js";
import {
  type ConversationRef,
  type InboundEvent,
  type MemberId,
  type MessageRef,
  type OutboundFile,
  dmWith,
  platformOf,
} from "../../src/platform/chat-platform.js";
import type { PlatformHarness } from "./platform-harness.js";

/** A calendar invite as a feature sends one: CRLF line ends, a folded line, non-ASCII text. */
const CALENDAR = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//peer-bot//check-ins//EN",
  "METHOD:REQUEST",
  "BEGIN:VEVENT",
  "UID:contract-1@peer-bot",
  "DTSTART:20260302T230000Z",
  "SUMMARY:Co-supervision check-in with Zoë — 30 min",
  "DESCRIPTION:A long description that is folded onto a second line as RFC 55",
  " 45 asks",
  "END:VEVENT",
  "END:VCALENDAR",
  "",
].join("\r\n");
/** A CSV with a quoted comma, a quoted quote, a cell that looks like a formula (escaped) and trailing spaces. */
const CSV = 'date,with,notes\n2026-03-02,"Sam, Alex","She said ""that helped""  "\n2026-03-09,Kiri,\'=1+2\n';
/** A printable page: markup, an emoji outside the BMP, and no final newline. */
const PAGE =
  '<!doctype html>\n<html lang="en"><meta charset="utf-8"><title>Record</title>\n<body><h1>Supervision record 🌱</h1><p>Tab:\tend &amp; done</p></body></html>';

/**
 * The chat port's contract. Every adapter runs these same scenarios against
 * its platform (local/, slack/ and discord/ each have a *-contract.test.ts);
 * a new adapter is done when it passes them.
 */
export function describeChatPlatform(start: (name: string) => Promise<PlatformHarness>, name: string): void {
  describe(`the chat port contract: ${name}`, () => {
    let h: PlatformHarness;
    let events: InboundEvent[] = [];
    let people = 0;
    const person = () => h.person(`contract${++people}`);

    beforeAll(async () => {
      h = await start(`contract-${name}`);
    });
    afterAll(() => h?.stop());

    /** Records every event, and runs `then` for it. */
    function recordAnd(then?: Parameters<PlatformHarness["handle"]>[0]) {
      events = [];
      h.handle(async (event, responder) => {
        events.push(event);
        await then?.(event, responder);
      });
    }

    it("names its ids with its platform", async () => {
      const member = await person();
      expect(platformOf(member)).toBe(h.platform.name);
    });

    it("delivers a direct message to the core with the member and their DM as the conversation", async () => {
      recordAnd();
      const member = await person();
      await h.sendDm(member, "hello there");
      expect(events).toHaveLength(1);
      const [event] = events;
      expect(event).toMatchObject({ kind: "message", member, text: "hello there" });
      expect(event?.conversation).toEqual(dmWith(member));
    });

    it("answers the member privately through the responder", async () => {
      recordAnd(async (_event, responder) => responder.reply({ text: "thanks, noted" }));
      const member = await person();
      await h.sendDm(member, "hi");
      expect((await h.seenPrivately(member)).map((m) => m.text)).toContain("thanks, noted");
    });

    it("posts into a DM, returns a reference, and edits that message in place", async () => {
      const member = await person();
      const ref = await h.platform.post(dmWith(member), {
        text: "First version",
        buttons: [{ id: "contract:a", label: "Yes please" }],
      });
      expect(ref.conversation).toEqual(dmWith(member));
      expect(ref.id).not.toBe("");
      let seen = await h.seenPrivately(member);
      expect(seen.at(-1)).toMatchObject({ id: ref.id, text: "First version", buttons: ["Yes please"] });

      await h.platform.edit(ref, { text: "Second version" });
      seen = await h.seenPrivately(member);
      expect(seen.filter((m) => m.id === ref.id)).toEqual([
        { id: ref.id, text: "Second version", buttons: [] },
      ]);
      expect(seen.map((m) => m.text)).not.toContain("First version");
    });

    it("a file sent in a DM arrives privately, with its name and exact content, beside the message's text", async () => {
      const member = await person();
      const other = await person();
      const files: OutboundFile[] = [
        { name: "check-ins.ics", contentType: "text/calendar", content: CALENDAR },
        { name: "supervision-record.csv", contentType: "text/csv", content: CSV },
        { name: "supervision-record.html", contentType: "text/html", content: PAGE },
      ];
      const ref = await h.platform.post(dmWith(member), {
        text: "Your check-ins and your record, for you alone",
        buttons: [{ id: "contract:files", label: "Got them" }],
        files,
      });
      expect(ref.conversation).toEqual(dmWith(member));
      const seen = await h.seenPrivately(member);
      expect(seen.filter((m) => m.id === ref.id)).toEqual([
        { id: ref.id, text: "Your check-ins and your record, for you alone", buttons: ["Got them"] },
      ]);
      expect(await h.filesSeenPrivately(member)).toEqual(
        files.map(({ name, content }) => ({ name, content })),
      );
      // Nobody else sees them: not another member, and not as anyone's message text.
      expect(await h.filesSeenPrivately(other)).toEqual([]);
      expect((await h.seenPrivately(other)).map((m) => m.text)).not.toContain(
        "Your check-ins and your record, for you alone",
      );
    });

    it("an edit of a post with a file changes its text and keeps the file", async () => {
      const member = await person();
      const file = { name: "check-ins.ics", contentType: "text/calendar", content: CALENDAR };
      const ref = await h.platform.post(dmWith(member), { text: "Your calendar", files: [file] });
      await h.platform.edit(ref, { text: "Your calendar (updated wording)" });
      const seen = await h.seenPrivately(member);
      expect(seen.filter((m) => m.id === ref.id).map((m) => m.text)).toEqual([
        "Your calendar (updated wording)",
      ]);
      expect(await h.filesSeenPrivately(member)).toEqual([{ name: file.name, content: file.content }]);
    });

    it("a reply with a file, to a command, reaches the member privately in their DM", async () => {
      const file = { name: "supervision-record.csv", contentType: "text/csv", content: CSV };
      recordAnd(async (_event, responder) => responder.reply({ text: "Here is your record", files: [file] }));
      const member = await person();
      await h.command(member, "set region Mackay");
      expect(events).toHaveLength(1);
      expect((await h.seenPrivately(member)).map((m) => m.text)).toContain("Here is your record");
      expect(await h.filesSeenPrivately(member)).toEqual([{ name: file.name, content: file.content }]);
    });

    it("delivers a command with its text after /peer", async () => {
      recordAnd();
      const member = await person();
      await h.command(member, "set region Mackay");
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ kind: "command", member, text: "set region Mackay" });
      expect(events[0]?.conversation.id).not.toBe("");
    });

    it("delivers a button press with its action, value and the message it was on", async () => {
      recordAnd(async (_event, responder) => responder.reply({ text: "pressed, thank you" }));
      const member = await person();
      const ref = await h.platform.post(dmWith(member), {
        text: "Shall we?",
        buttons: [
          { id: "contract:yes", label: "Yes", value: "q-17" },
          { id: "contract:no", label: "Not now" },
        ],
      });
      await h.press(member, ref, "Yes");
      expect(events).toHaveLength(1);
      const [event] = events;
      expect(event).toMatchObject({ kind: "button", member, actionId: "contract:yes", value: "q-17" });
      if (event?.kind !== "button") throw new Error("not a button event");
      expect(event.message?.id).toBe(ref.id);
      expect(event.message?.conversation).toEqual(dmWith(member));
      expect((await h.seenPrivately(member)).map((m) => m.text)).toContain("pressed, thank you");
    });

    it("opens a form from a button and delivers what was filled in", async () => {
      recordAnd(async (event, responder) => {
        if (event.kind === "button") {
          await responder.openForm?.({
            id: "contract-form",
            title: "A few words",
            submitLabel: "Save",
            fields: [
              { id: "first", label: "First thing" },
              { id: "second", label: "Second thing", optional: true, multiline: true },
            ],
          });
        } else if (event.kind === "form") {
          await responder.reply({ text: "form received" });
        }
      });
      const member = await person();
      if (!h.platform.capabilities.forms) return;
      const ref = await h.platform.post(dmWith(member), {
        text: "Write it down?",
        buttons: [{ id: "contract:form", label: "Write it in a form" }],
      });
      await h.press(member, ref, "Write it in a form");
      const form = await h.openForm(member);
      expect(form?.id).toBe("contract-form");
      await h.submitForm(member, { first: "one", second: "two\nlines" });
      const submitted = events.find((e) => e.kind === "form");
      expect(submitted).toMatchObject({
        kind: "form",
        member,
        formId: "contract-form",
        values: { first: "one", second: "two\nlines" },
      });
      expect((await h.seenPrivately(member)).map((m) => m.text)).toContain("form received");
    });

    describe("group conversations", () => {
      let a: MemberId;
      let b: MemberId;
      let c: MemberId;
      let group: ConversationRef;
      let posted: MessageRef;

      beforeAll(async () => {
        [a, b, c] = [await person(), await person(), await person()];
        group = await h.platform.openGroup([a, b, c], "Peer circle: Tuesdays");
      });

      it("opens a group for the members, named where the platform shows names", async () => {
        expect(group.kind).toBe("group");
        expect(platformOf(group.id)).toBe(h.platform.name);
        const seen = await h.seenInGroup(group);
        expect([...seen.members].sort()).toEqual([a, b, c].sort());
        if (h.showsGroupTitles) expect(seen.title).toContain("Peer circle: Tuesdays");
      });

      it("posts into the group and edits the post", async () => {
        posted = await h.platform.post(group, {
          text: "Who can make Tuesday? 0 so far",
          buttons: [{ id: "contract:rsvp", label: "I can come" }],
        });
        expect(posted.conversation).toEqual(group);
        await h.platform.edit(posted, {
          text: "Who can make Tuesday? 2 so far",
          buttons: [{ id: "contract:rsvp", label: "I can come" }],
        });
        const seen = await h.seenInGroup(group);
        expect(seen.messages.filter((m) => m.id === posted.id)).toEqual([
          { id: posted.id, text: "Who can make Tuesday? 2 so far", buttons: ["I can come"] },
        ]);
      });

      it("delivers what members write in the group, with the group as the conversation", async () => {
        recordAnd();
        await h.sendInGroup(b, group, "Tuesday works for me");
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ kind: "message", member: b, text: "Tuesday works for me" });
        expect(events[0]?.conversation).toEqual(group);
      });

      it("gives a member's group message its reference, and delivers their edit and deletion of it", async () => {
        recordAnd();
        await h.sendInGroup(a, group, "Thursday might work too");
        const written = events[0];
        if (written?.kind !== "message" || !written.message) throw new Error("no reference on the message");
        expect(written.message.conversation).toEqual(group);

        await h.editInGroup(a, written.message, "Thursday works too");
        const edited = events.find((e) => e.kind === "message-edited");
        expect(edited).toMatchObject({ kind: "message-edited", member: a, text: "Thursday works too" });
        if (edited?.kind !== "message-edited") throw new Error("not an edit");
        expect(edited.message).toEqual(written.message);
        expect(edited.conversation).toEqual(group);

        await h.deleteInGroup(a, written.message);
        const deleted = events.find((e) => e.kind === "message-deleted");
        if (deleted?.kind !== "message-deleted") throw new Error("no deletion event");
        expect(deleted.message).toEqual(written.message);
        expect(deleted.conversation).toEqual(group);
      });

      it("deletes a post of its own", async () => {
        const doomed = await h.platform.post(group, { text: "A post to take back" });
        expect((await h.seenInGroup(group)).messages.map((m) => m.id)).toContain(doomed.id);
        await h.platform.delete(doomed);
        expect((await h.seenInGroup(group)).messages.map((m) => m.id)).not.toContain(doomed.id);
      });

      it("delivers a press on a group post with the post's reference", async () => {
        recordAnd();
        await h.press(c, posted, "I can come");
        expect(events[0]).toMatchObject({ kind: "button", member: c, actionId: "contract:rsvp" });
        if (events[0]?.kind !== "button") throw new Error("not a button event");
        expect(events[0].message).toEqual(posted);
      });

      it("answers a member who wrote in the group privately, not in front of the group", async () => {
        recordAnd(async (_event, responder) => responder.reply({ text: "just for you" }));
        const before = (await h.seenInGroup(group)).messages.length;
        await h.sendInGroup(a, group, "I'm finding this week hard going");
        expect((await h.seenInGroup(group)).messages).toHaveLength(before);
        expect((await h.seenPrivately(a)).map((m) => m.text)).toContain("just for you");
        expect((await h.seenPrivately(b)).map((m) => m.text)).not.toContain("just for you");
      });
    });

    describe("platform errors, as the core's typed errors", () => {
      it("a rate limit is a RateLimitedError with the wait the platform asked for", async (context) => {
        if (!h.canFail.includes("rate-limited")) return context.skip();
        const member = await person();
        h.failNextPost("rate-limited", member);
        const error = await h.platform.post(dmWith(member), { text: "hello" }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RateLimitedError);
        expect((error as RateLimitedError).retryAfterMs).toBeGreaterThan(0);
      });

      it("a member who cannot be messaged is a MemberUnreachableError", async (context) => {
        if (!h.canFail.includes("unreachable")) return context.skip();
        const member = await person();
        h.failNextPost("unreachable", member);
        const error = await h.platform.post(dmWith(member), { text: "hello" }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MemberUnreachableError);
      });
    });
  });
}
