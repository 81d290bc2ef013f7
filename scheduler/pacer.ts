import type { Redis } from "ioredis";
import type { SendLane } from "../src/platform/send-gate.js";
import { type Clock, systemClock } from "../src/time/clock.js";

// GCRA, booking ahead: a turn is booked once the theoretical arrival time (tat) is within `lead` of
// now, for the slot max(tat, now); each booking moves tat on by one interval. Shared by every
// process through Redis. Returns { wait } when nothing is booked (the ms to wait before asking
// again), or { 0, slot, interval } for `count` slots from `slot`, `interval` ms apart. The first
// booking after an idle spell (tat already past) moves tat on by `cold` ms more (see COLD_START_MS).
//
// Two lanes: a waiter in the reply lane marks the pacer urgent (a key that lapses after `urgentMs`
// unless renewed), and while it is marked no scheduled send is booked a turn, in any process.
//
// The rate is adaptive (AIMD): after a 429 the pace is cut (see BACK_OFF); from the end of the wait
// the platform asked for it grows back by `step` messages a second every second, up to `target`.
// Without a cut on record the pace is `target`.
const TRY = `
local now = tonumber(ARGV[1])
local target = tonumber(ARGV[2])
local count = tonumber(ARGV[3])
local lead = tonumber(ARGV[4])
local urgent = ARGV[5] == "1"
local step = tonumber(ARGV[6])
local urgentMs = tonumber(ARGV[7])
local blocked = tonumber(redis.call("GET", KEYS[2]) or "0")
if urgent then
  redis.call("SET", KEYS[3], "1", "PX", math.ceil(math.max(blocked - now, 0) + urgentMs))
elseif redis.call("EXISTS", KEYS[3]) == 1 then
  return {tostring(math.max(1, redis.call("PTTL", KEYS[3])))}
end
if blocked > now then return {tostring(blocked - now)} end
if target <= 0 then return {"0", tostring(now), "0"} end
local rate = target
local state = redis.call("HMGET", KEYS[4], "rate", "at")
if state[1] then
  rate = math.min(target, tonumber(state[1]) + step * math.max(0, now - tonumber(state[2])) / 1000)
end
local interval = 1000 / rate
local tat = tonumber(redis.call("GET", KEYS[1]) or "0")
if tat > now + lead then return {tostring(tat - lead - now)} end
local slot = math.max(tat, now)
local next_ = slot + interval * count
if tat < now then next_ = next_ + tonumber(ARGV[8]) end
redis.call("SET", KEYS[1], tostring(next_), "PX", math.ceil(next_ - now) + 60000)
return {"0", tostring(slot), tostring(interval)}`;

// After a 429 nobody sends until the time asked has passed (no tolerance here), and the pace is cut
// (multiplicative decrease), once per wait: 429s answered while the wait is still running are for
// sends of the same burst, already paid for. Returns the new pace (messages a second).
const BACK_OFF = `
local now = tonumber(ARGV[1])
local until_ = now + tonumber(ARGV[2])
if until_ > tonumber(redis.call("GET", KEYS[1]) or "0") then
  redis.call("SET", KEYS[1], tostring(until_), "PX", math.ceil(until_ - now) + 60000)
end
local target = tonumber(ARGV[3])
if target <= 0 then return "0" end
local step = tonumber(ARGV[4])
local rate = target
local state = redis.call("HMGET", KEYS[2], "rate", "at")
if state[1] then
  local at = tonumber(state[2])
  if now < at then return state[1] end
  rate = math.min(target, tonumber(state[1]) + step * (now - at) / 1000)
end
local cut = math.max(tonumber(ARGV[6]), rate * tonumber(ARGV[5]))
redis.call("HSET", KEYS[2], "rate", tostring(cut), "at", tostring(until_))
redis.call("PEXPIRE", KEYS[2], math.ceil(until_ - now + (target - cut) / step * 1000) + 60000)
return tostring(cut)`;

/** On a 429 the pace is halved… */
export const DECREASE = 0.5;
/** …and grows back by this share of the target every second (from half to full in 10 s)… */
export const RECOVERY_PER_SECOND = 0.05;
/** …never below this share of the target. */
export const FLOOR = 0.05;

/** How far ahead of its slot a turn is booked (ms): the work before a send happens in this time. */
export const LEAD_MS = 100;

/**
 * After an idle spell, the turn after the first comes this much later than one interval. The first
 * request of a burst goes a colder way (a connection to open, code not yet warm) and, in the
 * adapter tests, arrived up to about 20 ms later than its place next to the ones after it: the
 * platform's window that opens with it would otherwise hold that much more than its share.
 */
export const COLD_START_MS = 30;

/** A booked turn: resolves at the turn's moment. */
export type Turn = () => Promise<void>;

