import { ApplicationCommandOptionType } from "discord.js";
import { createDiscordAdapter } from "../../adapters/discord/discord-adapter.js";
import { peerCommandJson } from "../../adapters/discord/peer-command.js";
import { silentLogger } from "../../src/logging/logger.js";
import type { ConversationRef, Form, FormField, MemberId } from "../../src/platform/chat-platform.js";
import { RedisKeys } from "../../src/store/redis-keys.js";
import { RedisMemberCache } from "../../src/store/redis-member-cache.js";
import {
  FakeDiscord,
  type FakeUser,
  type Invocation,
  type Json,
  type OptionData,
  type StoredMessage,
} from "../fakes/fake-discord.js";
import { waitFor } from "../helpers/discord-harness.js";
import { createTestRedis } from "../helpers/test-redis.js";
import type { ContractHandler, PlatformHarness, SeenGroup, SeenMessage } from "./platform-harness.js";

const EPHEMERAL = 64;
/** A rate limit longer than the adapter sits out, so it reaches the caller. */
const MAX_RATE_LIMIT_WAIT_MS = 1000;
const RATE_LIMIT_SECONDS = 30;

/**
 * The real Discord adapter (real discord.js) against the fake Discord on
 * loopback, with a groups channel. People act through the fake's gateway
 * (MESSAGE_CREATE, and MESSAGE_UPDATE / MESSAGE_DELETE for their edits and
 * deletions; INTERACTION_CREATE for `/peer`, buttons and modals), and
 * what they see is read from the fake's record of the bot's REST calls: their
 * DM channel and the ephemeral answers to their interactions, and the group
 * threads with their names, members and the bot's posts, edits applied;
 * and the files on the bot's messages in their DM, opened from their urls.
 */
