import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { SlackAdapter } from "../../adapters/slack/slack-adapter.js";
import { escapeSlackText, unescapeSlackText } from "../../adapters/slack/slack-text.js";
import { type App, createApp } from "../../bin/app.js";
import { chatPlatforms } from "../../bin/platforms.js";
import { parseConfig } from "../../src/config/config.js";
import type { ChatPlatform } from "../../src/platform/chat-platform.js";
import { ShiftedClock, createTimeTravel } from "../../src/schedule/time-travel.js";
import { type Clock, type TimeTravel, systemClock } from "../../src/time/clock.js";
import { peerOptions } from "../contract/discord-platform-harness.js";
import {
  FakeDiscord,
  type FakeUser,
  type Invocation,
  type Json,
  type StoredMessage,
} from "../fakes/fake-discord.js";
import { type FakeSlackApi, type FakeSlackMessage, startFakeSlackApi } from "../fakes/fake-slack-api.js";
import { freePort } from "./free-port.js";
import { waitFor } from "./poll.js";
import { recordingLogger } from "./recording-logger.js";
import { SlackRequester, blockActionsPayload, commandPayload } from "./slack-requests.js";
import { TEST_REDIS_URL, type TestRedis, createTestRedis } from "./test-redis.js";

/** How `BothPlatforms` runs the app. */
export interface BothPlatformsOptions {
  /** Names the Redis prefix and the Slack credentials (`xoxb-<name>-token`, `<name>-signing-secret-0123`). */
  readonly name: string;
  /** The Slack workspace's id. */
  readonly team: string;
  /** How long each helper waits for what it expects (default 10 s). */
  readonly waitMs?: number;
  /** Run the app on a clock that `travelTo` moves forward (default: the real clock). */
  readonly timeTravel?: boolean;
}

/**
 * The driver behind the end-to-end stories across Slack and Discord in ONE
 * bot (bin/circles-both-platforms.test.ts, bin/checkins-both-platforms.test.ts):
 * the app as `npm start` composes it (`createApp` with `chatPlatforms`, from
 * one environment with both sets of credentials and DISCORD_GROUPS_CHANNEL_ID),
 * the real Bolt and discord.js adapters against the fake Slack Web API and the
 * fake Discord on loopback, real Redis under a prefix of its own, and the
 * scheduler's paced outbound queue, on the real clock or (`timeTravel`) on one
 * moved forward as bin/start.ts wires the local demo's `/clock`.
 *
 * People act only as the platforms would make them: signed slash commands,
 * button presses and Events API requests on Slack; slash commands, presses and
 * messages through the fake's gateway on Discord. What they see is read back
 * from the fakes.
 *
 * Made at module level, started in `beforeAll` in two steps (the fakes, so the
 * story can add its people; then the app, with any variables of its own) and
 * stopped in `afterAll`. The helpers are arrow functions, so a story may take
 * them out of the driver: `const { slackCommand, discordSees } = both;`.
 */
export class BothPlatforms {
  readonly team: string;
  readonly slackBotToken: string;
  readonly signingSecret: string;
  /** Spread into `waitFor`'s options: `{ ...both.wait, what }`. */
  readonly wait: { readonly timeoutMs: number };
  readonly testRedis: TestRedis;
  readonly logger = recordingLogger();
  /** The app's clock: the real one, or the one `travelTo` moves. */
  readonly clock: Clock;
  private readonly shifted: ShiftedClock | undefined;
  private travel: TimeTravel | undefined;
  private slackApi: FakeSlackApi | undefined;
  private discordApi: FakeDiscord | undefined;
  private requester: SlackRequester | undefined;
  private port = 0;
  private appRunning: App | undefined;
  private platformsRunning: readonly ChatPlatform[] = [];
  private slackRequests = 0;

  constructor(options: BothPlatformsOptions) {
    this.team = options.team;
    this.slackBotToken = `xoxb-${options.name}-token`;
    this.signingSecret = `${options.name}-signing-secret-0123`;
    this.wait = { timeoutMs: options.waitMs ?? 10_000 };
    this.testRedis = createTestRedis(options.name);
    this.shifted = options.timeTravel ? new ShiftedClock() : undefined;
    this.clock = this.shifted ?? systemClock;
  }

  // ---- start and stop -------------------------------------------------------------------------------

  /** Starts the fake Slack Web API and the fake Discord, for the story to add its people to. */
  async startFakes(): Promise<{ slackFake: FakeSlackApi; discordFake: FakeDiscord }> {
    this.slackApi = await startFakeSlackApi({ botToken: this.slackBotToken, teamId: this.team });
    this.discordApi = await FakeDiscord.start();
    this.port = await freePort();
    this.requester = new SlackRequester(`http://127.0.0.1:${this.port}/slack/events`, this.signingSecret);
    return { slackFake: this.slackApi, discordFake: this.discordApi };
  }

