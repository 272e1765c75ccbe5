import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configPath, normalizeUrl, requireCredentials, resolveConfig, writeConfigFile } from "./config";
import { CliError, EXIT } from "./exit-codes";
import { tempDir } from "./test-support";

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (tmp = await tempDir()));
afterEach(() => tmp.remove());

describe("configPath", () => {
  it("uses WASMCOMPUTE_CONFIG first", () => {
    expect(configPath({ WASMCOMPUTE_CONFIG: "/x/c.json", HOME: "/home/u" })).toBe("/x/c.json");
  });
  it("falls back to ~/.config/wasmcompute/config.json, or XDG_CONFIG_HOME", () => {
    expect(configPath({ HOME: "/home/u" })).toBe("/home/u/.config/wasmcompute/config.json");
    expect(configPath({ HOME: "/home/u", XDG_CONFIG_HOME: "/xdg" })).toBe("/xdg/wasmcompute/config.json");
  });
});

describe("resolveConfig", () => {
  it("reads the file", async () => {
    const file = path.join(tmp.dir, "c.json");
    await writeFile(file, JSON.stringify({ url: "http://file:3000/", token: "wc_file" }));
    const c = await resolveConfig({ WASMCOMPUTE_CONFIG: file });
    expect(c).toMatchObject({ url: "http://file:3000", token: "wc_file", source: { url: "file", token: "file" } });
  });

  it("lets the environment override the file, field by field", async () => {
    const file = path.join(tmp.dir, "c.json");
    await writeFile(file, JSON.stringify({ url: "http://file:3000", token: "wc_file" }));
    const tokenOnly = await resolveConfig({ WASMCOMPUTE_CONFIG: file, WASMCOMPUTE_TOKEN: "wc_env" });
    expect(tokenOnly).toMatchObject({ url: "http://file:3000", token: "wc_env", source: { url: "file", token: "env" } });
    const both = await resolveConfig({ WASMCOMPUTE_CONFIG: file, WASMCOMPUTE_TOKEN: "wc_env", WASMCOMPUTE_URL: "https://env.example" });
    expect(both).toMatchObject({ url: "https://env.example", token: "wc_env", source: { url: "env", token: "env" } });
  });

  it("works from the environment alone when there is no file", async () => {
    const c = await resolveConfig({ WASMCOMPUTE_CONFIG: path.join(tmp.dir, "missing.json"), WASMCOMPUTE_URL: "http://e:1", WASMCOMPUTE_TOKEN: "wc_e" });
    expect(c).toMatchObject({ url: "http://e:1", token: "wc_e" });
  });

  it("explains a broken file", async () => {
    const file = path.join(tmp.dir, "c.json");
    await writeFile(file, "{ not json");
    await expect(resolveConfig({ WASMCOMPUTE_CONFIG: file })).rejects.toThrow(/not valid JSON.*login/);
  });
});

describe("requireCredentials", () => {
  it("is a not-authenticated error (exit 3) without a token", async () => {
    const err = await requireCredentials({ WASMCOMPUTE_CONFIG: path.join(tmp.dir, "none.json"), WASMCOMPUTE_URL: "http://x" }).catch((e) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err.exitCode).toBe(EXIT.UNAUTHENTICATED);
    expect(err.message).toMatch(/no token/);
  });
});

describe("writeConfigFile", () => {
  it("creates the folders and a file only its owner can read", async () => {
    const file = path.join(tmp.dir, "deep", "er", "config.json");
    await writeConfigFile(file, { url: "http://a", token: "wc_secret" });
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ url: "http://a", token: "wc_secret" });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("narrows an existing file's permissions", async () => {
    const file = path.join(tmp.dir, "config.json");
    await writeFile(file, "{}", { mode: 0o644 });
    await writeConfigFile(file, { url: "http://a", token: "wc_secret" });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});

describe("normalizeUrl", () => {
  it("drops trailing slashes and refuses non-http URLs as usage errors", () => {
    expect(normalizeUrl("http://127.0.0.1:3000/")).toBe("http://127.0.0.1:3000");
    expect(normalizeUrl("https://c.example/base//")).toBe("https://c.example/base");
    expect(() => normalizeUrl("ftp://x")).toThrow(expect.objectContaining({ exitCode: EXIT.USAGE }));
    expect(() => normalizeUrl("nonsense")).toThrow(expect.objectContaining({ exitCode: EXIT.USAGE }));
  });
});
