import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../../test/fakes/fixed-clock.js";
import { RecordingPlatform } from "../../../test/fakes/recording-platform.js";
import { deliverDueUntil } from "../../../test/helpers/deliver-due.js";
import { dumpRedis } from "../../../test/helpers/redis-dump.js";
import { createTestApp } from "../../../test/helpers/test-app.js";
import { createTestRedis } from "../../../test/helpers/test-redis.js";
import type { Button, OutboundMessage } from "../../platform/chat-platform.js";
import { memberSubject } from "./checkins.js";

/**
 * The rest of a series' life on one platform: suggesting another time,
 * bringing a diary entry (exactly what was approved, details masked),
 * declining, leaving, and a series for a peer circle.
 */
const testRedis = createTestRedis("checkin-flows");
const local = new RecordingPlatform("local");
// Monday 7 June 2027, 09:00 in Brisbane.
const clock = new FixedClock("2027-06-06T23:00:00Z");
const app = createTestApp(testRedis, [local], { clock, scheduler: false });

const KIM = "local:kim";
const SAM = "local:sam";
const LEE = "local:lee";
const TAM = "local:tam";

async function join(member: string, name: string, zone: string, hours = "09:00-17:00") {
  await local.inbound({
    kind: "command",
    member,
    displayName: name,
    text: `join region:Somewhere tz:${zone} days:mon-fri hours:${hours}`,
  });
  await local.inbound({ kind: "button", member, actionId: "join:consent" });
  await local.inbound({ kind: "command", member, text: "set tips off" });
  await local.inbound({ kind: "command", member, text: "set prompts off" });
  await local.inbound({ kind: "command", member, text: `set handle ${name.toLowerCase()}` });
}
const command = async (member: string, text: string) =>
  (await local.inbound({ kind: "command", member, text })).map((m) => m.text).join("\n");
const press = (member: string, button: Button | undefined): Promise<OutboundMessage[]> => {
  if (!button) throw new Error("no such button");
  return local.inbound({
    kind: "button",
    member,
    actionId: button.id,
    ...(button.value ? { value: button.value } : {}),
  });
};
function dmButton(member: string, label: string | RegExp): Button {
  for (const d of [...local.to(member)].reverse()) {
    const found = d.message.buttons?.find((b) =>
      typeof label === "string" ? b.label === label : label.test(b.label),
    );
    if (found) return found;
  }
  throw new Error(`no "${label}" button for ${member}`);
}
const lastDm = (member: string) => local.to(member).at(-1)?.message.text ?? "";

const runUntil = (iso: string) => deliverDueUntil(app, clock, iso, (to, message) => local.post(to, message));

beforeAll(async () => {
  await app.start();
  await join(KIM, "Kim", "Australia/Brisbane");
  await join(SAM, "Sam", "Australia/Brisbane");
  // Lee works afternoons only.
  await join(LEE, "Lee", "Australia/Brisbane", "13:00-17:00");
  await join(TAM, "Tam", "Australia/Brisbane");
}, 30_000);
afterAll(async () => {
  await app.stop();
  await testRedis.cleanup();
});

describe("answering an invitation", () => {
  it("“Suggest another time” offers times that suit everyone; choosing one asks everyone again", async () => {
    expect(
      await command(KIM, "checkin new @sam every 2w wed 10:00 tz:Australia/Brisbane length:45"),
    ).toContain("Invitations are on their way to Sam");
    await runUntil("2027-06-06T23:00:00Z");
    expect(lastDm(SAM)).toContain("every 2 weeks on Wednesdays at 10:00 your time");
    const [offer] = await press(SAM, dmButton(SAM, "Suggest another time"));
    expect(offer?.text).toContain("These times suit everyone's working hours");
    const choice = offer?.buttons?.[0];
    expect(choice?.id).toBe("checkin:use-time");
    const [sent] = await press(SAM, choice);
    expect(sent?.text).toContain("I've asked everyone whether");
    await runUntil("2027-06-06T23:00:00Z");
    // Kim is asked again (Sam, who chose it, has said yes); it starts when Kim accepts.
    expect(lastDm(KIM)).toContain(
      "Sam suggested another time for your co-supervision check-ins: every 2 weeks",
    );
    const [accepted] = await press(KIM, dmButton(KIM, "Accept"));
    expect(accepted?.text).toContain("the check-ins are on");
    // The invitation's old buttons no longer do anything.
    const [stale] = await press(SAM, dmButton(SAM, "Suggest another time"));
    expect(stale?.text).toContain("earlier message");
  });

  it("declining ends a series nobody else can hold; nothing is scheduled", async () => {
    await command(TAM, "checkin new @lee every 1w thu 14:00 tz:Australia/Brisbane");
    await runUntil("2027-06-06T23:00:00Z");
    const [reply] = await press(LEE, dmButton(LEE, "Decline"));
    expect(reply?.text).toContain("I won't schedule anything for you");
    const series = (await app.stores.checkins.seriesOf(LEE)).at(-1);
    expect(series?.state).toBe("ended");
    expect(
      await app.stores.schedule.upcoming(memberSubject(TAM, series?.id ?? ""), ["checkin-day-before"]),
    ).toEqual([]);
  });
});

