import type { Redis } from "ioredis";

/** Every key matching `pattern`, and every value each holds, as text: for searching what is stored. */
export async function dumpRedis(redis: Redis, pattern = "*"): Promise<string[]> {
  const out: string[] = [];
  for await (const keys of redis.scanStream({ match: pattern, count: 1000 }) as AsyncIterable<string[]>) {
    for (const key of keys) {
      out.push(key);
      const type = await redis.type(key);
      if (type === "string") out.push((await redis.get(key)) ?? "");
      else if (type === "hash") out.push(...Object.entries(await redis.hgetall(key)).flat());
      else if (type === "list") out.push(...(await redis.lrange(key, 0, -1)));
      else if (type === "set") out.push(...(await redis.smembers(key)));
      else if (type === "zset") out.push(...(await redis.zrange(key, 0, -1)));
      else if (type === "stream") out.push(JSON.stringify(await redis.xrange(key, "-", "+")));
    }
  }
  return out;
}
