/**
 * Slack's side of `bench/limit-bench.ts`, in a process of its own so neither the fake nor the
 * load it generates shares the bot's event loop: the fake Slack Web API (test/fakes/fake-slack-api.ts,
 * optionally enforcing a rate), and the people joining (signed slash commands and button presses
 * POSTed to the bot's HTTP endpoint, as Slack sends them).
 *
 * Started with `argv[2]` = bot token, `argv[3]` = team id; answers `{ ready, apiUrl, port }`.
 * Then requests `{ id, op, ... }`, each answered `{ id, ... }`:
 *  - `users` `{ users }`: adds them, with their IMs open;
 *  - `enforce` `{ perSecond, methods }`: `enforceRate`;
 *  - `count`: `{ posted, refused }` (chat.postMessage answered 200 / 429);
 *  - `calls`: every call, compact (`Call[]`);
 *  - `join` `{ appUrl, secret, users, spreadMs, args }`: user i sends `/peer join <args>` at
 *    i × spreadMs / n; once the consent prompt reaches their response_url they think for
 *    0.5–1.5 s and press "Yes, I agree"; answers when every press is sent (or given up after
 *    60 s without a prompt) with each user's timings;
 *  - `stop`: exits.
 */
import { escapeSlackText } from "../adapters/slack/slack-text.js";
import { type FakeSlackApi, startFakeSlackApi } from "../test/fakes/fake-slack-api.js";
import { SlackRequester, blockActionsPayload, commandPayload } from "../test/helpers/slack-requests.js";

/** A call as the bench reads it: [method, status, at, channel or response_url name, what it said]. */
export type Call = [method: string, status: number, at: number, where: string, said: Said];
/** What a message said, by the flow it belongs to. */
export type Said = "consent-prompt" | "welcome" | "other" | "";

export interface JoinTiming {
  readonly user: string;
  readonly commandAt: number;
  readonly commandStatus: number;
  /** When the consent prompt reached the command's response_url (0: never). */
  readonly promptAt: number;
  readonly pressAt: number;
  readonly pressStatus: number;
}

const PROMPT_WAIT_MS = 60_000;

function saidOf(text: unknown): Said {
  if (typeof text !== "string") return "";
  if (text.includes("Before I store anything")) return "consent-prompt";
  if (text.includes("Welcome to the network")) return "welcome";
  return "other";
}

const fake: FakeSlackApi = await startFakeSlackApi({
  botToken: process.argv[2] ?? "",
  teamId: process.argv[3] ?? "T0LIMIT",
});
const team = fake.teamId;
const port = Number(new URL(fake.apiUrl).port);

/** Waiters for a response_url name; the fake's calls are scanned as they come. */
const waiters = new Map<string, (at: number) => void>();
let scanned = 0;
const scanner = setInterval(() => {
  for (; scanned < fake.calls.length; scanned++) {
    const call = fake.calls[scanned];
    if (call?.method !== "response_url" || !call.responseUrlName) continue;
    const waiter = waiters.get(call.responseUrlName);
    if (waiter && saidOf(call.args.text) === "consent-prompt") {
      waiters.delete(call.responseUrlName);
      waiter(call.at);
    }
  }
}, 5);

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function joinOne(
  slack: SlackRequester,
  user: string,
  i: number,
  args: string,
  startAt: number,
): Promise<JoinTiming> {
  await sleep(Math.max(0, startAt - Date.now()));
  const commandName = `cmd-${user}`;
  const prompted = new Promise<number>((resolve) => {
    waiters.set(commandName, resolve);
    setTimeout(() => resolve(0), PROMPT_WAIT_MS);
  });
  const commandAt = Date.now();
  const command = await slack
    .command(
      commandPayload(
        { teamId: team, userId: user },
        escapeSlackText(`join ${args}`),
        fake.responseUrl(commandName, user),
        {
          channelId: fake.imChannel(user),
          channelName: "directmessage",
          triggerId: `${i}.${commandAt}.bench-command`,
        },
      ),
    )
    .catch(() => ({ status: 0 }));
  const promptAt = command.status === 200 ? await prompted : 0;
  waiters.delete(commandName);
  if (promptAt === 0)
    return { user, commandAt, commandStatus: command.status, promptAt, pressAt: 0, pressStatus: 0 };
  // A person reads the prompt before pressing: 0.5–1.5 s, spread evenly over the users.
  await sleep(500 + ((i * 7919) % 1000));
  const pressAt = Date.now();
  const press = await slack
    .interaction(
      blockActionsPayload(
        { teamId: team, userId: user },
        { actionId: "join:consent", label: "Yes, I agree" },
        fake.responseUrl(`press-${user}`, user),
        {
          channelId: fake.imChannel(user),
          channelName: "directmessage",
          triggerId: `${i}.${pressAt}.bench-press`,
        },
      ),
    )
    .catch(() => ({ status: 0 }));
  return { user, commandAt, commandStatus: command.status, promptAt, pressAt, pressStatus: press.status };
}

interface Request {
  readonly id: number;
  readonly op: "users" | "enforce" | "count" | "calls" | "join" | "stop";
  readonly users?: readonly string[];
  readonly perSecond?: number;
  readonly methods?: readonly string[];
  readonly appUrl?: string;
  readonly secret?: string;
  readonly spreadMs?: number;
  readonly args?: string;
}

process.on("message", async (request: Request) => {
  const answer = (body: object) => process.send?.({ id: request.id, ...body });
  switch (request.op) {
    case "users":
      for (const [i, id] of (request.users ?? []).entries()) {
        fake.addUser({ id, name: `member${i}`, realName: `Member ${i}`, displayName: `member${i}` });
        fake.imChannel(id);
      }
      return answer({});
    case "enforce":
      fake.enforceRate(request.perSecond ?? 0, request.methods ?? ["chat.postMessage"]);
      return answer({});
    case "count": {
      let posted = 0;
      let refused = 0;
      for (const call of fake.calls) {
        if (call.method !== "chat.postMessage") continue;
        if (call.status === 200) posted++;
        else if (call.status === 429) refused++;
      }
      return answer({ posted, refused });
    }
    case "calls":
      return answer({
        calls: fake.calls.map(
          (call): Call => [
            call.method,
            call.status,
            call.at,
            call.method === "response_url"
              ? (call.responseUrlName ?? "")
              : String(call.args.channel ?? call.args.users ?? ""),
            saidOf(call.args.text),
          ],
        ),
      });
    case "join": {
      const users = request.users ?? [];
      const slack = new SlackRequester(request.appUrl ?? "", request.secret ?? "");
      const start = Date.now() + 200;
      const spread = request.spreadMs ?? 15_000;
      const timings = await Promise.all(
        users.map((user, i) =>
          joinOne(slack, user, i, request.args ?? "", start + (i * spread) / users.length),
        ),
      );
      return answer({ timings });
    }
    case "stop":
      clearInterval(scanner);
      await fake.stop();
      process.exit(0);
  }
});

process.send?.({ ready: true, apiUrl: fake.apiUrl, port });