describe("bringing a diary entry", () => {
  it("shows exactly what would be shared, masked, and shares that after the agenda — nothing else", async () => {
    const words = "Sat with Margaret Jones after her call to 0412 345 678 and held the silence.";
    await app.stores.journal.save(KIM, {
      id: "entry-1",
      createdAt: "2027-06-07T00:00:00Z",
      question: "What did you notice this week?",
      answers: { what: words },
    });
    const [list] = await local.inbound({ kind: "command", member: KIM, text: "checkin bring" });
    expect(list?.text).toContain("Which entry would you like to bring");
    const [preview] = await press(KIM, list?.buttons?.[0]);
    expect(preview?.text).toContain("Here is exactly what the others would see");
    expect(preview?.text).not.toContain("Margaret");
    expect(preview?.text).not.toContain("0412");
    expect(preview?.text).toContain("held the silence");
    const [kept] = await press(
      KIM,
      preview?.buttons?.find((b) => b.label === "Share this in the session"),
    );
    expect(kept?.text).toContain("right after the agenda");
    const dump = (await dumpRedis(testRedis.redis, `${testRedis.prefix}checkins:*`)).join("\n");
    expect(dump).not.toContain("held the silence");

    const series = (await app.stores.checkins.seriesOf(KIM)).find((s) => s.state === "running");
    const agendaAt = await app.stores.schedule.get(`local:checkin:${series?.id}`, "checkin-agenda");
    await runUntil(new Date((agendaAt ?? 0) + 5_000).toISOString());
    const space = local.sent.filter((d) => d.conversation.kind === "group");
    const agendaIndex = space.findIndex((d) => d.message.text.startsWith("Check-in time"));
    expect(agendaIndex).toBeGreaterThanOrEqual(0);
    const shared = space.slice(agendaIndex + 1).find((d) => d.message.text.startsWith("Kim brings an entry"));
    const previewed = preview?.text.split("\n\n")[1] ?? "";
    expect(shared?.message.text).toBe(previewed);
  });
});

describe("leaving", () => {
  it("needs no reason; a series left with one person stops and the other is told kindly", async () => {
    const [done] = await local.inbound({ kind: "command", member: SAM, text: "checkin leave" });
    expect(done?.text).toContain("the series has stopped");
    await runUntil(clock.now().toISOString());
    expect(lastDm(KIM)).toContain("won't go ahead now");
    expect(lastDm(KIM)).not.toMatch(/Sam/);
    expect(await command(SAM, "checkin")).toContain("You're not in any co-supervision check-ins");
  });
});

describe("a series for a peer circle", () => {
  it("invites the circle's members and meets in the circle's own space", async () => {
    expect(await command(KIM, "checkin circle every 2w tue 14:00")).toContain("not in a peer circle");
    const space = await local.openGroup([KIM, SAM, TAM], "Peer circle: Kim, Sam, Tam");
    await app.stores.circles.saveCircle({
      id: "circle-1",
      members: [KIM, SAM, TAM],
      mode: "stable",
      createdAt: clock.now().toISOString(),
      spaces: [space],
    });
    expect(await command(TAM, "checkin circle every 1w thu 14:00 length:30")).toContain(
      "Invitations are on their way to Kim and Sam",
    );
    await runUntil(clock.now().toISOString());
    await press(KIM, dmButton(KIM, "Accept"));
    const series = (await app.stores.checkins.seriesOf(TAM)).find((s) => s.circleId === "circle-1");
    expect(series?.state).toBe("running");
    const opened = local.opened.length;
    const agendaAt = await app.stores.schedule.get(`local:checkin:${series?.id}`, "checkin-agenda");
    await runUntil(new Date(agendaAt ?? 0).toISOString());
    // No new group: the tally and agenda are in the circle's space.
    expect(local.opened.length).toBe(opened);
    const inSpace = local.sent.filter((d) => d.conversation.id === space.id).map((d) => d.message.text);
    expect(inSpace.some((t) => t.startsWith("Next check-in"))).toBe(true);
    expect(inSpace.some((t) => t.startsWith("Check-in time"))).toBe(true);
  });
});
