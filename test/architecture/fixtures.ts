/**
 * Fake trees for the architecture rules, kept as in-memory strings so that neither tsc nor Biome nor Vitest
 * treats them as code of ours (several of them import modules that do not exist).
 *
 * `cleanTree` follows every rule, including the cases a careless rule would flag: SDK names and `process.env`
 * inside comments and strings, tests that read the environment or drive the scheduler, the config module and
 * entry points reading the environment. Each entry of `breaks` adds one file to it that breaks one rule in one
 * way, and lists the violations the rules must report for it, and no others.
 */
import type { RuleId } from "./rules.js";

export const cleanTree: ReadonlyMap<string, string> = new Map([
  [
    "src/config/config.ts",
    `const { REDIS_URL } = process.env;
export const loadConfig = () => ({ redisUrl: REDIS_URL, token: process.env["SLACK_BOT_TOKEN"] });
`,
  ],
  [
    "src/platform/chat-platform.ts",
    `export interface ChatPlatform {
  post(text: string): Promise<void>;
}
`,
  ],
  [
    "src/bot/bot.ts",
    `import type { Redis } from "ioredis";
import type { ChatPlatform } from "../platform/chat-platform.js";

// The core never does \`import { App } from "@slack/bolt"\`, never calls require("bullmq") and never reads
// process.env: those words in a comment are not code.
export const HINT = 'set REDIS_URL in process.env, then await import("discord.js") in the adapter';

export class Bot {
  constructor(readonly platform: ChatPlatform, readonly redis: Redis) {}
}
`,
  ],
  [
    "src/bot/bot.test.ts",
    `import { expect, it } from "vitest";
import { createTestBot } from "../../test/helpers/test-bot.js";

it("starts", async () => {
  const bot = await createTestBot(process.env.REDIS_URL ?? "redis://localhost:6379");
  console.log("started", bot);
  expect(bot).toBeDefined();
});
`,
  ],
  [
    "adapters/slack/slack-adapter.ts",
    `import { App } from "@slack/bolt";
import type { ChatPlatform } from "../../src/platform/chat-platform.js";
import { toMrkdwn } from "./slack-text.js";

export class SlackAdapter implements ChatPlatform {
  constructor(readonly app: App) {}
  async post(text: string) {
    await this.app.client.chat.postMessage({ channel: "C1", text: toMrkdwn(text) });
  }
}
`,
  ],
  ["adapters/slack/slack-text.ts", `export const toMrkdwn = (text: string) => text.replaceAll("**", "*");\n`],
  [
    "adapters/discord/discord-adapter.ts",
    `import type { REST } from "@discordjs/rest";
import { Client } from "discord.js";
import type { ChatPlatform } from "../../src/platform/chat-platform.js";

export class DiscordAdapter implements ChatPlatform {
  constructor(readonly client: Client, readonly rest: REST) {}
  async post(_text: string) {}
}
`,
  ],
  [
    "adapters/discord/discord-scheduled.test.ts",
    `import { it } from "vitest";
import type { OutboundQueue } from "../../scheduler/outbound-queue.js";

it("sends scheduled messages through the real queue", () => {
  const queue: OutboundQueue | undefined = undefined;
  void queue;
});
`,
  ],
  [
    "adapters/local/local-adapter.ts",
    `import type { ChatPlatform } from "../../src/platform/chat-platform.js";

export class LocalAdapter implements ChatPlatform {
  async post(text: string) {
    console.log(text);
  }
}
`,
  ],
  [
    "scheduler/outbound-queue.ts",
    `import { Queue } from "bullmq";
import type { ChatPlatform } from "../src/platform/chat-platform.js";

export class OutboundQueue {
  constructor(readonly queue: Queue, readonly platform: ChatPlatform) {}
}
`,
  ],
  [
    "scheduler/crash-recovery.test.ts",
    `import { it } from "vitest";
import { OutboundQueue } from "./outbound-queue.js";

it("recovers", () => {
  void [OutboundQueue, process.env.REDIS_URL];
});
`,
  ],
  [
    "bin/start.ts",
    `import { SlackAdapter } from "../adapters/slack/slack-adapter.js";
import { OutboundQueue } from "../scheduler/outbound-queue.js";

void [SlackAdapter, OutboundQueue, process.env.PLATFORM];
`,
  ],
]);

