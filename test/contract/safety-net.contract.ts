import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dumpRedis } from "../helpers/redis-dump.js";
import { type ChatDriver, type Person, allText, withButton } from "./chat-driver.js";

const KEEP = "Keep it in my journal";

/**
 * The safety net, end to end, through a real adapter: every adapter runs these
 * same scenarios (local/, slack/ and discord/ each have a *-safety.test.ts).
 */
export function describeSafetyNet(start: (name: string) => Promise<ChatDriver>, name: string): void {
  describe(`the safety net through the ${name} adapter`, () => {
    let d: ChatDriver;
    const markers: string[] = [];
    /** A word that appears in one risk message only, to look for afterwards. */
    const marker = (label: string) => {
      const value = `${label}${randomBytes(5).toString("hex")}`;
      markers.push(value);
      return value;
    };
    let people = 0;
    async function member(zone = "Australia/Brisbane", region = "Wide Bay"): Promise<Person> {
      const person = await d.person(`peer${++people}`);
      await d.join(person, zone, region);
      return person;
    }
    async function openDiary(person: Person) {
      const prompt = withButton(await d.command(person, "reflect"), "Write it in a form");
      expect(await d.app.stores.reflection.getOpen(person.member)).not.toBeNull();
      return prompt;
    }

    beforeAll(async () => {
      d = await start(`safety-${name}`);
    });
    afterAll(() => d.stop());

    it("answers a risk message by DM at once, with New Zealand lines for a member in Pacific/Auckland", async () => {
      const person = await member("Pacific/Auckland", "Waikato");
      const replies = await d.dm(person, `honestly I want to end my life ${marker("dm")}`);
      const [crisis, ask] = replies;
      expect(crisis?.text).toContain("please call 111 now");
      expect(crisis?.text).toContain("1737");
      expect(crisis?.text).toContain("Lifeline Aotearoa: 0800 543 354");
      expect(crisis?.text).not.toContain("13 11 14");
      expect(crisis?.text).not.toMatch(/\b000\b/);
      expect(crisis?.text).toContain("I haven't passed this on to anyone");
      expect(ask?.buttons.map((b) => b.label)).toEqual([KEEP, "Don't keep it"]);
      expect(replies).toHaveLength(2);
      expect(await d.app.stores.journal.list(person.member)).toEqual([]);
    });

    it("answers a risk message in a command's text, and does not run the command", async () => {
      const person = await member();
      const replies = await d.command(person, "set", [
        ["field", "region"],
        ["value", `i just want to end my life ${marker("command")}`],
      ]);
      expect(allText(replies)).toContain("please call 000 now");
      expect(allText(replies)).toContain("Lifeline: 13 11 14");
      expect((await d.app.stores.members.get(person.member))?.region).toBe("Wide Bay");
    });

    it("answers a risk message written in the diary form, and keeps the words only when asked", async () => {
      const person = await member();
      const pressed = await d.press(person, await openDiary(person), "Write it in a form");
      expect(pressed.form?.id).toBe("diary");
      const form = pressed.form ?? { id: "diary", fields: [] };
      const words = `I can't go on like this ${marker("form")}`;
      const replies = await d.submit(person, form, { what: words });
      expect(allText(replies)).toContain("Lifeline: 13 11 14");
      expect(allText(replies)).not.toContain("saved in your journal");
      expect(await d.app.stores.journal.list(person.member)).toEqual([]);

      const kept = await d.press(person, withButton(replies, KEEP), KEEP);
      expect(allText(kept.replies)).toContain("It's in your journal now");
      const [entry] = await d.app.stores.journal.list(person.member);
      expect(entry?.answers.what).toBe(words);
    });

    it("puts an open diary aside, lets the words go when asked, and asks something light next", async () => {
      const person = await member();
      await openDiary(person);
      expect(allText(await d.dm(person, "I sat with someone who was anxious about court"))).toContain(
        "What helped",
      );
      const replies = await d.dm(person, `I can't do this anymore, I want to die ${marker("diary")}`);
      expect(allText(replies)).toContain("Lifeline: 13 11 14");
      expect(allText(replies)).toContain("I've put today's diary questions aside");
      expect(allText(replies)).not.toContain("why did it matter");
      expect(await d.app.stores.reflection.getOpen(person.member)).toBeNull();
      expect((await d.app.stores.reflection.load(person.member)).soft).toBe(true);

      const letGo = await d.press(person, withButton(replies, KEEP), "Don't keep it");
      expect(allText(letGo.replies)).toContain("I've let it go");
      const entries = await d.app.stores.journal.list(person.member);
      expect(entries.map((e) => e.answers)).toEqual([
        { what: "I sat with someone who was anxious about court" },
      ]);
      expect(allText(await d.dm(person, "hello again"))).toContain("don't have anything open");
    });

    it("answers someone shaken by a resident's self-harm with the debrief reply", async () => {
      const person = await member();
      const words = `A resident self-harmed last night and I keep thinking about it ${marker("vicarious")}`;
      const replies = await d.dm(person, words);
      const [debrief] = replies;
      expect(debrief?.text).toContain("That sounds like a lot to carry");
      expect(debrief?.text).toContain("co-supervision");
      expect(debrief?.text).toContain("these lines are there for you as well");
      expect(debrief?.text).toContain("Lifeline: 13 11 14");
      expect(allText(replies)).not.toContain("don't have anything open");
      const kept = await d.press(person, withButton(replies, KEEP), KEEP);
      expect(allText(kept.replies)).toContain("It's in your journal now");
      expect((await d.app.stores.journal.list(person.member))[0]?.answers.what).toBe(words);
    });

    it("gives someone who hasn't joined the lines for where they are, or the emergency numbers and a directory", async () => {
      const stranger = await d.person("visitor", "Pacific/Auckland");
      const replies = await d.dm(stranger, `i want to kill myself ${marker("stranger")}`);
      const text = allText(replies);
      if (d.knowsTimeZones) {
        expect(text).toContain("please call 111 now");
        expect(text).toContain("1737");
      } else {
        expect(text).toContain("000 in Australia, 111 in New Zealand");
      }
      expect(text).toContain("https://findahelpline.com");
      expect(replies.flatMap((r) => r.buttons)).toEqual([]);
      const stored = await dumpRedis(d.testRedis.redis, `${d.testRedis.prefix}member:${stranger.member}*`);
      expect(stored).toEqual([]);
    });

    it("lists the support lines with /peer support, for anyone", async () => {
      const stranger = await d.person("curious");
      expect(allText(await d.command(stranger, "support"))).toContain("Find A Helpline");
      const person = await member("Pacific/Auckland", "Otago");
      const text = allText(await d.command(person, "support"));
      expect(text).toContain("Support lines in New Zealand");
      expect(text).toContain("Samaritans: 0800 726 666");
    });

    it("guards a diary answer in DMs that names someone: use initials", async () => {
      const person = await member();
      await openDiary(person);
      const replies = await d.dm(person, "I sat with Jordan Whitaker and gave him my mobile 0412 345 678");
      const guard = withButton(replies, "Use initials");
      expect(guard.text).toContain("could identify someone");
      expect(guard.text).not.toContain("Whitaker");
      expect(guard.text).not.toContain("0412 345 678");
      expect(guard.buttons.map((b) => b.label)).toEqual(["Rephrase", "Use initials", "Keep as written"]);
      expect(await d.app.stores.journal.list(person.member)).toEqual([]);

      const used = await d.press(person, guard, "Use initials");
      expect(allText(used.replies)).toContain("J.W.");
      expect(allText(used.replies)).toContain("What helped");
      const [entry] = await d.app.stores.journal.list(person.member);
      expect(entry?.answers.what).toContain("J.W.");
      expect(entry?.answers.what).not.toContain("Whitaker");
      expect(entry?.answers.what).not.toContain("0412");
    });

    it("guards a diary answer in DMs: keep as written", async () => {
      const person = await member();
      await openDiary(person);
      const replies = await d.dm(person, "Had a long yarn with Mrs Papadopoulos about her garden");
      const kept = await d.press(person, withButton(replies, "Keep as written"), "Keep as written");
      expect(allText(kept.replies)).toContain("What helped");
      expect((await d.app.stores.journal.list(person.member))[0]?.answers.what).toContain("Papadopoulos");
    });

    it("guards the diary form: rephrase reopens it with the words, and a clean entry is saved", async () => {
      const person = await member();
      const pressed = await d.press(person, await openDiary(person), "Write it in a form");
      const form = pressed.form ?? { id: "diary", fields: [] };
      const replies = await d.submit(person, form, { what: "Visited Aroha Ngata at 14 Banksia Cres today" });
      const guard = withButton(replies, "Rephrase");
      expect(guard.text).not.toContain("Banksia");
      expect(await d.app.stores.journal.list(person.member)).toEqual([]);

      const again = await d.press(person, guard, "Rephrase");
      expect(again.form?.fields[0]).toEqual({
        id: "what",
        initial: "Visited Aroha Ngata at 14 Banksia Cres today",
      });
      const saved = await d.submit(person, again.form ?? form, {
        what: "Visited a young woman at her home today",
      });
      expect(allText(saved)).toContain("saved in your journal");
      expect((await d.app.stores.journal.list(person.member))[0]?.answers.what).toBe(
        "Visited a young woman at her home today",
      );
    });

    it("keeps none of the words of a risk message readable in Redis or in the logs", async () => {
      expect(markers.length).toBeGreaterThanOrEqual(5);
      const stored = (await dumpRedis(d.testRedis.redis, `${d.testRedis.prefix}*`)).join("\n");
      const logged = JSON.stringify(d.logger.entries);
      for (const word of markers) {
        expect(stored).not.toContain(word);
        expect(logged).not.toContain(word);
      }
      expect(logged).not.toContain("end my life");
      expect(stored).not.toContain("end my life");
    });
  });
}
