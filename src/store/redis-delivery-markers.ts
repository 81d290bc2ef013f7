import type { Redis } from "ioredis";
import type { RecordCipher } from "../crypto/record-cipher.js";
import type {
  Claim,
  ClaimResult,
  DeliveryMarkers,
  OwnedItem,
  Wording,
} from "../delivery/delivery-markers.js";
import { deliveryId } from "../schedule/schedule-store.js";
import { runScript } from "./lua-script.js";
import type { RedisKeys } from "./redis-keys.js";
import { processKeyPrefix } from "./redis-schedule-store.js";

// KEYS: triples of (owner key, marker key, wording key). ARGV: token, claim ttl ms, wording ttl ms,
// the prefix of process heartbeat keys, this process's id ("" when it keeps no heartbeat), then per
// triple: "1" when the owner's record must still exist ("0" for an item no one member owns), and the
// sealed wording to keep ("" for none).
//
// A claim is `claimed:<token>` or, from a process with a heartbeat, `claimed:<token>@<process>`: a
// claim whose process's heartbeat is gone is taken over at once (its TTL is only the backstop for a
// claim with no process named). A claim taken over, or taken where an earlier attempt left its
// wording, is `again`, with that wording: the earlier attempt may have reached the platform.
const CLAIM = `
local token, ttl, wttl, procs, me = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local mine = "claimed:" .. token
if me ~= "" then mine = mine .. "@" .. me end
local out = {}
for j = 1, #KEYS / 3 do
  local i = (j - 1) * 3 + 1
  local owned, wording = ARGV[4 + j * 2], ARGV[5 + j * 2]
  local result, kept = nil, ""
  if owned == "1" and redis.call("EXISTS", KEYS[i]) == 0 then
    result = "gone"
  else
    local value = redis.call("GET", KEYS[i + 1])
    local take, earlier = false, false
    if not value then
      take = true
    elseif value == "sent" then
      result = "done"
    elseif value == mine then
      result = "go"
    else
      local at = string.find(value, "@", 1, true)
      if at and redis.call("EXISTS", procs .. string.sub(value, at + 1)) == 0 then
        take, earlier = true, true
      else
        result = "busy"
      end
    end
    if take then
      redis.call("SET", KEYS[i + 1], mine, "PX", ttl)
      local existing = redis.call("GET", KEYS[i + 2])
      if existing then
        earlier, kept = true, existing
      elseif wording ~= "" then
        redis.call("SET", KEYS[i + 2], wording, "PX", wttl)
      end
      result = earlier and "again" or "go"
    end
  end
  out[#out + 1] = result
  out[#out + 1] = kept
end
return out`;

const MARK_SENT = `
if ARGV[2] == "0" or redis.call("EXISTS", KEYS[1]) == 1 then redis.call("SET", KEYS[2], "sent", "PX", ARGV[1]) end
redis.call("DEL", KEYS[3])
return 1`;

const RELEASE = `
local value = redis.call("GET", KEYS[1])
if value == "claimed:" .. ARGV[1] or (value and string.sub(value, 1, #ARGV[1] + 9) == "claimed:" .. ARGV[1] .. "@") then
  redis.call("DEL", KEYS[1])
end
return 1`;

export interface DeliveryMarkerOptions {
  /** How long a claim lasts when no live process is named in it (default 10 minutes). */
  readonly claimTtlMs?: number;
  /**
   * How long a sent marker lasts (default a day, as long as an unsent wording is kept). It only
   * matters while the same slot can be claimed again: until the schedule entry is completed
   * (moments after the send), or, when a process dies in between, until its lease is taken
   * back (at once with a heartbeat, else `leaseMs`, 10 minutes) and the slot found done.
   */
  readonly sentTtlMs?: number;
  /** How long a send's kept wording lasts unsent (default a day). */
  readonly wordingTtlMs?: number;
  /**
   * This process's id, when it keeps a heartbeat (scheduler/heartbeat.ts): its
   * claims name it, and are taken over at once by another process once the
   * heartbeat is gone.
   */
  readonly owner?: string;
  /** Seals the kept wording; without it no wording is kept (and a retry words the send afresh). */
  readonly cipher?: RecordCipher;
}