export async function startDiscordPlatformHarness(name: string): Promise<PlatformHarness> {
  const fake = await FakeDiscord.start();
  const testRedis = createTestRedis(name);
  const adapter = createDiscordAdapter({
    token: fake.token,
    applicationId: fake.applicationId,
    guildId: fake.guildId,
    apiUrl: fake.apiUrl,
    memberCache: new RedisMemberCache(testRedis.redis, new RedisKeys(testRedis.prefix)),
    logger: silentLogger,
    maxRateLimitWaitMs: MAX_RATE_LIMIT_WAIT_MS,
    groupsChannelId: fake.groupsChannelId,
  });
  const recordNothing: ContractHandler = async () => {};
  let handler = recordNothing;
  /** Events the core has finished with, so an action can wait for its own. */
  let finished = 0;
  await adapter.start(async (event, responder) => {
    try {
      await handler(event, responder);
    } finally {
      finished += 1;
    }
  });

  const people = new Map<string, FakeUser>();
  const users = new Map<MemberId, FakeUser>();
  const userOf = (member: MemberId): FakeUser => {
    const user = users.get(member);
    if (!user) throw new Error(`${member} is not a person of this harness`);
    return user;
  };
  const threadIdOf = (group: ConversationRef): string => {
    const match = /^discord:(\d+)$/.exec(group.id);
    if (group.kind !== "group" || !match?.[1])
      throw new Error(`not a Discord group: ${JSON.stringify(group)}`);
    return match[1];
  };

  /** Does `act`, then waits until the core has finished with the one event it causes (and the interaction is answered). */
  async function acting(what: string, act: () => Invocation | undefined): Promise<void> {
    const target = finished + 1;
    const invocation = act();
    await waitFor(() => finished >= target, `the core to finish with ${what}`);
    if (invocation) await waitFor(() => fake.acknowledged(invocation), `the answer to ${what}`);
  }

  const seen = (message: StoredMessage): SeenMessage => ({
    id: message.id,
    text: String(message.object.content ?? ""),
    buttons: buttonsOf(message.object).map((button) => String(button.label)),
  });

  return {
    platform: adapter,
    canFail: ["rate-limited", "unreachable"],
    showsGroupTitles: true,
    handle(next) {
      handler = next;
    },
    async person(personName) {
      let user = people.get(personName);
      if (!user) {
        user = fake.user(personName);
        people.set(personName, user);
        users.set(`discord:${user.id}`, user);
      }
      return `discord:${user.id}`;
    },
    async sendDm(member, text) {
      await acting("a direct message", () => {
        fake.directMessage(userOf(member), text);
        return undefined;
      });
    },
    async sendInGroup(member, group, text) {
      await acting("a message in a group", () => {
        fake.guildMessage(userOf(member), threadIdOf(group), text);
        return undefined;
      });
    },
    async editInGroup(member, message, text) {
      threadIdOf(message.conversation); // throws unless the message is in a group
      await acting("an edit in a group", () => {
        fake.editMessage(userOf(member), message.id, text);
        return undefined;
      });
    },
    async deleteInGroup(member, message) {
      threadIdOf(message.conversation); // throws unless the message is in a group
      await acting("a deletion in a group", () => {
        fake.deleteMessage(userOf(member), message.id);
        return undefined;
      });
    },
    async command(member, text) {
      const options = peerOptions(text);
      await acting(`/peer ${text}`, () => fake.command(userOf(member), options));
    },
    async press(member, message, label) {
      const on = fake.message(message.id);
      if (!on) throw new Error(`no message ${message.id}`);
      const button = buttonsOf(on.object).find((b) => b.label === label);
      if (!button) throw new Error(`message ${message.id} has no "${label}" button`);
      await acting(`a press of "${label}"`, () =>
        fake.pressOn(userOf(member), message.id, String(button.custom_id)),
      );
    },
    async openForm(member) {
      const modal = fake.openModal(userOf(member).id);
      return modal ? formOf(modal.data) : undefined;
    },
    async submitForm(member, values) {
      const user = userOf(member);
      const modal = fake.openModal(user.id);
      if (!modal) throw new Error(`no form is open for ${member}`);
      const form = formOf(modal.data);
      // Every field comes back, empty where nothing was typed, as Discord sends it.
      const filled = Object.fromEntries(form.fields.map((field) => [field.id, values[field.id] ?? ""]));
      await acting("a form", () => fake.submitModal(user, form.id, filled));
    },
    async seenPrivately(member) {
      const user = userOf(member);
      const dm = fake.dmChannelFor(user.id);
      return fake
        .messages()
        .filter(
          (m) =>
            (m.source === "bot" && m.channelId === dm) ||
            (m.source === "interaction" &&
              m.interactionUser === user.id &&
              (m.channelId === dm || (Number(m.object.flags ?? 0) & EPHEMERAL) !== 0)),
        )
        .map(seen);
    },
    async filesSeenPrivately(member) {
      // The attachments on the bot's messages in their DM, each opened from its url as a person would.
      const dm = fake.dmChannelFor(userOf(member).id);
      const attachments = fake
        .messages()
        .filter((m) => m.source === "bot" && m.channelId === dm)
        .flatMap((m) => (m.object.attachments ?? []) as Array<{ filename: string; url: string }>);
      return Promise.all(
        attachments.map(async ({ filename, url }) => {
          const response = await fetch(url);
          if (!response.ok) throw new Error(`${filename} could not be opened: HTTP ${response.status}`);
          return { name: filename, content: await response.text() };
        }),
      );
    },
    async seenInGroup(group): Promise<SeenGroup> {
      const threadId = threadIdOf(group);
      const thread = fake.thread(threadId);
      if (!thread) throw new Error(`no thread ${threadId}`);
      return {
        title: thread.name,
        members: thread.members.filter((id) => id !== fake.botUser.id).map((id) => `discord:${id}`),
        // What the bot posted there; members' own messages and Discord's notices are not the bot's.
        messages: fake
          .messages()
          .filter((m) => m.channelId === threadId && m.source === "bot")
          .map(seen),
      };
    },
    failNextPost(failure, member) {
      const route = `/channels/${fake.dmChannelFor(userOf(member).id)}/messages`;
      if (failure === "rate-limited") fake.rateLimit("POST", route, 1, RATE_LIMIT_SECONDS);
      else
        fake.failWith("POST", route, {
          status: 403,
          code: 50007,
          message: "Cannot send messages to this user",
        });
    },
    async stop() {
      await adapter.stop();
      await fake.close();
      await testRedis.cleanup();
    },
  };
}

