import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUESTION_SENT_TO_DM } from "../../src/reflection/reflection-commands.js";
import type { Json, SentMessage } from "../../test/fakes/fake-discord.js";
import { type DiscordHarness, startDiscordHarness, waitFor } from "../../test/helpers/discord-harness.js";

/** The buttons on a sent message, flattened out of their action rows. */
function buttons(sent: SentMessage): Json[] {
  return ((sent.message.components ?? []) as Array<{ components: Json[] }>).flatMap((row) => row.components);
}

let h: DiscordHarness;
beforeAll(async () => {
  h = await startDiscordHarness("discord-interactions");
});
afterAll(() => h.stop());

describe("Discord adapter: /peer interactions, end to end with real discord.js and the real core", () => {
  it("connects with only the Guilds and DirectMessages intents", () => {
    // Guilds (1) | DirectMessages (4096); no Message Content (32768).
    expect(h.fake.identifies.map((identify) => identify.intents)).toEqual([1 | 4096]);
  });

  it("/peer join with options asks for consent with buttons, and Yes stores the member", async () => {
    const ana = h.fake.user("ana");
    const join = h.fake.command(ana, [
      {
        name: "join",
        type: 1,
        options: [
          { name: "region", type: 3, value: "Wide Bay" },
          { name: "tz", type: 3, value: "Australia/Brisbane" },
          { name: "days", type: 3, value: "mon-wed" },
          { name: "hours", type: 3, value: "09:00-15:00" },
          { name: "solo", type: 5, value: true },
        ],
      },
    ]);
    expect(await h.callback(join)).toEqual({ type: 5, data: { flags: 64 } });
    const ask = await h.answer(join, "Before I store anything");
    expect(ask).toMatchObject({ via: "edit", message: { flags: 64 } });
    expect(buttons(ask)).toEqual([
      { type: 2, custom_id: "join:consent", label: "Yes, I agree", style: 1 },
      { type: 2, custom_id: "join:decline", label: "Not now", style: 2 },
    ]);
    // Before she agrees, Redis holds only two expiring keys about her: the draft of the settings she
    // gave, and the ids of the yes/no answers (so a typed "yes" answers it). No member record.
    const member = `discord:${ana.id}`;
    const consentKey = h.keys.memberPart(member, "consent");
    const askedKey = h.keys.memberPart(member, "asked");
    expect(await h.app.stores.members.get(member)).toBeNull();
    // (The question is noted just after it is sent.)
    await waitFor(async () => (await h.testRedis.redis.exists(askedKey)) === 1, "the question to be noted");
    expect((await h.testRedis.keys()).filter((key) => key.includes(ana.id)).sort()).toEqual(
      [askedKey, consentKey].sort(),
    );
    for (const key of [consentKey, askedKey]) {
      const ttl = await h.testRedis.redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(30 * 60_000);
    }
    const draft = JSON.parse((await h.testRedis.redis.get(consentKey)) ?? "null");
    expect(draft.draft).toEqual({
      settings: {
        region: "Wide Bay",
        timeZone: "Australia/Brisbane",
        workingDays: ["mon", "tue", "wed"],
        workingHours: { start: "09:00", end: "15:00" },
        soleWorker: true,
      },
      displayName: "Ana",
    });
    expect(JSON.parse((await h.testRedis.redis.get(askedKey)) ?? "null")).toEqual({
      yes: { actionId: "join:consent" },
      no: { actionId: "join:decline" },
    });

    const yes = h.fake.press(ana, "join:consent");
    expect(await h.callback(yes)).toEqual({ type: 6 });
    const welcome = await h.answer(yes, "Welcome to the network, Ana");
    expect(welcome).toMatchObject({ via: "followup", message: { flags: 64 } });
    // Agreeing takes the draft and answers the question: neither key is left.
    expect(await h.testRedis.redis.exists(consentKey)).toBe(0);
    await waitFor(
      async () => (await h.testRedis.redis.exists(askedKey)) === 0,
      "the question to be answered",
    );
    expect(await h.app.stores.members.get(`discord:${ana.id}`)).toMatchObject({
      id: `discord:${ana.id}`,
      displayName: "Ana",
      region: "Wide Bay",
      timeZone: "Australia/Brisbane",
      workingDays: ["mon", "tue", "wed"],
      workingHours: { start: "09:00", end: "15:00" },
      soleWorker: true,
    });
  });

  it("/peer join alone opens a modal, and submitting it leads to the consent question", async () => {
    const cai = h.fake.user("cai");
    const join = h.fake.command(cai, [{ name: "join", type: 1 }]);
    const modal = await h.callback(join);
    expect(modal).toMatchObject({ type: 9, data: { custom_id: "join", title: "Join the peer network" } });
    const fields = (modal.data as { components: Array<{ type: number; label: string; component: Json }> })
      .components;
    expect(fields.map((field) => [field.type, field.component.custom_id, field.component.required])).toEqual([
      [18, "region", true],
      [18, "tz", true],
      [18, "days", true],
      [18, "hours", true],
      [18, "solo", false],
    ]);
    expect(fields[0]).toMatchObject({ label: "Your region", description: "e.g. Pilbara, Wide Bay" });

    const submit = h.fake.submitModal(cai, "join", {
      region: "Pilbara",
      tz: "Australia/Perth",
      days: "tue-thu",
      hours: "08:00-14:00",
      solo: "",
    });
    expect(await h.callback(submit)).toEqual({ type: 5, data: { flags: 64 } });
    const ask = await h.answer(submit, "Before I store anything");
    expect(buttons(ask).map((button) => button.custom_id)).toEqual(["join:consent", "join:decline"]);

    await h.answer(h.fake.press(cai, "join:consent"), "Welcome to the network");
    expect(await h.app.stores.members.get(`discord:${cai.id}`)).toMatchObject({
      region: "Pilbara",
      soleWorker: false,
    });
  });

  it("/peer reflect offers the diary as a form; its button opens a modal and the entry is saved", async () => {
    const hal = h.fake.user("hal");
    const member = `discord:${hal.id}`;
    await h.join(member);
    const reflect = h.fake.command(hal, [{ name: "reflect", type: 1 }]);
    // Asked in the server, the question goes to her DM (where she answers), and she is told so privately.
    expect(await h.answer(reflect, QUESTION_SENT_TO_DM)).toMatchObject({
      via: "edit",
      message: { flags: 64 },
    });
    const prompt = await h.postedInDm(hal.id, "Here's a question to reflect on");
    const [formButton] = buttons(prompt);
    expect(formButton).toMatchObject({ label: "Write it in a form", style: 1 });
    const customId = String(formButton?.custom_id);
    expect(customId).toMatch(/^prompt:form\|.+/);

    const press = h.fake.press(hal, customId);
    const modal = await h.callback(press);
    expect(modal).toMatchObject({ type: 9, data: { custom_id: "diary", title: "Reflective diary" } });
    const [what] = (modal.data as { components: Array<{ description?: string; component: Json }> })
      .components;
    // The question rides in the button's value and comes back as the first field's hint.
    expect(what).toMatchObject({ component: { custom_id: "what", style: 2, required: false } });
    expect(prompt.message.content).toContain(String(what?.description));

    const submit = h.fake.submitModal(hal, "diary", { what: "A hard call went well", helped: "", why: "" });
    await h.answer(submit, "saved in your journal");
    const entries = await h.app.stores.journal.list(member);
    expect(entries.map((entry) => entry.answers)).toEqual([{ what: "A hard call went well" }]);
  });

  it("suggests IANA time zones matching what is typed into tz, at most 25", async () => {
    const ben = h.fake.user("ben");
    const typing = (value: string) =>
      h.fake.autocomplete(ben, [
        {
          name: "join",
          type: 1,
          options: [
            { name: "region", type: 3, value: "Wide Bay" },
            { name: "tz", type: 3, value, focused: true },
          ],
        },
      ]);
    const brisbane = await h.callback(typing("brisb"));
    expect(brisbane).toEqual({
      type: 8,
      data: { choices: [{ name: "Australia/Brisbane", value: "Australia/Brisbane" }] },
    });
    const broad = (await h.callback(typing("a"))).data as { choices: Json[] };
    expect(broad.choices).toHaveLength(25);
  });

  it("/peer forget asks to confirm, and the confirm button deletes the member and their cached facts", async () => {
    const dee = h.fake.user("dee");
    const member = `discord:${dee.id}`;
    await h.join(member);
    await h.cache.set(member, "dm-channel", h.fake.dmChannelFor(dee.id));
    expect((await h.testRedis.keys()).some((key) => key.includes(member))).toBe(true);

    const forget = h.fake.command(dee, [{ name: "forget", type: 1 }]);
    const ask = await h.answer(forget, "Delete it all?");
    expect(buttons(ask)).toEqual([
      { type: 2, custom_id: "forget:confirm", label: "Yes, delete everything", style: 4 },
      { type: 2, custom_id: "forget:cancel", label: "Keep my data", style: 2 },
    ]);

    await h.answer(h.fake.press(dee, "forget:confirm"), "everything I kept about you has been deleted");
    expect(await h.app.stores.members.get(member)).toBeNull();
    expect((await h.testRedis.keys()).filter((key) => key.includes(member))).toEqual([]);
  });

  it("answers /peer help ephemerally: an ephemeral deferral (flags 64), then the help as its edit", async () => {
    const eve = h.fake.user("eve");
    const help = h.fake.command(eve, [{ name: "help", type: 1 }]);
    expect(await h.callback(help)).toEqual({ type: 5, data: { flags: 64 } });
    const reply = await h.answer(help, "What you can ask me");
    expect(reply).toMatchObject({ via: "edit", message: { flags: 64 } });
    expect(reply.message.content).toContain("/peer join");
    // Nothing is ever said in the shared channel itself.
    expect(h.fake.callsTo("POST", `/channels/${h.fake.guildChannelId}/messages`)).toEqual([]);
  });

  it("turns options back into the core's text, e.g. /peer pause for:2w", async () => {
    const fay = h.fake.user("fay");
    await h.join(`discord:${fay.id}`);
    const pause = h.fake.command(fay, [
      { name: "pause", type: 1, options: [{ name: "for", type: 3, value: "2w" }] },
    ]);
    // The fixed clock is 2026-11-23; two weeks on is 7 December.
    await h.answer(pause, "I won't send you anything until");
    expect((await h.app.stores.members.get(`discord:${fay.id}`))?.status).toMatchObject({
      state: "paused",
      until: "2026-12-07",
    });
  });

  it("remembers the DM channel of a member who uses /peer in their DM with the bot", async () => {
    const gus = h.fake.user("gus");
    const help = h.fake.command(gus, [{ name: "help", type: 1 }], { inDm: true });
    await h.answer(help, "What you can ask me");
    expect(await h.cache.get(`discord:${gus.id}`, "dm-channel")).toBe(h.fake.dmChannelFor(gus.id));
  });

  it("made no call Discord would refuse, such as a second response to one interaction", () => {
    const callbacks = h.fake.callsTo("POST", "/interactions/:id/:token/callback");
    expect(callbacks.every((call) => call.status === 204)).toBe(true);
    expect(h.fake.calls.filter((call) => call.status >= 400)).toEqual([]);
  });
});
