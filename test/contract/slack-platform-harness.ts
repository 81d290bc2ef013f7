import { slackMemberId, slackUserId } from "../../adapters/slack/member-ids.js";
import { escapeSlackText, unescapeSlackText } from "../../adapters/slack/slack-text.js";
import type {
  ConversationRef,
  Form,
  FormField,
  MemberId,
  MessageRef,
} from "../../src/platform/chat-platform.js";
import type { FakeSlackMessage } from "../fakes/fake-slack-api.js";
import { TEAM_ID, startBareSlackAdapter } from "../helpers/slack-harness.js";
import {
  type SlackActor,
  blockActionsPayload,
  commandPayload,
  viewSubmissionPayload,
} from "../helpers/slack-requests.js";
import type { ContractHandler, PlatformHarness, SeenGroup, SeenMessage } from "./platform-harness.js";

type Element = { type?: string; action_id?: string; value?: string; text?: { text?: string } };
type Block = {
  type?: string;
  block_id?: string;
  elements?: Element[];
  label?: { text?: string };
  hint?: { text?: string };
  optional?: boolean;
  element?: { action_id?: string; multiline?: boolean; initial_value?: string };
};
type ModalView = {
  callback_id?: string;
  title?: { text?: string };
  submit?: { text?: string };
  blocks?: Block[];
  private_metadata?: string;
};

/** Conversation ids the adapter gives groups and channels: `slack:<team>:<channel>`. */
const SLACK_CONVERSATION = /^slack:[A-Z0-9]+:([A-Z0-9]+)$/;

/**
 * The Slack adapter on its own (no core: each test says what the core does)
 * against the fake Slack Web API. People act as Slack would make them:
 * signed Events API, slash command and interactivity requests to the
 * adapter's HTTP receiver, with trigger ids and response_urls from the fake;
 * what they write, edit and delete goes through the fake, which keeps it and
 * gives the event Slack would send.
 * What they see is read from the fake's record of the bot's Web API calls:
 * their IM with the bot and the ephemerals shown to them, and each group DM,
 * all with edits applied; and the files shared into their IM. A request is
 * finished when the adapter has handled everything that reached it.
 */
