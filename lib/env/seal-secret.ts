// Secrets at rest: AES-256-GCM under the server's key, with the variable's identity (tenant, app,
// environment, name) as additional authenticated data, so a sealed value copied onto another
// variable, app or tenant fails to open instead of leaking there.
//
// Format: "v1:<keyId>:<base64url(iv ‖ ciphertext ‖ tag)>". keyId is a short fingerprint of the key
// (not the key), so a value sealed under another key is reported as such, not as tampering.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretBinding {
  tenantId: string;
  appId: string;
  environment: string;
  name: string;
}

/** A sealed value that cannot be opened; `reason` says why, for the operator. Never holds the value. */
export class SecretOpenError extends Error {
  constructor(
    readonly reason: "wrong-key" | "tampered" | "unknown-format",
    message: string,
  ) {
    super(message);
    this.name = "SecretOpenError";
  }
}

/** A fingerprint that names a key without revealing it (8 hex digits of a domain-separated hash). */
export function secretsKeyId(key: Uint8Array): string {
  return createHash("sha256").update("wasmcompute secrets key id\0").update(key).digest("hex").slice(0, 8);
}

function aad(b: SecretBinding): Buffer {
  return Buffer.from(["wasmcompute-env", VERSION, b.tenantId, b.appId, b.environment, b.name].join("\0"), "utf8");
}

function assertKey(key: Uint8Array): void {
  if (key.length !== 32) throw new Error(`The secrets key must be 32 bytes (AES-256); this one is ${key.length}.`);
}

export function sealSecret(key: Uint8Array, binding: SecretBinding, value: string): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad(binding));
  const body = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  return `${VERSION}:${secretsKeyId(key)}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url")}`;
}

export function openSecret(key: Uint8Array, binding: SecretBinding, sealed: string): string {
  assertKey(key);
  const [version, keyId, payload, ...rest] = sealed.split(":");
  if (version !== VERSION || !keyId || payload === undefined || rest.length > 0) {
    throw new SecretOpenError("unknown-format", `Secret ${describe(binding)} is not in a sealed format this server knows (expected "${VERSION}:…").`);
  }
  if (keyId !== secretsKeyId(key)) {
    throw new SecretOpenError(
      "wrong-key",
      `Secret ${describe(binding)} was sealed with another secrets key (key id ${keyId}; this process has ${secretsKeyId(key)}). ` +
        "Give every console and gateway process the same WASMCOMPUTE_SECRETS_KEY, or set the secret again.",
    );
  }
  const raw = Buffer.from(payload, "base64url");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretOpenError("tampered", `Secret ${describe(binding)} is truncated.`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(aad(binding));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretOpenError(
      "tampered",
      `Secret ${describe(binding)} failed its integrity check: it was altered or copied from another variable. Set it again.`,
    );
  }
}

function describe(b: SecretBinding): string {
  return `${b.environment}/${b.name}`;
}