  /** Builds and starts the app from the environment npm start would read, plus `env`; both platforms run. */
  async startApp(env: Readonly<Record<string, string>> = {}): Promise<App> {
    const slack = this.slackFake;
    const discord = this.discordFake;
    // The environment npm start would read, with both platforms' credentials.
    const config = parseConfig({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: this.testRedis.prefix,
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      ...env,
      PORT: String(this.port),
      SLACK_BOT_TOKEN: this.slackBotToken,
      SLACK_SIGNING_SECRET: this.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GROUPS_CHANNEL_ID: discord.groupsChannelId,
    });
    const app = createApp({
      config,
      logger: this.logger,
      ...(this.shifted ? { clock: this.shifted } : {}),
      platforms: (stores, redis) => {
        this.platformsRunning = chatPlatforms(config, this.logger, stores, redis);
        return this.platformsRunning;
      },
    });
    this.appRunning = app;
    if (this.shifted) {
      // As bin/start.ts wires the local demo's `/clock`: the scheduler delivers what falls due on the way.
      this.travel = createTimeTravel({
        clock: this.shifted,
        schedule: () => app.stores.schedule,
        poke: () => app.scheduler?.dispatcher.poke(),
      });
    }
    await app.start();
    expect(this.platformsRunning.map((p) => p.name)).toEqual(["slack", "discord"]);
    return app;
  }

  /** Stops whatever was started (the app, then the fakes) and deletes the run's keys. */
  async stop(): Promise<void> {
    await this.appRunning?.stop();
    await this.slackApi?.stop();
    await this.discordApi?.close();
    await this.testRedis.cleanup();
  }

  get app(): App {
    return started(this.appRunning, "the app", "startApp");
  }

  get slackFake(): FakeSlackApi {
    return started(this.slackApi, "the fake Slack API", "startFakes");
  }

  get discordFake(): FakeDiscord {
    return started(this.discordApi, "the fake Discord", "startFakes");
  }

  /** Sends Slack's signed requests to the app's Slack endpoint. */
  get slack(): SlackRequester {
    return started(this.requester, "the Slack requester", "startFakes");
  }

  // ---- Slack: signed requests in; what people see, from the fake ------------------------------------

  /** `/peer <text>` typed by a Slack user in their DM with the bot; resolves once Slack has had the request. */
  readonly slackCommandSent = async (user: string, text: string): Promise<string> => {
    const name = `${user}-command-${++this.slackRequests}`;
    const response = await this.slack.command(
      commandPayload(
        { teamId: this.team, userId: user },
        escapeSlackText(text),
        this.slackFake.responseUrl(name, user),
        {
          channelId: this.slackFake.imChannel(user),
          channelName: "directmessage",
          triggerId: this.slackFake.trigger(user),
        },
      ),
    );
    expect(response.status).toBe(200);
    return name;
  };

  /**
   * `/peer <text>` typed by a Slack user in their DM with the bot; waits for the private reply
   * containing `expected`, and returns all of it.
   */
  readonly slackCommand = async (user: string, text: string, expected: string): Promise<string> => {
    const name = await this.slackCommandSent(user, text);
    return waitFor(
      () => {
        const all = this.slackFake
          .callsTo("response_url")
          .filter((call) => call.responseUrlName === name)
          .map((call) => unescapeSlackText(String(call.args.text ?? "")))
          .join("\n");
        return all.includes(expected) ? all : undefined;
      },
      { ...this.wait, what: `Slack's reply to ${user}'s /peer ${text} containing "${expected}"` },
    );
  };

  /**
   * A Slack user presses the button with this action id on the bot's private (ephemeral) reply in
   * their DM; resolves once Slack has had the press.
   */
  readonly slackPressEphemeral = async (user: string, actionId: string): Promise<void> => {
    const name = `${user}-press-${++this.slackRequests}`;
    const response = await this.slack.interaction(
      blockActionsPayload(
        { teamId: this.team, userId: user },
        { actionId },
        this.slackFake.responseUrl(name, user),
        {
          channelId: this.slackFake.imChannel(user),
          channelName: "directmessage",
          triggerId: this.slackFake.trigger(user),
        },
      ),
    );
    expect(response.status).toBe(200);
  };

