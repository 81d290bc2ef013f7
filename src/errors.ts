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
