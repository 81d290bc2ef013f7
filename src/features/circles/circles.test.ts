import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordingPlatform } from "../../../test/fakes/recording-platform.js";
import { waitFor } from "../../../test/helpers/poll.js";
import { dumpRedis } from "../../../test/helpers/redis-dump.js";
import { createTestApp } from "../../../test/helpers/test-app.js";
import { createTestRedis } from "../../../test/helpers/test-redis.js";
import type { ConversationRef } from "../../platform/chat-platform.js";

/**
 * Peer circles through the whole app (real Redis, real queue), on two
 * recording platforms standing in for Slack and Discord: a mixed-platform
 * circle formed and introduced, the relay both ways with edits and deletions
 * following, leaving, and forgetting.
 */
const testRedis = createTestRedis("circles");
const slack = new RecordingPlatform("slack");
const discord = new RecordingPlatform("discord");
const COORD = "slack:T1:UCOORD";
const app = createTestApp(testRedis, [slack, discord], { env: { COORDINATORS: COORD } });

const ANA = "slack:T1:UANA";
const BEN = "slack:T1:UBEN";
const CAL = "discord:1001";
const DEE = "discord:1002";
const platformOf = (id: string) => (id.startsWith("slack") ? slack : discord);

async function join(member: string, zone: string, region: string, name: string, solo = "no") {
  const p = platformOf(member);
  await p.inbound({
    kind: "command",
    member,
    displayName: name,
    text: `join region:"${region}" tz:${zone} days:mon-fri hours:09:00-17:00 solo:${solo}`,
  });
  await p.inbound({ kind: "button", member, actionId: "join:consent" });
  await p.inbound({ kind: "command", member, text: "set tips off" });
  await p.inbound({ kind: "command", member, text: "set prompts off" });
}
const command = async (member: string, text: string) =>
  (await platformOf(member).inbound({ kind: "command", member, text })).at(-1)?.text ?? "";
const inGroup = (p: RecordingPlatform, group: ConversationRef) =>
  p.sent.filter((d) => d.conversation.id === group.id);

/** Nothing due now and nothing in flight (the outbox has sent all it was given). */
const settled = () =>
  waitFor(
    async () => {
      const { earliestDue, inFlight } = await app.stores.schedule.state();
      return inFlight === 0 && (earliestDue === null || earliestDue > Date.now() + 60_000);
    },
    { what: "the queue to settle" },
  );

let slackGroup: ConversationRef;
let discordGroup: ConversationRef;

beforeAll(async () => {
  await app.start();
  await join(ANA, "Australia/Brisbane", "Wide Bay", "Ana", "yes");
  await join(BEN, "Australia/Perth", "Pilbara", "Ben");
  await join(CAL, "Pacific/Auckland", "Waikato", "Cal", "yes");
  await join(DEE, "Australia/Sydney", "Riverina", "Dee");
  await join(COORD, "Australia/Brisbane", "Brisbane", "Cora");
}, 30_000);
afterAll(async () => {
  await app.stop();
  await testRedis.cleanup();
});