  /**
   * A Slack user presses the button labelled `label` on a message the bot posted
   * in their DM (a block action on a real, non-ephemeral message); waits for the
   * bot's next message in that DM containing `expected`, when given.
   */
  readonly slackPressOnMessage = async (
    user: string,
    on: FakeSlackMessage,
    label: string | RegExp,
    expected?: string,
  ): Promise<FakeSlackMessage | undefined> => {
    const button = slackButtonsOf(on).find((b) =>
      typeof label === "string" ? b.text.text === label : label.test(b.text.text),
    );
    if (!button) throw new Error(`the message ${on.ts} in ${user}'s DM has no "${label}" button`);
    const before = this.slackDm(user).length;
    const name = `${user}-press-${++this.slackRequests}`;
    const response = await this.slack.interaction(
      blockActionsPayload(
        { teamId: this.team, userId: user },
        {
          actionId: button.action_id,
          label: button.text.text,
          ...(button.value !== undefined ? { value: button.value } : {}),
        },
        this.slackFake.responseUrl(name, user),
        {
          channelId: on.channel,
          channelName: "directmessage",
          ephemeral: false,
          triggerId: this.slackFake.trigger(user),
          message: { ts: on.ts, text: on.text, blocks: on.blocks },
        },
      ),
    );
    expect(response.status).toBe(200);
    if (expected === undefined) return undefined;
    return waitFor(
      () =>
        this.slackDm(user)
          .slice(before)
          .find((m) => m.text.includes(expected)),
      {
        ...this.wait,
        what: `the answer in ${user}'s DM to their press of "${label}", containing "${expected}"`,
      },
    );
  };

  /** A Slack user joins with these arguments and consents; waits for the welcome in their DM. */
  readonly slackJoins = async (user: string, args: string): Promise<void> => {
    await this.slackCommand(user, `join ${args}`, "Before I store anything");
    await this.slackPressEphemeral(user, "join:consent");
    await waitFor(
      () => this.slackFake.seenPrivatelyBy(user).find((m) => m.text.includes("Welcome to the network")),
      { ...this.wait, what: `the welcome in ${user}'s DM` },
    );
  };

  /** The Slack adapter, to wait until it has handled everything that reached it. */
  readonly slackAdapter = (): SlackAdapter => {
    const adapter = this.platformsRunning.find((p) => p.name === "slack");
    if (!adapter) throw new Error("no Slack adapter is running");
    return adapter as SlackAdapter;
  };

  /** A person writes in a Slack conversation; resolves, with the message's ts, once the adapter has handled the event. */
  readonly slackWrites = async (user: string, channel: string, text: string): Promise<string> => {
    const written = this.slackFake.personWrites(user, channel, escapeSlackText(text));
    expect((await this.slack.event(written.body)).status).toBe(200);
    await this.slackAdapter().idle();
    return written.ts;
  };

  /** The bot's messages in a Slack conversation as its members read them (edits applied, deletions gone). */
  readonly slackSees = (channel: string): FakeSlackMessage[] =>
    this.slackFake.messagesIn(channel).map((m) => ({ ...m, text: unescapeSlackText(m.text) }));

  /** What the bot posted in this Slack user's DM with it. */
  readonly slackDm = (user: string): FakeSlackMessage[] => this.slackSees(this.slackFake.imChannel(user));

  /** Waits for the latest message in a Slack user's DM containing `text`. */
  readonly slackDmMessage = (user: string, text: string, what: string): Promise<FakeSlackMessage> =>
    waitFor(() => this.slackDm(user).findLast((m) => m.text.includes(text)), { ...this.wait, what });

  /** The group DMs this Slack user is in. */
  readonly slackGroupsOf = (user: string) =>
    this.slackFake.conversationsOf(user).filter((c) => c.kind === "mpim");

  // ---- Discord: interactions and messages through the fake gateway ---------------------------------

  /** All the answers to an interaction, joined. */
  readonly discordAnswers = (invocation: Invocation): string =>
    this.discordFake.sent
      .filter((sent) => sent.token === invocation.token)
      .map((sent) => String(sent.message.content ?? ""))
      .join("\n");

  /** `/peer <text>` from a Discord user in the server, with the options Discord's registered command offers. */
  readonly discordCommand = async (user: FakeUser, text: string, expected: string): Promise<Invocation> => {
    const invocation = this.discordFake.command(user, peerOptions(text));
    await waitFor(() => this.discordAnswers(invocation).includes(expected), {
      ...this.wait,
      what: `Discord's answer to ${user.username}'s /peer ${text} containing "${expected}"`,
    });
    return invocation;
  };

  /**
   * A Discord user presses the button with this custom id on the latest answer to their
   * interaction that has one; waits for the answer to the press containing `expected`.
   */
  readonly discordPressOnAnswer = async (
    user: FakeUser,
    on: Invocation,
    customId: string,
    expected: string,
  ): Promise<void> => {
    const message = this.discordFake.sent.findLast(
      (sent) =>
        sent.token === on.token && JSON.stringify(sent.message.components ?? []).includes(`"${customId}"`),
    );
    if (!message) throw new Error(`no answer to ${user.username} has a ${customId} button`);
    const press = this.discordFake.pressOn(user, String(message.message.id), customId);
    await waitFor(() => this.discordAnswers(press).includes(expected), {
      ...this.wait,
      what: `Discord's answer to ${user.username}'s press of ${customId} containing "${expected}"`,
    });
  };