export interface Break {
  /** The rule this break exists to trip. */
  readonly rule: RuleId;
  /** What is deliberately wrong, for the test's name. */
  readonly how: string;
  readonly file: string;
  readonly source: string;
  /** `describeViolation` of every violation the rules must report: all of `rule`, in `file`. */
  readonly expected: readonly string[];
}

const core = "src/bot/leak.ts";
const slack = "adapters/slack/leak.ts";
const discord = "adapters/discord/leak.ts";
const local = "adapters/local/leak.ts";
const scheduler = "scheduler/leak.ts";

export const breaks: readonly Break[] = [
  // core-no-sdk: every way of naming a module, each with an SDK or the queue library.
  {
    rule: "core-no-sdk",
    how: "a value import of the Slack SDK",
    file: core,
    source: `import { App } from "@slack/bolt";\nexport const app = new App({});\n`,
    expected: [`core-no-sdk: ${core}:1 import of "@slack/bolt"`],
  },
  {
    rule: "core-no-sdk",
    how: "a side-effect import of the queue library",
    file: core,
    source: `import "bullmq";\n`,
    expected: [`core-no-sdk: ${core}:1 side-effect import of "bullmq"`],
  },
  {
    rule: "core-no-sdk",
    how: "a dynamic import of discord.js",
    file: core,
    source: `export const load = async () => {\n  const discord = await import("discord.js");\n  return discord.Client;\n};\n`,
    expected: [`core-no-sdk: ${core}:2 dynamic import of "discord.js"`],
  },
  {
    rule: "core-no-sdk",
    how: "a named re-export of discord.js",
    file: core,
    source: `export { Client } from "discord.js";\n`,
    expected: [`core-no-sdk: ${core}:1 re-export of "discord.js"`],
  },
  {
    rule: "core-no-sdk",
    how: "a star re-export of an @discordjs package",
    file: core,
    source: `export * from "@discordjs/rest";\n`,
    expected: [`core-no-sdk: ${core}:1 re-export of "@discordjs/rest"`],
  },
  {
    rule: "core-no-sdk",
    how: "a type-only re-export of the Slack SDK",
    file: core,
    source: `export type { App } from "@slack/bolt";\n`,
    expected: [`core-no-sdk: ${core}:1 type-only re-export of "@slack/bolt"`],
  },
  {
    rule: "core-no-sdk",
    how: "require() of the queue library",
    file: core,
    source: `import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\nexport const { Queue } = require("bullmq");\n`,
    expected: [`core-no-sdk: ${core}:3 require of "bullmq"`],
  },
  {
    rule: "core-no-sdk",
    how: "an import-equals require of the Slack SDK",
    file: core,
    source: `import bolt = require("@slack/bolt");\nexport const App = bolt.App;\n`,
    expected: [`core-no-sdk: ${core}:1 require of "@slack/bolt"`],
  },
  {
    rule: "core-no-sdk",
    how: "a type-only import of the Slack SDK",
    file: core,
    source: `import type { App } from "@slack/bolt";\nexport type Handle = App;\n`,
    expected: [`core-no-sdk: ${core}:1 type-only import of "@slack/bolt"`],
  },
  {
    rule: "core-no-sdk",
    how: "an inline type import of discord.js",
    file: core,
    source: `import { type Client } from "discord.js";\nexport type Handle = Client;\n`,
    expected: [`core-no-sdk: ${core}:1 import of "discord.js"`],
  },
  {
    rule: "core-no-sdk",
    how: "an import() type of the queue library",
    file: core,
    source: `export type Jobs = import("bullmq").Queue;\n`,
    expected: [`core-no-sdk: ${core}:1 import type of "bullmq"`],
  },
  {
    rule: "core-no-sdk",
    how: "a deep import into the queue library",
    file: core,
    source: `export { Worker } from "bullmq/dist/esm/index.js";\n`,
    expected: [`core-no-sdk: ${core}:1 re-export of "bullmq/dist/esm/index.js"`],
  },
  {
    rule: "core-no-sdk",
    how: "an import split over lines with a quote in a comment",
    file: core,
    source: `import {\n  /* don't */ App,\n} from\n  "@slack/bolt";\nexport const app = App;\n`,
    expected: [`core-no-sdk: ${core}:1 import of "@slack/bolt"`],
  },
  {
    rule: "core-no-sdk",
    how: "an augmentation of the Slack SDK's module",
    file: core,
    source: `export {};\ndeclare module "@slack/bolt" {\n  interface App {\n    peer: true;\n  }\n}\n`,
    expected: [`core-no-sdk: ${core}:2 module augmentation of "@slack/bolt"`],
  },
  {
    rule: "core-no-sdk",
    how: "a triple-slash reference to discord.js types",
    file: core,
    source: `/// <reference types="discord.js" />\nexport const x = 1;\n`,
    expected: [`core-no-sdk: ${core}:1 reference of "discord.js"`],
  },
  {
    rule: "core-no-sdk",
    how: "a core test importing discord.js",
    file: "src/bot/bot-discord.test.ts",
    source: `import { it } from "vitest";\nimport { Client } from "discord.js";\nit("builds", () => void Client);\n`,
    expected: [`core-no-sdk: src/bot/bot-discord.test.ts:2 import of "discord.js"`],
  },

  // core-inward
  {
    rule: "core-inward",
    how: "the core importing an adapter",
    file: core,
    source: `import { SlackAdapter } from "../../adapters/slack/slack-adapter.js";\nexport const A = SlackAdapter;\n`,
    expected: [
      `core-inward: ${core}:1 import of "../../adapters/slack/slack-adapter.js" (adapters/slack/slack-adapter.js)`,
    ],
  },
  {
    rule: "core-inward",
    how: "the core importing scheduler types",
    file: core,
    source: `import type { OutboundQueue } from "../../scheduler/outbound-queue.js";\nexport type Q = OutboundQueue;\n`,
    expected: [
      `core-inward: ${core}:1 type-only import of "../../scheduler/outbound-queue.js" (scheduler/outbound-queue.js)`,
    ],
  },
  {
    rule: "core-inward",
    how: "the core re-exporting an entry point",
    file: core,
    source: `export * from "../../bin/start.js";\n`,
    expected: [`core-inward: ${core}:1 re-export of "../../bin/start.js" (bin/start.js)`],
  },
  {
    rule: "core-inward",
    how: "the core loading an adapter dynamically",
    file: core,
    source: `export const load = () => import("../../adapters/local/local-adapter.js");\n`,
    expected: [
      `core-inward: ${core}:1 dynamic import of "../../adapters/local/local-adapter.js" (adapters/local/local-adapter.js)`,
    ],
  },
  {
    rule: "core-inward",
    how: "a core test importing an entry point",
    file: "src/bot/bot-start.test.ts",
    source: `import { it } from "vitest";\nimport "../../bin/start.js";\nit("starts", () => {});\n`,
    expected: [
      `core-inward: src/bot/bot-start.test.ts:2 side-effect import of "../../bin/start.js" (bin/start.js)`,
    ],
  },

  // adapters-apart
  {
    rule: "adapters-apart",
    how: "the Discord adapter importing the Slack adapter's text helper",
    file: discord,
    source: `import { toMrkdwn } from "../slack/slack-text.js";\nexport const format = toMrkdwn;\n`,
    expected: [
      `adapters-apart: ${discord}:1 import of "../slack/slack-text.js" (adapters/slack/slack-text.js)`,
    ],
  },
  {
    rule: "adapters-apart",
    how: "an adapter reaching another through the repository root",
    file: slack,
    source: `import type { LocalAdapter } from "../../adapters/local/local-adapter.js";\nexport type L = LocalAdapter;\n`,
    expected: [
      `adapters-apart: ${slack}:1 type-only import of "../../adapters/local/local-adapter.js" (adapters/local/local-adapter.js)`,
    ],
  },
  {
    rule: "adapters-apart",
    how: "the local adapter re-exporting the Discord adapter",
    file: local,
    source: `export { DiscordAdapter } from "../discord/discord-adapter.js";\n`,
    expected: [
      `adapters-apart: ${local}:1 re-export of "../discord/discord-adapter.js" (adapters/discord/discord-adapter.js)`,
    ],
  },

  // adapter-own-sdk
  {
    rule: "adapter-own-sdk",
    how: "the Discord adapter importing the Slack SDK",
    file: discord,
    source: `import { App } from "@slack/bolt";\nexport const app = App;\n`,
    expected: [`adapter-own-sdk: ${discord}:1 import of "@slack/bolt"`],
  },
  {
    rule: "adapter-own-sdk",
    how: "the local adapter importing discord.js types",
    file: local,
    source: `import type { Client } from "discord.js";\nexport type C = Client;\n`,
    expected: [`adapter-own-sdk: ${local}:1 type-only import of "discord.js"`],
  },
  {
    rule: "adapter-own-sdk",
    how: "the Slack adapter importing the queue library",
    file: slack,
    source: `import { Queue } from "bullmq";\nexport const Q = Queue;\n`,
    expected: [`adapter-own-sdk: ${slack}:1 import of "bullmq"`],
  },

  // adapter-no-scheduler-or-bin
  {
    rule: "adapter-no-scheduler-or-bin",
    how: "an adapter importing the scheduler",
    file: slack,
    source: `import { OutboundQueue } from "../../scheduler/outbound-queue.js";\nexport const Q = OutboundQueue;\n`,
    expected: [
      `adapter-no-scheduler-or-bin: ${slack}:1 import of "../../scheduler/outbound-queue.js" (scheduler/outbound-queue.js)`,
    ],
  },
  {
    rule: "adapter-no-scheduler-or-bin",
    how: "an adapter requiring an entry point",
    file: discord,
    source: `export const start = () => require("../../bin/start.js");\n`,
    expected: [`adapter-no-scheduler-or-bin: ${discord}:1 require of "../../bin/start.js" (bin/start.js)`],
  },

  // scheduler-no-adapter
  {
    rule: "scheduler-no-adapter",
    how: "the scheduler importing an adapter",
    file: scheduler,
    source: `import { SlackAdapter } from "../adapters/slack/slack-adapter.js";\nexport const A = SlackAdapter;\n`,
    expected: [
      `scheduler-no-adapter: ${scheduler}:1 import of "../adapters/slack/slack-adapter.js" (adapters/slack/slack-adapter.js)`,
    ],
  },
  {
    rule: "scheduler-no-adapter",
    how: "the scheduler importing an entry point",
    file: scheduler,
    source: `export const load = async () => (await import("../bin/start.js")).default;\n`,
    expected: [`scheduler-no-adapter: ${scheduler}:1 dynamic import of "../bin/start.js" (bin/start.js)`],
  },
  {
    rule: "scheduler-no-adapter",
    how: "the scheduler importing a platform SDK's types",
    file: scheduler,
    source: `import type { Client } from "discord.js";\nexport type C = Client;\n`,
    expected: [`scheduler-no-adapter: ${scheduler}:1 type-only import of "discord.js"`],
  },

  // env-in-config-only: the scheduler above all, then the core and the adapters.
  {
    rule: "env-in-config-only",
    how: "the scheduler reading process.env.X",
    file: scheduler,
    source: "export const url = process.env.REDIS_URL;\n",
    expected: [`env-in-config-only: ${scheduler}:1 process.env`],
  },
  {
    rule: "env-in-config-only",
    how: 'the scheduler reading process.env["X"]',
    file: scheduler,
    source: `export const url = process.env["REDIS_URL"];\n`,
    expected: [`env-in-config-only: ${scheduler}:1 process.env`],
  },
  {
    rule: "env-in-config-only",
    how: "the scheduler destructuring process.env",
    file: scheduler,
    source: "const { REDIS_URL } = process.env;\nexport const url = REDIS_URL;\n",
    expected: [`env-in-config-only: ${scheduler}:1 process.env`],
  },
  {
    rule: "env-in-config-only",
    how: "the scheduler destructuring env out of process",
    file: scheduler,
    source: "const { env: variables } = process;\nexport const url = variables.REDIS_URL;\n",
    expected: [`env-in-config-only: ${scheduler}:1 { env: variables } = process`],
  },
  {
    rule: "env-in-config-only",
    how: 'the scheduler writing process["env"]',
    file: scheduler,
    source: `process["env"].TZ = "UTC";\n`,
    expected: [`env-in-config-only: ${scheduler}:1 process["env"]`],
  },
  {
    rule: "env-in-config-only",
    how: "the scheduler reading import.meta.env",
    file: scheduler,
    source: "export const url = import.meta.env.REDIS_URL;\n",
    expected: [`env-in-config-only: ${scheduler}:1 import.meta.env`],
  },
  {
    rule: "env-in-config-only",
    how: 'the scheduler importing env from "node:process"',
    file: scheduler,
    source: `import { env } from "node:process";\nexport const url = env.REDIS_URL;\n`,
    expected: [`env-in-config-only: ${scheduler}:1 env imported from "node:process"`],
  },
  {
    rule: "env-in-config-only",
    how: "the scheduler reading env through an alias of process",
    file: scheduler,
    source: `import proc from "node:process";\nconst p = globalThis.process;\nexport const urls = [proc.env.A, p.env.B];\n`,
    expected: [`env-in-config-only: ${scheduler}:3 proc.env`, `env-in-config-only: ${scheduler}:3 p.env`],
  },
  {
    rule: "env-in-config-only",
    how: "the core reading process.env outside the config module",
    file: "src/logging/level.ts",
    source: `export const level = process.env.LOG_LEVEL ?? "info";\n`,
    expected: ["env-in-config-only: src/logging/level.ts:1 process.env"],
  },
  {
    rule: "env-in-config-only",
    how: "an adapter reading its token from process.env",
    file: slack,
    source: "export const token = globalThis.process.env.SLACK_BOT_TOKEN;\n",
    expected: [`env-in-config-only: ${slack}:1 globalThis.process.env`],
  },

  // core-no-console
  {
    rule: "core-no-console",
    how: "the core logging with console.log",
    file: core,
    source: `export const hello = () => console.log("hello");\n`,
    expected: [`core-no-console: ${core}:1 console.log`],
  },
  {
    rule: "core-no-console",
    how: "the core destructuring console",
    file: core,
    source: `const { warn } = console;\nexport const hello = () => warn("hello");\n`,
    expected: [`core-no-console: ${core}:1 { warn } = console`],
  },
  {
    rule: "core-no-console",
    how: "the core writing through globalThis.console",
    file: core,
    source: `export const hello = () => globalThis.console.error("hello");\n`,
    expected: [`core-no-console: ${core}:1 globalThis.console.error`],
  },

  // visible-specifiers
  {
    rule: "visible-specifiers",
    how: "the core importing a module named by a variable",
    file: core,
    source: "export const load = (name: string) => import(name);\n",
    expected: [`visible-specifiers: ${core}:1 dynamic import with a computed module name`],
  },
  {
    rule: "visible-specifiers",
    how: "an adapter importing a sibling adapter by a template",
    file: discord,
    source: "export const load = (platform: string) => import(`../${platform}/adapter.js`);\n",
    expected: [`visible-specifiers: ${discord}:1 dynamic import with a computed module name`],
  },
  {
    rule: "visible-specifiers",
    how: "the scheduler requiring a computed name",
    file: scheduler,
    source: `const lib = ["bull", "mq"].join("");\nexport const queue = require(lib);\n`,
    expected: [`visible-specifiers: ${scheduler}:2 require with a computed module name`],
  },
];
