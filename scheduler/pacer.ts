import type { Redis } from "ioredis";

// Hands out send times spaced `interval` ms apart, shared by every process through Redis.
const RESERVE = `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local at = math.max(tonumber(redis.call("GET", KEYS[1]) or "0"), now)
redis.call("SET", KEYS[1], tostring(at + interval), "PX", math.ceil(at + interval - now) + 60000)
return tostring(at - now)`;

const BLOCK = `
local until_ = tonumber(ARGV[1])
if until_ > tonumber(redis.call("GET", KEYS[1]) or "0") then
  redis.call("SET", KEYS[1], tostring(until_), "PX", math.ceil(until_ - tonumber(ARGV[2])) + 60000)
end
return 1`;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Paces sends to at most `perSecond` (a reservation per send, spaced evenly),
 * across every process sharing the Redis. After a 429, `block` holds every
 * sender back for the time the platform asked. With no rate, only blocks apply.
 */
export class RedisPacer {
  private readonly interval: number;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    perSecond: number | undefined,
  ) {
    this.interval = perSecond && perSecond > 0 ? 1000 / perSecond : 0;
  }

  /** Waits for this sender's turn. */
  async wait(): Promise<void> {
    if (this.interval === 0) {
      const until = Number(await this.redis.get(this.key));
      const wait = until - Date.now();
      if (wait > 0) await sleep(wait);
      return;
    }
    const wait = Number(await this.redis.eval(RESERVE, 1, this.key, Date.now(), this.interval));
    if (wait > 0) await sleep(wait);
  }

  async block(ms: number): Promise<void> {
    const now = Date.now();
    await this.redis.eval(BLOCK, 1, this.key, now + ms, now);
  }
}
