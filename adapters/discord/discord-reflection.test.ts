import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTRY_SAVED, STEP_QUESTIONS } from "../../src/reflection/prompt-messages.js";
import { QUESTION_SENT_TO_DM } from "../../src/reflection/reflection-commands.js";
import type { FakeUser, Invocation, Json, SentMessage } from "../../test/fakes/fake-discord.js";
import { type DiscordHarness, startDiscordHarness, waitFor } from "../../test/helpers/discord-harness.js";
import { dumpRedis } from "../../test/helpers/redis-dump.js";

/**
 * Reflection end to end on Discord: real discord.js against the fake Discord
 * on loopback, the whole real core (bin/app.ts, fixed clock 2026-11-23T00:00Z,
 * scheduler off) and real Redis under this file's own prefix.
 */

let h: DiscordHarness;
beforeAll(async () => {
  h = await startDiscordHarness("discord-reflection");
});
afterAll(() => h.stop());

/** The buttons on a sent message, flattened out of their action rows. */
function buttons(sent: SentMessage): Json[] {
  return ((sent.message.components ?? []) as Array<{ components: Json[] }>).flatMap((row) => row.components);
}

/** The custom id of the button with this label. */
function customIdOf(sent: SentMessage, label: string): string {
  const button = buttons(sent).find((b) => b.label === label);
  if (!button) throw new Error(`no button labelled ${label}`);
  return String(button.custom_id);
}

/** The question inside a prompt, between its curly quotes. */
function questionIn(sent: SentMessage): string {
  const match = /“(.+)”/.exec(String(sent.message.content));
  if (!match?.[1]) throw new Error("the prompt carries no question");
  return match[1];
}

/** Messages the bot posted into a channel (not interaction replies) containing `text`. */
const postsIn = (channelId: string, text: string) =>
  h.fake.sent.filter(
    (s) =>
      s.via === "channel" && s.message.channel_id === channelId && String(s.message.content).includes(text),
  );

/** Everything stored under this file's prefix, keys and values, as text. */
const stored = () => dumpRedis(h.testRedis.redis, `${h.testRedis.prefix}*`);

async function joined(name: string): Promise<{ user: FakeUser; member: string }> {
  const user = h.fake.user(name);
  const member = `discord:${user.id}`;
  await h.join(member);
  return { user, member };
}

/**
 * `/peer reflect` in the server (or in her DM with `inDm`); resolves with the invocation, the private
 * note it was answered with in the server (none in the DM), and the prompt the member saw: posted in
 * her DM when asked in the server, the interaction's own answer when asked in the DM.
 */
async function reflect(
  user: FakeUser,
  where: { inDm?: boolean } = {},
): Promise<{ invocation: Invocation; note?: SentMessage; prompt: SentMessage }> {
  const before = h.dmPosts(user.id).length;
  const invocation = h.fake.command(user, [{ name: "reflect", type: 1 }], where);
  if (where.inDm) {
    const prompt = await h.answer(invocation, "Here's a question to reflect on");
    return { invocation, prompt };
  }
  const note = await h.answer(invocation, QUESTION_SENT_TO_DM);
  const prompt = await h.postedInDm(user.id, "Here's a question to reflect on", before);
  return { invocation, note, prompt };
}

/** A DM from the member, then the bot's answer in the DM containing `ack`. */
async function dm(user: FakeUser, text: string, ack: string): Promise<SentMessage> {
  const channelId = h.fake.dmChannelFor(user.id);
  const before = postsIn(channelId, ack).length;
  h.fake.directMessage(user, text);
  return waitFor(() => postsIn(channelId, ack)[before], `the DM answer "${ack.slice(0, 30)}…"`);
}