export async function startSlackPlatformHarness(name: string): Promise<PlatformHarness> {
  const recordNothing: ContractHandler = async () => {};
  let handler = recordNothing;
  const { fake, adapter, slack, stop } = await startBareSlackAdapter(name, (event, responder) =>
    handler(event, responder),
  );
  let requests = 0;

  function actor(member: MemberId): SlackActor {
    return { teamId: TEAM_ID, userId: slackUserId(member) };
  }

  /** Sends a signed request as Slack would, then waits until the adapter has handled it. */
  async function deliver(request: Promise<{ status: number; body: string }>): Promise<void> {
    const response = await request;
    if (response.status !== 200) {
      throw new Error(`the adapter answered Slack with ${response.status}: ${response.body}`);
    }
    await adapter.idle();
  }

  /** The group DM a conversation reference names, as the fake has it. */
  function groupDm(group: ConversationRef) {
    const channel = SLACK_CONVERSATION.exec(group.id)?.[1];
    const conversation = channel ? fake.conversation(channel) : undefined;
    if (group.kind !== "group" || conversation?.kind !== "mpim") {
      throw new Error(`${group.kind} ${group.id} isn't a group DM the bot opened`);
    }
    return conversation;
  }

  /** The message a person can see, by the bot's reference to it, and the channel it is in. */
  function visible(member: MemberId, message: MessageRef) {
    const user = slackUserId(member);
    if (message.conversation.kind === "dm") {
      if (message.conversation.id !== member) throw new Error(`${member} can't see ${member}'s DM`);
      const shown = fake.seenPrivatelyBy(user).find((m) => m.ts === message.id);
      return shown ? { shown, channel: fake.imChannel(user), name: "directmessage" } : undefined;
    }
    const group = groupDm(message.conversation);
    if (!group.members.includes(user)) throw new Error(`${member} isn't in ${message.conversation.id}`);
    const shown = fake.messagesIn(group.id).find((m) => m.ts === message.id);
    return shown ? { shown, channel: group.id, name: group.name } : undefined;
  }

  /** The modal open for this person, as the form it shows. */
  function shownForm(member: MemberId): { form: Form; viewId: string; metadata: string } | undefined {
    const opened = fake.openViewFor(slackUserId(member));
    if (!opened) return undefined;
    const view = opened.view as ModalView;
    const fields = (view.blocks ?? [])
      .filter((block) => block.type === "input")
      .map((block): FormField => {
        const { hint, element } = block;
        return {
          id: block.block_id ?? "",
          label: block.label?.text ?? "",
          ...(hint?.text !== undefined ? { hint: hint.text } : {}),
          ...(element?.multiline ? { multiline: true } : {}),
          ...(block.optional ? { optional: true } : {}),
          ...(element?.initial_value !== undefined ? { initial: element.initial_value } : {}),
        };
      });
    return {
      form: {
        id: view.callback_id ?? "",
        title: view.title?.text ?? "",
        submitLabel: view.submit?.text ?? "",
        fields,
      },
      viewId: opened.id,
      metadata: view.private_metadata ?? "",
    };
  }

  return {
    platform: adapter,
    canFail: ["rate-limited", "unreachable"],
    // Group DMs have no name on Slack: the adapter posts the title as the first message.
    showsGroupTitles: true,
    handle(next) {
      handler = next;
    },
    async person(who) {
      const userId = `U${who.toUpperCase().replace(/[^A-Z0-9]/g, "")}`;
      if (userId.length < 2 || userId.length > 40) throw new Error(`"${who}" can't be a Slack user here`);
      fake.addUser({ id: userId, name: who.toLowerCase(), displayName: who });
      return slackMemberId(TEAM_ID, userId);
    },
    async sendDm(member, text) {
      const user = slackUserId(member);
      await deliver(slack.event(fake.personWrites(user, fake.imChannel(user), escapeSlackText(text)).body));
    },
    async sendInGroup(member, group, text) {
      const dm = groupDm(group);
      const written = fake.personWrites(slackUserId(member), dm.id, escapeSlackText(text));
      await deliver(slack.event(written.body));
    },
    async editInGroup(member, message, text) {
      const dm = groupDm(message.conversation);
      const edited = fake.personEdits(slackUserId(member), dm.id, message.id, escapeSlackText(text));
      await deliver(slack.event(edited.body));
    },
    async deleteInGroup(member, message) {
      const dm = groupDm(message.conversation);
      await deliver(slack.event(fake.personDeletes(slackUserId(member), dm.id, message.id).body));
    },
    async command(member, text) {
      const user = slackUserId(member);
      const payload = commandPayload(
        actor(member),
        escapeSlackText(text),
        fake.responseUrl(`${user}-command-${++requests}`, user),
        { channelId: fake.imChannel(user), channelName: "directmessage", triggerId: fake.trigger(user) },
      );
      await deliver(slack.command(payload));
    },
    async press(member, message, label) {
      const found = visible(member, message);
      if (!found) throw new Error(`${member} can't see message ${message.id}`);
      const { shown, channel, name: channelName } = found;
      const button = buttonsOf(shown).find((element) => element.text?.text === label);
      if (!button?.action_id) throw new Error(`message ${message.id} shows no "${label}" button`);
      const user = slackUserId(member);
      const payload = blockActionsPayload(
        actor(member),
        {
          actionId: button.action_id,
          label,
          ...(button.value !== undefined ? { value: button.value } : {}),
        },
        fake.responseUrl(`${user}-press-${++requests}`, user),
        {
          channelId: channel,
          channelName,
          ephemeral: shown.onlyFor !== undefined,
          triggerId: fake.trigger(user),
          message: { ts: shown.ts, text: shown.text, blocks: shown.blocks },
        },
      );
      await deliver(slack.interaction(payload));
    },
    async openForm(member) {
      return shownForm(member)?.form;
    },
    async submitForm(member, values) {
      const open = shownForm(member);
      if (!open) throw new Error(`no form is open for ${member}`);
      const filled = Object.fromEntries(
        open.form.fields.map((field) => [field.id, values[field.id] ?? field.initial ?? null]),
      );
      const user = slackUserId(member);
      const payload = viewSubmissionPayload(actor(member), open.form.id, filled, {
        viewId: open.viewId,
        privateMetadata: open.metadata,
        triggerId: fake.trigger(user),
      });
      await deliver(slack.interaction(payload));
      fake.closeView(open.viewId);
    },
    async seenPrivately(member) {
      return fake.seenPrivatelyBy(slackUserId(member)).map(seen);
    },
    async filesSeenPrivately(member) {
      // The files shared into their IM with the bot, as the fake keeps the uploaded bytes.
      return fake
        .filesSeenPrivatelyBy(slackUserId(member))
        .map((file) => ({ name: file.filename, content: file.content }));
    },
    async seenInGroup(group): Promise<SeenGroup> {
      const dm = groupDm(group);
      const messages = fake.messagesIn(dm.id).map(seen);
      return {
        title: messages[0]?.text ?? "",
        members: dm.members.map((user) => slackMemberId(TEAM_ID, user)),
        messages,
      };
    },
    failNextPost(failure, member) {
      const channel = fake.imChannel(slackUserId(member));
      fake.refuseNextPostIn(
        channel,
        failure === "rate-limited" ? { retryAfterSeconds: 3 } : { error: "is_archived" },
      );
    },
    stop,
  };
}

function buttonsOf(message: FakeSlackMessage): Element[] {
  const blocks = message.blocks as Block[];
  return blocks.filter((block) => block.type === "actions").flatMap((block) => block.elements ?? []);
}

/** A message as a person reads it: Slack's escaping undone, and the buttons by label. */
function seen(message: FakeSlackMessage): SeenMessage {
  return {
    id: message.ts,
    text: unescapeSlackText(message.text),
    buttons: buttonsOf(message).map((element) => element.text?.text ?? ""),
  };
}
