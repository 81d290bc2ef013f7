import { slackMemberId } from "../../adapters/slack/member-ids.js";
import { unescapeSlackText } from "../../adapters/slack/slack-text.js";
import { dmWith } from "../../src/platform/chat-platform.js";
import type { FakeSlackCall } from "../fakes/fake-slack-api.js";
import { RecordingResponder } from "../fakes/recording-responder.js";
import { TEAM_ID, startSlackHarness } from "../helpers/slack-harness.js";
import {
  type SlackActor,
  blockActionsPayload,
  commandPayload,
  messageImEvent,
  viewSubmissionPayload,
} from "../helpers/slack-requests.js";
import type { BotReply, ChatDriver, OpenedForm, Person } from "./chat-driver.js";

interface SlackPerson extends Person, SlackActor {}

type Element = { action_id?: string; value?: string; text?: { text?: string } };
type Block = { type: string; elements?: Element[]; block_id?: string; element?: { initial_value?: string } };

/**
 * Slack through the real Bolt app: signed requests to its HTTP receiver, and
 * the fake Slack Web API recording every message the bot sends.
 */
export async function startSlackDriver(name: string): Promise<ChatDriver> {
  const h = await startSlackHarness(name);
  let counter = 0;
  /** Buttons carry a value (e.g. the question id) the bot needs back when one is pressed. */
  const values = new Map<string, string | undefined>();

  function replyOf(call: FakeSlackCall): BotReply {
    const blocks = (call.args.blocks ?? []) as Block[];
    const elements = blocks.find((block) => block.type === "actions")?.elements ?? [];
    return {
      text: unescapeSlackText(String(call.args.text ?? "")),
      buttons: elements.map((element) => {
        const label = element.text?.text ?? "";
        values.set(label, element.value);
        return { label, ...(element.action_id ? { id: element.action_id } : {}) };
      }),
    };
  }

  /** What reached this person (their DM, or a reply only they see) after call number `from`. */
  function since(from: number, who: SlackPerson): BotReply[] {
    return h.fake.calls
      .slice(from)
      .filter(
        (call) =>
          call.status === 200 &&
          ((call.method === "chat.postMessage" && call.args.channel === `D${who.userId}`) ||
            (call.method === "response_url" && call.responseUrlName?.startsWith(`${who.userId}-`))),
      )
      .map(replyOf);
  }

  async function settled<T>(request: Promise<T>): Promise<void> {
    await request;
    await h.adapter.idle();
  }

  function openedForm(from: number): OpenedForm | undefined {
    const call = h.fake.calls.slice(from).find((c) => c.method === "views.open" && c.status === 200);
    if (!call) return undefined;
    const view = call.args.view as { callback_id: string; blocks: Block[] };
    return {
      id: view.callback_id,
      fields: view.blocks.map((block) => ({
        id: String(block.block_id),
        ...(block.element?.initial_value !== undefined ? { initial: block.element.initial_value } : {}),
      })),
    };
  }

  const asSlack = (who: Person) => who as SlackPerson;

  return {
    platform: "slack",
    app: h.app,
    testRedis: h.testRedis,
    logger: h.logger,
    knowsTimeZones: true,
    async person(who, timeZone) {
      const userId = `U${who.toUpperCase().replace(/[^A-Z0-9]/g, "")}${++counter}`;
      h.fake.addUser({ id: userId, name: who, displayName: who, ...(timeZone ? { tz: timeZone } : {}) });
      const person: SlackPerson = {
        name: who,
        teamId: TEAM_ID,
        userId,
        member: slackMemberId(TEAM_ID, userId),
      };
      return person;
    },
    async join(who, timeZone, region) {
      const quiet = new RecordingResponder().responder;
      const text = `join region:"${region}" tz:${timeZone} days:mon-sun hours:00:00-24:00`;
      const conversation = dmWith(who.member);
      await h.app.bot.handle({ kind: "command", member: who.member, conversation, text }, quiet);
      await h.app.bot.handle(
        { kind: "button", member: who.member, conversation, actionId: "join:consent" },
        quiet,
      );
    },
    async dm(who, text) {
      const from = h.fake.calls.length;
      await settled(h.slack.event(messageImEvent(asSlack(who), text)));
      return since(from, asSlack(who));
    },
    async command(who, subcommand, args = []) {
      const from = h.fake.calls.length;
      const text = [subcommand, ...args.map(([, value]) => (/\s/.test(value) ? `"${value}"` : value))].join(
        " ",
      );
      const url = h.fake.responseUrl(`${asSlack(who).userId}-${++counter}`);
      await settled(h.slack.command(commandPayload(asSlack(who), text, url)));
      return since(from, asSlack(who));
    },
    async press(who, reply, label) {
      const button = reply.buttons.find((b) => b.label === label);
      if (!button?.id) throw new Error(`no "${label}" button`);
      const from = h.fake.calls.length;
      const url = h.fake.responseUrl(`${asSlack(who).userId}-${++counter}`);
      const value = values.get(label);
      const payload = blockActionsPayload(
        asSlack(who),
        { actionId: button.id, label, ...(value !== undefined ? { value } : {}) },
        url,
        { channelId: `D${asSlack(who).userId}`, ephemeral: false },
      );
      await settled(h.slack.interaction(payload));
      const form = openedForm(from);
      return { replies: since(from, asSlack(who)), ...(form ? { form } : {}) };
    },
    async submit(who, form, filled) {
      const from = h.fake.calls.length;
      const fields = Object.fromEntries(
        form.fields.map((field) => [field.id, filled[field.id] ?? field.initial ?? null]),
      );
      await settled(h.slack.interaction(viewSubmissionPayload(asSlack(who), form.id, fields)));
      return since(from, asSlack(who));
    },
    stop: () => h.stop(),
  };
}