  /**
   * A Discord user presses the button labelled `label` on a message, where it is; waits for the
   * answer containing `expected`, and returns all of it.
   */
  readonly discordPressOnMessage = async (
    user: FakeUser,
    on: StoredMessage,
    label: string | RegExp,
    expected: string,
  ): Promise<string> => {
    const button = discordButtonsOf(on).find((b) =>
      typeof label === "string" ? b.label === label : label.test(String(b.label)),
    );
    if (!button) throw new Error(`message ${on.id} has no "${label}" button`);
    const press = this.discordFake.pressOn(user, on.id, String(button.custom_id));
    return waitFor(
      () => {
        const said = this.discordAnswers(press);
        return said.includes(expected) ? said : undefined;
      },
      {
        ...this.wait,
        what: `Discord's answer to ${user.username}'s press of "${label}" containing "${expected}"`,
      },
    );
  };

  /** A Discord user joins with these arguments and consents; waits for the welcome. */
  readonly discordJoins = async (user: FakeUser, args: string): Promise<void> => {
    const join = await this.discordCommand(user, `join ${args}`, "Before I store anything");
    await this.discordPressOnAnswer(user, join, "join:consent", "Welcome to the network");
  };

  /** What the bot has posted in a Discord channel (a DM, a thread), as people see it now. */
  readonly discordSees = (channelId: string): StoredMessage[] =>
    this.discordFake.messages().filter((m) => m.channelId === channelId && m.source === "bot");

  /** What the bot has posted in this Discord user's DM with it. */
  readonly discordDm = (user: FakeUser): StoredMessage[] =>
    this.discordSees(this.discordFake.dmChannelFor(user.id));

  /** Waits for the latest message in a Discord user's DM containing `text`. */
  readonly discordDmMessage = (user: FakeUser, text: string, what: string): Promise<StoredMessage> =>
    waitFor(() => this.discordDm(user).findLast((m) => textOf(m).includes(text)), { ...this.wait, what });

  /** The files on the bot's messages in a Discord user's DM, each opened from its url as a person would. */
  readonly discordFilesInDm = async (user: FakeUser): Promise<Array<{ name: string; content: string }>> => {
    const attachments = this.discordDm(user).flatMap(
      (m) => (m.object.attachments ?? []) as Array<{ filename: string; url: string }>,
    );
    return Promise.all(
      attachments.map(async ({ filename, url }) => {
        const response = await fetch(url);
        expect(response.status).toBe(200);
        return { name: filename, content: await response.text() };
      }),
    );
  };

  // ---- the app and its clock --------------------------------------------------------------------------

  /** The outbound queue has sent everything due by the app's clock: nothing in flight, nothing due within a minute. */
  readonly settled = (): Promise<boolean> =>
    waitFor(
      async () => {
        const { earliestDue, inFlight } = await this.app.stores.schedule.state();
        return inFlight === 0 && (earliestDue === null || earliestDue > this.clock.now().getTime() + 60_000);
      },
      { ...this.wait, what: "the outbound queue to settle" },
    );

  /** Moves the app's clock to `at` (`timeTravel` only), delivering everything due on the way at its own time. */
  readonly travelTo = async (at: number): Promise<void> => {
    if (!this.travel) throw new Error("the app runs on the real clock (start it with timeTravel)");
    expect(at).toBeGreaterThan(this.clock.now().getTime());
    await this.travel.advance(at - this.clock.now().getTime());
    await this.settled();
  };
}

/** What the driver has started, or an error naming the step that starts it. */
function started<T>(value: T | undefined, what: string, step: string): T {
  if (value === undefined) throw new Error(`${what} has not been started (${step})`);
  return value;
}

/** A Slack button, as the bot puts it in an actions block. */
export interface SlackButton {
  readonly action_id: string;
  readonly value?: string;
  readonly text: { readonly text: string };
}

/** The buttons on a Slack message, out of its actions blocks. */
export function slackButtonsOf(message: FakeSlackMessage): SlackButton[] {
  return message.blocks
    .filter((block) => block.type === "actions")
    .flatMap((block) => (block.elements ?? []) as SlackButton[]);
}

/** The buttons on a Discord message, out of its action rows. */
export function discordButtonsOf(message: StoredMessage): Json[] {
  return ((message.object.components ?? []) as Array<{ components?: Json[] }>).flatMap(
    (row) => row.components ?? [],
  );
}

/** A Discord message's text. */
export const textOf = (message: StoredMessage): string => String(message.object.content ?? "");
