import type { Redis } from "ioredis";
import { type Clock, systemClock } from "../src/time/clock.js";

// GCRA: a send may go once the theoretical arrival time (tat) is within `tolerance` of now; each send
// moves tat on by one interval. Shared by every process through Redis. Returns 0 when granted, else
// the ms to wait.
const TRY = `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local count = tonumber(ARGV[3])
local tolerance = tonumber(ARGV[4])
local blocked = tonumber(redis.call("GET", KEYS[2]) or "0")
if blocked > now then return tostring(blocked - now) end
local tat = tonumber(redis.call("GET", KEYS[1]) or "0")
if tat > now + tolerance then return tostring(tat - tolerance - now) end
if interval > 0 then
  local next_ = math.max(tat, now) + interval * count
  redis.call("SET", KEYS[1], tostring(next_), "PX", math.ceil(next_ - now) + 60000)
end
return "0"`;

// After a 429 nobody sends until the time asked has passed: no tolerance here.
const BLOCK = `
local until_ = tonumber(ARGV[1])
if until_ > tonumber(redis.call("GET", KEYS[1]) or "0") then
  redis.call("SET", KEYS[1], tostring(until_), "PX", math.ceil(until_ - tonumber(ARGV[2])) + 60000)
end
return 1`;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Paces sends to at most `perSecond`, measured on the clock at the moment each
 * send is allowed (not booked ahead), so a busy event loop can never release a
 * burst beyond a few sends. Waiters queue in this process and one pump asks Redis for turns, so
 * several processes sharing the Redis share the rate. After a 429, `block`
 * holds every sender back for the time the platform asked. With no rate set,
 * only blocks apply, and everyone waiting goes at once.
 */
export class RedisPacer {
  private readonly interval: number;
  private readonly tolerance: number;
  private readonly burst: number;
  private readonly waiting: Array<() => void> = [];
  private pumping = false;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    perSecond: number | undefined,
    private readonly clock: Clock = systemClock,
  ) {
    this.interval = perSecond && perSecond > 0 ? 1000 / perSecond : 0;
    // 10 ms of slack, so the round trip to Redis and timer overshoot never lose turns: the next
    // batch is asked for while the last is still going out. At most 10 ms worth of sends go early.
    this.tolerance = 10;
    // Turns handed out per round trip: 20 ms worth, so a fast rate isn't held back by Redis latency.
    this.burst = this.interval === 0 ? 1 : Math.max(1, Math.floor(20 / this.interval));
  }

  /** Resolves when it is this sender's turn. */
  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (!this.pumping) void this.pump();
    });
  }

  /** Drops every sender still waiting (a graceful stop): their turns are not taken from the shared rate. */
  cancel(): void {
    this.waiting.splice(0);
  }

  async block(ms: number): Promise<void> {
    const now = this.clock.now().getTime();
    await this.redis.eval(BLOCK, 1, `${this.key}:blocked`, now + ms, now);
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.waiting.length > 0) {
        // Unpaced, everyone waiting goes together once any block has passed; paced, one at a time.
        const count = Math.min(this.waiting.length, this.interval === 0 ? this.waiting.length : this.burst);
        const wait = Number(
          await this.redis.eval(
            TRY,
            2,
            this.key,
            `${this.key}:blocked`,
            this.clock.now().getTime(),
            this.interval,
            count,
            this.tolerance,
          ),
        );
        if (wait > 0) {
          await sleep(Math.min(wait, 1_000));
          continue;
        }
        for (const resolve of this.waiting.splice(0, count)) resolve();
      }
    } catch {
      // Redis unavailable: let waiters go rather than stall; a 429 will still be honoured.
      for (const resolve of this.waiting.splice(0)) resolve();
    } finally {
      this.pumping = false;
    }
  }
}
