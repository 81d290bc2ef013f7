import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** Each script's SHA1, worked out once. */
const shas = new Map<string, string>();

function shaOf(script: string): string {
  let sha = shas.get(script);
  if (sha === undefined) {
    sha = createHash("sha1").update(script).digest("hex");
    shas.set(script, sha);
  }
  return sha;
}

/**
 * Runs a Lua script by its SHA1 (EVALSHA), so its text crosses the wire and is hashed by Redis
 * only the first time a server meets it: a server that doesn't have it yet (a fresh start, a
 * failover, SCRIPT FLUSH) answers NOSCRIPT, and the script is then sent whole (EVAL), which
 * loads it for next time. A drop-in for `redis.eval(script, numKeys, ...args)`.
 */
export async function runScript(
  redis: Redis,
  script: string,
  numKeys: number,
  ...args: Array<string | number | Buffer>
): Promise<unknown> {
  try {
    return await redis.evalsha(shaOf(script), numKeys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
    return redis.eval(script, numKeys, ...args);
  }
}