interface Waiter {
  readonly release: () => void;
  readonly released: Promise<void>;
  /** Told once a slot is booked for it (a reservation's early answer). */
  booked?: (() => void) | undefined;
}

interface Slot {
  readonly at: number;
  readonly interval: number;
}

/**
 * Paces sends to at most `perSecond`, shared by every process through Redis: turns are booked in
 * Redis up to `LEAD_MS` ahead (one pump a process asks for them), and each is released here, at its
 * slot, by a timer, so no round trip to Redis sits between a turn and its send. Releases in one
 * process are never closer than one interval less timer jitter (at most 10 ms): if the event loop
 * stalls, the turns it held up go one interval apart after it, not in a burst (a delay longer than
 * the jitter is carried, not caught up: catching it up would squeeze that many ms of sends into
 * one of the platform's windows). The first turn after an idle spell is carried from when it was
 * released, and the next is held back `COLD_START_MS` more. Waiters in the reply lane get the next release before scheduled ones, here and
 * (through the urgent mark) in every other process. `reserve` answers as soon as a turn is booked,
 * up to `LEAD_MS` before it, so the caller can do its own work (a claim, a lookup) meanwhile and
 * send the moment the turn comes. After a 429, `block` holds every sender back for the time the
 * platform asked and cuts the pace, which then recovers step by step (AIMD). With no rate set,
 * only blocks apply, and everyone waiting goes at once.
 */