/** The buttons on a message, out of their action rows. */
function buttonsOf(message: Json): Json[] {
  return ((message.components ?? []) as Array<{ components?: Json[] }>).flatMap(
    (row) => row.components ?? [],
  );
}

/** A modal as the core's form: its id, title and fields (Discord's modals have no submit label of their own). */
function formOf(modal: Json): Form {
  const labels = (modal.components ?? []) as Array<{ label?: string; description?: string; component: Json }>;
  return {
    id: String(modal.custom_id),
    title: String(modal.title ?? ""),
    submitLabel: "Submit",
    fields: labels.map(({ label, description, component }): FormField => {
      const field: { -readonly [K in keyof FormField]: FormField[K] } = {
        id: String(component.custom_id),
        label: String(label ?? ""),
      };
      if (description) field.hint = description;
      if (component.style === 2) field.multiline = true;
      if (component.required === false) field.optional = true;
      if (typeof component.value === "string") field.initial = component.value;
      return field;
    }),
  };
}

interface CommandOption {
  readonly name: string;
  readonly type: number;
  readonly options?: readonly CommandOption[];
}

/** Words of the core's text: quoted values (`region:"Wide Bay"`, `"a b"`) stay one word, without quotes. */
function words(text: string): string[] {
  return [...text.matchAll(/(?:[^\s"]+:)?"[^"]*"|\S+/g)].map((m) => m[0].replace(/"/g, ""));
}

/**
 * The `/peer` options a person picks in Discord for the core's `text`, read
 * against the registered command: `name:value` fills that option, `name value`
 * fills a keyword option (`pause for 2w`), and other words fill the remaining
 * options in order (`set region Mackay` is field=region, value=Mackay).
 */
export function peerOptions(text: string): OptionData[] {
  const [first, ...rest] = words(text);
  const top = (peerCommandJson().options ?? []) as readonly CommandOption[];
  const chosen = top.find((option) => option.name === first);
  if (!first || !chosen) throw new Error(`/peer has no subcommand "${first ?? ""}"`);
  if (chosen.type === ApplicationCommandOptionType.SubcommandGroup) {
    const [second, ...more] = rest;
    const sub = chosen.options?.find((option) => option.name === second);
    if (!second || !sub) throw new Error(`/peer ${first} has no subcommand "${second ?? ""}"`);
    return [
      {
        name: first,
        type: chosen.type,
        options: [{ name: second, type: sub.type, options: fill(sub, more) }],
      },
    ];
  }
  return [{ name: first, type: chosen.type, options: fill(chosen, rest) }];
}

function fill(subcommand: CommandOption, given: readonly string[]): OptionData[] {
  const specs = subcommand.options ?? [];
  const filled = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < given.length; i++) {
    const word = given[i] ?? "";
    const colon = word.indexOf(":");
    const named = colon > 0 ? specs.find((s) => s.name === word.slice(0, colon)) : undefined;
    const keyword = specs.find((s) => s.name === word);
    if (named) filled.set(named.name, word.slice(colon + 1));
    else if (keyword && i + 1 < given.length && !filled.has(keyword.name))
      filled.set(keyword.name, given[++i] ?? "");
    else positional.push(word);
  }
  const open = specs.filter((s) => !filled.has(s.name));
  for (const [i, word] of positional.entries()) {
    // Words past the last option belong to it (`prompts add What helps? …`).
    const spec = open[Math.min(i, open.length - 1)];
    if (!spec) throw new Error(`/peer ${subcommand.name} takes no "${word}"`);
    const before = filled.get(spec.name);
    filled.set(spec.name, before === undefined ? word : `${before} ${word}`);
  }
  return specs.flatMap((spec): OptionData[] => {
    const value = filled.get(spec.name);
    if (value === undefined) return [];
    if (spec.type === ApplicationCommandOptionType.Boolean) {
      return [{ name: spec.name, type: spec.type, value: /^(yes|true|on)$/i.test(value) }];
    }
    return [{ name: spec.name, type: spec.type, value }];
  });
}
