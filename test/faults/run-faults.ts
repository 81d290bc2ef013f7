/**
 * `npm run test:faults`: the bot under faults, with real processes throughout.
 *
 * Each scenario starts its own `redis-server` on a spare loopback port (AOF,
 * `appendfsync always` unless it says otherwise), the fake Slack Web API and
 * the fake Discord (REST and gateway) in this process, each behind a slow
 * proxy (`slow-platform-proxy.ts`), and real bot processes
 * (`platform-worker.ts`: `createApp` + `chatPlatforms` from the environment,
 * the real Bolt and discord.js adapters). It seeds members on both
 * platforms, schedules one prompt each, injects the fault mid fan-out, and
 * counts what the fakes received, per member: a member with no message is a
 * lost prompt, a member with two is a duplicate (each member has exactly one
 * scheduled item, so member+kind names the item; the Slack metadata tag and
 * the Discord nonce of each copy are kept in the JSON to show it was the same
 * send twice).
 *
 * Prints the table and writes bench/results/faults.{json,md}. Exits 1 when a
 * goal the code claims is missed: a prompt lost anywhere, a duplicate on
 * Discord, recovery over 10 s after the repair, or an exit over 10 s after
 * SIGTERM. Duplicates on Slack are counted and explained, not failed.
 *
 *   npm run test:faults                 every scenario (about 6 minutes)
 *   npm run test:faults -- redis-down   only scenarios whose name contains a word
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type App, createApp } from "../../bin/app.js";
import { parseConfig } from "../../src/config/config.js";
import { silentLogger } from "../../src/logging/logger.js";
import { FakeDiscord, type FakeUser } from "../fakes/fake-discord.js";
import { type FakeSlackApi, startFakeSlackApi } from "../fakes/fake-slack-api.js";
import { alwaysWorkingMember } from "../helpers/always-working-member.js";
import { freePort } from "../helpers/free-port.js";
import { waitFor } from "../helpers/poll.js";
import { RedisServer } from "../helpers/redis-server.js";
import { type FreezeAt, SlowPlatformProxy, discordRole, slackRole } from "./slow-platform-proxy.js";

const ROOT = join(import.meta.dirname, "../..");
const RESULTS = join(ROOT, "bench/results");
const TEAM = "TFAULTS";
const SLACK_TOKEN = "xoxb-faults-token";
const SIGNING_SECRET = "faults-signing-secret-0123456789";
const GOAL_MS = 10_000;
const LOG_DIR = mkdtempSync(join(tmpdir(), "peer-bot-faults-"));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 23)} ${line}\n`);

type Platform = "slack" | "discord";

interface Row {
  readonly scenario: string;
  readonly platform: Platform;
  readonly expected: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicated: number;
  /** From the fault to the first delivery made after the repair (Redis back, or a bot restarted). */
  readonly resumeAfterFaultMs: number | null;
  /** From the repair to that first delivery. */
  readonly resumeAfterRepairMs: number | null;
  /** From the fault to the last delivery. */
  readonly lastAfterFaultMs: number | null;
  readonly notes: string;
  /** Per duplicated member: the send tag (Slack metadata) or nonce (Discord) of each copy. */
  readonly duplicates: Record<string, string[]>;
}

interface ScenarioResult {
  readonly rows: Row[];
  readonly facts: Record<string, number | string | boolean | null>;
}

/** One scenario's world: its Redis, the two fakes behind their proxies, members, and bot processes. */
class World {
  readonly key = randomBytes(32);
  readonly bots: Bot[] = [];
  slack!: FakeSlackApi;
  discord!: FakeDiscord;
  slackProxy!: SlowPlatformProxy;
  discordProxy!: SlowPlatformProxy;
  slackUrl = "";
  discordUrl = "";
  slackUsers: string[] = [];
  discordUsers: FakeUser[] = [];
  seeder!: App;
  private readonly dmOwner = new Map<string, string>();

  constructor(
    readonly name: string,
    readonly redis: RedisServer,
    readonly pace: { slackPerMinute: number; discordPerSecond: number },
  ) {}

