import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUESTION_SENT_TO_DM } from "../src/reflection/reflection-commands.js";
import { readStoredMember } from "../src/store/member-hash.js";
import {
  FakeDiscord,
  type FakeUser,
  type Invocation,
  type OptionData,
  type SentMessage,
} from "../test/fakes/fake-discord.js";
import { type FakeSlackApi, type FakeSlackCall, startFakeSlackApi } from "../test/fakes/fake-slack-api.js";
import { freePort } from "../test/helpers/free-port.js";
import { waitFor } from "../test/helpers/poll.js";
import { dumpRedis } from "../test/helpers/redis-dump.js";
import {
  SlackRequester,
  blockActionsPayload,
  commandPayload,
  messageImEvent,
} from "../test/helpers/slack-requests.js";
import { TEST_REDIS_URL, createTestRedis } from "../test/helpers/test-redis.js";

/**
 * The "done when": with the Slack and Discord fakes running, one
 * `npm start` serves both, and a member on each can use every command. The
 * bot runs as a real child process (npm → tsx → bin/start.ts) with both sets
 * of credentials; this file talks to it only over the wire, as Slack and
 * Discord would, and reads the shared Redis under the run's own prefix.
 */

const SLACK_BOT_TOKEN = "xoxb-both-platforms-token";
const SLACK_SIGNING_SECRET = "both-platforms-signing-secret-0123";
const SLACK_TEAM = "T0BOTH";
const WAIT = { timeoutMs: 8_000 };

const testRedis = createTestRedis("both-platforms");
const dataDir = mkdtempSync(join(tmpdir(), "peer-bot-both-"));

let slackFake: FakeSlackApi;
let discordFake: FakeDiscord;
let slack: SlackRequester;
let port: number;
let bot: ChildProcessWithoutNullStreams;
let stdout = "";
let stderr = "";
/** npm's own exit (the streams may stay open while anything it started still runs). */
let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
let closed: Promise<void>;
let exited = false;
/** Last resort, should the test process end without afterAll. */
const killLeftovers = () => killGroup("SIGKILL");

// One member on each platform, both coordinators.
const alex = { teamId: SLACK_TEAM, userId: "U0ALEX" } as const;
const alexId = `slack:${SLACK_TEAM}:${alex.userId}`;
const alexDm = `D${alex.userId}`;
let dana: FakeUser;
let danaId: string;

const nextYear = new Date().getUTCFullYear() + 1;
const SLACK_HOLIDAY = `${nextYear}-12-28`;
const DISCORD_HOLIDAY = `${nextYear}-12-29`;
const SLACK_ANSWER = "A tricky handover went well in the end";
const DISCORD_ANSWER = "Sat with someone in the waiting room after a hard call";
const SLACK_PROMPT = "What did you notice about your own needs this week?";
const DISCORD_PROMPT = "Which moment of connection stayed with you today?";

const longDate = (iso: string) => DateTime.fromISO(iso).toFormat("cccc d LLLL yyyy");

