import { pino } from "pino";
import type { LogLevel, Logger } from "./logger.js";

/**
 * A pino-backed logger writing JSON lines to a file descriptor or path.
 * Keys that could carry a member's words are redacted as a second line of
 * defence; the first is that the code never logs them.
 */
export function createPinoLogger(options: { level: LogLevel; destination?: string | number }): Logger {
  const destination = pino.destination({ dest: options.destination ?? 1, sync: false, mkdir: true });
  return pino(
    {
      level: options.level,
      base: { app: "peer-bot" },
      redact: {
        paths: ["text", "*.text", "answer", "*.answer", "token", "*.token", "values", "*.values"],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