  static async create(
    name: string,
    options: {
      redisArgs?: readonly string[];
      slack: number;
      discord: number;
      delayMs: number;
      pace: { slackPerMinute: number; discordPerSecond: number };
    },
  ): Promise<World> {
    const redis = await RedisServer.start(
      options.redisArgs ?? ["--save", "", "--appendonly", "yes", "--appendfsync", "always"],
    );
    const world = new World(name, redis, options.pace);
    world.slack = await startFakeSlackApi({ botToken: SLACK_TOKEN, teamId: TEAM });
    world.discord = await FakeDiscord.start();
    world.slackProxy = new SlowPlatformProxy(world.slack.apiUrl, slackRole, options.delayMs);
    world.discordProxy = new SlowPlatformProxy(world.discord.apiUrl, discordRole, options.delayMs);
    world.slackUrl = `${await world.slackProxy.start()}/api/`;
    world.discordUrl = `${await world.discordProxy.start()}/api`;
    for (let i = 0; i < options.slack; i++) {
      const id = `UF${String(i).padStart(5, "0")}`;
      world.slack.addUser({ id, name: `peer${i}` });
      world.slackUsers.push(id);
    }
    for (let i = 0; i < options.discord; i++) {
      const user = world.discord.user(`peer${i}`);
      world.discordUsers.push(user);
      world.dmOwner.set(world.discord.dmChannelFor(user.id), user.id);
    }
    const config = { ...parseConfig({ REDIS_URL: redis.url }), encryptionKey: world.key };
    world.seeder = createApp({ config, logger: silentLogger, platforms: () => [], scheduler: false });
    await world.seeder.start();
    const ids = world.members();
    for (let i = 0; i < ids.length; i += 200) {
      await Promise.all(
        ids.slice(i, i + 200).map((id) => world.seeder.stores.members.save(alwaysWorkingMember(id))),
      );
    }
    return world;
  }

  members(platform?: Platform): string[] {
    const slack = this.slackUsers.map((u) => `slack:${TEAM}:${u}`);
    const discord = this.discordUsers.map((u) => `discord:${u.id}`);
    return platform === "slack" ? slack : platform === "discord" ? discord : [...slack, ...discord];
  }

  async schedule(due: number): Promise<void> {
    const ids = this.members();
    for (let i = 0; i < ids.length; i += 200) {
      await Promise.all(
        ids.slice(i, i + 200).map((id) => this.seeder.stores.schedule.set(id, "prompt", due)),
      );
    }
  }

  /** Every bot message each member received, with when and what identified it. */
  received(platform: Platform): Map<string, Array<{ at: number; tag: string }>> {
    const out = new Map<string, Array<{ at: number; tag: string }>>();
    for (const id of this.members(platform)) out.set(id, []);
    if (platform === "slack") {
      for (const call of this.slack.callsTo("chat.postMessage")) {
        const channel = String(call.args.channel);
        if (!channel.startsWith("D")) continue;
        const metadata = call.args.metadata as { event_payload?: { send_id?: string } } | undefined;
        out.get(`slack:${TEAM}:${channel.slice(1)}`)?.push({
          at: call.at,
          tag: metadata?.event_payload?.send_id ?? "(no metadata)",
        });
      }
      // What Slack keeps is what counts: a call answered with an error left no message.
      for (const [id, list] of out) {
        const kept = this.slack.messagesIn(`D${id.split(":")[2]}`).length;
        list.splice(kept);
      }
    } else {
      const nonces = new Map<string, string>();
      for (const call of this.discord.calls) {
        const body = call.body as { nonce?: string } | undefined;
        if (call.method === "POST" && call.status === 200 && body?.nonce) nonces.set(call.route, body.nonce);
      }
      for (const message of this.discord.messages()) {
        if (message.source !== "bot") continue;
        const user = this.dmOwner.get(message.channelId);
        if (!user) continue;
        out.get(`discord:${user}`)?.push({
          at: Date.parse(String(message.object.timestamp)),
          tag: String(
            message.object.nonce ?? nonces.get(`/channels/${message.channelId}/messages`) ?? "(no nonce)",
          ),
        });
      }
    }
    return out;
  }

  /** Members reached so far, per platform, for logs. */
  progress(): string {
    return (["slack", "discord"] as const)
      .map(
        (p) =>
          `${p} ${[...this.received(p).values()].filter((l) => l.length > 0).length}/${this.members(p).length}`,
      )
      .join(", ");
  }