beforeAll(async () => {
  slackFake = await startFakeSlackApi({ botToken: SLACK_BOT_TOKEN, teamId: SLACK_TEAM });
  slackFake.addUser({ id: alex.userId, name: "alex", realName: "Alex Example", displayName: "Alex" });
  discordFake = await FakeDiscord.start();
  dana = discordFake.user("dana");
  danaId = `discord:${dana.id}`;
  port = await freePort();
  slack = new SlackRequester(`http://127.0.0.1:${port}/slack/events`, SLACK_SIGNING_SECRET);

  bot = spawn("npm", ["start", "--silent"], {
    cwd: join(import.meta.dirname, ".."),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: testRedis.prefix,
      DATA_DIR: dataDir,
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      COORDINATORS: `${alexId},${danaId}`,
      PORT: String(port),
      LOG_LEVEL: "info",
      SLACK_BOT_TOKEN,
      SLACK_SIGNING_SECRET,
      SLACK_API_URL: slackFake.apiUrl,
      DISCORD_TOKEN: discordFake.token,
      DISCORD_APPLICATION_ID: discordFake.applicationId,
      DISCORD_API_URL: discordFake.apiUrl,
      // Set empty so a developer's own .env can't switch on Socket Mode, guild registration or other pacing.
      SLACK_APP_TOKEN: "",
      DISCORD_GUILD_ID: "",
      SLACK_SEND_PER_MINUTE: "",
      DISCORD_SEND_PER_SECOND: "",
    },
    stdio: ["pipe", "pipe", "pipe"],
    // Its own process group, so that whatever npm starts (sh, tsx, the bot) can be found and cleaned up.
    detached: true,
  });
  process.once("exit", killLeftovers);
  bot.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  bot.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  exit = new Promise((resolve, reject) => {
    bot.on("error", reject);
    bot.on("exit", (code, signal) => {
      exited = true;
      resolve({ code, signal });
    });
  });
  closed = new Promise((resolve) => bot.on("close", () => resolve()));

  const alive = () => {
    if (exited) throw new Error(`npm start exited early:\n${stderr}\n${stdout}`);
  };
  // Slack's HTTP receiver answers (an unsigned request is refused, so it is Bolt checking signatures)...
  await waitFor(
    async () => {
      alive();
      return fetch(`http://127.0.0.1:${port}/slack/events`, { method: "POST", body: "{}" }).then(
        (response) => response.status,
        () => undefined,
      );
    },
    { timeoutMs: 25_000, everyMs: 100, what: "Slack's HTTP receiver to answer" },
  );
  // ...the Discord client identified on the fake gateway and became ready, and the scheduler started.
  await waitFor(
    () => {
      alive();
      return discordFake.identifies.length > 0 && logs().some((line) => line.msg === "peer-bot started");
    },
    { timeoutMs: 25_000, everyMs: 50, what: "the Discord client and the scheduler to start" },
  );
}, 40_000);

