import type { App } from "../../bin/app.js";
import type { MemberId } from "../../src/platform/chat-platform.js";
import type { RecordingLogger } from "../helpers/slack-harness.js";
import type { TestRedis } from "../helpers/test-redis.js";

/**
 * One way of talking to the whole bot through a real adapter, the same for the
 * local chat, Slack and Discord, so one set of scenarios runs on all three
 * (see safety-net.contract.ts). Each driver waits until the bot has finished
 * with an event and returns what the person saw because of it, in order.
 */
export interface BotReply {
  readonly text: string;
  /** The buttons under it, by label (and action id, where the platform shows it). */
  readonly buttons: readonly { readonly label: string; readonly id?: string }[];
}

/** A form the bot opened for the person, with what is already in each field. */
export interface OpenedForm {
  readonly id: string;
  readonly fields: readonly { readonly id: string; readonly initial?: string }[];
}

export interface Person {
  readonly name: string;
  readonly member: MemberId;
}

export interface PressResult {
  readonly replies: BotReply[];
  readonly form?: OpenedForm;
}

export interface ChatDriver {
  readonly platform: "local" | "slack" | "discord";
  readonly app: App;
  readonly testRedis: TestRedis;
  readonly logger: RecordingLogger;
  /** Whether the platform tells the bot a person's time zone before they join. */
  readonly knowsTimeZones: boolean;
  /** Someone on the platform; `timeZone` is what the platform (or machine) says, where it can. */
  person(name: string, timeZone?: string): Promise<Person>;
  /** Joins and consents, through the core, quietly. */
  join(person: Person, timeZone: string, region: string): Promise<void>;
  dm(person: Person, text: string): Promise<BotReply[]>;
  /** `/peer <subcommand> <values…>`, with values as the platform takes them. */
  command(person: Person, subcommand: string, values?: readonly [string, string][]): Promise<BotReply[]>;
  /** Presses the button with this label on the reply. */
  press(person: Person, reply: BotReply, label: string): Promise<PressResult>;
  /** Fills in an opened form (fields left out stay empty) and submits it. */
  submit(person: Person, form: OpenedForm, values: Readonly<Record<string, string>>): Promise<BotReply[]>;
  stop(): Promise<void>;
}

/** The reply with a button labelled so, or a failure naming what was there. */
export function withButton(replies: readonly BotReply[], label: string): BotReply {
  const reply = replies.find((r) => r.buttons.some((b) => b.label === label));
  if (!reply) {
    throw new Error(`no reply has a "${label}" button; got: ${JSON.stringify(replies, null, 1)}`);
  }
  return reply;
}

/** All the replies' text, for looking through. */
export const allText = (replies: readonly BotReply[]): string => replies.map((r) => r.text).join("\n---\n");