  deliveredCount(): number {
    let n = 0;
    for (const platform of ["slack", "discord"] as const)
      for (const list of this.received(platform).values()) if (list.length > 0) n++;
    return n;
  }

  /** Everyone has their prompt, nothing is leased or queued, and nothing is due. */
  async quiet(): Promise<boolean> {
    if (this.deliveredCount() < this.members().length) return false;
    const { inFlight, earliestDue } = await this.seeder.stores.schedule.state();
    if (inFlight > 0 || (earliestDue !== null && earliestDue < Date.now() + 60_000)) return false;
    const redis = this.seeder.redis;
    const prefix = this.seeder.stores.keys.prefix;
    for (const platform of ["slack", "discord"]) {
      const queue = `${prefix}bull:outbound-${platform}`;
      const [active, wait, delayed, prioritized] = await Promise.all([
        redis.llen(`${queue}:active`),
        redis.llen(`${queue}:wait`),
        redis.zcard(`${queue}:delayed`),
        redis.zcard(`${queue}:prioritized`),
      ]);
      if (active + wait + delayed + prioritized > 0) return false;
    }
    return true;
  }

  /** Send claims and sent markers under the prefix (what a kill before the claim must not have made). */
  async sendMarkers(): Promise<number> {
    let n = 0;
    const stream = this.seeder.redis.scanStream({
      match: `${this.seeder.stores.keys.prefix}member:*:sent:*`,
      count: 1000,
    }) as AsyncIterable<string[]>;
    for await (const keys of stream) n += keys.length;
    return n;
  }

  async startBot(label: string): Promise<Bot> {
    const bot = await Bot.start(label, {
      REDIS_URL: this.redis.url,
      ENCRYPTION_KEY: this.key.toString("base64"),
      PORT: String(await freePort()),
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: this.slackUrl,
      SLACK_SEND_PER_MINUTE: String(this.pace.slackPerMinute),
      DISCORD_TOKEN: this.discord.token,
      DISCORD_APPLICATION_ID: this.discord.applicationId,
      DISCORD_API_URL: this.discordUrl,
      DISCORD_SEND_PER_SECOND: String(this.pace.discordPerSecond),
      FAULT_LOG: join(LOG_DIR, `${this.name}-${label}.log`),
      ...(process.env.LOG_LEVEL ? { LOG_LEVEL: process.env.LOG_LEVEL } : {}),
    });
    this.bots.push(bot);
    return bot;
  }

  rows(
    scenario: string,
    fault: number,
    repaired: number,
    notes: Partial<Record<Platform, string>> = {},
  ): Row[] {
    return (["slack", "discord"] as const).map((platform) => {
      const received = this.received(platform);
      let delivered = 0;
      let lost = 0;
      let duplicated = 0;
      const duplicates: Record<string, string[]> = {};
      const times: number[] = [];
      for (const [id, list] of received) {
        if (list.length === 0) lost++;
        else delivered++;
        if (list.length > 1) {
          duplicated += list.length - 1;
          duplicates[id] = list.map((r) => r.tag);
        }
        times.push(...list.map((r) => r.at));
      }
      const after = times.filter((t) => t >= repaired).sort((a, b) => a - b);
      const first = after[0];
      const last = Math.max(...times);
      return {
        scenario,
        platform,
        expected: received.size,
        delivered,
        lost,
        duplicated,
        resumeAfterFaultMs: first === undefined ? null : first - fault,
        resumeAfterRepairMs: first === undefined ? null : first - repaired,
        lastAfterFaultMs: times.length === 0 ? null : Math.max(0, last - fault),
        notes: notes[platform] ?? "",
        duplicates,
      };
    });
  }

  async close(): Promise<void> {
    for (const bot of this.bots) bot.kill();
    await Promise.all(this.bots.map((bot) => bot.exited));
    await this.seeder.stop().catch(() => {});
    await this.slackProxy.stop();
    await this.discordProxy.stop();
    await this.slack.stop();
    await this.discord.close();
    await this.redis.cleanup();
  }
}

