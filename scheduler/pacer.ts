import type { Redis } from "ioredis";
import type { SendLane } from "../src/platform/send-gate.js";
import { type Clock, systemClock } from "../src/time/clock.js";

// GCRA: a send may go once the theoretical arrival time (tat) is within `tolerance` of now; each send
// moves tat on by one interval. Shared by every process through Redis. Returns 0 when granted, else
// the ms to wait.
//
// Two lanes: a waiter in the reply lane marks the pacer urgent (a key that lapses after `urgentMs`
// unless renewed), and while it is marked no scheduled send is granted a turn, in any process.
//
// The rate is adaptive (AIMD): after a 429 the pace is cut (see BACK_OFF); from the end of the wait
// the platform asked for it grows back by `step` messages a second every second, up to `target`.
// Without a cut on record the pace is `target`.
const TRY = `
local now = tonumber(ARGV[1])
local target = tonumber(ARGV[2])
local count = tonumber(ARGV[3])
local tolerance = tonumber(ARGV[4])
local urgent = ARGV[5] == "1"
local step = tonumber(ARGV[6])
local urgentMs = tonumber(ARGV[7])
local blocked = tonumber(redis.call("GET", KEYS[2]) or "0")
if urgent then
  redis.call("SET", KEYS[3], "1", "PX", math.ceil(math.max(blocked - now, 0) + urgentMs))
elseif redis.call("EXISTS", KEYS[3]) == 1 then
  return tostring(math.max(1, redis.call("PTTL", KEYS[3])))
end
if blocked > now then return tostring(blocked - now) end
if target <= 0 then return "0" end
local rate = target
local state = redis.call("HMGET", KEYS[4], "rate", "at")
if state[1] then
  rate = math.min(target, tonumber(state[1]) + step * math.max(0, now - tonumber(state[2])) / 1000)
end
local interval = 1000 / rate
local tat = tonumber(redis.call("GET", KEYS[1]) or "0")
if tat > now + tolerance then return tostring(tat - tolerance - now) end
local next_ = math.max(tat, now) + interval * count
redis.call("SET", KEYS[1], tostring(next_), "PX", math.ceil(next_ - now) + 60000)
return "0"`;

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

/**
 * Paces sends to at most `perSecond`, measured on the clock at the moment each
 * send is allowed (not booked ahead), so a busy event loop can never release a
 * burst beyond a few sends. Waiters queue in this process and one pump asks Redis for turns, so
 * several processes sharing the Redis share the rate. Waiters in the reply lane are served
 * before scheduled ones, here and (through the urgent mark) in every other process. After a 429,
 * `block` holds every sender back for the time the platform asked and cuts the pace, which then
 * recovers step by step (AIMD). With no rate set, only blocks apply, and everyone waiting goes at once.
 */
export class RedisPacer {
  private readonly target: number;
  private readonly interval: number;
  private readonly tolerance: number;
  private readonly burst: number;
  private readonly urgentMs: number;
  private readonly waiting: Record<SendLane, Array<() => void>> = { reply: [], scheduled: [] };
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
    // 10 ms of slack, so the round trip to Redis and timer overshoot never lose turns: the next
    // batch is asked for while the last is still going out. At most 10 ms worth of sends go early.
    this.tolerance = 10;
    // Turns handed out per round trip: 20 ms worth, so a fast rate isn't held back by Redis latency.
    this.burst = this.interval === 0 ? 1 : Math.max(1, Math.floor(20 / this.interval));
    // Long enough to outlast one wait for a turn (at a cut pace too), short enough that scheduled
    // sends lose little once the replies have gone (this process lifts it when its replies are out).
    this.urgentMs = Math.ceil(Math.min(2_000, 2 * this.interval * this.burst + 100));
  }

  /** Resolves when it is this sender's turn; replies are served before scheduled sends. */
  wait(lane: SendLane = "scheduled"): Promise<void> {
    return new Promise((resolve) => {
      this.waiting[lane].push(resolve);
      if (!this.pumping) void this.pump();
      else if (lane === "reply") this.wake?.();
    });
  }

  /**
   * Drops every scheduled send still waiting (a graceful stop): their turns are not taken from
   * the shared rate, and they are never resolved (the outbound queue stops on its abort signal).
   * Replies are not dropped: they keep their place and go out.
   */
  cancel(): void {
    this.waiting.scheduled.splice(0);
    this.wake?.();
  }

  /**
   * After a 429: nobody sends for `ms`, and the pace is cut (once per wait, shared by every
   * process). Resolves with the new pace in messages a second (0 when unpaced).
   */
  async block(ms: number): Promise<number> {
    const now = this.clock.now().getTime();
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

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (;;) {
        const urgent = this.waiting.reply.length > 0;
        const lane = urgent ? this.waiting.reply : this.waiting.scheduled;
        if (lane.length === 0) break;
        // Unpaced, everyone waiting goes together once any block has passed; paced, one at a time.
        const count = Math.min(lane.length, this.interval === 0 ? lane.length : this.burst);
        const wait = Number(
          await this.redis.eval(
            TRY,
            4,
            this.key,
            `${this.key}:blocked`,
            `${this.key}:urgent`,
            `${this.key}:rate`,
            this.clock.now().getTime(),
            this.target,
            count,
            this.tolerance,
            urgent ? "1" : "0",
            this.target * RECOVERY_PER_SECOND,
            this.urgentMs,
          ),
        );
        if (wait > 0) {
          // A scheduled send's wait is cut short when a reply arrives, so the reply asks at once.
          await this.sleep(Math.min(wait, 1_000), !urgent);
          continue;
        }
        for (const resolve of lane.splice(0, count)) resolve();
        // This process's replies are out: scheduled sends need not wait for the mark to lapse.
        if (urgent && this.waiting.reply.length === 0) await this.redis.del(`${this.key}:urgent`);
      }
    } catch {
      // Redis unavailable: let waiters go rather than stall; a 429 will still be honoured.
      for (const resolve of this.waiting.reply.splice(0)) resolve();
      for (const resolve of this.waiting.scheduled.splice(0)) resolve();
    } finally {
      this.pumping = false;
      this.wake = undefined;
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