describe("Discord: /peer reflect and the guided diary in DMs", () => {
  it("asks in her DM with three buttons (saying so ephemerally in the server), takes three DM answers, acknowledges each and stores the entry encrypted", async () => {
    const { user, member } = await joined("ana");
    const { invocation, note, prompt } = await reflect(user);
    const channelId = h.fake.dmChannelFor(user.id);

    // Only she sees the question: it is posted in her DM, and in the server she gets an ephemeral
    // deferral whose edit says where the question went, with no question and no buttons in it.
    expect(await h.callback(invocation)).toEqual({ type: 5, data: { flags: 64 } });
    expect(note).toMatchObject({ via: "edit", message: { flags: 64, channel_id: h.fake.guildChannelId } });
    expect(note?.message.content).not.toContain("Here's a question to reflect on");
    expect(note && buttons(note)).toEqual([]);
    expect(prompt).toMatchObject({ via: "channel", message: { channel_id: channelId } });
    const question = questionIn(prompt);
    const open = await h.app.stores.reflection.getOpen(member);
    expect(open).toMatchObject({ step: 0 });
    const questionId = String(open?.questionId);
    expect(buttons(prompt)).toEqual([
      { type: 2, custom_id: `prompt:form|${questionId}`, label: "Write it in a form", style: 1 },
      { type: 2, custom_id: `prompt:later|${questionId}`, label: "Not now", style: 2 },
      { type: 2, custom_id: `prompt:skip|${questionId}`, label: "Skip this one", style: 2 },
    ]);
    // Nothing was posted in the shared channel.
    expect(h.fake.callsTo("POST", `/channels/${h.fake.guildChannelId}/messages`)).toEqual([]);

    const marker = randomBytes(6).toString("hex");
    const answers = {
      what: `A client called in tears and I stayed calm ${marker}-what`,
      helped: `Breathing slowly and my supervisor's advice ${marker}-helped`,
      why: `It showed me I can hold hard moments ${marker}-why`,
    };
    const first = await dm(user, answers.what, STEP_QUESTIONS[0]);
    expect(await h.app.stores.reflection.getOpen(member)).toMatchObject({ questionId, step: 1 });
    const second = await dm(user, answers.helped, STEP_QUESTIONS[1]);
    expect(await h.app.stores.reflection.getOpen(member)).toMatchObject({ questionId, step: 2 });
    const third = await dm(user, answers.why, ENTRY_SAVED);
    for (const ack of [first, second, third]) {
      expect(ack.message).toMatchObject({ channel_id: channelId, components: [] });
    }
    expect(third.message.content).toContain("saved in your journal");
    // The question, then three answers and three acknowledgements: nothing else said in the DM.
    expect(h.fake.sent.filter((s) => s.message.channel_id === channelId)).toEqual([
      prompt,
      first,
      second,
      third,
    ]);

    // The entry decrypts to exactly what she sent, with the question asked.
    const entries = await h.app.stores.journal.list(member);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ questionId, question, createdAt: "2026-11-23T00:00:00.000Z" });
    expect(entries[0]?.answers).toEqual(answers);
    expect(await h.app.stores.reflection.getOpen(member)).toBeNull();

    // Nothing she wrote is readable anywhere under this test's prefix.
    const everything = await stored();
    expect(everything.some((text) => text.includes(`discord:${user.id}:journal`))).toBe(true);
    expect(everything.filter((text) => text.includes(marker))).toEqual([]);
    for (const answer of Object.values(answers)) {
      expect(everything.filter((text) => text.includes(answer.slice(0, 20)))).toEqual([]);
    }
  });

  it("Not now snoozes the question to her next working day and says when; the question stays open", async () => {
    const { user, member } = await joined("ben");
    const { prompt } = await reflect(user);
    expect(await h.app.stores.schedule.get(member, "snooze")).toBeNull();

    const later = customIdOf(prompt, "Not now");
    expect(later).toMatch(/^prompt:later\|.+/);
    const press = h.fake.press(user, later);
    expect(await h.callback(press)).toEqual({ type: 6 });
    const reply = await h.answer(press, "I'll ask again on");
    expect(reply).toMatchObject({ via: "followup", message: { flags: 64 } });

    // Joined as Brisbane, mon-wed 09:00-15:00; the clock is Monday 10:00 there. Prompts come an hour
    // before the end of the day, so the snooze is Tuesday 14:00 Brisbane (04:00 UTC).
    expect(reply.message.content).toContain("I'll ask again on Tuesday");
    expect(await h.app.stores.schedule.get(member, "snooze")).toBe(Date.parse("2026-11-24T04:00:00Z"));
    expect(await h.app.stores.reflection.getOpen(member)).toMatchObject({ step: 0 });
  });

  it("Skip this one closes the open question, and a DM afterwards is not taken as an answer", async () => {
    const { user, member } = await joined("cai");
    const { prompt } = await reflect(user);
    expect(await h.app.stores.reflection.getOpen(member)).not.toBeNull();

    const skip = customIdOf(prompt, "Skip this one");
    expect(skip).toMatch(/^prompt:skip\|.+/);
    const press = h.fake.press(user, skip);
    expect(await h.callback(press)).toEqual({ type: 6 });
    expect(await h.answer(press, "skipping that one")).toMatchObject({ via: "followup" });
    expect(await h.app.stores.reflection.getOpen(member)).toBeNull();
    expect(await h.app.stores.schedule.get(member, "snooze")).toBeNull();

    await dm(user, "something unrelated", "I don't have anything open with you");
    expect(await h.app.stores.journal.list(member)).toEqual([]);
  });

  it("the form button opens the diary modal, and submitting it saves all three answers", async () => {
    const { user, member } = await joined("dee");
    // Asked in her DM, the question is the command's own (deferred, then edited) answer, as before.
    const { invocation, prompt } = await reflect(user, { inDm: true });
    expect(await h.callback(invocation)).toEqual({ type: 5, data: { flags: 64 } });
    expect(prompt).toMatchObject({ via: "edit", message: { channel_id: h.fake.dmChannelFor(user.id) } });
    expect(h.answers(invocation).map((sent) => sent.message.content)).not.toContain(QUESTION_SENT_TO_DM);
    expect(h.dmPosts(user.id)).toEqual([]);
    const question = questionIn(prompt);
    const questionId = String((await h.app.stores.reflection.getOpen(member))?.questionId);

    const press = h.fake.press(user, customIdOf(prompt, "Write it in a form"));
    const modal = await h.callback(press);
    expect(modal).toMatchObject({ type: 9, data: { custom_id: "diary", title: "Reflective diary" } });
    const fields = (modal.data as { components: Array<{ type: number; component: Json }> }).components;
    expect(fields.map((field) => [field.type, field.component.custom_id, field.component.required])).toEqual([
      [18, "what", false],
      [18, "helped", false],
      [18, "why", false],
    ]);
    // The modal was the interaction's only response: no deferral, no message.
    expect(h.fake.callsTo("POST", `/interactions/${press.id}/${press.token}/callback`)).toHaveLength(1);
    expect(h.answers(press)).toEqual([]);

    const answers = { what: "A home visit went sideways", helped: "Debriefing after", why: "Safety first" };
    const submit = h.fake.submitModal(user, "diary", answers);
    expect(await h.callback(submit)).toEqual({ type: 5, data: { flags: 64 } });
    expect(await h.answer(submit, "saved in your journal")).toMatchObject({
      via: "edit",
      message: { flags: 64 },
    });
    const entries = await h.app.stores.journal.list(member);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ questionId, question, answers });
    expect(await h.app.stores.reflection.getOpen(member)).toBeNull();
  });

  it("/peer forget with its confirmation deletes everything: no key or value under the prefix mentions her", async () => {
    const { user, member } = await joined("eve");
    // Leave traces everywhere: a snoozed question, a diary step from a DM (which caches her DM
    // channel), a tip seen, and her schedule.
    const { prompt } = await reflect(user);
    await h.answer(h.fake.press(user, customIdOf(prompt, "Not now")), "I'll ask again on");
    await dm(user, "Something to keep", STEP_QUESTIONS[0]);
    await h.answer(h.fake.command(user, [{ name: "tip", type: 1 }]), "Here's a self-care idea");
    expect(await h.app.stores.journal.list(member)).toHaveLength(1);
    expect(await h.cache.get(member, "dm-channel")).toBe(h.fake.dmChannelFor(user.id));

    const mentions = async () => (await stored()).filter((text) => text.includes(user.id));
    const before = await mentions();
    // Her id is in keys (profile, journal, state, cache) and in values (the member set, the schedule).
    expect(before).toEqual(
      expect.arrayContaining([
        `${h.testRedis.prefix}member:${member}`,
        `${h.testRedis.prefix}member:${member}:journal`,
        `${h.testRedis.prefix}member:${member}:cache`,
        member,
        `prompt|${member}`,
        `snooze|${member}`,
      ]),
    );

    const forget = h.fake.command(user, [{ name: "forget", type: 1 }]);
    await h.answer(forget, "Delete it all?");
    // Asking deletes nothing; it only notes, for 30 minutes, which buttons a typed yes or no stands for.
    const askedKey = `${h.testRedis.prefix}member:${member}:asked`;
    // (It is noted just after the question is sent.)
    await waitFor(async () => (await h.testRedis.redis.exists(askedKey)) === 1, "the question to be noted");
    expect((await mentions()).sort()).toEqual([...before, askedKey].sort());
    expect(JSON.parse((await h.testRedis.redis.get(askedKey)) ?? "null")).toEqual({
      yes: { actionId: "forget:confirm" },
      no: { actionId: "forget:cancel" },
    });
    expect(await h.testRedis.redis.pttl(askedKey)).toBeGreaterThan(0);
    await h.answer(h.fake.press(user, "forget:confirm"), "everything I kept about you has been deleted");

    expect(await mentions()).toEqual([]);
    expect(await h.app.stores.members.get(member)).toBeNull();
    expect(await h.app.stores.journal.list(member)).toEqual([]);
    expect(await h.app.stores.reflection.getOpen(member)).toBeNull();
    // Others' data is untouched.
    expect((await stored()).some((text) => text.startsWith(`${h.testRedis.prefix}member:discord:`))).toBe(
      true,
    );
  });

  it("made no call Discord would refuse", () => {
    expect(h.fake.calls.filter((call) => call.status >= 400)).toEqual([]);
  });
});
