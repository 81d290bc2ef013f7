import { createHash, randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { runScript } from "./lua-script.js";

const testRedis = createTestRedis("lua-script");
afterAll(() => testRedis.cleanup());

describe("runScript", () => {
  it("sends a script whole the first time a server meets it, then by its SHA1", async () => {
    const { redis } = testRedis;
    // A script no server has seen yet (the comment makes it new).
    const script = `-- ${randomUUID()}\nreturn redis.call("INCRBY", KEYS[1], ARGV[1])`;
    const sha = createHash("sha1").update(script).digest("hex");
    const key = `${testRedis.prefix}count`;
    expect(await redis.script("EXISTS", sha)).toEqual([0]);
    expect(await runScript(redis, script, 1, key, 2)).toBe(2);
    expect(await redis.script("EXISTS", sha)).toEqual([1]);
    expect(await runScript(redis, script, 1, key, 3)).toBe(5);
  });

  it("passes a script's own error on, unchanged", async () => {
    const script = `-- ${randomUUID()}\nreturn redis.error_reply("NOT_MINE the script said no")`;
    await expect(runScript(testRedis.redis, script, 0)).rejects.toThrow("NOT_MINE the script said no");
  });
});
