import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../errors.js";

/**
 * In local mode with no ENCRYPTION_KEY, reads the key kept in
 * `<dataDir>/encryption.key`, making a new random one (owner-only) the first time.
 */
export function loadOrCreateLocalKey(dataDir: string): Buffer {
  const path = join(dataDir, "encryption.key");
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, "utf8").trim(), "base64");
    if (key.length !== 32) {
      throw new ConfigError(
        "ENCRYPTION_KEY",
        `${path} does not hold 32 bytes in base64; delete it to make a new one`,
      );
    }
    return key;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString("base64")}\n`, { mode: 0o600 });
  return key;
}
