import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config/config.js";
import { silentLogger } from "../src/logging/logger.js";
import { type ChatPlatform, dmWith } from "../src/platform/chat-platform.js";
import { FakeDiscord } from "../test/fakes/fake-discord.js";
import { type FakeSlackApi, startFakeSlackApi } from "../test/fakes/fake-slack-api.js";
import { freePort } from "../test/helpers/free-port.js";
import { waitFor } from "../test/helpers/poll.js";
import { RedisServer } from "../test/helpers/redis-server.js";
import { SlackRequester, urlVerification } from "../test/helpers/slack-requests.js";
import { TEST_REDIS_URL, createTestRedis } from "../test/helpers/test-redis.js";
import { type App, createApp } from "./app.js";
import { Ops } from "./ops.js";
import { chatPlatforms } from "./platforms.js";

/**
 * /healthz, /readyz and /metrics over real HTTP, with the app composed as
 * `npm start` composes it (config from an environment, `Ops`, `createApp`,
 * `chatPlatforms`), against the fake Slack and fake Discord on loopback and
 * real Redis: Discord only (the bot's own server), Slack over HTTP (Slack's
 * receiver serves them beside /slack/events), and Slack over Socket Mode.
 */

const METRIC_NAMES = [
  "peerbot_prompts_due",
  "peerbot_prompts_in_flight",
  "peerbot_oldest_due_age_seconds",
  "peerbot_queue_depth",
  "peerbot_sent_total",
  "peerbot_send_lateness_seconds",
  "peerbot_rate_limited_total",
  "peerbot_duplicates_prevented_total",
  "peerbot_replies_stored_total",
];

interface Reply {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

async function get(port: number, path: string): Promise<Reply> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return {
    status: response.status,
    type: response.headers.get("content-type") ?? "",
    body: await response.text(),
  };
}

/** The metric families a Prometheus text exposition declares (its `# TYPE` lines). */
function families(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (match?.[1] && match[2]) found.set(match[1], match[2]);
  }
  return found;
}

/** The sum of a metric's samples whose labels include `labels` (0 when there are none). */
function sampleSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = new Map([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => have.get(key) === value)) sum += Number(match[3]);
  }
  return sum;
}

interface Composed {
  readonly app: App;
  readonly ops: Ops;
  readonly platforms: () => readonly ChatPlatform[];
}

/** The app from an environment, as bin/start.ts composes it. */
function compose(env: Record<string, string>): Composed {
  const config = parseConfig({ ENCRYPTION_KEY: randomBytes(32).toString("base64"), ...env });
  const ops = new Ops({ config, logger: silentLogger, host: "127.0.0.1" });
  let platforms: readonly ChatPlatform[] = [];
  const app = createApp({
    config,
    logger: silentLogger,
    metrics: ops.metrics,
    platforms: (stores, redis) => {
      platforms = chatPlatforms(config, silentLogger, stores, redis, ops.routes);
      return platforms;
    },
  });
  ops.attach(app);
  return { app, ops, platforms: () => platforms };
}

