/**
 * Typed errors with a stable code and an optional cause.
 *
 * `UserInputError` carries the words the member sees: what was wrong and an
 * example of the right form. Everything else is an internal failure that is
 * logged (never with message text) and answered with a calm, generic reply.
 */
export type ErrorCode =
  | "CONFIG_INVALID"
  | "REDIS_UNAVAILABLE"
  | "USER_INPUT"
  | "NOT_JOINED"
  | "NOT_ALLOWED"
  | "STORE_FAILED"
  | "PLATFORM_FAILED"
  | "MEMBER_UNREACHABLE"
  | "RATE_LIMITED"
  | "INTERNAL";

export class BotError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BotError";
    this.code = code;
  }
}

/** A problem with what the member typed. `message` is shown to them as is. */
export class UserInputError extends BotError {
  readonly example: string | undefined;

  constructor(problem: string, example?: string) {
    super("USER_INPUT", problem);
    this.name = "UserInputError";
    this.example = example;
  }

  /** The full reply: the problem, then the right form. */
  toReply(): string {
    return this.example ? `${this.message}\nFor example: ${this.example}` : this.message;
  }
}

/**
 * The platform said "too many requests". Adapters throw it (with the wait the
 * platform asked for) so the outbound queue can delay the send, never drop it.
 */
export class RateLimitedError extends BotError {
  readonly retryAfterMs: number;

  constructor(platform: string, retryAfterMs: number, options?: { cause?: unknown }) {
    super("RATE_LIMITED", `${platform} rate limit: retry after ${retryAfterMs} ms`, options);
    this.name = "RateLimitedError";
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The platform will not deliver to this member (e.g. they closed their DMs).
 * The member is marked unreachable and not retried until they next interact.
 */
export class MemberUnreachableError extends BotError {
  constructor(member: string, reason: string, options?: { cause?: unknown }) {
    super("MEMBER_UNREACHABLE", `${member} is unreachable: ${reason}`, options);
    this.name = "MemberUnreachableError";
  }
}

export class ConfigError extends BotError {
  readonly variable: string;

  constructor(variable: string, problem: string) {
    super("CONFIG_INVALID", `${variable}: ${problem}`);
    this.name = "ConfigError";
    this.variable = variable;
  }
}

export function isBotError(error: unknown): error is BotError {
  return error instanceof BotError;
}