/** A bot process (`platform-worker.ts`). */
class Bot {
  readonly exited: Promise<number | null>;
  exitAt: number | null = null;
  stoppedAt: number | null = null;
  forcedAt: number | null = null;
  /** `phase <name> <ms>` lines: how long each part of a stop took. */
  readonly phases: Record<string, number> = {};
  private constructor(
    readonly label: string,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) =>
      child.once("exit", (code) => {
        this.exitAt = Date.now();
        resolve(code);
      }),
    );
  }

  static async start(label: string, env: Record<string, string>): Promise<Bot> {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "platform-worker.ts")],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, ...env },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const bot = new Bot(label, child);
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on("data", (chunk: Buffer) => {
        const text = chunk.toString();
        if (text.includes("ready")) resolve();
        if (text.includes("stopped")) bot.stoppedAt = Date.now();
        if (text.includes("forced")) bot.forcedAt = Date.now();
        for (const [, phase, took] of text.matchAll(/phase (\w+) (\d+)/g))
          bot.phases[phase ?? ""] = Number(took);
      });
      child.once("exit", (code) => reject(new Error(`bot ${label} exited with ${code} before it was ready`)));
    });
    return bot;
  }

  kill(): void {
    if (this.exitAt === null) this.child.kill("SIGKILL");
  }
}

/** Waits for every prompt and a quiet schedule and queue; then a moment more for any late repeat. */
async function settle(world: World, timeoutMs: number): Promise<boolean> {
  const done = await waitFor(() => world.quiet().catch(() => false), {
    timeoutMs,
    everyMs: 250,
    what: "quiet",
  }).then(
    () => true,
    () => false,
  );
  await sleep(2_000);
  return done;
}

/**
 * Settles; if something is still leased or queued at the end (e.g. a completion the cut AOF
 * forgot, leased to a live process for its 10-minute lease), does what the next deploy would:
 * SIGTERM every bot (each hands back what it holds) and starts a fresh one, then settles again,
 * so what those items come to (sent once, or twice) is counted within the run.
 */
async function settleOrRedeploy(
  world: World,
  facts: ScenarioResult["facts"],
  timeoutMs: number,
): Promise<void> {
  facts.quiet = await settle(world, timeoutMs);
  if (facts.quiet) return;
  facts.leasedAtEnd = (await world.seeder.stores.schedule.state()).inFlight;
  facts.membersWithoutPromptAtEnd = world.members().length - world.deliveredCount();
  const alive = world.bots.filter((bot) => bot.exitAt === null);
  for (const bot of alive) bot.child.kill("SIGTERM");
  await Promise.race([Promise.all(alive.map((bot) => bot.exited)), sleep(20_000)]);
  for (const bot of alive) bot.kill();
  await world.startBot("redeploy");
  facts.redeployed = true;
  facts.quietAfterRedeploy = await settle(world, 60_000);
}

// ---- scenarios ---------------------------------------------------------------------------------

/** The Redis-kill scenarios' fan-out: 1,000 members, half on each platform, two bot processes. */
const FANOUT = {
  slack: 500,
  discord: 500,
  delayMs: 50,
  pace: { slackPerMinute: 3000, discordPerSecond: 45 },
};

async function redisKilled(name: string, cutLastSecond: boolean): Promise<ScenarioResult> {
  const world = await World.create(name, FANOUT);
  try {
    await Promise.all([world.startBot("a"), world.startBot("b")]);
    // The AOF's size every 100 ms, to cut off the last second of it after the kill.
    const sizes: Array<{ at: number; size: number; file: string | undefined }> = [];
    const sampler = setInterval(
      () => sizes.push({ at: Date.now(), size: world.redis.aofSize(), file: world.redis.aofFile() }),
      100,
    );
    await world.schedule(Date.now() + 1_000);
    const total = world.members().length;
    await waitFor(() => world.deliveredCount() >= total * 0.4, {
      timeoutMs: 60_000,
      what: "40% delivered",
    }).catch((error: Error) => {
      throw new Error(`${error.message} (${world.progress()})`);
    });
    const deliveredAtFault = world.deliveredCount();
    const fault = Date.now();
    await world.redis.kill();
    clearInterval(sampler);
    log(`${name}: redis killed at ${deliveredAtFault}/${total} delivered`);
    const facts: ScenarioResult["facts"] = { deliveredAtFault, members: total, bots: 2 };
    if (cutLastSecond) {
      const file = world.redis.aofFile();
      const now = world.redis.aofSize();
      const before = [...sizes].reverse().find((s) => s.at <= fault - 1_000 && s.file === file);
      const size = before?.size ?? 0;
      truncateSync(file ?? "", size);
      facts.aofBytesCut = now - size;
      facts.aofBytesKept = size;
      log(`${name}: cut ${now - size} bytes (the last second) off ${file}`);
      await world.redis.resume(["--aof-load-truncated", "yes"]);
    } else {
      await world.redis.resume();
    }
    const repaired = Date.now();
    facts.redisRestartMs = repaired - fault;
    await settleOrRedeploy(world, facts, 45_000);
    return { rows: world.rows(name, fault, repaired), facts };
  } finally {
    await world.close();
  }
}

