import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnNpmStart } from "../../test/helpers/npm-start.js";
import { dumpRedis } from "../../test/helpers/redis-dump.js";
import { TEST_REDIS_URL, createTestRedis } from "../../test/helpers/test-redis.js";

const testRedis = createTestRedis("npm-start");
const dataDir = mkdtempSync(join(tmpdir(), "peer-bot-start-"));
afterAll(async () => {
  await testRedis.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Pipes lines into `npm start` with no chat credentials, as a newcomer would. */
function npmStart(lines: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnNpmStart(testRedis.prefix, dataDir);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(`${lines.join("\n")}\n`);
  });
}

describe("npm start with no credentials opens the local chat", () => {
  it("runs the whole journey from piped input and leaves nothing behind after forget", async () => {
    const { code, stdout, stderr } = await npmStart([
      "/peer help",
      '/peer join region:"Wide Bay" tz:Australia/Brisbane days:mon-wed hours:09:00-15:00 solo:yes',
      "Yes, I agree",
      "/peer profile",
      "/peer pause for 2w",
      "/peer resume",
      "/peer export",
      "/peer forget",
      "1",
      "/peer profile",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const replies = stdout.split(/\n(?=bot → )/);
    const expected = [
      "What you can ask me",
      "Before I store anything",
      "Welcome to the network, alex",
      "Region: Wide Bay",
      "I won't send you anything until",
      "Welcome back",
      '"timeZone": "Australia/Brisbane"',
      "can't be undone",
      "everything I kept about you has been deleted",
      "haven't joined",
    ];
    expect(replies).toHaveLength(expected.length);
    expected.forEach((text, i) => {
      expect(replies[i]).toContain(text);
    });
    const stored = await dumpRedis(testRedis.redis, `${testRedis.prefix}*`);
    expect(stored.filter((text) => text.includes("local:alex"))).toEqual([]);
    expect(await testRedis.redis.exists(`${testRedis.prefix}member:local:alex`)).toBe(0);
  }, 60_000);

  it("/clock moves the bot's time forward, and the week's scheduled question and tip arrive", async () => {
    const { code, stdout, stderr } = await npmStart([
      "/as robin",
      "/peer join region:Anywhere tz:UTC days:mon-sun hours:00:00-24:00",
      "yes",
      "/clock +8d",
      "/peer schedule",
      "/peer forget",
      "yes",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const clockStart = stdout.indexOf("Moving the bot's clock forward");
    const clockEnd = stdout.indexOf("Bot time is now");
    expect(clockStart).toBeGreaterThan(-1);
    expect(clockEnd).toBeGreaterThan(clockStart);
    // What fell due during those eight days arrived while the clock moved, each once.
    const during = stdout.slice(clockStart, clockEnd);
    expect(during.match(/A self-care idea for your week/g)).toHaveLength(1);
    expect(during.match(/here's a question for your week/g)).toHaveLength(1);
    expect(stdout.slice(clockEnd)).toContain("Coming up from me (times in UTC)");
    expect(stdout).toContain("everything I kept about you has been deleted");
  }, 90_000);

  it("stops with a message naming a malformed setting", async () => {
    const child = spawn("npm", ["start", "--silent"], {
      cwd: join(import.meta.dirname, "../.."),
      env: { PATH: process.env.PATH, PORT: "not-a-port", DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("PORT: expected a port number from 1 to 65535");
  }, 60_000);
});