describe("Discord only: the bot's own server on PORT", () => {
  let redisServer: RedisServer;
  let discord: FakeDiscord;
  let composed: Composed;
  let port: number;

  beforeAll(async () => {
    redisServer = await RedisServer.start();
    discord = await FakeDiscord.start();
    port = await freePort();
    composed = compose({
      REDIS_URL: redisServer.url,
      REDIS_PREFIX: "health:",
      PORT: String(port),
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
    });
    expect(await composed.ops.listen()).toBe(port);
  }, 30_000);

  afterAll(async () => {
    await composed?.ops.close();
    await composed?.app.stop();
    await discord?.close();
    await redisServer?.cleanup();
  });

  it("is healthy but not ready before Discord's gateway is connected, and ready once it is", async () => {
    await waitFor(() => composed.app.redis.status === "ready", { what: "the app's Redis connection" });
    expect(await get(port, "/healthz")).toMatchObject({ status: 200, body: '{"status":"ok"}' });
    const before = await get(port, "/readyz");
    expect(before.status).toBe(503);
    expect(JSON.parse(before.body)).toEqual({ ready: false, notReady: ["discord"] });

    await composed.app.start();
    expect(composed.platforms()[0]?.connected?.()).toBe(true);
    expect(await get(port, "/readyz")).toMatchObject({ status: 200, body: '{"ready":true}' });
  }, 30_000);

  it("serves every metric in Prometheus text, and counts a send as it happens", async () => {
    const first = await get(port, "/metrics");
    expect(first.status).toBe(200);
    expect(first.type).toContain("text/plain");
    const declared = families(first.body);
    for (const name of METRIC_NAMES) expect(declared.has(name), name).toBe(true);
    expect(declared.get("peerbot_sent_total")).toBe("counter");
    expect(declared.get("peerbot_send_lateness_seconds")).toBe("histogram");
    expect(declared.get("peerbot_prompts_due")).toBe("gauge");
    expect(sampleSum(first.body, "peerbot_queue_depth", { platform: "discord" })).toBe(0);
    expect(sampleSum(first.body, "peerbot_sent_total", { platform: "discord" })).toBe(0);

    const dee = discord.user("dee");
    await composed.app.outbox.post(dmWith(`discord:${dee.id}`), { text: "A message for the metrics" });
    await waitFor(() => discord.sent.some((sent) => sent.message.content === "A message for the metrics"), {
      what: "the DM on Discord",
    });
    const after = await waitFor(
      async () => {
        const text = (await get(port, "/metrics")).body;
        return sampleSum(text, "peerbot_sent_total", { platform: "discord" }) === 1 ? text : undefined;
      },
      { what: "peerbot_sent_total to count the send" },
    );
    expect(sampleSum(after, "peerbot_send_lateness_seconds_count", { platform: "discord" })).toBe(1);
    expect(sampleSum(after, "peerbot_prompts_due")).toBe(0);
  }, 30_000);

  it("counts a reply stored", async () => {
    const before = sampleSum((await get(port, "/metrics")).body, "peerbot_replies_stored_total");
    await composed.app.stores.journal.save(`discord:${discord.user("eve").id}`, {
      id: "entry-1",
      createdAt: new Date().toISOString(),
      answers: { what: "A hard call today." },
    });
    const after = sampleSum((await get(port, "/metrics")).body, "peerbot_replies_stored_total", {
      kind: "diary",
    });
    expect(after).toBe(before + 1);
  });

  it("answers 404 for other paths and 405 for other methods", async () => {
    expect((await get(port, "/nothing-here")).status).toBe(404);
    const post = await fetch(`http://127.0.0.1:${port}/healthz`, { method: "POST" });
    expect(post.status).toBe(405);
  });

  it("is not ready while Redis is unreachable (still healthy, metrics still answer), and ready again once it is back", async () => {
    await redisServer.kill();
    try {
      const down = await waitFor(
        async () => {
          const reply = await get(port, "/readyz");
          return reply.status === 503 ? reply : undefined;
        },
        { what: "/readyz to say 503" },
      );
      expect(JSON.parse(down.body)).toEqual({ ready: false, notReady: ["redis"] });
      expect((await get(port, "/healthz")).status).toBe(200);
      const metrics = await get(port, "/metrics");
      expect(metrics.status).toBe(200);
      // The gauges read from Redis say NaN (unknown; prom-client writes "Nan") rather than a made-up 0;
      // the counters remain.
      expect(sampleSum(metrics.body, "peerbot_sent_total", { platform: "discord" })).toBe(1);
      expect(metrics.body).toMatch(/^peerbot_prompts_due nan$/im);
      expect(metrics.body).toMatch(/^peerbot_oldest_due_age_seconds nan$/im);
    } finally {
      await redisServer.resume();
    }
    await waitFor(async () => (await get(port, "/readyz")).status === 200, { what: "/readyz to say 200" });
  }, 30_000);
});

