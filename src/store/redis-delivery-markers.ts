import type { Redis } from "ioredis";
import type { ClaimResult, DeliveryMarkers, OwnedItem } from "../delivery/delivery-markers.js";
import { deliveryId } from "../schedule/schedule-store.js";
import type { RedisKeys } from "./redis-keys.js";

// KEYS: pairs of (owner key, marker key). ARGV: token, claim ttl ms, then per pair "1" when the
// owner's record must still exist ("0" for an item no one member owns).
const CLAIM = `
local out = {}
for i = 1, #KEYS, 2 do
  local result
  if ARGV[2 + (i + 1) / 2] == "1" and redis.call("EXISTS", KEYS[i]) == 0 then
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
if ARGV[2] == "0" or redis.call("EXISTS", KEYS[1]) == 1 then redis.call("SET", KEYS[2], "sent", "PX", ARGV[1]) end
return 1`;

const RELEASE = `
if redis.call("GET", KEYS[1]) == "claimed:" .. ARGV[1] then redis.call("DEL", KEYS[1]) end
return 1`;

/**
 * Markers at `member:<id>:sent:<kind>:<due>` for an item a member owns (their
 * prompt, their tip), under the member's own root so forgetting them takes
 * these too, and an owner's record that is gone stops the send; otherwise at
 * `sent:<kind>|<subject>|<due>`. A claim lasts `claimTtlMs` (longer than any
 * send); a sent marker lasts `sentTtlMs` (longer than any retry or lease).
 */
export class RedisDeliveryMarkers implements DeliveryMarkers {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly claimTtlMs = 10 * 60_000,
    private readonly sentTtlMs = 3 * 24 * 60 * 60_000,
  ) {}

  private marker(item: OwnedItem): string {
    if (!item.owner) return this.keys.global(`sent:${deliveryId(item)}`);
    const about = item.subject === item.owner ? "" : `${item.subject}:`;
    return this.keys.memberPart(item.owner, `sent:${item.kind}:${about}${item.due}`);
  }

  private ownerKey(item: OwnedItem): string {
    return item.owner ? this.keys.member(item.owner) : this.marker(item);
  }

  async claim(items: readonly OwnedItem[], token: string): Promise<ClaimResult[]> {
    if (items.length === 0) return [];
    const keys = items.flatMap((item) => [this.ownerKey(item), this.marker(item)]);
    const owned = items.map((item) => (item.owner ? "1" : "0"));
    return (await this.redis.eval(
      CLAIM,
      keys.length,
      ...keys,
      token,
      this.claimTtlMs,
      ...owned,
    )) as ClaimResult[];
  }

  async markSent(item: OwnedItem): Promise<void> {
    await this.redis.eval(
      MARK_SENT,
      2,
      this.ownerKey(item),
      this.marker(item),
      this.sentTtlMs,
      item.owner ? "1" : "0",
    );
  }

  async release(item: OwnedItem, token: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.marker(item), token);
  }
}
