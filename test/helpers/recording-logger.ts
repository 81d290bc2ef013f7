import type { LogContext, Logger } from "../../src/logging/logger.js";

export interface LogLine {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly context: LogContext;
  readonly message: string;
}

/** A logger that keeps every line, for tests that check what was (and was not) logged. */
export function recordingLogger(): Logger & { readonly lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const make = (bindings: LogContext): Logger => ({
    debug: (context, message) =>
      lines.push({ level: "debug", context: { ...bindings, ...context }, message }),
    info: (context, message) => lines.push({ level: "info", context: { ...bindings, ...context }, message }),
    warn: (context, message) => lines.push({ level: "warn", context: { ...bindings, ...context }, message }),
    error: (context, message) =>
      lines.push({ level: "error", context: { ...bindings, ...context }, message }),
    child: (more) => make({ ...bindings, ...more }),
  });
  return Object.assign(make({}), { lines, text: () => JSON.stringify(lines) });
}
