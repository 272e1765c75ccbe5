import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeSecretsKey, ensureSecretsKey, loadSecretsKey, SecretsKeyError } from "./secrets-key";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "wc-secrets-key-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the secrets key", () => {
  it("is generated once into DATA_DIR/secrets-key with mode 0600, and read back by every process", async () => {
    const [a, b] = await Promise.all([ensureSecretsKey(dir, {}), ensureSecretsKey(dir, {})]);
    expect(a).toBe(b);
    expect(decodeSecretsKey(a)).toHaveLength(32);
    const file = path.join(dir, "secrets-key");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, "utf8")).trim()).toBe(a);
    expect(await ensureSecretsKey(dir, {})).toBe(a);
    expect(Buffer.from(loadSecretsKey({ DATA_DIR: dir })).toString("base64")).toBe(a);
  });

  it("prefers WASMCOMPUTE_SECRETS_KEY and explains a malformed or missing one", async () => {
    const key = randomBytes(32).toString("base64");
    expect(await ensureSecretsKey(dir, { WASMCOMPUTE_SECRETS_KEY: key })).toBe(key);
    expect(Buffer.from(loadSecretsKey({ WASMCOMPUTE_SECRETS_KEY: key, DATA_DIR: dir })).toString("base64")).toBe(key);
    expect(() => loadSecretsKey({ WASMCOMPUTE_SECRETS_KEY: randomBytes(16).toString("base64") })).toThrow(/decodes to 16 bytes/);
    expect(() => loadSecretsKey({ WASMCOMPUTE_SECRETS_KEY: "not base64!!" })).toThrow(SecretsKeyError);
    expect(() => loadSecretsKey({})).toThrow(/no secrets key.*WASMCOMPUTE_SECRETS_KEY/);
    await expect(ensureSecretsKey(dir, { WASMCOMPUTE_SECRETS_KEY: "short" })).rejects.toThrow(/32 random bytes/);
  });
});
