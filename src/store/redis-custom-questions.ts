import type { Redis } from "ioredis";
import type { CustomQuestionStore } from "../reflection/custom-questions.js";
import type { Question } from "../reflection/question-bank.js";
import type { RedisKeys } from "./redis-keys.js";

/** A hash `questions:custom`: id → question JSON, ids from a counter. Holds no member ids. */
export class RedisCustomQuestions implements CustomQuestionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async add(theme: string, text: string): Promise<Question> {
    const n = await this.redis.incr(this.keys.global("questions:custom:next"));
    const question: Question = { id: `custom-${n}`, theme, text, gentle: false };
    await this.redis.hset(this.keys.global("questions:custom"), question.id, JSON.stringify(question));
    return question;
  }

  async list(): Promise<Question[]> {
    const all = await this.redis.hgetall(this.keys.global("questions:custom"));
    return Object.values(all).map((json) => JSON.parse(json) as Question);
  }
}
