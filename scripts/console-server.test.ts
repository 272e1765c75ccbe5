// The console decides the client address itself (scripts/console-server.mjs): a client cannot
// choose the address that rate limits and the audit log see by sending X-Forwarded-For, and behind
// TRUSTED_PROXIES load balancers the address the nearest one appended counts.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiWithToken, ConsoleClient, newTestAccount } from "@/lib/testing/console-client";
import { freePort, startConsoleProcess, startPlatform, type ConsoleProcess, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
// @ts-expect-error: a plain .mjs script (it runs without a TypeScript loader); its export is typed here.
import { clientAddressOf as untyped } from "./console-server.mjs";

const clientAddressOf = untyped as (forwardedFor: string | string[] | undefined, socket: string | undefined, trustedProxies: number) => string;

describe("clientAddressOf", () => {
  it("is the socket when no proxy is trusted, whatever the client wrote", () => {
    expect(clientAddressOf(undefined, "198.51.100.1", 0)).toBe("198.51.100.1");
    expect(clientAddressOf("203.0.113.7", "198.51.100.1", 0)).toBe("198.51.100.1");
    expect(clientAddressOf(["203.0.113.7", "10.0.0.1"], "198.51.100.1", 0)).toBe("198.51.100.1");
  });

  it("is what the nearest trusted proxy appended, not what the client prepended", () => {
    // The client wrote 1.2.3.4; the one proxy appended the address it saw, 203.0.113.7.
    expect(clientAddressOf("1.2.3.4, 203.0.113.7", "10.0.0.2", 1)).toBe("203.0.113.7");
    // Two proxies: the outer one appended the client, the inner one appended the outer.
    expect(clientAddressOf("1.2.3.4, 203.0.113.7, 10.0.0.9", "10.0.0.2", 2)).toBe("203.0.113.7");
    // Fewer entries than trusted hops: the farthest address there is.
    expect(clientAddressOf("203.0.113.7", "10.0.0.2", 5)).toBe("203.0.113.7");
    expect(clientAddressOf(undefined, "10.0.0.2", 1)).toBe("10.0.0.2");
  });
});

describe("the console server", () => {
  let database: TestDatabase;
  let dataDir: string;
  let direct: Platform;
  let behindProxy: ConsoleProcess;

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-console-server-"));
    direct = await startPlatform({ dataDir, databaseUrl: database.url, env: { TRUSTED_PROXIES: "0", GATEWAY_PROCESSES: "1" } });
    behindProxy = await startConsoleProcess({ databaseUrl: database.url, port: await freePort(), dataDir, env: { TRUSTED_PROXIES: "1" } });
  }, 180_000);

  afterAll(async () => {
    await behindProxy?.stop();
    await direct?.stop();
    await database?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Signs up and in with X-Forwarded-For set, and answers the addresses the audit log recorded. */
  async function auditedAddresses(consoleUrl: string, forwardedFor: string): Promise<Record<string, string | null>> {
    const account = newTestAccount();
    const headers = { "content-type": "application/json", "x-forwarded-for": forwardedFor };
    const signUp = await fetch(`${consoleUrl}/api/v1/signup`, { method: "POST", headers, body: JSON.stringify(account) });
    expect(signUp.status).toBe(201);
    const client = new ConsoleClient(consoleUrl);
    const { csrfToken } = (await (await client.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    await client.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": forwardedFor },
      body: new URLSearchParams({ csrfToken, email: account.email, password: account.password, json: "true" }),
    });
    const api = apiWithToken(consoleUrl, await client.createToken("admin"));
    const { events } = (await (await api("/api/v1/audit")).json()) as { events: { action: string; ip: string | null }[] };
    return Object.fromEntries(events.map((e) => [e.action, e.ip]));
  }

  it("records the socket address, not the X-Forwarded-For a client sent, when it trusts no proxy", async () => {
    const addresses = await auditedAddresses(direct.consoleUrl, "203.0.113.7");
    expect(addresses["auth.sign_in"]).toBe("127.0.0.1");
    expect(Object.values(addresses)).not.toContain("203.0.113.7");
  });

  it("serves the files in public/ (robots.txt keeps the console out of search engines)", async () => {
    const res = await fetch(`${direct.consoleUrl}/robots.txt`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Disallow: /");
  });

  it("records the address a trusted proxy appended", async () => {
    // What a proxy in front of it sends: the client's own claim first, then the address it saw.
    const addresses = await auditedAddresses(behindProxy.url, "192.0.2.66, 203.0.113.8");
    expect(addresses["auth.sign_in"]).toBe("203.0.113.8");
    expect(Object.values(addresses)).not.toContain("192.0.2.66");
  });
});
