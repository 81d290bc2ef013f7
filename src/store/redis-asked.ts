import type { Redis } from "ioredis";
import { z } from "zod";
import type { AskedQuestions, TypedAnswer } from "../bot/asked.js";
import type { MemberId } from "../platform/chat-platform.js";
import type { RedisKeys } from "./redis-keys.js";

const answerSchema = z.object({ actionId: z.string().max(100), value: z.string().max(200).exactOptional() });
const recordSchema = z.object({ yes: answerSchema.exactOptional(), no: answerSchema.exactOptional() });

type Answers = { yes?: TypedAnswer; no?: TypedAnswer };

/**
 * `member:<id>:asked` → the waiting question's answers, as JSON, for `ttlMs`:
 * button ids only, never words. Under the member's root, so forget takes it.
 */
export class RedisAskedQuestions implements AskedQuestions {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly ttlMs = 30 * 60_000,
  ) {}

  private key(member: MemberId): string {
    return this.keys.memberPart(member, "asked");
  }

  async ask(member: MemberId, answers: Answers): Promise<void> {
    await this.redis.set(this.key(member), JSON.stringify(answers), "PX", this.ttlMs);
  }

  async peek(member: MemberId): Promise<Answers | undefined> {
    return read(await this.redis.get(this.key(member)));
  }

  async take(member: MemberId, which: "yes" | "no"): Promise<TypedAnswer | undefined> {
    return read(await this.redis.getdel(this.key(member)))?.[which];
  }

  async clear(member: MemberId): Promise<void> {
    await this.redis.del(this.key(member));
  }
}

/** A stored question's answers, or undefined when there is none or it is malformed. */
function read(json: string | null): Answers | undefined {
  if (!json) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  const result = recordSchema.safeParse(parsed);
  return result.success ? result.data : undefined;
}
