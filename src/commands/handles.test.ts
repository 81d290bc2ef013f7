import { afterAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../test/fakes/fixed-clock.js";
import { RecordingPlatform } from "../../test/fakes/recording-platform.js";
import { RecordingResponder } from "../../test/fakes/recording-responder.js";
import { VALID_JOIN } from "../../test/helpers/test-bot.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { NOTHING_FOUND } from "../bot/screening.js";
import { UserInputError } from "../errors.js";
import { silentLogger } from "../logging/logger.js";
import { type MemberId, dmWith } from "../platform/chat-platform.js";
import { PlatformRouter } from "../platform/platform-router.js";
import { RedisHandleStore } from "../store/redis-handles.js";
import { RedisKeys } from "../store/redis-keys.js";
import { RedisMemberStore } from "../store/redis-member-store.js";
import { RedisPendingConsents } from "../store/redis-pending-consents.js";
import type { BotDeps, ButtonAction, HandlerContext } from "./context.js";
import { exportCommand, forgetCommand, forgetConfirm } from "./data-rights.js";
import { createHelpCommand } from "./help.js";
import { consentYes, joinCommand } from "./join.js";
import { createCommandParser } from "./parser.js";
import { profileCommand, setCommand } from "./profile.js";
import type { CommandEntry } from "./schema.js";

/*
 * The handle commands on real Redis, through the generated parser, with the
 * deps the core's handlers get. (The bot's pipeline, authority check
 * included, is tested in the bot's own tests.)
 */
const testRedis = createTestRedis("handle-commands");
const keys = new RedisKeys(testRedis.prefix);
const members = new RedisMemberStore(testRedis.redis, keys);
const handles = new RedisHandleStore(testRedis.redis, keys);
const clock = new FixedClock("2026-11-23T00:00:00Z");
const deps = {
  members,
  handles,
  dataSections: [members, handles],
  consents: new RedisPendingConsents(testRedis.redis, keys, clock),
  chat: new PlatformRouter([new RecordingPlatform("local"), new RecordingPlatform("slack")]),
  clock,
  logger: silentLogger,
  coordinators: new Set<MemberId>(),
} as unknown as BotDeps;
const entries: CommandEntry[] = [];
entries.push(
  createHelpCommand(() => entries),
  joinCommand,
  profileCommand,
  setCommand,
  exportCommand,
  forgetCommand,
);
const parser = createCommandParser(entries);
afterAll(() => testRedis.cleanup());

async function contextFor(member: MemberId, displayName: string, responder: RecordingResponder) {
  const context: HandlerContext = {
    deps,
    event: { kind: "command", member, conversation: dmWith(member), text: "" },
    memberId: member,
    responder: responder.responder,
    member: await members.get(member),
    displayName,
    screen: NOTHING_FOUND,
  };
  return context;
}

async function command(member: MemberId, text: string, displayName = "Kim"): Promise<string> {
  const responder = new RecordingResponder();
  try {
    await parser.resolve(text).run(await contextFor(member, displayName, responder));
  } catch (error) {
    if (error instanceof UserInputError) return error.toReply();
    throw error;
  }
  return responder.last.text;
}

async function press(member: MemberId, button: ButtonAction, displayName = "Kim"): Promise<string> {
  const responder = new RecordingResponder();
  await button.run(await contextFor(member, displayName, responder), undefined);
  return responder.last.text;
}

async function join(member: MemberId, displayName: string): Promise<string> {
  await command(member, VALID_JOIN, displayName);
  return press(member, consentYes, displayName);
}

describe("handles", () => {
  it("gives every member a handle when they join, made unique with a number", async () => {
    expect(await join("slack:T01:U01", "Kim Lee")).toContain("Your handle is @kim-lee");
    expect(await join("local:kim", "Kim Lee")).toContain("Your handle is @kim-lee2");
    expect(await handles.memberFor("kim-lee")).toBe("slack:T01:U01");
  });

  it("shows it in /peer profile", async () => {
    expect(await command("local:kim", "profile")).toContain("• Handle: @kim-lee2");
  });

  it("changes it with /peer set handle, and refuses one that is taken or can't be a handle", async () => {
    const taken = await command("local:kim", "set handle @kim-lee");
    expect(taken).toContain("@kim-lee is already someone else's handle");
    expect(taken).toContain("@kim-lee3 and @kim-lee4 are free");
    expect(await command("local:kim", "set handle Kim Lee")).toContain('"Kim Lee" can\'t be a handle');
    expect(await command("local:kim", "set handle k")).toContain("2 to 24 lower-case letters");
    const done = await command("local:kim", "set handle:kimmy");
    expect(done).toContain("Done — your handle is updated.");
    expect(done).toContain("• Handle: @kimmy");
    expect(await handles.memberFor("kimmy")).toBe("local:kim");
    expect(await handles.memberFor("kim-lee2")).toBeNull();
    expect(await command("local:kim", "set handle kimmy")).toContain("already your handle");
  });

  it("gives one to a member who joined before handles existed, the first time it's needed", async () => {
    await join("local:old-timer", "Ruth");
    await handles.forget("local:old-timer");
    expect(await command("local:old-timer", "profile", "Ruth")).toContain("• Handle: @ruth");
  });

  it("is in the export, and forget releases it", async () => {
    const reply = await command("local:kim", "export");
    const exported = JSON.parse(reply.slice(reply.indexOf("```") + 3, reply.lastIndexOf("```")));
    expect(exported.handle).toBe("kimmy");
    expect(await command("local:kim", "forget")).toContain("can't be undone");
    await press("local:kim", forgetConfirm);
    expect(await handles.memberFor("kimmy")).toBeNull();
    expect((await testRedis.keys()).filter((key) => key.includes("local:kim"))).toEqual([]);
  });
});

describe("set", () => {
  it("reads region:Mackay as well as region Mackay, and agrees in number", async () => {
    await join("local:sam", "Sam");
    expect(await command("local:sam", "set region:Mackay")).toContain("Done — your region is updated.");
    expect((await members.get("local:sam"))?.region).toBe("Mackay");
    expect(await command("local:sam", "set region Sunshine Coast")).toContain("• Region: Sunshine Coast");
    expect(await command("local:sam", "set days mon,wed")).toContain("Done — your working days are updated.");
    expect(await command("local:sam", "set hours 10-14")).toContain("Done — your working hours are updated.");
    expect(await command("local:sam", "set tz Australia/Perth")).toContain(
      "Done — your time zone is updated.",
    );
    expect(await command("local:sam", "set tips off")).toContain("Done — your self-care tips are updated.");
    expect(await command("local:sam", "set prompts daily")).toContain(
      "Done — your reflective prompts are updated.",
    );
    expect(await command("local:sam", "set prompt-time 12:00")).toContain(
      "Done — your prompt time is updated.",
    );
    expect(await command("local:sam", "set solo no")).toContain(
      "Done — your only-peer-worker setting is updated.",
    );
    expect(await members.get("local:sam")).toMatchObject({
      region: "Sunshine Coast",
      timeZone: "Australia/Perth",
      workingDays: ["mon", "wed"],
      workingHours: { start: "10:00", end: "14:00" },
      soleWorker: false,
      preferences: { tips: "off", prompts: "daily", promptTime: "12:00" },
    });
  });
});
