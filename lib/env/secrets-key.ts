// The key secrets are sealed under. From WASMCOMPUTE_SECRETS_KEY (32 bytes, base64) when set;
// otherwise `npm start` generates one into DATA_DIR/secrets-key (mode 0600), the way it makes the
// session secret, and hands it to the console and the gateway in their environment.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

export const SECRETS_KEY_FILE = "secrets-key";

/** The key is missing or malformed: an operator problem, explained as one. */
export class SecretsKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretsKeyError";
  }
}

/** Decodes a base64 (or base64url) key and checks it is 32 bytes. */
export function decodeSecretsKey(text: string, source = "WASMCOMPUTE_SECRETS_KEY"): Uint8Array {
  const trimmed = text.trim();
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, trimmed.includes("-") || trimmed.includes("_") ? "base64url" : "base64") : Buffer.alloc(0);
  if (key.length !== 32) {
    throw new SecretsKeyError(
      `${source} must be 32 random bytes, base64-encoded (e.g. the output of \`openssl rand -base64 32\`); it decodes to ${key.length} bytes.`,
    );
  }
  return new Uint8Array(key);
}

let cached: { source: string; key: Uint8Array } | null = null;

/**
 * This process's secrets key, or a SecretsKeyError saying how to configure one. Reads
 * WASMCOMPUTE_SECRETS_KEY, else an existing DATA_DIR/secrets-key; it never creates a key
 * (only `npm start` does, once, so that every process it starts shares it).
 */
export function loadSecretsKey(env: Record<string, string | undefined>): Uint8Array {
  const fromEnv = env.WASMCOMPUTE_SECRETS_KEY;
  const file = env.DATA_DIR ? path.join(env.DATA_DIR, SECRETS_KEY_FILE) : null;
  const source = fromEnv ? `env:${fromEnv}` : file ? `file:${file}` : "none";
  if (cached?.source === source) return cached.key;
  let key: Uint8Array;
  if (fromEnv) key = decodeSecretsKey(fromEnv);
  else if (file && existsSync(file)) key = decodeSecretsKey(readFileSync(file, "utf8"), file);
  else {
    throw new SecretsKeyError(
      "This server has no secrets key, so it cannot seal or open secrets. Set WASMCOMPUTE_SECRETS_KEY (32 bytes, base64: " +
        "`openssl rand -base64 32`) to the same value on every console and gateway process, or start the platform with `npm start`, which generates one into DATA_DIR.",
    );
  }
  cached = { source, key };
  return key;
}

/**
 * For `npm start`: the key from WASMCOMPUTE_SECRETS_KEY, else DATA_DIR/secrets-key, generated
 * (mode 0600) on first start. Returns it base64-encoded, to hand to child processes.
 */
export async function ensureSecretsKey(dataDir: string, env: Record<string, string | undefined>): Promise<string> {
  if (env.WASMCOMPUTE_SECRETS_KEY) {
    decodeSecretsKey(env.WASMCOMPUTE_SECRETS_KEY);
    return env.WASMCOMPUTE_SECRETS_KEY;
  }
  const file = path.join(dataDir, SECRETS_KEY_FILE);
  if (existsSync(file)) {
    const text = (await readFile(file, "utf8")).trim();
    decodeSecretsKey(text, file);
    return text;
  }
  const key = randomBytes(32).toString("base64");
  // "wx": two starts racing on one data directory must not end up with two keys.
  try {
    await writeFile(file, key + "\n", { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return (await readFile(file, "utf8")).trim();
    throw e;
  }
  return key;
}
