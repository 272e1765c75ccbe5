// The settings schemas: defaults for unset or blank variables, and one line per bad value naming
// the variable, what it takes and what it got.
import { describe, expect, it } from "vitest";
import { readConsoleSettings } from "@/lib/http/check-console-settings";
import { readGatewaySettings } from "@/scripts/gateway-settings";
import { ConsoleSettings } from "./console-config";
import { ConfigError, parseSettings, readOnce } from "./parse-settings";

function problemsOf(read: () => unknown): string[] {
  try {
    read();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe("parseSettings", () => {
  it("gives every unset or blank setting its default", () => {
    const settings = parseSettings(ConsoleSettings, { UPLOAD_MAX_BYTES: " ", PORT: "" });
    expect(settings).toMatchObject({ UPLOAD_MAX_BYTES: 64 * 1024 * 1024, PORT: 3000, HOST: "127.0.0.1", TRUSTED_PROXIES: 0, GATEWAY_PORT: 3001 });
    expect(settings.DATABASE_URL).toBeUndefined();
    expect(parseSettings(ConsoleSettings, { UPLOAD_MAX_BYTES: " 2048 " }).UPLOAD_MAX_BYTES).toBe(2048);
  });

  it("names each bad value, what it takes and what it got, all at once", () => {
    expect(problemsOf(() => readConsoleSettings({ UPLOAD_MAX_BYTES: "abc", PORT: "70000", NEXTAUTH_URL: "console.example.com", SIGNUP_RATE_LIMIT: "0" }))).toEqual([
      'PORT must be a port number from 0 to 65535, got "70000"',
      'NEXTAUTH_URL must be an http:// or https:// URL such as https://example.com, got "console.example.com"',
      'UPLOAD_MAX_BYTES must be a whole number of bytes (1 or more), got "abc"',
      expect.stringMatching(/^Invalid sign-up rate limit: SIGNUP_RATE_LIMIT="0" must be at least 1\./),
    ]);
    expect(problemsOf(() => readGatewaySettings({ GATEWAY_WORKERS: "2.5", GATEWAY_LOG: "yes", GATEWAY_MAX_MEMORY_MB: "lots", PRICE_PLAN: "{" }))).toEqual([
      'GATEWAY_WORKERS must be a whole number of worker threads (1 or more), got "2.5"',
      'GATEWAY_LOG must be "json" or "off", got "yes"',
      expect.stringMatching(/^GATEWAY_MAX_MEMORY_MB="lots" must be a whole number from 1 to 4096/),
      "PRICE_PLAN is not valid JSON",
    ]);
  });
});

describe("readOnce", () => {
  it("parses on first use and again only when a variable it reads changes", () => {
    let parses = 0;
    const name = "WASMCOMPUTE_TEST_READ_ONCE";
    const read = readOnce([name], (env) => (parses++, env[name]));
    process.env[name] = "a";
    try {
      expect([read(), read()]).toEqual(["a", "a"]);
      expect(parses).toBe(1);
      process.env[name] = "b";
      expect(read()).toBe("b");
      expect(parses).toBe(2);
    } finally {
      delete process.env[name];
    }
  });
});
