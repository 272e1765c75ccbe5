// `npm start` uses every core: several gateway processes share the gateway port (node:cluster),
// on the embedded database too. One of them killed mid-request fails only its own requests, and
// the primary starts a replacement. The embedded database asks every connection for the password
// kept in DATA_DIR/db-password (mode 0600, DATA_DIR 0700); without it, no connection.
import http from "node:http";
import { chmod, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signUpTenant, waitUntil, type Tenant } from "@/lib/runtime/fault-test-support";
import { freePort, startPlatform, type Platform } from "@/lib/testing/platform";
import { appUrl } from "@/lib/testing/app-fetch";

let platform: Platform;
let dataDir: string;
let tenant: Tenant;
let databasePort: number;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-start-"));
  databasePort = await freePort();
  await chmod(dataDir, 0o755); // as a DATA_DIR made with the usual umask would be
  // No DATABASE_URL: the embedded default.
  platform = await startPlatform({ dataDir, env: { GATEWAY_PROCESSES: "2", EMBEDDED_DB_PORT: String(databasePort) } });
  tenant = await signUpTenant(platform.consoleUrl);
  await tenant.deploy("slow", "slow");
}, 240_000);

afterAll(async () => {
  await platform?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/**
 * GET on a connection of its own (the cluster balances connections, not requests), to the gateway
 * on 127.0.0.1 with the URL's host as Host (apps answer at <app>--<tenant>.localhost).
 */
function getFresh(url: string): Promise<{ status: number; text: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const options = { hostname: "127.0.0.1", port: target.port, path: `${target.pathname}${target.search}`, agent: false, headers: { host: target.host, connection: "close" } };
    const req = http.get(options, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

async function pids(requests: number): Promise<Set<number>> {
  const seen = new Set<number>();
  for (let i = 0; i < requests; i++) seen.add((JSON.parse((await getFresh(`${platform.gatewayUrl}/healthz`)).text) as { pid: number }).pid);
  return seen;
}

it("serves from more than one gateway process on one port", async () => {
  const seen = await pids(20);
  expect(seen.size).toBe(2);
  expect(seen.has(process.pid)).toBe(false);
});

it("a gateway process killed mid-request fails only its requests; the primary replaces it", async () => {
  const before = await pids(10);
  const victim = [...before][0]!;
  const slowPath = appUrl(platform.gatewayUrl, tenant.account.tenant, "slow");
  await waitUntil(async () => (await getFresh(slowPath)).status === 200, 15_000, "slow app served");

  const inFlight = Array.from({ length: 6 }, () => getFresh(slowPath).then((r) => `${r.status} ${r.text}`, (e: Error) => `error ${e.message}`));
  await new Promise((r) => setTimeout(r, 500));
  process.kill(victim, "SIGKILL");
  const outcomes = await Promise.all(inFlight);

  // The victim's clients see their connection drop; the other process's clients get their answer.
  expect(outcomes.filter((o) => o === "200 slept\n").length).toBeGreaterThan(0);
  expect(outcomes.filter((o) => o !== "200 slept\n").length).toBeGreaterThan(0);
  for (const o of outcomes) expect(o).toMatch(/^200 slept\n$|^error (socket hang up|read ECONNRESET)/);

  // The primary forks a replacement: two processes again, the victim not among them.
  const after = await waitUntil(async () => {
    const seen = await pids(10);
    return seen.size === 2 && !seen.has(victim) ? seen : null;
  }, 20_000, "a replacement gateway process");
  expect(after.has(victim)).toBe(false);
  const again = await Promise.all(Array.from({ length: 4 }, () => getFresh(slowPath)));
  expect(again).toEqual(Array(4).fill({ status: 200, text: "slept\n" }));
});

it("the embedded database refuses a connection without the password in DATA_DIR/db-password; every process got it", async () => {
  // The platform works (a tenant signed up and deployed above): the console and gateways connected.
  expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
  const file = path.join(dataDir, "db-password");
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  const password = (await readFile(file, "utf8")).trim();
  expect(password.length).toBeGreaterThanOrEqual(32);

  const connect = async (secret: string | undefined) => {
    const client = new pg.Client({ host: "127.0.0.1", port: databasePort, user: "postgres", database: "postgres", password: secret });
    client.on("error", () => {});
    try {
      await client.connect();
      return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM "Tenant"')).rows[0]!.n;
    } catch (e) {
      return (e as Error).message;
    } finally {
      await client.end().catch(() => {});
    }
  };
  expect(await connect(undefined)).toMatch(/password/);
  expect(await connect("postgres")).toBe('password authentication failed for user "postgres"');
  expect(await connect(password)).toBeGreaterThanOrEqual(1);
});
