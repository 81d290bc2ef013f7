import { isBotError } from "../errors.js";
import type { Logger } from "../logging/logger.js";

/**
 * The last line of defence: anything that escapes every handler. No request
 * should get this far (each adapter answers and logs its own failures), so
 * whatever does is logged as an error with a code and the code locations it
 * came from, never its message, which could quote a member's words.
 *
 * - An unhandled rejection is logged and the process keeps serving. A
 *   rejected promise has already unwound; nothing is left half-done by it
 *   that staying up would make worse, and ending the process would let one
 *   request take the bot down for everyone.
 * - An uncaught exception is logged and the process stops cleanly: Node
 *   leaves no guarantee about state after one (a throw can stop a callback
 *   halfway through an update), so carrying on could serve from a broken
 *   state. It signals itself SIGTERM, so the ordinary shutdown runs (stop
 *   taking events, finish the ones in flight, close Redis), with exit code 1
 *   for the supervisor to restart it; if that shutdown hangs, it is cut short
 *   after `exitAfterMs`. A second exception meanwhile is only logged.
 */
export interface ProcessGuard {
  /** How many of each the guard has seen since it was installed. */
  readonly counts: { readonly rejections: number; readonly exceptions: number };
  /** Removes the guard's handlers (tests). */
  uninstall(): void;
}

export interface ProcessGuardOptions {
  readonly logger: Logger;
  /** How an uncaught exception ends the process: "exit" (the default) or "stay" (tests only). */
  readonly onUncaughtException?: "exit" | "stay";
  /** How long the clean shutdown after an uncaught exception may take before the process exits anyway. */
  readonly exitAfterMs?: number;
}

/** What the logs may say about a thrown thing: its kind, its code, where it came from. Never its message. */
export function describeEscaped(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { code: "INTERNAL", type: error === null ? "null" : typeof error };
  const own = (error as { code?: unknown }).code;
  const code = isBotError(error)
    ? error.code
    : typeof own === "string" && /^[\w.-]{1,60}$/.test(own)
      ? own
      : "INTERNAL";
  // The first stack line repeats the message; the frames after it are code locations only.
  const frames = (error.stack ?? "")
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 8)
    .map((line) => line.trim());
  return { code, type: error.name, frames };
}

export function installProcessGuard(options: ProcessGuardOptions): ProcessGuard {
  const { logger } = options;
  const counts = { rejections: 0, exceptions: 0 };
  let exiting = false;

  const onRejection = (reason: unknown) => {
    counts.rejections += 1;
    logger.error(
      { ...describeEscaped(reason), escaped: "unhandledRejection" },
      "a promise rejection escaped every handler",
    );
  };
  const onException = (error: unknown) => {
    counts.exceptions += 1;
    logger.error(
      { ...describeEscaped(error), escaped: "uncaughtException" },
      "an exception escaped every handler",
    );
    if (options.onUncaughtException === "stay" || exiting) return;
    exiting = true;
    process.exitCode = 1;
    setTimeout(() => process.exit(1), options.exitAfterMs ?? 10_000).unref();
    process.kill(process.pid, "SIGTERM");
  };
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtException", onException);
  return {
    counts,
    uninstall() {
      process.off("unhandledRejection", onRejection);
      process.off("uncaughtException", onException);
    },
  };
}