async function redisDown(name: string): Promise<ScenarioResult> {
  const world = await World.create(name, FANOUT);
  try {
    await Promise.all([world.startBot("a"), world.startBot("b")]);
    await world.schedule(Date.now() + 1_000);
    const total = world.members().length;
    await waitFor(() => world.deliveredCount() >= total * 0.4, {
      timeoutMs: 60_000,
      what: "40% delivered",
    }).catch((error: Error) => {
      throw new Error(`${error.message} (${world.progress()})`);
    });
    const deliveredAtFault = world.deliveredCount();
    const fault = Date.now();
    await world.redis.kill();
    log(`${name}: redis down at ${deliveredAtFault}/${total} delivered; back in 30 s`);
    await sleep(30_000);
    const deliveredWhileDown = world.deliveredCount() - deliveredAtFault;
    await world.redis.resume();
    const repaired = Date.now();
    const facts: ScenarioResult["facts"] = { deliveredAtFault, deliveredWhileDown, members: total, bots: 2 };
    facts.botsAliveAfter = world.bots.filter((bot) => bot.exitAt === null).length;
    await settleOrRedeploy(world, facts, 75_000);
    return { rows: world.rows(name, fault, repaired), facts };
  } finally {
    await world.close();
  }
}

const STEPS: ReadonlyArray<{ name: string; at: FreezeAt | "before-claim"; what: string }> = [
  { name: "before-claim", at: "before-claim", what: "items leased, no send claimed yet" },
  { name: "after-claim", at: "open", what: "send claimed, DM open in flight, nothing posted" },
  { name: "in-flight", at: "request", what: "post with the platform, not yet accepted" },
  { name: "after-accept", at: "response", what: "post accepted, answer not yet back, no sent marker" },
];

/** A bot SIGKILLed at one step of a send, against a slow platform (300 ms), then a new bot started. */
async function botKilled(step: (typeof STEPS)[number]): Promise<ScenarioResult> {
  const name = `bot-kill:${step.name}`;
  const world = await World.create(name, {
    slack: 30,
    discord: 30,
    delayMs: 300,
    pace: { slackPerMinute: 600, discordPerSecond: 10 },
  });
  try {
    const first = await world.startBot("first");
    const facts: ScenarioResult["facts"] = { members: 60, step: step.what };
    if (step.at === "before-claim") {
      // Claimed by the dispatcher (20 s look-ahead) and queued, but not due for 8 s: nothing is claimed to send.
      await world.schedule(Date.now() + 8_000);
      await waitFor(async () => (await world.seeder.stores.schedule.state()).inFlight === 60, {
        timeoutMs: 20_000,
        what: "every item leased",
      });
    } else {
      const frozen = Promise.all([
        world.slackProxy.freeze(step.at, 10),
        world.discordProxy.freeze(step.at, 10),
      ]);
      await world.schedule(Date.now() + 1_000);
      await Promise.race([frozen, sleep(30_000)]);
      // Let anything racing the freeze land (a send already past its claim), then kill.
      await sleep(100);
    }
    facts.markersAtKill = await world.sendMarkers();
    facts.deliveredAtKill = world.deliveredCount();
    const fault = Date.now();
    first.kill();
    await first.exited;
    await world.slackProxy.afterKill();
    await world.discordProxy.afterKill();
    log(`${name}: bot killed (${facts.deliveredAtKill} delivered, ${facts.markersAtKill} claims/markers)`);
    const restarting = Date.now();
    await world.startBot("second");
    const repaired = Date.now();
    facts.botStartMs = repaired - restarting;
    // A job the dead bot held stays "active" in BullMQ until its lock (30 s) is found stalled.
    await settleOrRedeploy(world, facts, 75_000);
    return { rows: world.rows(name, fault, repaired), facts };
  } finally {
    await world.close();
  }
}

