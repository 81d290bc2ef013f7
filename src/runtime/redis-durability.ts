import { Redis } from "ioredis";
import { ConfigError } from "../errors.js";
import type { Logger } from "../logging/logger.js";

/**
 * Start-up checks of how Redis keeps the schedule. Two settings lose or repeat
 * scheduled work: no persistence at all (no append-only file and no RDB save
 * points: a restart of Redis forgets every due prompt and every delivery
 * marker, so prompts are lost, or sent again once re-planned), and an eviction
 * policy other than `noeviction` (when memory is full Redis deletes keys,
 * schedule entries and markers among them, instead of refusing writes).
 */
export interface RedisDurability {
  /** `unknown` when the server refused CONFIG and INFO didn't settle it (managed Redis). */
  readonly persistence: "aof" | "rdb" | "aof+rdb" | "none" | "unknown";
  /** The `maxmemory-policy`, or undefined when it couldn't be read. */
  readonly evictionPolicy: string | undefined;
  /** What to fix, one sentence each, naming the setting and what to change. */
  readonly problems: readonly string[];
  /** What couldn't be checked, one sentence each. */
  readonly unchecked: readonly string[];
}

export interface RedisDurabilityOptions {
  readonly url: string;
  readonly logger: Logger;
  /** `STRICT_REDIS=1`: a problem stops start-up instead of being a warning. */
  readonly strict: boolean;
}

const NO_PERSISTENCE =
  'Redis keeps nothing on disk (appendonly is "no" and save is empty): a Redis restart forgets every scheduled prompt and delivery marker. Turn on the append-only file (appendonly yes in redis.conf, or redis-server --appendonly yes), or set save points.';

const evicting = (policy: string) =>
  `Redis's maxmemory-policy is ${policy}: when memory fills, Redis deletes keys (scheduled prompts and delivery markers among them), so prompts are lost or sent twice. Set maxmemory-policy noeviction (in redis.conf, or CONFIG SET maxmemory-policy noeviction).`;

/** One value from `CONFIG GET <name>`, or undefined when CONFIG is refused. */
async function configValue(redis: Redis, name: string): Promise<string | undefined> {
  try {
    const reply = (await redis.call("CONFIG", "GET", name)) as unknown;
    return Array.isArray(reply) && typeof reply[1] === "string" ? reply[1] : undefined;
  } catch {
    return undefined;
  }
}

/** One field from `INFO <section>`, or undefined. */
async function infoField(redis: Redis, section: string, field: string): Promise<string | undefined> {
  try {
    const text = await redis.info(section);
    const line = text.split(/\r?\n/).find((row) => row.startsWith(`${field}:`));
    return line?.slice(field.length + 1).trim();
  } catch {
    return undefined;
  }
}

/** Reads the settings (CONFIG GET, with INFO where CONFIG is refused) from a connected client. */
export async function readRedisDurability(redis: Redis): Promise<RedisDurability> {
  const problems: string[] = [];
  const unchecked: string[] = [];

  const [appendonly, save] = await Promise.all([
    configValue(redis, "appendonly"),
    configValue(redis, "save"),
  ]);
  let persistence: RedisDurability["persistence"];
  if (appendonly !== undefined && save !== undefined) {
    const aof = appendonly === "yes";
    const rdb = save.trim() !== "";
    persistence = aof && rdb ? "aof+rdb" : aof ? "aof" : rdb ? "rdb" : "none";
  } else if ((await infoField(redis, "persistence", "aof_enabled")) === "1") {
    // INFO shows the append-only file but not the save points.
    persistence = "aof";
  } else {
    persistence = "unknown";
    unchecked.push(
      "Redis refused CONFIG GET (as managed Redis often does), so whether it keeps the schedule on disk couldn't be checked: make sure persistence (AOF or RDB snapshots) is on in your provider's settings.",
    );
  }
  if (persistence === "none") problems.push(NO_PERSISTENCE);

  const evictionPolicy =
    (await configValue(redis, "maxmemory-policy")) ?? (await infoField(redis, "memory", "maxmemory_policy"));
  if (evictionPolicy === undefined) {
    unchecked.push(
      "Redis's maxmemory-policy couldn't be read: make sure it is noeviction in your provider's settings.",
    );
  } else if (evictionPolicy !== "noeviction") {
    problems.push(evicting(evictionPolicy));
  }
  return { persistence, evictionPolicy, problems, unchecked };
}

/** host:port of a Redis URL, never its password. */
function where(url: string): string {
  try {
    const { hostname, port } = new URL(url);
    return `${hostname}:${port || "6379"}`;
  } catch {
    return "REDIS_URL";
  }
}

/**
 * Checks Redis's persistence and eviction policy at start-up and logs a
 * warning for each problem (and for what couldn't be checked). With
 * `strict`, a problem throws ConfigError naming STRICT_REDIS and what to
 * change; what couldn't be checked stays a warning.
 */
export async function checkRedisDurability(options: RedisDurabilityOptions): Promise<RedisDurability> {
  const redis = new Redis(options.url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on("error", () => {});
  let found: RedisDurability;
  try {
    await redis.connect();
    found = await readRedisDurability(redis);
  } finally {
    redis.disconnect();
  }
  const redisAt = where(options.url);
  const fields = { redis: redisAt, persistence: found.persistence, evictionPolicy: found.evictionPolicy };
  for (const problem of found.problems) {
    options.logger.warn({ ...fields, code: "REDIS_NOT_DURABLE", strict: options.strict }, problem);
  }
  for (const note of found.unchecked) {
    options.logger.warn({ ...fields, code: "REDIS_UNCHECKED" }, note);
  }
  if (options.strict && found.problems.length > 0) {
    throw new ConfigError(
      "STRICT_REDIS",
      [
        `the Redis at ${redisAt} would lose or repeat scheduled work, so the bot won't start:`,
        ...found.problems.map((problem) => `- ${problem}`),
        "Change those Redis settings, or unset STRICT_REDIS to start anyway with a warning.",
      ].join("\n"),
    );
  }
  return found;
}
