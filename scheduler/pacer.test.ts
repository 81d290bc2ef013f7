import { afterAll, describe, expect, it } from "vitest";
import { BotError, RateLimitedError } from "../src/errors.js";
import { systemClock } from "../src/time/clock.js";
import { FixedClock } from "../test/fakes/fixed-clock.js";
import { RecordingMetrics } from "../test/fakes/recording-metrics.js";
import { RecordingLogger } from "../test/helpers/slack-harness.js";
import { createTestRedis } from "../test/helpers/test-redis.js";
import { PacedSends, SAFETY_MARGIN } from "./paced-sends.js";
import { DECREASE, LEAD_MS, RECOVERY_PER_SECOND, RedisPacer } from "./pacer.js";

const testRedis = createTestRedis("pacer");
afterAll(() => testRedis.cleanup());

let keys = 0;
const freshKey = () => `${testRedis.prefix}pace:${keys++}`;

describe("RedisPacer lanes", () => {
  it("serves replies before the scheduled sends already waiting", async () => {
    const pacer = new RedisPacer(testRedis.redis, freshKey(), 20);
    const order: string[] = [];
    const scheduled = Array.from({ length: 6 }, (_, i) =>
      pacer.wait("scheduled").then(() => order.push(`s${i}`)),
    );
    // The first scheduled send is on its way before any reply arrives.
    await scheduled[0];
    const replies = Array.from({ length: 3 }, (_, i) => pacer.wait("reply").then(() => order.push(`r${i}`)));
    await Promise.all([...scheduled, ...replies]);
    expect(order).toEqual(["s0", "r0", "r1", "r2", "s1", "s2", "s3", "s4", "s5"]);
  });

  it("holds scheduled sends in another process while replies wait here", async () => {
    const key = freshKey();
    const scheduler = new RedisPacer(testRedis.redis, key, 10);
    const responder = new RedisPacer(testRedis.redis, key, 10);
    const order: string[] = [];
    await scheduler.wait("scheduled").then(() => order.push("s0"));
    const scheduled = Array.from({ length: 3 }, (_, i) =>
      scheduler.wait("scheduled").then(() => order.push(`s${i + 1}`)),
    );
    const replies = Array.from({ length: 3 }, (_, i) =>
      responder.wait("reply").then(() => order.push(`r${i}`)),
    );
    await Promise.all([...scheduled, ...replies]);
    // At most one scheduled send slips in before the first reply's mark; none once it is there.
    const firstReply = order.indexOf("r0");
    expect(order.slice(firstReply)).toEqual(["r0", "r1", "r2", ...order.slice(firstReply + 3)]);
    expect(order.slice(firstReply + 3).every((name) => name.startsWith("s"))).toBe(true);
    expect(firstReply).toBeLessThanOrEqual(2);
  });

  it("on stop drops the scheduled sends still waiting, never the replies", async () => {
    const pacer = new RedisPacer(testRedis.redis, freshKey(), 5);
    const gone: string[] = [];
    await pacer.wait("scheduled");
    void pacer.wait("scheduled").then(() => gone.push("scheduled"));
    const reply = pacer.wait("reply").then(() => gone.push("reply"));
    pacer.cancel();
    await reply;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(gone).toEqual(["reply"]);
  });
});

describe("RedisPacer booking turns ahead", () => {
  it("answers a reservation once its turn is booked, and a reply that comes meanwhile still goes first", async () => {
    const pacer = new RedisPacer(testRedis.redis, freshKey(), 10);
    const order: string[] = [];
    await pacer.wait("scheduled");
    // The next turn is within LEAD_MS of now: booked at once, for this reservation.
    const turn = await pacer.reserve("scheduled");
    order.push("booked");
    const reply = pacer.wait("reply").then(() => order.push("reply"));
    await Promise.all([turn().then(() => order.push("scheduled")), reply]);
    expect(order).toEqual(["booked", "reply", "scheduled"]);
  });

  it("after the event loop stalls, the turns it held up go one interval apart, not in a burst", async () => {
    const perSecond = 20;
    const pacer = new RedisPacer(testRedis.redis, freshKey(), perSecond);
    const released: number[] = [];
    const turns = Array.from({ length: 8 }, () =>
      pacer.wait("scheduled").then(() => released.push(Date.now())),
    );
    await turns[0];
    // Let a few turns be booked ahead, then hold the event loop well past them.
    await new Promise((resolve) => setTimeout(resolve, LEAD_MS));
    const stallUntil = Date.now() + 300;
    while (Date.now() < stallUntil) {}
    await Promise.all(turns);
    const gaps = released.slice(1).map((at, i) => at - (released[i] ?? 0));
    // A lower bound only: one interval, less the timer jitter let through uncarried (10 ms here)
    // and a little for ms rounding. A burst would show gaps of 0 or 1 ms.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1000 / perSecond - 15);
  });
});