/** SIGTERM mid fan-out at Slack's default pace (150 a minute), then a new process finishes it. */
async function sigterm(): Promise<ScenarioResult> {
  const name = "sigterm";
  const world = await World.create(name, {
    slack: 40,
    discord: 200,
    delayMs: 300,
    pace: { slackPerMinute: 150, discordPerSecond: 45 },
  });
  try {
    const first = await world.startBot("first");
    await world.schedule(Date.now() + 1_000);
    await waitFor(() => world.received("slack").size > 0 && world.deliveredCount() >= 60, {
      timeoutMs: 60_000,
      what: "the fan-out under way",
    });
    const deliveredAtFault = world.deliveredCount();
    const fault = Date.now();
    first.child.kill("SIGTERM");
    const exited = await Promise.race([first.exited.then(() => true), sleep(30_000).then(() => false)]);
    if (!exited) first.kill();
    await first.exited;
    const exitMs = (first.exitAt ?? Date.now()) - fault;
    const stopMs = first.stoppedAt === null ? null : first.stoppedAt - fault;
    const deliveredAtExit = world.deliveredCount();
    log(`${name}: exited ${exitMs} ms after SIGTERM (app.stop ${stopMs} ms), ${deliveredAtExit} delivered`);
    await world.startBot("second");
    const repaired = Date.now();
    const facts: ScenarioResult["facts"] = {
      deliveredAtFault,
      deliveredAtExit,
      exitAfterSigtermMs: exitMs,
      stopAfterSigtermMs: stopMs,
      stopFinished: first.stoppedAt !== null,
      forcedExitAt9s: first.forcedAt !== null,
      ...Object.fromEntries(Object.entries(first.phases).map(([phase, took]) => [`stop:${phase}Ms`, took])),
    };
    await settleOrRedeploy(world, facts, 75_000);
    return { rows: world.rows(name, fault, repaired), facts };
  } finally {
    await world.close();
  }
}

// ---- run, report ---------------------------------------------------------------------------------

type Named = { name: string; result: ScenarioResult };
const one = (name: string, run: () => Promise<ScenarioResult>) => async (): Promise<Named[]> => [
  { name, result: await run() },
];

/**
 * The four bot-kill steps run side by side, each in a world of its own: each waits out the
 * BullMQ lock (30 s) of the job its dead bot left active, so one after another they would take
 * five minutes. Bot start-up times are slower for it (four processes start at once on the
 * machine's cores); what is compared with the goal is the time from the new bot being ready.
 */
async function botKills(chosen: typeof STEPS): Promise<Named[]> {
  const settled = await Promise.allSettled(chosen.map((step) => botKilled(step)));
  return settled.map((outcome, i) => {
    const name = `bot-kill:${chosen[i]?.name}`;
    if (outcome.status === "rejected") throw new Error(`${name}: ${(outcome.reason as Error).message}`);
    return { name, result: outcome.value };
  });
}

const SCENARIOS: ReadonlyArray<{ name: string; run: (only: readonly string[]) => Promise<Named[]> }> = [
  {
    name: "redis-kill:aof-intact",
    run: one("redis-kill:aof-intact", () => redisKilled("redis-kill:aof-intact", false)),
  },
  {
    name: "redis-kill:aof-last-second-cut",
    run: one("redis-kill:aof-last-second-cut", () => redisKilled("redis-kill:aof-last-second-cut", true)),
  },
  {
    name: `bot-kill:${STEPS.map((s) => s.name).join(",")}`,
    run: (only) =>
      botKills(
        STEPS.filter((s) => only.length === 0 || only.some((word) => `bot-kill:${s.name}`.includes(word))),
      ),
  },
  { name: "redis-down-30s", run: one("redis-down-30s", () => redisDown("redis-down-30s")) },
  { name: "sigterm", run: one("sigterm", sigterm) },
];

function ms(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : `${(value / 1000).toFixed(1)} s`;
}

