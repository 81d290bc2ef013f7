import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { RecordCipher } from "./record-cipher.js";

describe("record cipher", () => {
  const cipher = new RecordCipher(randomBytes(32));

  it("round-trips, with a fresh IV every time and no plaintext in the output", () => {
    const a = cipher.encrypt("a hard day with a person I support", "local:ana|e1");
    const b = cipher.encrypt("a hard day with a person I support", "local:ana|e1");
    expect(a).not.toBe(b);
    expect(a).not.toContain("hard day");
    expect(Buffer.from(a.slice(3), "base64").toString("latin1")).not.toContain("hard day");
    expect(cipher.decrypt(a, "local:ana|e1")).toBe("a hard day with a person I support");
  });

  it("refuses a record moved to another owner, a wrong key, or tampering", () => {
    const sealed = cipher.encrypt("mine", "local:ana|e1");
    expect(() => cipher.decrypt(sealed, "local:ben|e1")).toThrow(/could not be decrypted/);
    expect(() => new RecordCipher(randomBytes(32)).decrypt(sealed, "local:ana|e1")).toThrow(
      /could not be decrypted/,
    );
    const bytes = Buffer.from(sealed.slice(3), "base64");
    bytes[bytes.length - 1] = (bytes.at(-1) ?? 0) ^ 1;
    expect(() => cipher.decrypt(`v1.${bytes.toString("base64")}`, "local:ana|e1")).toThrow(
      /could not be decrypted/,
    );
  });

  it("insists on a 32-byte key", () => {
    expect(() => new RecordCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});
