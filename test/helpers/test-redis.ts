import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

export const TEST_REDIS_URL = "redis://127.0.0.1:6379";

export interface TestRedis {
  readonly redis: Redis;
  /** A key prefix unique to this test file's run, e.g. `test:bot:3f9a1c:`. */
  readonly prefix: string;
  /** Every key under the prefix. */
  keys(): Promise<string[]>;
  /** Deletes every key under the prefix and closes the connection. */
  cleanup(): Promise<void>;
}

/** A real Redis connection with a prefix of its own. Tests never mock Redis. */
export function createTestRedis(name: string, url = TEST_REDIS_URL): TestRedis {
  const prefix = `test:${name}:${randomBytes(4).toString("hex")}:`;
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  const keys = async () => {
    const found: string[] = [];
    for await (const batch of redis.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<
      string[]
    >) {
      found.push(...batch);
    }
    return found;
  };
  return {
    redis,
    prefix,
    keys,
    async cleanup() {
      const all = await keys();
      for (let i = 0; i < all.length; i += 500) await redis.del(...all.slice(i, i + 500));
      await redis.quit();
    },
  };
}
