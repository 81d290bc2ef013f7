import type { Redis } from "ioredis";
import type { ClaimResult, DeliveryMarkers } from "../delivery/delivery-markers.js";
import type { ScheduledItem } from "../schedule/schedule-store.js";
import type { RedisKeys } from "./redis-keys.js";

// KEYS: pairs of (member key, marker key). ARGV: token, claim ttl ms.
const CLAIM = `
local out = {}
for i = 1, #KEYS, 2 do
  local result
  if redis.call("EXISTS", KEYS[i]) == 0 then
    result = "gone"
  else
    local value = redis.call("GET", KEYS[i + 1])
    if not value then
      redis.call("SET", KEYS[i + 1], "claimed:" .. ARGV[1], "PX", ARGV[2])
      result = "go"
    elseif value == "sent" then
      result = "done"
    elseif value == "claimed:" .. ARGV[1] then
      result = "go"
    else
      result = "busy"
    end
  end
  out[#out + 1] = result
end
return out`;

const MARK_SENT = `
if redis.call("EXISTS", KEYS[1]) == 1 then redis.call("SET", KEYS[2], "sent", "PX", ARGV[1]) end
return 1`;

const RELEASE = `
if redis.call("GET", KEYS[1]) == "claimed:" .. ARGV[1] then redis.call("DEL", KEYS[1]) end
return 1`;

/**
 * Markers at `member:<id>:sent:<kind>:<due>`, under the member's own root so
 * forgetting them takes these too. A claim lasts `claimTtlMs` (longer than any
 * send); a sent marker lasts `sentTtlMs` (longer than any retry or lease).
 */
export class RedisDeliveryMarkers implements DeliveryMarkers {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly claimTtlMs = 10 * 60_000,
    private readonly sentTtlMs = 3 * 24 * 60 * 60_000,
  ) {}

  private marker(item: ScheduledItem): string {
    return this.keys.memberPart(item.member, `sent:${item.kind}:${item.due}`);
  }

  async claim(items: readonly ScheduledItem[], token: string): Promise<ClaimResult[]> {
    if (items.length === 0) return [];
    const keys = items.flatMap((item) => [this.keys.member(item.member), this.marker(item)]);
    return (await this.redis.eval(CLAIM, keys.length, ...keys, token, this.claimTtlMs)) as ClaimResult[];
  }

  async markSent(item: ScheduledItem): Promise<void> {
    await this.redis.eval(MARK_SENT, 2, this.keys.member(item.member), this.marker(item), this.sentTtlMs);
  }

  async release(item: ScheduledItem, token: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.marker(item), token);
  }
}