afterAll(async () => {
  // Nothing the test started may outlive it, or write to Redis after the cleanup.
  if (bot?.pid && groupAlive()) {
    killGroup("SIGKILL");
    await waitFor(() => !groupAlive(), { timeoutMs: 5_000, what: "the bot's processes to end" }).catch(
      () => {},
    );
  }
  process.off("exit", killLeftovers);
  await slackFake?.stop();
  await discordFake?.close();
  await testRedis.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Whether any process in the group npm start leads (npm, sh, tsx, the bot) is still running. */
function groupAlive(): boolean {
  if (!bot?.pid) return false;
  try {
    process.kill(-bot.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function killGroup(signal: NodeJS.Signals): void {
  try {
    if (bot?.pid) process.kill(-bot.pid, signal);
  } catch {}
}

/** The bot's pino log lines (JSON on stdout); the last, possibly partial, line is left out. */
function logs(): Array<{ level: number; msg: string; [key: string]: unknown }> {
  return stdout
    .split("\n")
    .slice(0, -1)
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line));
}

// ---- Slack: signed requests in, the fake Web API's recorded calls out ----------------------------

let slackRequests = 0;

function slackReplies(name: string): FakeSlackCall[] {
  return slackFake.callsTo("response_url").filter((call) => call.responseUrlName === name);
}

function slackDmPosts(): FakeSlackCall[] {
  return slackFake.callsTo("chat.postMessage").filter((call) => call.args.channel === alexDm);
}

/** `/peer <text>` from Alex; waits for the private reply (all its parts) at the command's response_url. */
async function slackCommand(
  text: string,
  expected: string,
): Promise<{ text: string; calls: FakeSlackCall[] }> {
  const name = `alex-${++slackRequests}`;
  const response = await slack.command(commandPayload(alex, text, slackFake.responseUrl(name)));
  expect(response.status).toBe(200);
  const joined = await waitFor(
    () => {
      const all = slackReplies(name)
        .map((call) => String(call.args.text))
        .join("\n");
      return all.includes(expected) ? all : undefined;
    },
    { ...WAIT, what: `Slack's reply to /peer ${text} containing "${expected}"` },
  );
  const calls = slackReplies(name);
  for (const call of calls) expect(call.args).toMatchObject({ response_type: "ephemeral" });
  return { text: joined, calls };
}

/** Alex presses a button on the command's ephemeral reply. */
async function slackPress(actionId: string, value?: string): Promise<void> {
  const name = `alex-press-${++slackRequests}`;
  const response = await slack.interaction(
    blockActionsPayload(alex, { actionId, ...(value ? { value } : {}) }, slackFake.responseUrl(name)),
  );
  expect(response.status).toBe(200);
}

/** Waits for a post in Alex's DM, after the first `after` of them, containing `expected`. */
function slackDmReply(after: number, expected: string): Promise<FakeSlackCall> {
  return waitFor(
    () =>
      slackDmPosts()
        .slice(after)
        .find((call) => String(call.args.text).includes(expected)),
    {
      ...WAIT,
      what: `a Slack DM to Alex containing "${expected}"`,
    },
  );
}

function slackButtons(
  call: FakeSlackCall | undefined,
): Array<{ action_id?: string; value?: string; style?: string }> {
  const blocks = (call?.args.blocks ?? []) as Array<{
    type: string;
    elements?: Array<Record<string, string>>;
  }>;
  return blocks.find((block) => block.type === "actions")?.elements ?? [];
}

// ---- Discord: interactions and DMs through the fake gateway, recorded REST calls out --------------

const sub = (name: string, options: Record<string, string | boolean> = {}): OptionData => ({
  name,
  type: 1,
  options: Object.entries(options).map(([option, value]) => ({
    name: option,
    type: typeof value === "boolean" ? 5 : 3,
    value,
  })),
});
const group = (name: string, subcommand: OptionData): OptionData => ({
  name,
  type: 2,
  options: [subcommand],
});

function discordAnswers(invocation: Invocation): SentMessage[] {
  return discordFake.sent.filter((sent) => sent.token === invocation.token);
}

async function discordAnswer(invocation: Invocation, expected: string): Promise<string> {
  return waitFor(
    () => {
      const all = discordAnswers(invocation)
        .map((sent) => String(sent.message.content))
        .join("\n");
      return all.includes(expected) ? all : undefined;
    },
    { ...WAIT, what: `Discord's answer containing "${expected}"` },
  );
}

/** `/peer …` from Dana in the guild channel; checks it was answered privately (ephemeral) and returns the text. */
async function discordCommand(option: OptionData, expected: string): Promise<string> {
  const invocation = discordFake.command(dana, [option]);
  const text = await discordAnswer(invocation, expected);
  const callback = discordFake.callsTo("POST", `/interactions/${invocation.id}/${invocation.token}/callback`);
  expect(callback.map((call) => call.body)).toEqual([{ type: 5, data: { flags: 64 } }]);
  for (const sent of discordAnswers(invocation)) expect(sent.message.flags).toBe(64);
  return text;
}

async function discordPress(customId: string, expected: string): Promise<string> {
  const invocation = discordFake.press(dana, customId);
  const text = await discordAnswer(invocation, expected);
  const callback = discordFake.callsTo("POST", `/interactions/${invocation.id}/${invocation.token}/callback`);
  expect(callback.map((call) => call.body)).toEqual([{ type: 6 }]);
  return text;
}

function discordDmPosts(): SentMessage[] {
  return discordFake.sent.filter(
    (sent) => sent.via === "channel" && sent.message.channel_id === discordFake.dmChannelFor(dana.id),
  );
}

function discordButtons(text: string, invocation?: Invocation): string[] {
  const sent = (invocation ? discordAnswers(invocation) : discordFake.sent).findLast((s) =>
    String(s.message.content).includes(text),
  );
  const rows = (sent?.message.components ?? []) as Array<{ components: Array<{ custom_id: string }> }>;
  return rows.flatMap((row) => row.components.map((button) => button.custom_id));
}

// ---- Redis ----------------------------------------------------------------------------------------

const memberKey = (id: string) => `${testRedis.prefix}member:${id}`;
/** A member's record as stored (either layout, see src/store/member-hash.ts), in its plain shape. */
const storedMember = async (id: string): Promise<Record<string, unknown>> =>
  (await readStoredMember(testRedis.redis, memberKey(id), id)) ?? {};

async function storedMentions(needle: string): Promise<string[]> {
  return (await dumpRedis(testRedis.redis, `${testRedis.prefix}*`)).filter((text) => text.includes(needle));
}

describe("one npm start with Slack and Discord credentials", () => {
  it("connects to both: Slack's receiver checks signatures and the Discord client identified once", async () => {
    const unsigned = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: "POST", body: "{}" });
    expect(unsigned.status).toBe(401);
    expect(slackFake.callsTo("auth.test").map((call) => call.token)).toEqual([SLACK_BOT_TOKEN]);
    expect(discordFake.identifies).toHaveLength(1);
    expect(discordFake.identifies[0]).toMatchObject({ token: discordFake.token });
    const started = logs().find((line) => line.msg === "peer-bot started");
    expect(started?.platforms).toEqual(["slack", "discord"]);
  });

  it("answers /peer help on both, privately, before anyone has joined", async () => {
    const [onSlack, onDiscord] = await Promise.all([
      slackCommand("help", "What you can ask me"),
      discordCommand(sub("help"), "What you can ask me"),
    ]);
    for (const help of [onSlack.text, onDiscord]) {
      expect(help).toContain("/peer join");
      // Not yet members, so not yet coordinators.
      expect(help).not.toContain("/peer holiday");
    }
  });

  it("lets a member on each join with arguments and consent, storing both in the one Redis", async () => {
    const slackJoin = slackCommand(
      'join region:"Wide Bay" tz:Australia/Brisbane days:mon-wed hours:09:00-15:00 solo:yes',
      "Before I store anything",
    );
    const discordJoin = discordFake.command(dana, [
      sub("join", {
        region: "Pilbara",
        tz: "Australia/Perth",
        days: "tue-thu",
        hours: "08:00-14:00",
        solo: false,
      }),
    ]);
    const [asked] = await Promise.all([slackJoin, discordAnswer(discordJoin, "Before I store anything")]);
    expect(slackButtons(asked.calls[0]).map((button) => button.action_id)).toEqual([
      "join:consent",
      "join:decline",
    ]);
    expect(discordButtons("Before I store anything", discordJoin)).toEqual(["join:consent", "join:decline"]);
    // Nothing is stored before consent.
    expect(await testRedis.redis.exists(memberKey(alexId), memberKey(danaId))).toBe(0);

    const before = slackDmPosts().length;
    await slackPress("join:consent");
    const [slackWelcome, discordWelcome] = await Promise.all([
      slackDmReply(before, "Welcome to the network, Alex"),
      discordPress("join:consent", "Welcome to the network, Dana"),
    ]);
    expect(String(slackWelcome.args.text)).toContain("Australia/Brisbane time");
    expect(discordWelcome).toContain("Australia/Perth time");

    const slackMember = await storedMember(alexId);
    const discordMember = await storedMember(danaId);
    expect(slackMember).toMatchObject({
      id: alexId,
      displayName: "Alex",
      region: "Wide Bay",
      role: "coordinator",
    });
    expect(discordMember).toMatchObject({
      id: danaId,
      displayName: "Dana",
      region: "Pilbara",
      role: "coordinator",
    });
    expect((await testRedis.redis.smembers(`${testRedis.prefix}members`)).sort()).toEqual(
      [alexId, danaId].sort(),
    );
    // One scheduler plans both: their first prompt and tip are in the one schedule.
    const planned = await testRedis.redis.zrange(`${testRedis.prefix}schedule`, 0, -1);
    for (const id of [alexId, danaId]) {
      expect(planned).toEqual(expect.arrayContaining([`prompt|${id}`, `tip|${id}`]));
    }
  });

  it("shows each coordinator their commands, and their own profile; set hours changes it", async () => {
    const [slackHelp, discordHelp] = await Promise.all([
      slackCommand("help", "What you can ask me"),
      discordCommand(sub("help"), "What you can ask me"),
    ]);
    for (const help of [slackHelp.text, discordHelp]) {
      expect(help).toContain("/peer holiday add");
      expect(help).toContain("/peer prompts add");
    }

    const [slackProfile, discordProfile] = await Promise.all([
      slackCommand("profile", "Here's what I have for you, Alex"),
      discordCommand(sub("profile"), "Here's what I have for you, Dana"),
    ]);
    expect(slackProfile.text).toContain("Region: Wide Bay");
    expect(slackProfile.text).toContain("Role: coordinator");
    expect(discordProfile).toContain("Region: Pilbara");
    expect(discordProfile).toContain("Role: coordinator");

    const [slackSet, discordSet] = await Promise.all([
      slackCommand("set hours 10:00-16:00", "your working hours are updated"),
      discordCommand(sub("set", { field: "hours", value: "08:30-14:30" }), "your working hours are updated"),
    ]);
    expect(slackSet.text).toContain("Working hours: 10:00–16:00");
    expect(discordSet).toContain("Working hours: 08:30–14:30");
    expect((await storedMember(alexId)).workingHours).toEqual({
      start: "10:00",
      end: "16:00",
    });
    expect((await storedMember(danaId)).workingHours).toEqual({
      start: "08:30",
      end: "14:30",
    });
  });

  it("pauses each for two weeks and resumes them", async () => {
    const until = (zone: string) => DateTime.now().setZone(zone).startOf("day").plus({ days: 14 });
    const [slackPause, discordPause] = await Promise.all([
      slackCommand("pause for 2w", "I won't send you anything until"),
      discordCommand(sub("pause", { for: "2w" }), "I won't send you anything until"),
    ]);
    expect(slackPause.text).toContain(until("Australia/Brisbane").toFormat("cccc d LLLL yyyy"));
    expect(discordPause).toContain(until("Australia/Perth").toFormat("cccc d LLLL yyyy"));
    expect((await storedMember(alexId)).status).toMatchObject({
      state: "paused",
      until: until("Australia/Brisbane").toISODate(),
    });
    expect((await storedMember(danaId)).status).toMatchObject({
      state: "paused",
      until: until("Australia/Perth").toISODate(),
    });

    await Promise.all([
      slackCommand("resume", "Welcome back"),
      discordCommand(sub("resume"), "Welcome back"),
    ]);
    for (const id of [alexId, danaId]) {
      expect((await storedMember(id)).status).toEqual({
        state: "active",
      });
    }
  });

  it("asks each a reflective question, takes the answer by DM, keeps it encrypted and shows it in the journal", async () => {
    // Asked in a shared channel, each gets a private note there, and the question in their DM.
    const slackAsked = slackDmPosts().length;
    const discordAsked = discordDmPosts().length;
    const [slackNote, discordNote] = await Promise.all([
      slackCommand("reflect", QUESTION_SENT_TO_DM),
      discordCommand(sub("reflect"), QUESTION_SENT_TO_DM),
    ]);
    for (const note of [slackNote.text, discordNote]) expect(note).not.toContain("question to reflect on");
    expect(slackButtons(slackNote.calls[0])).toEqual([]);
    const [slackPrompt, discordPrompt] = await Promise.all([
      slackDmReply(slackAsked, "Here's a question to reflect on"),
      waitFor(
        () =>
          discordDmPosts()
            .slice(discordAsked)
            .find((sent) => String(sent.message.content).includes("Here's a question to reflect on")),
        { ...WAIT, what: "the question in Dana's DM" },
      ),
    ]);
    expect(slackButtons(slackPrompt).map((button) => button.action_id)).toEqual([
      "prompt:form",
      "prompt:later",
      "prompt:skip",
    ]);
    expect(discordButtons("Here's a question to reflect on").map((id) => id.split("|")[0])).toEqual([
      "prompt:form",
      "prompt:later",
      "prompt:skip",
    ]);
    // The question itself, in quotes.
    expect(String(slackPrompt.args.text)).toMatch(/“.{10,}”/);
    expect(String(discordPrompt.message.content)).toMatch(/“.{10,}”/);

    const slackBefore = slackDmPosts().length;
    const discordBefore = discordDmPosts().length;
    const slackSent = await slack.event(messageImEvent(alex, SLACK_ANSWER));
    expect(slackSent.status).toBe(200);
    discordFake.directMessage(dana, DISCORD_ANSWER);
    await Promise.all([
      slackDmReply(slackBefore, "What helped in that moment"),
      waitFor(
        () =>
          discordDmPosts()
            .slice(discordBefore)
            .find((sent) => String(sent.message.content).includes("What helped in that moment")),
        { ...WAIT, what: "Discord's reply in Dana's DM" },
      ),
    ]);

    // Each adapter kept the member's DM channel under the member's own keys, in the one Redis.
    expect(await testRedis.redis.hget(`${memberKey(alexId)}:cache`, "slackDm")).toBe(alexDm);
    expect(await testRedis.redis.hget(`${memberKey(danaId)}:cache`, "dm-channel")).toBe(
      discordFake.dmChannelFor(dana.id),
    );
    // Saved, for each, under their own member key, and encrypted: neither answer is in Redis as text.
    expect(await testRedis.redis.exists(`${memberKey(alexId)}:journal`, `${memberKey(danaId)}:journal`)).toBe(
      2,
    );
    expect(await storedMentions(SLACK_ANSWER)).toEqual([]);
    expect(await storedMentions(DISCORD_ANSWER)).toEqual([]);

    const [slackJournal, discordJournal] = await Promise.all([
      slackCommand("journal", "Your journal, newest first"),
      discordCommand(sub("journal"), "Your journal, newest first"),
    ]);
    expect(slackJournal.text).toContain(`What happened: ${SLACK_ANSWER}`);
    expect(slackJournal.text).not.toContain(DISCORD_ANSWER);
    expect(discordJournal).toContain(`What happened: ${DISCORD_ANSWER}`);
    expect(discordJournal).not.toContain(SLACK_ANSWER);
  });

  it("gives each a self-care tip", async () => {
    await Promise.all([
      slackCommand("tip", "Here's a self-care idea"),
      discordCommand(sub("tip"), "Here's a self-care idea"),
    ]);
  });

  it("exports each member's own data, decrypted, on their own platform", async () => {
    // An export can come in several parts; the reflection, near the end, means all have arrived.
    const [slackExport, discordExport] = await Promise.all([
      slackCommand("export", SLACK_ANSWER),
      discordCommand(sub("export"), DISCORD_ANSWER),
    ]);
    expect(slackExport.text).toContain("Here is everything I store about you");
    expect(slackExport.text).toContain(`"member": "${alexId}"`);
    expect(slackExport.text).not.toContain(danaId);
    expect(discordExport).toContain("Here is everything I store about you");
    expect(discordExport).toContain(`"member": "${danaId}"`);
    expect(discordExport).not.toContain(alexId);
  });

  it("lets the coordinators on each add holidays and prompts to the one shared network", async () => {
    const [slackAdd, discordAdd] = await Promise.all([
      slackCommand(`holiday add ${SLACK_HOLIDAY} region:"Wide Bay"`, "Added:"),
      discordCommand(group("holiday", sub("add", { date: DISCORD_HOLIDAY })), "Added:"),
    ]);
    expect(slackAdd.text).toContain(`${longDate(SLACK_HOLIDAY)} — Wide Bay`);
    expect(discordAdd).toContain(`${longDate(DISCORD_HOLIDAY)} — every region`);

    // Each lists the other's holiday too: one store behind both platforms.
    const [slackList, discordList] = await Promise.all([
      slackCommand("holiday list", "Upcoming holidays"),
      discordCommand(group("holiday", sub("list")), "Upcoming holidays"),
    ]);
    for (const list of [slackList.text, discordList]) {
      expect(list).toContain(`${longDate(SLACK_HOLIDAY)} — Wide Bay`);
      expect(list).toContain(`${longDate(DISCORD_HOLIDAY)} — every region`);
    }

    const [slackPrompt, discordPrompt] = await Promise.all([
      slackCommand(`prompts add "${SLACK_PROMPT}" theme:self-care`, "Added to self-care as custom-"),
      discordCommand(
        group("prompts", sub("add", { question: DISCORD_PROMPT, theme: "connection" })),
        "Added to connection as custom-",
      ),
    ]);
    // One counter: the two questions got the two first ids between them.
    const ids = [slackPrompt.text, discordPrompt].map((text) => /as (custom-\d+)\./.exec(text)?.[1]);
    expect(ids.sort()).toEqual(["custom-1", "custom-2"]);
    const custom = Object.values(await testRedis.redis.hgetall(`${testRedis.prefix}questions:custom`));
    expect(custom.map((json) => JSON.parse(json).text).sort()).toEqual([DISCORD_PROMPT, SLACK_PROMPT].sort());
  });

  it("answered every member on their own platform only, never in a shared channel", async () => {
    const slackSays = slackFake.calls
      .filter((call) => call.method === "response_url" || call.method.startsWith("chat."))
      .map((call) => JSON.stringify(call.args));
    const discordSays = discordFake.sent.map((sent) => JSON.stringify(sent.message.content));
    expect(slackSays.length).toBeGreaterThan(10);
    expect(discordSays.length).toBeGreaterThan(10);
    expect(slackSays.filter((text) => text.includes("Dana") || text.includes(dana.id))).toEqual([]);
    expect(discordSays.filter((text) => text.includes("Alex") || text.includes(alex.userId))).toEqual([]);
    // Slack: only ephemeral replies and DMs; Discord: only interaction replies and DMs.
    expect(slackFake.callsTo("chat.postMessage").filter((call) => call.args.channel !== alexDm)).toEqual([]);
    expect(discordFake.callsTo("POST", `/channels/${discordFake.guildChannelId}/messages`)).toEqual([]);
    // And nothing either refused.
    expect(slackFake.calls.filter((call) => call.status !== 200)).toEqual([]);
    expect(discordFake.calls.filter((call) => call.status >= 400)).toEqual([]);
  });

  it("forgets each member on confirmation, leaving nothing about either in Redis", async () => {
    expect(await storedMentions(alex.userId)).not.toEqual([]);
    expect(await storedMentions(dana.id)).not.toEqual([]);

    const [slackAsk] = await Promise.all([
      slackCommand("forget", "Delete it all?"),
      discordCommand(sub("forget"), "Delete it all?"),
    ]);
    expect(slackButtons(slackAsk.calls[0])[0]).toMatchObject({
      action_id: "forget:confirm",
      style: "danger",
    });
    expect(discordButtons("Delete it all?")).toEqual(["forget:confirm", "forget:cancel"]);

    const before = slackDmPosts().length;
    await slackPress("forget:confirm");
    await Promise.all([
      slackDmReply(before, "everything I kept about you has been deleted"),
      discordPress("forget:confirm", "everything I kept about you has been deleted"),
    ]);

    // Both are strangers again to the running bot...
    await Promise.all([
      slackCommand("profile", "haven't joined"),
      discordCommand(sub("profile"), "haven't joined"),
    ]);
    // ...and no key or value under the prefix names either, while the network's own data stays.
    expect(await storedMentions(alex.userId)).toEqual([]);
    expect(await storedMentions(dana.id)).toEqual([]);
    expect(await testRedis.redis.smembers(`${testRedis.prefix}members`)).toEqual([]);
    expect(await testRedis.redis.hlen(`${testRedis.prefix}holidays`)).toBe(2);
  });

  it("logged no error and none of the members' words", () => {
    const lines = logs();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    for (const secret of [
      SLACK_ANSWER,
      DISCORD_ANSWER,
      SLACK_BOT_TOKEN,
      discordFake.token,
      SLACK_SIGNING_SECRET,
    ]) {
      expect(stdout).not.toContain(secret);
    }
    expect(stderr).toBe("");
  });

  // npm runs the start script through a shell; `exec` in the script lets SIGTERM reach the bot itself.
  it("stops on SIGTERM to npm start: the bot shuts down, nothing is left running, npm exits 0", async () => {
    bot.kill("SIGTERM");
    const ended = await Promise.race([
      exit,
      new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), 10_000).unref()),
    ]);
    const leftRunning = await waitFor(() => !groupAlive(), {
      timeoutMs: 5_000,
      what: "the bot to end",
    }).then(
      () => false,
      () => true,
    );
    expect({ ended, leftRunning }).toEqual({ ended: { code: 0, signal: null }, leftRunning: false });
    await closed;
    // It let go of Slack's port on the way out.
    await expect(fetch(`http://127.0.0.1:${port}/slack/events`, { method: "POST" })).rejects.toThrow();
    expect(stderr).toBe("");
  }, 20_000);
});