describe("peer circles", () => {
  it("members opt in; a dry run shows figures only, makes nothing and tells nobody", async () => {
    for (const member of [ANA, BEN, CAL, DEE]) {
      expect(await command(member, "circle join")).toContain("You're in");
    }
    const dry = await command(COORD, "circles run dry-run");
    expect(dry).toContain("A dry run");
    expect(dry).not.toMatch(/Ana|Ben|Cal|Dee/);
    expect(slack.opened).toEqual([]);
    expect(discord.opened).toEqual([]);
  });

  it("a round forms one circle across Slack and Discord, opens a space on each, and introduces it", async () => {
    expect(await command(COORD, "circle join")).toContain("You're in");
    expect(await command(COORD, "circle leave")).toContain("you're out of peer circles");
    const report = await command(COORD, "circles run");
    expect(report).toContain("The round has run");
    expect(report).not.toMatch(/Ana|Ben|Cal|Dee/);
    expect(slack.opened.map((g) => [...g.members].sort())).toEqual([[ANA, BEN].sort()]);
    expect(discord.opened.map((g) => [...g.members].sort())).toEqual([[CAL, DEE].sort()]);
    slackGroup = { kind: "group", id: slack.opened[0]?.id ?? "" };
    discordGroup = { kind: "group", id: discord.opened[0]?.id ?? "" };
    await waitFor(
      () => inGroup(slack, slackGroup).length >= 1 && inGroup(discord, discordGroup).length >= 1,
      {
        what: "the introductions",
      },
    );
    const intro = inGroup(discord, discordGroup)[0]?.message.text ?? "";
    expect(intro).toContain("Welcome to your peer circle");
    expect(intro).toMatch(/Ana \(Wide Bay, on Slack\)/);
    expect(intro).toMatch(/Cal: .+ \(Pacific\/Auckland\)/);
    expect(await command(ANA, "circle")).toContain("Cal — Waikato, on Discord");
  });

  it("relays a message both ways, and an edit and a deletion follow it", async () => {
    await slack.inbound({
      kind: "message",
      member: ANA,
      conversation: slackGroup,
      text: "Hello from Wide Bay — Tuesdays suit me",
      message: { conversation: slackGroup, id: "ana-1" },
    });
    const copy = await waitFor(
      () => inGroup(discord, discordGroup).find((d) => d.message.text.includes("Tuesdays suit me")),
      { what: "the relayed message on Discord" },
    );
    expect(copy.message.text).toBe("Ana (on Slack): Hello from Wide Bay — Tuesdays suit me");
    expect(inGroup(slack, slackGroup).some((d) => d.message.text.includes("Tuesdays suit me"))).toBe(false);

    await discord.inbound({
      kind: "message",
      member: CAL,
      conversation: discordGroup,
      text: "Kia ora, Tuesday works",
      message: { conversation: discordGroup, id: "cal-1" },
    });
    await waitFor(
      () =>
        inGroup(slack, slackGroup).find((d) => d.message.text === "Cal (on Discord): Kia ora, Tuesday works"),
      {
        what: "the relayed message on Slack",
      },
    );

    await slack.inbound({
      kind: "message-edited",
      member: ANA,
      conversation: slackGroup,
      message: { conversation: slackGroup, id: "ana-1" },
      text: "Hello from Wide Bay — Tuesdays and Thursdays suit me",
    });
    expect(discord.sent.find((d) => d.id === copy.id)?.message.text).toBe(
      "Ana (on Slack): Hello from Wide Bay — Tuesdays and Thursdays suit me",
    );
    await slack.inbound({
      kind: "message-deleted",
      member: ANA,
      conversation: slackGroup,
      message: { conversation: slackGroup, id: "ana-1" },
    });
    expect(discord.sent.find((d) => d.id === copy.id)).toBeUndefined();
  });

  it("a risk message in the circle gets the private crisis reply and is not relayed", async () => {
    const before = inGroup(discord, discordGroup).length;
    const replies = await slack.inbound({
      kind: "message",
      member: BEN,
      conversation: slackGroup,
      text: "honestly i want to end my life",
      message: { conversation: slackGroup, id: "ben-1" },
    });
    expect(replies[0]?.text).toContain("000");
    expect(replies.map((r) => r.text).join(" ")).not.toContain("end my life");
    await settled();
    expect(inGroup(discord, discordGroup)).toHaveLength(before);
  });

  it("someone who leaves gets nothing more: the circle carries on in a new space without them", async () => {
    expect(await command(BEN, "circle leave")).toContain("nothing more from the circle will reach you");
    await discord.inbound({
      kind: "message",
      member: DEE,
      conversation: discordGroup,
      text: "Welcome to the new week",
      message: { conversation: discordGroup, id: "dee-1" },
    });
    // Ana is now the only one on Slack: the circle reaches her in her DM; the old group with Ben gets nothing.
    await waitFor(
      () => slack.to(ANA).find((d) => d.message.text === "Dee (on Discord): Welcome to the new week"),
      {
        what: "the relay to Ana's DM",
      },
    );
    expect(inGroup(slack, slackGroup).some((d) => d.message.text.includes("new week"))).toBe(false);
    expect(await command(ANA, "circle say Lovely to hear from you both")).toContain("Passed on");
    await waitFor(
      () =>
        inGroup(discord, discordGroup).find(
          (d) => d.message.text === "Ana (on Slack): Lovely to hear from you both",
        ),
      { what: "Ana's words through /peer circle say" },
    );
  });

  it("a coordinator records a pair never to be placed together; members keep a private list", async () => {
    expect(await command(ANA, "circles run")).toContain("Only network coordinators");
    expect(await command(COORD, "conflict add <@UANA> <@UBEN>")).toContain("Recorded");
    expect(await command(COORD, "conflict list")).toMatch(/@ana.* and @ben/);
    expect(await command(ANA, "conflict list")).toContain("Only network coordinators");
    expect(await command(CAL, "circle not-with @dee")).toContain("Nobody else can see this");
  });

  it("forget takes a member out of circles, history, conflicts and not-with lists: no trace in Redis", async () => {
    await command(DEE, "forget");
    await discord.inbound({ kind: "button", member: DEE, actionId: "forget:confirm" });
    // What Dee's leaving sent on to the others has gone out before Ana forgets too (a post already
    // queued for someone who then forgets is a known gap, noted in the README's circles section).
    await settled();
    await command(ANA, "forget");
    await slack.inbound({ kind: "button", member: ANA, actionId: "forget:confirm" });
    await settled();
    const stored = await dumpRedis(testRedis.redis, `${testRedis.prefix}*`);
    for (const id of [DEE, "1002", ANA, "UANA"]) {
      expect(stored.filter((text) => text.includes(id))).toEqual([]);
    }
  });
});