/** The goals each result is held to; Slack duplicates are reported, not failed. */
function misses(name: string, result: ScenarioResult): string[] {
  const out: string[] = [];
  for (const row of result.rows) {
    if (row.lost > 0) out.push(`${name} ${row.platform}: ${row.lost} lost`);
    if (row.platform === "discord" && row.duplicated > 0)
      out.push(`${name} discord: ${row.duplicated} duplicated`);
    if (row.resumeAfterRepairMs !== null && row.resumeAfterRepairMs > GOAL_MS)
      out.push(`${name} ${row.platform}: resumed ${ms(row.resumeAfterRepairMs)} after the repair`);
  }
  const exit = result.facts.exitAfterSigtermMs;
  if (typeof exit === "number" && exit > GOAL_MS) out.push(`${name}: exited ${ms(exit)} after SIGTERM`);
  return out;
}

function markdown(
  results: ReadonlyArray<{ name: string; result: ScenarioResult }>,
  missed: string[],
): string {
  const lines = [
    "# Faults",
    "",
    `\`npm run test:faults\` on ${new Date().toISOString().slice(0, 10)}: real redis-server and bot processes (Slack in HTTP mode and Discord, the real adapters), the fake Slack and Discord APIs behind slow proxies. Counted from what the fakes received, per member (one scheduled prompt each).`,
    "",
    "Resume: from the fault to the first delivery after the repair (Redis back up, or the new bot process ready); in brackets, from the repair. Last: from the fault to the last delivery.",
    "",
    "| scenario | platform | expected | delivered | lost | duplicated | resume | last |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const { result } of results) {
    for (const row of result.rows) {
      lines.push(
        `| ${row.scenario} | ${row.platform} | ${row.expected} | ${row.delivered} | ${row.lost} | ${row.duplicated} | ${ms(row.resumeAfterFaultMs)} (${ms(row.resumeAfterRepairMs)}) | ${ms(row.lastAfterFaultMs)} |`,
      );
    }
  }
  lines.push("", "## Per scenario", "");
  for (const { name, result } of results) {
    const facts = Object.entries(result.facts)
      .map(([k, v]) => `${k}: ${typeof v === "number" && /Ms$/.test(k) ? ms(v) : String(v)}`)
      .join("; ");
    lines.push(`- **${name}**: ${facts}`);
  }
  lines.push(
    "",
    "## Goals",
    "",
    "0 lost anywhere; 0 duplicated on Discord; resume within 10 s of the repair; exit within 10 s of SIGTERM. Slack duplicates are counted and explained, not failed.",
    "",
    missed.length === 0 ? "All met." : missed.map((m) => `- missed: ${m}`).join("\n"),
    "",
  );
  return lines.join("\n");
}

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  const chosen = SCENARIOS.filter((s) => only.length === 0 || only.some((word) => s.name.includes(word)));
  const results: Named[] = [];
  const missed: string[] = [];
  const started = Date.now();
  for (const scenario of chosen) {
    log(`${scenario.name}: starting`);
    try {
      for (const { name, result } of await scenario.run(only)) {
        results.push({ name, result });
        missed.push(...misses(name, result));
        for (const row of result.rows) {
          log(
            `${row.scenario} ${row.platform}: expected ${row.expected}, delivered ${row.delivered}, lost ${row.lost}, duplicated ${row.duplicated}, resume ${ms(row.resumeAfterFaultMs)} (${ms(row.resumeAfterRepairMs)} after repair), last ${ms(row.lastAfterFaultMs)}`,
          );
        }
      }
    } catch (error) {
      missed.push(`${scenario.name}: did not complete (${(error as Error).message})`);
      log(`${scenario.name}: failed: ${(error as Error).stack}`);
    }
  }
  const md = markdown(results, missed);
  process.stdout.write(`\n${md}\n`);
  process.stdout.write(`bot logs: ${LOG_DIR}; took ${ms(Date.now() - started)}\n`);
  mkdirSync(RESULTS, { recursive: true });
  // A partial run (some scenarios chosen) goes beside the full one, not over it.
  const base = only.length === 0 ? "faults" : "faults-partial";
  writeFileSync(
    join(RESULTS, `${base}.json`),
    `${JSON.stringify({ date: new Date().toISOString(), results, missed }, null, 2)}\n`,
  );
  writeFileSync(join(RESULTS, `${base}.md`), md);
  return missed.length === 0 ? 0 : 1;
}

process.exitCode = await main();
// Sockets of killed bots and the fakes may linger; the results are written.
process.exit(process.exitCode);
