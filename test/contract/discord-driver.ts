import type { FakeUser, Invocation, Json, SentMessage } from "../fakes/fake-discord.js";
import { startDiscordHarness, waitFor } from "../helpers/discord-harness.js";
import { RecordingLogger } from "../helpers/slack-harness.js";
import type { BotReply, ChatDriver, OpenedForm, Person } from "./chat-driver.js";

interface DiscordPerson extends Person {
  readonly user: FakeUser;
}

/**
 * Discord through the real discord.js client, connected to the fake Discord
 * gateway and REST API on loopback: DMs over the gateway, `/peer` and buttons
 * and modals as interactions.
 */
export async function startDiscordDriver(name: string): Promise<ChatDriver> {
  const logger = new RecordingLogger();
  const h = await startDiscordHarness(name, { logger });

  function replyOf(sent: SentMessage): BotReply {
    const rows = (sent.message.components ?? []) as Array<{ components?: Json[] }>;
    return {
      text: String(sent.message.content ?? ""),
      buttons: rows
        .flatMap((row) => row.components ?? [])
        .map((button) => ({ label: String(button.label), id: String(button.custom_id) })),
    };
  }

  /** What reached this person after message number `from`: in their DM, or answering their interaction. */
  function since(from: number, who: DiscordPerson, invocation?: Invocation): BotReply[] {
    const dm = h.fake.dmChannelFor(who.user.id);
    return h.fake.sent
      .slice(from)
      .filter(
        (sent) =>
          (sent.via === "channel" && sent.message.channel_id === dm) ||
          (invocation !== undefined && sent.token === invocation.token),
      )
      .filter((sent) => String(sent.message.content ?? "") !== "" || sent.message.components !== undefined)
      .map(replyOf);
  }

  /** Waits until the bot has said something, then until it has finished with every event. */
  async function settled(from: number): Promise<void> {
    await waitFor(() => h.fake.sent.length > from, "a reply from the bot");
    await h.adapter.idle();
  }

  function openedForm(invocation: Invocation): OpenedForm | undefined {
    const body = h.fake
      .callsTo("POST", `/interactions/${invocation.id}/${invocation.token}/callback`)
      .map((call) => call.body as Json | undefined)
      .find((b) => b?.type === 9);
    if (!body) return undefined;
    const data = body.data as { custom_id: string; components: Array<{ component: Json }> };
    return {
      id: data.custom_id,
      fields: data.components.map(({ component }) => ({
        id: String(component.custom_id),
        ...(typeof component.value === "string" ? { initial: component.value } : {}),
      })),
    };
  }

  const asDiscord = (who: Person) => who as DiscordPerson;

  return {
    platform: "discord",
    app: h.app,
    testRedis: h.testRedis,
    logger,
    // Discord does not tell bots a person's time zone.
    knowsTimeZones: false,
    async person(who) {
      const user = h.fake.user(who);
      const person: DiscordPerson = { name: who, member: `discord:${user.id}`, user };
      return person;
    },
    async join(who, timeZone, region) {
      await h.join(who.member, `join region:"${region}" tz:${timeZone} days:mon-sun hours:00:00-24:00`);
    },
    async dm(who, text) {
      const from = h.fake.sent.length;
      h.fake.directMessage(asDiscord(who).user, text);
      await settled(from);
      return since(from, asDiscord(who));
    },
    async command(who, subcommand, args = []) {
      const from = h.fake.sent.length;
      const options = args.map(([option, value]) => ({ name: option, type: 3, value }));
      const invocation = h.fake.command(asDiscord(who).user, [{ name: subcommand, type: 1, options }]);
      await settled(from);
      return since(from, asDiscord(who), invocation);
    },
    async press(who, reply, label) {
      const button = reply.buttons.find((b) => b.label === label);
      if (!button?.id) throw new Error(`no "${label}" button`);
      const from = h.fake.sent.length;
      const calls = h.fake.calls.length;
      const invocation = h.fake.press(asDiscord(who).user, button.id);
      // Opening a form answers with a modal, not a message.
      await waitFor(
        () => h.fake.sent.length > from || openedForm(invocation) !== undefined,
        "a reply or a form from the bot",
      );
      await h.adapter.idle();
      const form = h.fake.calls.length > calls ? openedForm(invocation) : undefined;
      return { replies: since(from, asDiscord(who), invocation), ...(form ? { form } : {}) };
    },
    async submit(who, form, filled) {
      const from = h.fake.sent.length;
      const values = Object.fromEntries(
        form.fields.map((field) => [field.id, filled[field.id] ?? field.initial ?? ""]),
      );
      const invocation = h.fake.submitModal(asDiscord(who).user, form.id, values);
      await settled(from);
      return since(from, asDiscord(who), invocation);
    },
    stop: () => h.stop(),
  };
}
