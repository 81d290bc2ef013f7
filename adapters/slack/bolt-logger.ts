import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../src/logging/logger.js";

/**
 * Bolt's and the WebClient's logs, routed to our logger without members' words
 * or tokens. Debug is dropped entirely: at that level Bolt logs every request
 * body and the WebClient every API call's arguments (message text). Above it,
 * errors are reduced to name, code and message, and anything in double quotes
 * is blanked, because parse errors quote the body they failed on.
 */
export function createBoltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  let name = "bolt";
  const line = (parts: unknown[]) =>
    parts
      .map(describe)
      .join(" ")
      .replace(/"[^"]*"/g, '"…"');
  return {
    debug() {},
    info: (...parts: unknown[]) => logger.info({ source: name }, line(parts)),
    warn: (...parts: unknown[]) => logger.warn({ source: name }, line(parts)),
    error: (...parts: unknown[]) => logger.error({ source: name }, line(parts)),
    setLevel(next) {
      level = next;
    },
    getLevel: () => level,
    setName(next) {
      name = next;
    },
  };
}

function describe(part: unknown): string {
  if (typeof part === "string") return part;
  if (part instanceof Error) {
    const { code } = part as { code?: unknown };
    return `${part.name}${typeof code === "string" ? ` [${code}]` : ""}: ${part.message}`;
  }
  return typeof part;
}