/**
 * Markers at `member:<id>:sent:<kind>:<due>` for an item a member owns (their
 * prompt, their tip), under the member's own root so forgetting them takes
 * these too, and an owner's record that is gone stops the send; otherwise at
 * `sent:<kind>|<subject>|<due>`. A claim lasts `claimTtlMs` (longer than any
 * send) unless its process is known dead; a sent marker lasts `sentTtlMs`.
 * Beside each claimed marker, at `<marker>:wording`, the wording the first
 * claim chose, sealed (it may quote a member), until the send is marked sent.
 */
export class RedisDeliveryMarkers implements DeliveryMarkers {
  private readonly claimTtlMs: number;
  private readonly sentTtlMs: number;
  private readonly wordingTtlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly options: DeliveryMarkerOptions = {},
  ) {
    this.claimTtlMs = options.claimTtlMs ?? 10 * 60_000;
    this.sentTtlMs = options.sentTtlMs ?? 24 * 60 * 60_000;
    this.wordingTtlMs = options.wordingTtlMs ?? 24 * 60 * 60_000;
  }

  private marker(item: OwnedItem): string {
    if (!item.owner) return this.keys.global(`sent:${deliveryId(item)}`);
    const about = item.subject === item.owner ? "" : `${item.subject}:`;
    return this.keys.memberPart(item.owner, `sent:${item.kind}:${about}${item.due}`);
  }

  private ownerKey(item: OwnedItem): string {
    return item.owner ? this.keys.member(item.owner) : this.marker(item);
  }

  async claim(
    items: readonly OwnedItem[],
    token: string,
    wordings: ReadonlyArray<Wording | undefined> = [],
  ): Promise<Claim[]> {
    if (items.length === 0) return [];
    const { cipher } = this.options;
    const keys = items.flatMap((item) => {
      const marker = this.marker(item);
      return [this.ownerKey(item), marker, `${marker}:wording`];
    });
    const perItem = items.flatMap((item, i) => {
      const wording = wordings[i];
      const sealed = wording && cipher ? cipher.encrypt(JSON.stringify(wording), deliveryId(item)) : "";
      return [item.owner ? "1" : "0", sealed];
    });
    const answer = (await runScript(
      this.redis,
      CLAIM,
      keys.length,
      ...keys,
      token,
      this.claimTtlMs,
      this.wordingTtlMs,
      processKeyPrefix(this.keys),
      this.options.owner ?? "",
      ...perItem,
    )) as string[];
    return items.map((item, i) => {
      const result = answer[i * 2] as ClaimResult;
      const sealed = answer[i * 2 + 1] ?? "";
      const kept = sealed && cipher ? this.unseal(sealed, item) : undefined;
      return kept ? { result, kept } : { result };
    });
  }

  async markSent(item: OwnedItem): Promise<void> {
    const marker = this.marker(item);
    await runScript(
      this.redis,
      MARK_SENT,
      3,
      this.ownerKey(item),
      marker,
      `${marker}:wording`,
      this.sentTtlMs,
      item.owner ? "1" : "0",
    );
  }

  /** Gives up this attempt's claim; a kept wording stays, so the retry sends the same words. */
  async release(item: OwnedItem, token: string): Promise<void> {
    await runScript(this.redis, RELEASE, 1, this.marker(item), token);
  }

  private unseal(sealed: string, item: OwnedItem): Wording | undefined {
    try {
      return JSON.parse(this.options.cipher?.decrypt(sealed, deliveryId(item)) ?? "") as Wording;
    } catch {
      // Sealed under another key (rotated): word it afresh.
      return undefined;
    }
  }
}