describe("RedisPacer adapting its pace (AIMD)", () => {
  it("halves the pace on a 429, once for all the 429s of one wait, and climbs back to the target", async () => {
    const clock = new FixedClock("2026-11-23T10:00:00Z");
    const key = freshKey();
    const pacer = new RedisPacer(testRedis.redis, key, 40, clock);
    // Another process on the same Redis sees the same pace.
    const elsewhere = new RedisPacer(testRedis.redis, key, 40, clock);
    expect(await pacer.currentRate()).toBe(40);

    expect(await pacer.block(1_000)).toBe(40 * DECREASE);
    // More 429s from the same burst, while the wait runs: no further cut.
    clock.advance(500);
    expect(await elsewhere.block(1_000)).toBe(40 * DECREASE);
    expect(await elsewhere.currentRate()).toBe(20);

    // The wait ended at +1 s (the first block's); from there it climbs 5% of the target a second.
    clock.advance(500 + 4_000);
    expect(await pacer.currentRate()).toBeCloseTo(20 + 40 * RECOVERY_PER_SECOND * 4, 6);
    // A 429 now, after the wait: cut again, from where it had climbed to.
    expect(await elsewhere.block(200)).toBeCloseTo((20 + 8) * DECREASE, 6);
    clock.advance(200 + 60_000);
    expect(await pacer.currentRate()).toBe(40);
  });

  it("without a rate, a 429 only holds sends back", async () => {
    const pacer = new RedisPacer(testRedis.redis, freshKey(), undefined);
    expect(await pacer.block(10)).toBe(0);
    expect(await pacer.currentRate()).toBe(0);
  });
});

describe("PacedSends", () => {
  const sendsFor = (options: { perSecond?: number; replyRetryMs?: number } = {}) => {
    const metrics = new RecordingMetrics();
    const logger = new RecordingLogger();
    const sends = new PacedSends({
      redis: testRedis.redis,
      keyPrefix: `${testRedis.prefix}${keys++}:`,
      platform: "slack",
      perSecond: options.perSecond,
      clock: systemClock,
      logger,
      metrics,
      ...(options.replyRetryMs === undefined ? {} : { replyRetryMs: options.replyRetryMs }),
    });
    return { sends, metrics, logger };
  };

  it("paces at its safety margin below the configured rate", async () => {
    const { sends } = sendsFor({ perSecond: 50 });
    expect(await sends.currentRate()).toBeCloseTo(50 * (1 - SAFETY_MARGIN), 6);
  });

  it("retries a call refused with a 429 after the time asked, counting each", async () => {
    const { sends, metrics } = sendsFor({ perSecond: 100 });
    let calls = 0;
    const result = await sends.run("reply", async () => {
      calls++;
      if (calls <= 2) throw new RateLimitedError("slack", 20);
      return "posted";
    });
    expect(result).toBe("posted");
    expect(calls).toBe(3);
    expect(metrics.rateLimits).toEqual(["slack", "slack"]);
    expect(await sends.currentRate()).toBeLessThan(100 * (1 - SAFETY_MARGIN));
  });

  it("gives a reply up once its retries would run past the bound, and lets other errors through at once", async () => {
    const { sends } = sendsFor({ replyRetryMs: 100 });
    let calls = 0;
    await expect(
      sends.run("reply", async () => {
        calls++;
        throw new RateLimitedError("slack", 60);
      }),
    ).rejects.toBeInstanceOf(RateLimitedError);
    expect(calls).toBe(2);

    let failing = 0;
    await expect(
      sends.run("reply", async () => {
        failing++;
        throw new BotError("PLATFORM_FAILED", "slack chat.postMessage failed: channel_not_found");
      }),
    ).rejects.toThrow("channel_not_found");
    expect(failing).toBe(1);
  });

  it("lets replies overtake the scheduled sends waiting for the same platform", async () => {
    const { sends } = sendsFor({ perSecond: 20 });
    const posted: string[] = [];
    const post = (name: string) => async () => {
      posted.push(name);
      return name;
    };
    const scheduled = Array.from({ length: 8 }, (_, i) => sends.run("scheduled", post(`scheduled-${i}`)));
    await scheduled[0];
    const replies = ["welcome", "consent", "sorry"].map((name) => sends.run("reply", post(name)));
    await Promise.all([...scheduled, ...replies]);
    expect(posted.slice(0, 4)).toEqual(["scheduled-0", "welcome", "consent", "sorry"]);
    expect(posted).toHaveLength(11);
  });

  it("counts a reply that could not be sent and logs its code, never its words", () => {
    const { sends, metrics, logger } = sendsFor();
    sends.replyDropped(new RateLimitedError("slack", 1000));
    sends.replyDropped(new BotError("MEMBER_UNREACHABLE", "slack:T1:U1 is unreachable: slack user_disabled"));
    sends.replyDropped(new Error("socket hang up"));
    expect(metrics.droppedReplies).toEqual([
      { platform: "slack", reason: "rate_limited" },
      { platform: "slack", reason: "unreachable" },
      { platform: "slack", reason: "failed" },
    ]);
    const logged = logger.entries.filter(
      (entry) => entry.message === "a reply to a member could not be sent",
    );
    expect(logged.map((entry) => entry.context.code)).toEqual([
      "RATE_LIMITED",
      "MEMBER_UNREACHABLE",
      "PLATFORM_FAILED",
    ]);
    expect(JSON.stringify(logger.entries)).not.toMatch(/U1|user_disabled|hang up/);
  });
});