describe("Slack over HTTP: Slack's receiver serves them beside /slack/events", () => {
  const SIGNING_SECRET = "health-signing-secret-0123456789";
  const testRedis = createTestRedis("health-slack-http");
  let fake: FakeSlackApi;
  let composed: Composed;
  let port: number;

  beforeAll(async () => {
    fake = await startFakeSlackApi({ botToken: "xoxb-health-http", teamId: "T0HEALTH" });
    port = await freePort();
    composed = compose({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: testRedis.prefix,
      PORT: String(port),
      SLACK_BOT_TOKEN: "xoxb-health-http",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
    });
    // No second server: Slack's receiver takes the port when the app starts.
    expect(await composed.ops.listen()).toBeUndefined();
    await composed.app.start();
  }, 30_000);

  afterAll(async () => {
    await composed?.app.stop();
    await fake?.stop();
    await testRedis.cleanup();
  });

  it("serves /healthz, /readyz and /metrics on PORT", async () => {
    expect(await get(port, "/healthz")).toMatchObject({ status: 200, body: '{"status":"ok"}' });
    expect(await get(port, "/readyz")).toMatchObject({ status: 200, body: '{"ready":true}' });
    const metrics = await get(port, "/metrics");
    expect(metrics.status).toBe(200);
    for (const name of METRIC_NAMES) expect(families(metrics.body).has(name), name).toBe(true);
  });

  it("keeps Slack's signature check on /slack/events", async () => {
    const slack = new SlackRequester(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET);
    const signed = await slack.event(urlVerification("health-challenge"));
    expect(signed.status).toBe(200);
    expect(signed.body).toContain("health-challenge");
    const forged = await slack.event(urlVerification("forged"), { secret: "not-the-secret-at-all" });
    expect(forged.status).toBe(401);
  });

  it("counts a send to Slack", async () => {
    fake.addUser({ id: "U0HEALTH", name: "hana", displayName: "Hana" });
    await composed.app.outbox.post(dmWith("slack:T0HEALTH:U0HEALTH"), { text: "Counted on Slack" });
    await waitFor(
      async () =>
        sampleSum((await get(port, "/metrics")).body, "peerbot_sent_total", { platform: "slack" }) === 1,
      { what: "peerbot_sent_total to count the Slack send" },
    );
    expect(fake.callsTo("chat.postMessage").some((call) => call.args.text === "Counted on Slack")).toBe(true);
  }, 30_000);
});

describe("Slack over Socket Mode: the bot's own server on PORT", () => {
  const APP_TOKEN = "xapp-health-socket";
  const testRedis = createTestRedis("health-slack-socket");
  let fake: FakeSlackApi;
  let composed: Composed;
  let port: number;

  beforeAll(async () => {
    fake = await startFakeSlackApi({ botToken: "xoxb-health-socket", appToken: APP_TOKEN, teamId: "T0SOCK" });
    port = await freePort();
    composed = compose({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: testRedis.prefix,
      PORT: String(port),
      SLACK_BOT_TOKEN: "xoxb-health-socket",
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: fake.apiUrl,
    });
    expect(await composed.ops.listen()).toBe(port);
  }, 30_000);

  afterAll(async () => {
    await composed?.ops.close();
    await composed?.app.stop();
    await fake?.stop();
    await testRedis.cleanup();
  });

  it("is ready once the socket is connected", async () => {
    await waitFor(() => composed.app.redis.status === "ready", { what: "the app's Redis connection" });
    const before = await get(port, "/readyz");
    expect(JSON.parse(before.body)).toEqual({ ready: false, notReady: ["slack"] });
    await composed.app.start();
    await waitFor(() => fake.socketConnected, { what: "the socket" });
    expect(await get(port, "/readyz")).toMatchObject({ status: 200, body: '{"ready":true}' });
    const metrics = await get(port, "/metrics");
    for (const name of METRIC_NAMES) expect(families(metrics.body).has(name), name).toBe(true);
  }, 30_000);

  it("is not ready once the socket to Slack is gone", async () => {
    await fake.stop();
    const reply = await waitFor(
      async () => {
        const readyz = await get(port, "/readyz");
        return readyz.status === 503 ? readyz : undefined;
      },
      { what: "/readyz to say 503" },
    );
    expect(JSON.parse(reply.body)).toEqual({ ready: false, notReady: ["slack"] });
    expect((await get(port, "/healthz")).status).toBe(200);
  }, 30_000);
});

describe("the terminal chat", () => {
  it("opens no port unless PORT is set", async () => {
    const quiet = new Ops({ config: parseConfig({}), logger: silentLogger });
    expect(await quiet.listen()).toBeUndefined();

    const port = await freePort();
    const listening = new Ops({
      config: parseConfig({ PORT: String(port) }),
      logger: silentLogger,
      host: "127.0.0.1",
    });
    try {
      expect(await listening.listen()).toBe(port);
      expect((await get(port, "/healthz")).status).toBe(200);
      // Nothing attached yet: not ready.
      expect((await get(port, "/readyz")).status).toBe(503);
    } finally {
      await listening.close();
    }
  });
});