export class RedisPacer {
  private readonly target: number;
  private readonly interval: number;
  private readonly burst: number;
  private readonly urgentMs: number;
  /** Lateness (ms) of a release that is let go without being carried into the next ones. */
  private readonly jitter: number;
  private readonly waiting: Record<SendLane, Waiter[]> = { reply: [], scheduled: [] };
  /** Turns booked in Redis and not yet released, earliest first. */
  private slots: Slot[] = [];
  /** The earliest the next release may go (one interval after the last). */
  private nextEarliest = Number.NEGATIVE_INFINITY;
  /** When the last turn was released here. */
  private lastRelease = Number.NEGATIVE_INFINITY;
  private releaseTimer: NodeJS.Timeout | undefined;
  private pumping = false;
  /** Cuts short the pump's sleep, so a reply that arrives during a long wait is asked for at once. */
  private wake: (() => void) | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    perSecond: number | undefined,
    private readonly clock: Clock = systemClock,
  ) {
    this.target = perSecond && perSecond > 0 ? perSecond : 0;
    this.interval = this.target > 0 ? 1000 / this.target : 0;
    // Turns booked per round trip: 20 ms worth, so a fast rate isn't held back by Redis latency.
    this.burst = this.interval === 0 ? 1 : Math.max(1, Math.floor(20 / this.interval));
    // Long enough to outlast one wait for a turn (at a cut pace too), short enough that scheduled
    // sends lose little once the replies have gone (this process lifts it when its replies are out).
    this.urgentMs = Math.ceil(Math.min(2_000, 2 * this.interval * this.burst + LEAD_MS + 100));
    // Timers fire a little late as a rule, more so on a busy machine; up to this much is not
    // carried, so it doesn't add up into a slower pace. The price: a release that late may be
    // followed by the next this much less than an interval after it (at most 10 ms of bunching).
    this.jitter = Math.min(10, this.interval / 2);
  }

  /** Resolves when it is this sender's turn; replies are served before scheduled sends. */
  wait(lane: SendLane = "scheduled"): Promise<void> {
    return this.enqueue(lane).released;
  }

  /**
   * Books a turn: resolves once one is booked for this sender (up to `LEAD_MS` before it), with a
   * function that resolves when the turn comes. Replies waiting here then still go first.
   */
  reserve(lane: SendLane = "scheduled"): Promise<Turn> {
    return new Promise((resolve) => {
      const waiter = this.enqueue(lane, () => resolve(() => waiter.released));
    });
  }

  /**
   * Drops every scheduled send still waiting, booked or not (a graceful stop): turns not yet
   * booked are not taken from the shared rate, and the waiters are never resolved (the outbound
   * queue stops on its abort signal). Replies are not dropped: they keep their place and go out.
   */
  cancel(): void {
    this.waiting.scheduled.splice(0);
    this.wake?.();
  }

  /**
   * After a 429: nobody sends for `ms`, and the pace is cut (once per wait, shared by every
   * process); the turns this process had booked are given up. Resolves with the new pace in
   * messages a second (0 when unpaced).
   */
  async block(ms: number): Promise<number> {
    const now = this.clock.now().getTime();
    this.slots = [];
    clearTimeout(this.releaseTimer);
    this.releaseTimer = undefined;
    const cut = await this.redis.eval(
      BACK_OFF,
      2,
      `${this.key}:blocked`,
      `${this.key}:rate`,
      now,
      Math.max(0, Math.ceil(ms)),
      this.target,
      this.target * RECOVERY_PER_SECOND,
      DECREASE,
      this.target * FLOOR,
    );
    if (this.unbooked() > 0 && !this.pumping) void this.pump();
    return Number(cut);
  }

  /**
   * The pace now, in messages a second: the target, or less while it recovers from a 429
   * (for the benchmark, logs and tests). 0 when unpaced.
   */
  async currentRate(): Promise<number> {
    if (this.target === 0) return 0;
    const [rate, at] = await this.redis.hmget(`${this.key}:rate`, "rate", "at");
    if (rate === null || at === null) return this.target;
    const elapsed = Math.max(0, this.clock.now().getTime() - Number(at));
    return Math.min(this.target, Number(rate) + (this.target * RECOVERY_PER_SECOND * elapsed) / 1000);
  }

  /** The pace it aims at with no 429 on record, in messages a second (0 when unpaced). */
  get targetRate(): number {
    return this.target;
  }

  private enqueue(lane: SendLane, booked?: () => void): Waiter {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const waiter: Waiter = { release, released, booked };
    this.waiting[lane].push(waiter);
    this.tellBooked();
    if (!this.pumping) void this.pump();
    else if (lane === "reply") this.wake?.();
    return waiter;
  }

  /** Waiters with no turn booked for them yet. */
  private unbooked(): number {
    return this.waiting.reply.length + this.waiting.scheduled.length - this.slots.length;
  }

  /** The first waiters, as many as there are turns booked (replies first), are told theirs is booked. */
  private tellBooked(): void {
    let left = this.slots.length;
    for (const lane of [this.waiting.reply, this.waiting.scheduled]) {
      for (const waiter of lane) {
        if (left-- <= 0) return;
        const booked = waiter.booked;
        waiter.booked = undefined;
        booked?.();
      }
    }
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (;;) {
        const unbooked = this.unbooked();
        if (unbooked <= 0) break;
        const urgent = this.waiting.reply.length > 0;
        // Unpaced, everyone waiting goes together once any block has passed; paced, a few at a time.
        const count = Math.min(unbooked, this.interval === 0 ? unbooked : this.burst);
        const [wait, slot, interval] = (await this.redis.eval(
          TRY,
          4,
          this.key,
          `${this.key}:blocked`,
          `${this.key}:urgent`,
          `${this.key}:rate`,
          this.clock.now().getTime(),
          this.target,
          count,
          LEAD_MS,
          urgent ? "1" : "0",
          this.target * RECOVERY_PER_SECOND,
          this.urgentMs,
          COLD_START_MS,
        )) as string[];
        if (Number(wait) > 0) {
          // A scheduled send's wait is cut short when a reply arrives, so the reply asks at once.
          await this.sleep(Math.min(Number(wait), 1_000), !urgent);
          continue;
        }
        for (let i = 0; i < count; i++) {
          this.slots.push({ at: Number(slot) + i * Number(interval), interval: Number(interval) });
        }
        this.tellBooked();
        this.releaseDue();
      }
    } catch {
      // Redis unavailable: let waiters go rather than stall; a 429 will still be honoured.
      for (const waiter of this.waiting.reply.splice(0)) waiter.release();
      for (const waiter of this.waiting.scheduled.splice(0)) {
        waiter.booked?.();
        waiter.release();
      }
    } finally {
      this.pumping = false;
      this.wake = undefined;
    }
  }

  /** Releases the turns whose moment has come, and sets a timer for the next. */
  private releaseDue(): void {
    clearTimeout(this.releaseTimer);
    this.releaseTimer = undefined;
    for (;;) {
      const slot = this.slots[0];
      if (!slot) return;
      const due = Math.max(slot.at, this.nextEarliest);
      const now = this.clock.now().getTime();
      if (due > now) {
        this.releaseTimer = setTimeout(() => this.releaseDue(), due - now);
        return;
      }
      this.slots.shift();
      // Late by more than timer jitter (a stall), or the first in a while (its slot was the moment
      // it was asked for, a round trip to Redis ago): the next turns go one interval after this
      // one. Less late, in a steady stream, the next keeps its place.
      const fresh = now - this.lastRelease > slot.interval + this.jitter;
      this.nextEarliest = (fresh || now - due > this.jitter ? now : due) + slot.interval;
      this.lastRelease = now;
      const reply = this.waiting.reply.shift();
      const waiter = reply ?? this.waiting.scheduled.shift();
      waiter?.release();
      // This process's replies are out: scheduled sends need not wait for the mark to lapse.
      if (reply && this.waiting.reply.length === 0) {
        this.redis.del(`${this.key}:urgent`).catch(() => {});
      }
      if (this.slots.length === 0 && this.unbooked() > 0 && !this.pumping) void this.pump();
    }
  }

  private sleep(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = wakeable ? done : undefined;
    });
  }
}
