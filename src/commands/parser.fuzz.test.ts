import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUICK_RUNS, REAL_SCHEMA, commandText, fuzzRuns, fuzzTimeout } from "../../test/fuzz/generators.js";
import { createTestRedis } from "../../test/helpers/test-redis.js";
import { UserInputError } from "../errors.js";
import { RedisHandleStore } from "../store/redis-handles.js";
import { RedisKeys } from "../store/redis-keys.js";
import { createCommandParser } from "./parser.js";
import { MAX_COMMAND_CHARS, QUOTE_LIMIT } from "./quote-typed.js";

/*
 * The command parser against generated command text: the real schema (every
 * command the app runs), the real handle store on Redis (with one handle,
 * `kim`, for member options to find). Every text either parses, or is refused
 * with a reply that names the problem, shows "For example:", stays short, and
 * quotes no more than QUOTE_LIMIT characters of anything typed.
 */
const testRedis = createTestRedis("parser-fuzz");
const handles = new RedisHandleStore(testRedis.redis, new RedisKeys(testRedis.prefix));
const parser = createCommandParser(REAL_SCHEMA);
const env = { asker: "slack:T0FUZZ:U0ASKER", handles } as const;
const runs = fuzzRuns(QUICK_RUNS * 2);

beforeAll(async () => {
  await handles.claim("slack:T0FUZZ:U0KIM", "kim");
});
afterAll(() => testRedis.cleanup());

/** The longest quoted span in a reply, in code points (the clip's ellipsis counts as one). */
function longestQuote(reply: string): number {
  const spans = [...reply.matchAll(/"([^"]*)"|“([^”]*)”/g)].map((m) => [...(m[1] ?? m[2] ?? "")].length);
  return Math.max(0, ...spans);
}

/** A reply's refusal, or undefined when the text parsed. Anything but a UserInputError is thrown on. */
async function refusalFor(text: string): Promise<string | undefined> {
  try {
    const command = parser.resolve(text);
    await command.parse(env);
    return undefined;
  } catch (error) {
    if (error instanceof UserInputError) return error.toReply();
    throw error;
  }
}

describe("command parser, fuzzed", () => {
  it(
    `parses or clearly refuses every command text (${runs} generated)`,
    { timeout: fuzzTimeout(runs) },
    async () => {
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(commandText(REAL_SCHEMA), async (text) => {
          const reply = await refusalFor(text);
          if (text.length > MAX_COMMAND_CHARS) {
            expect(reply).toContain(MAX_COMMAND_CHARS.toLocaleString("en"));
          }
          if (reply === undefined) return;
          refused += 1;
          expect(reply).toContain("\nFor example: ");
          const [problem = ""] = reply.split("\nFor example: ");
          expect(problem.trim().length).toBeGreaterThan(10);
          expect(longestQuote(reply), reply).toBeLessThanOrEqual(QUOTE_LIMIT + 1);
          // The longest part of a reply that is ours (the commands list) is a few hundred characters.
          expect(reply.length, reply).toBeLessThan(1200);
        }),
        { numRuns: runs },
      );
      // The generator reaches refusals, not only commands that parse.
      expect(refused).toBeGreaterThan(runs / 4);
    },
  );

  it("quotes an unknown word of 300,000 characters as a few dozen, and refuses a long command by its length", async () => {
    const word = "x".repeat(300_000);
    expect(await refusalFor(word.slice(0, 3000))).toBe(
      `I don't know the command "${"x".repeat(QUOTE_LIMIT)}…". The commands are: ${REAL_SCHEMA.map((e) => e.name).join(", ")}.\nFor example: /peer help`,
    );
    expect(await refusalFor(word)).toBe(
      "That command is 300,000 characters long; a command can be at most 4,000. Nothing was changed.\nFor example: /peer help",
    );
    // A long value in an option's own refusal is clipped too.
    const reply = await refusalFor(`join tz:${"Q".repeat(3000)}`);
    expect(reply).toContain(`"${"Q".repeat(QUOTE_LIMIT)}…"`);
    expect(reply).not.toContain("Q".repeat(QUOTE_LIMIT + 1));
  });
});
