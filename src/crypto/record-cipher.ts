import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { BotError } from "../errors.js";

const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = "v1";

/**
 * AES-256-GCM for records kept at rest. Every record gets its own random IV;
 * the record's owner and id are bound in as associated data, so a ciphertext
 * moved to another member's keys will not decrypt.
 */
export class RecordCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new BotError("CONFIG_INVALID", "the encryption key must be 32 bytes");
  }

  encrypt(plaintext: string, associated: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(associated, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
  }

  decrypt(sealed: string, associated: string): string {
    const [version, payload] = sealed.split(".");
    if (version !== VERSION || !payload) throw new BotError("STORE_FAILED", "unknown record format");
    const bytes = Buffer.from(payload, "base64");
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(associated, "utf8"));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString("utf8");
    } catch (cause) {
      throw new BotError("STORE_FAILED", "a record could not be decrypted (wrong key or tampered)", {
        cause,
      });
    }
  }
}
