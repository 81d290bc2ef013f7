import type { Redis } from "ioredis";
import { z } from "zod";
import { type Logger, silentLogger } from "../logging/logger.js";
import type { CustomQuestionStore } from "../reflection/custom-questions.js";
import type { Question } from "../reflection/question-bank.js";
import type { RedisKeys } from "./redis-keys.js";
import { readRecord } from "./stored-record.js";

export const questionSchema = z.object({
  id: z.string().min(1),
  theme: z.string().min(1),
  text: z.string().min(1),
  gentle: z.boolean(),
});

// Compile-time check that the schema and the domain type agree.
const _parsedIsQuestion = (parsed: z.output<typeof questionSchema>): Question => parsed;
void _parsedIsQuestion;

/**
 * A hash `questions:custom`: id → question JSON, ids from a counter, and a
 * version counter `questions:custom:version` bumped in the same transaction
 * as every write, so each process can tell with one GET whether its cached
 * bank is current. Holds no member ids. A malformed question is reported
 * (kind only) and left out.
 */
export class RedisCustomQuestions implements CustomQuestionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger = silentLogger,
  ) {}

  async add(theme: string, text: string): Promise<Question> {
    const n = await this.redis.incr(this.keys.global("questions:custom:next"));
    const question: Question = { id: `custom-${n}`, theme, text, gentle: false };
    await this.redis
      .multi()
      .hset(this.keys.global("questions:custom"), question.id, JSON.stringify(question))
      .incr(this.keys.global("questions:custom:version"))
      .exec();
    return question;
  }

  async list(): Promise<Question[]> {
    const all = await this.redis.hgetall(this.keys.global("questions:custom"));
    return Object.values(all).flatMap(
      (json) => readRecord(questionSchema, json, "custom-question", this.logger) ?? [],
    );
  }

  /** "0" before the first question is added. */
  async version(): Promise<string> {
    return (await this.redis.get(this.keys.global("questions:custom:version"))) ?? "0";
  }
}
