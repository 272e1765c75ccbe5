import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openSecret, sealSecret, SecretOpenError, secretsKeyId } from "./seal-secret";

const key = randomBytes(32);
const binding = { tenantId: "t-1", appId: "a-1", environment: "production", name: "API_KEY" };

function openError(fn: () => unknown): SecretOpenError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SecretOpenError) return e;
    throw e;
  }
  throw new Error("expected openSecret to fail");
}

describe("sealSecret / openSecret", () => {
  it("round-trips any text, with a fresh IV every time, in the versioned format", () => {
    const value = "s3cr3t ✓ \n multi-line";
    const a = sealSecret(key, binding, value);
    const b = sealSecret(key, binding, value);
    expect(a).toMatch(new RegExp(`^v1:${secretsKeyId(key)}:[A-Za-z0-9_-]+$`));
    expect(a).not.toBe(b);
    expect(a).not.toContain("s3cr3t");
    expect(openSecret(key, binding, a)).toBe(value);
    expect(openSecret(key, binding, sealSecret(key, binding, ""))).toBe("");
  });

  it("refuses a value bound to another tenant, app, environment or name", () => {
    const sealed = sealSecret(key, binding, "value");
    for (const other of [
      { ...binding, tenantId: "t-2" },
      { ...binding, appId: "a-2" },
      { ...binding, environment: "preview" },
      { ...binding, name: "OTHER" },
    ]) {
      expect(openError(() => openSecret(key, other, sealed)).reason).toBe("tampered");
    }
  });

  it("detects any altered byte", () => {
    const sealed = sealSecret(key, binding, "value");
    const [v, id, payload] = sealed.split(":") as [string, string, string];
    const raw = Buffer.from(payload, "base64url");
    for (const i of [0, 12, raw.length - 1]) {
      const copy = Buffer.from(raw);
      copy[i]! ^= 1;
      expect(openError(() => openSecret(key, binding, `${v}:${id}:${copy.toString("base64url")}`)).reason).toBe("tampered");
    }
    expect(openError(() => openSecret(key, binding, `${v}:${id}:${raw.subarray(0, 20).toString("base64url")}`)).reason).toBe("tampered");
  });

  it("names a wrong key as such (with key ids, never the value), and refuses unknown formats", () => {
    const sealed = sealSecret(key, binding, "the-value");
    const other = randomBytes(32);
    const error = openError(() => openSecret(other, binding, sealed));
    expect(error.reason).toBe("wrong-key");
    expect(error.message).toContain(secretsKeyId(key));
    expect(error.message).toContain("WASMCOMPUTE_SECRETS_KEY");
    expect(error.message).not.toContain("the-value");
    // A forged key id does not get past the tag check.
    const forged = sealed.replace(secretsKeyId(key), secretsKeyId(other));
    expect(openError(() => openSecret(other, binding, forged)).reason).toBe("tampered");
    expect(openError(() => openSecret(key, binding, "plain text")).reason).toBe("unknown-format");
    expect(openError(() => openSecret(key, binding, sealed.replace(/^v1/, "v2"))).reason).toBe("unknown-format");
  });

  it("needs a 32-byte key", () => {
    expect(() => sealSecret(randomBytes(16), binding, "x")).toThrow(/32 bytes/);
  });
});
