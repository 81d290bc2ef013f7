import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../test/fakes/fixed-clock.js";
import { RecordingPlatform } from "../../test/fakes/recording-platform.js";
import { createTestApp } from "../../test/helpers/test-app.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";

/**
 * The one inbound pipeline, through the whole app: the role for this request,
 * one authority check for commands, buttons and forms, buttons that belong to
 * an earlier state, typed answers, and messages from group conversations.
 */
const testRedis = createTestRedis("pipeline");
const clock = new FixedClock("2026-11-24T02:00:00Z");
const platform = new RecordingPlatform();
const COORD = "local:cora";
const app = createTestApp(testRedis, [platform], {
  clock,
  scheduler: false,
  env: { COORDINATORS: COORD },
});
/** The same network after COORDINATORS was changed and the bot restarted. */
const restarted = new RecordingPlatform();
const appAfter = createTestApp(testRedis, [restarted], {
  clock,
  scheduler: false,
  env: { COORDINATORS: "" },
});

const JOIN = 'join region:"Wide Bay" tz:Australia/Brisbane days:mon-fri hours:09:00-17:00';
const last = (replies: { text: string }[]) => replies.at(-1)?.text ?? "";
const say = (member: string, text: string) => platform.inbound({ kind: "message", member, text });
const command = (member: string, text: string) => platform.inbound({ kind: "command", member, text });
const press = (member: string, actionId: string, value?: string) =>
  platform.inbound({ kind: "button", member, actionId, ...(value ? { value } : {}) });

async function join(member: string): Promise<void> {
  await command(member, JOIN);
  await press(member, "join:consent");
}

beforeAll(async () => {
  await app.start();
  await appAfter.start();
});
afterAll(async () => {
  await app.stop();
  await appAfter.stop();
  await testRedis.cleanup();
});

describe("the role is decided for each request", () => {
  it("a coordinator named in COORDINATORS can run coordinator commands; once removed, they cannot", async () => {
    await join(COORD);
    expect(last(await command(COORD, "holiday list"))).toContain("holidays");
    const after = last(await restarted.inbound({ kind: "command", member: COORD, text: "holiday list" }));
    expect(after).toContain("Only network coordinators can use /peer holiday");
  });

  it("someone added to COORDINATORS after joining is a coordinator at once", async () => {
    const member = "local:late";
    await restarted.inbound({ kind: "command", member, text: JOIN });
    await restarted.inbound({ kind: "button", member, actionId: "join:consent" });
    const promoted = createTestApp(testRedis, [new RecordingPlatform()], {
      clock,
      scheduler: false,
      env: { COORDINATORS: member },
    });
    await promoted.start();
    try {
      const [platformOfPromoted] = promoted.router.platforms;
      const replies = await (platformOfPromoted as RecordingPlatform).inbound({
        kind: "command",
        member,
        text: "holiday list",
      });
      expect(last(replies)).not.toContain("Only network coordinators");
    } finally {
      await promoted.stop();
    }
  });
});

describe("one authority check for buttons and forms too", () => {
  it("a button that needs a member, pressed by someone who hasn't joined, says to join first", async () => {
    const replies = await press("local:stranger", "prompt:later", "q1");
    expect(last(replies)).toContain("You haven't joined the network yet");
  });

  it("a form that needs a member, submitted by someone who hasn't joined, says to join first", async () => {
    const replies = await platform.inbound({
      kind: "form",
      member: "local:stranger2",
      formId: "diary",
      values: { what: "a quiet day" },
    });
    expect(last(replies)).toContain("You haven't joined the network yet");
  });
});

describe("buttons from an earlier state do nothing", () => {
  it("an earlier 'Not now' pressed in the middle of a diary says so and leaves the diary open", async () => {
    const member = "local:dana";
    await join(member);
    const prompt = (await command(member, "reflect")).at(-1);
    const notNow = prompt?.buttons?.find((b) => b.label === "Not now");
    expect(notNow?.value).toBeTruthy();
    await say(member, "I sat with someone through a long wait at the clinic");
    const open = await app.stores.reflection.getOpen(member);
    expect(open?.step).toBe(1);

    const replies = await press(member, "prompt:later", notNow?.value);
    expect(last(replies)).toContain("That button was for an earlier message");
    expect(last(replies)).not.toContain("ask again");
    expect(await app.stores.reflection.getOpen(member)).toEqual(open);
    expect(await app.stores.schedule.get(member, "snooze")).toBeNull();
  });

  it("the same button on the question that is open now still works", async () => {
    const member = "local:eli";
    await join(member);
    const prompt = (await command(member, "reflect")).at(-1);
    const notNow = prompt?.buttons?.find((b) => b.label === "Not now");
    expect(last(await press(member, "prompt:later", notNow?.value))).toContain("I'll ask again");
  });
});

describe("deleting everything is confirmed only straight after asking", () => {
  it("an old 'Yes, delete everything' pressed after 'Keep my data' deletes nothing", async () => {
    const member = "local:mo";
    await join(member);
    await command(member, "forget");
    expect(last(await press(member, "forget:cancel"))).toContain("left everything as it is");
    expect(last(await press(member, "forget:confirm"))).toContain("That button was for an earlier message");
    expect(await app.stores.members.get(member)).not.toBeNull();
  });

  it("pressed straight after asking, it deletes", async () => {
    const member = "local:nia";
    await join(member);
    await command(member, "forget");
    expect(last(await press(member, "forget:confirm"))).toContain("has been deleted");
    expect(await app.stores.members.get(member)).toBeNull();
  });
});

describe("typed answers and typed help", () => {
  it("a typed yes answers the consent question", async () => {
    const member = "local:fay";
    await command(member, JOIN);
    const replies = await say(member, "Yes");
    expect(await app.stores.members.get(member)).not.toBeNull();
    expect(last(replies)).not.toContain("I don't have anything open");
  });

  it("a typed no answers the forget question and keeps everything", async () => {
    const member = "local:gus";
    await join(member);
    await command(member, "forget");
    expect(last(await say(member, "no"))).toContain("left everything as it is");
    expect(await app.stores.members.get(member)).not.toBeNull();
  });

  it("a yes typed after something else was said is not taken as an answer", async () => {
    const member = "local:hal";
    await join(member);
    await command(member, "forget");
    await command(member, "profile");
    await say(member, "yes");
    expect(await app.stores.members.get(member)).not.toBeNull();
  });

  it("help without the slash shows help", async () => {
    expect(last(await say("local:ivy", "help"))).toContain("/peer join");
  });
});

describe("messages in group conversations", () => {
  const group = { kind: "group" as const, id: "local:circle-1" };

  it("the bot stays quiet in a group when no feature has anything to say", async () => {
    const member = "local:jo";
    await join(member);
    const replies = await platform.inbound({
      kind: "message",
      member,
      conversation: group,
      text: "hello all",
    });
    expect(replies).toEqual([]);
  });

  it("a risk message in a group gets the crisis reply, privately, through the responder", async () => {
    const member = "local:kit";
    await join(member);
    const replies = await platform.inbound({
      kind: "message",
      member,
      conversation: group,
      text: "honestly I want to end my life",
    });
    expect(replies[0]?.text).toContain("000");
  });
});
