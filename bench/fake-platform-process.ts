/**
 * The fake platform for the benchmark, in its own process so the bot's figures
 * (CPU, RSS) are the bot's alone. `argv[2]` chooses it: `chat` (default, the
 * FakeChatServer's POST /send) or `slack` (the fake Slack Web API, with
 * `argv[3]` users U000000… and their IMs already open, as in the steady state).
 * Messages: {rate} to enforce a limit, {stats} for counts, {receipts} for when
 * each member's first message was *received* (epoch ms), {stop}; it answers
 * {url} when listening.
 */
import { FakeChatServer } from "../test/fakes/fake-chat-server.js";
import { type FakeSlackApi, startFakeSlackApi } from "../test/fakes/fake-slack-api.js";

export const BENCH_BOT_TOKEN = "xoxb-bench-token";
export const BENCH_TEAM = "T0BENCH";

/** The bench's Slack user id for member i. */
export const benchSlackUser = (i: number) => `U${String(i).padStart(6, "0")}`;

interface Fake {
  readonly url: string;
  /** [member or Slack user, received at] of each message answered 200, in order of receipt. */
  receipts(): Array<readonly [string, number]>;
  rejected(): number;
  /** Calls answered, by method. */
  methods(): Record<string, number>;
  enforceRate(perSecond: number): void;
  stop(): Promise<void>;
}

async function chatFake(): Promise<Fake> {
  const server = new FakeChatServer();
  const url = await server.start();
  return {
    url,
    receipts: () => server.delivered.map((d) => [d.member, d.at] as const),
    rejected: () => server.rejected,
    methods: () => ({ send: server.delivered.length }),
    enforceRate: (perSecond) => server.enforceRate(perSecond),
    stop: () => server.stop(),
  };
}

async function slackFake(users: number): Promise<Fake> {
  const fake: FakeSlackApi = await startFakeSlackApi({ botToken: BENCH_BOT_TOKEN, teamId: BENCH_TEAM });
  for (let i = 0; i < users; i++) {
    const id = benchSlackUser(i);
    fake.addUser({ id, name: `member${i}` });
    fake.imChannel(id);
  }
  return {
    url: fake.apiUrl,
    receipts: () =>
      fake.calls
        .filter((c) => c.method === "chat.postMessage" && c.status === 200)
        .map((c) => [String(c.args.channel).replace(/^D/, ""), c.at] as const),
    rejected: () => fake.rateLimited("chat.postMessage").length,
    methods: () => {
      const counts: Record<string, number> = {};
      for (const call of fake.calls)
        if (call.status === 200) counts[call.method] = (counts[call.method] ?? 0) + 1;
      return counts;
    },
    enforceRate: (perSecond) => fake.enforceRate(perSecond),
    stop: () => fake.stop(),
  };
}

const fake = process.argv[2] === "slack" ? await slackFake(Number(process.argv[3] ?? 0)) : await chatFake();
process.send?.({ url: fake.url });
process.on("message", (message: { rate?: number; stats?: boolean; receipts?: boolean; stop?: boolean }) => {
  if (message.rate) fake.enforceRate(message.rate);
  if (message.stats)
    process.send?.({ delivered: fake.receipts().length, rejected: fake.rejected(), methods: fake.methods() });
  if (message.receipts) process.send?.({ receipts: fake.receipts() });
  if (message.stop) void fake.stop().then(() => process.exit(0));
});
