// PostgreSQL restarted during a load run (issue #8, database faults). The machine's shared
// PostgreSQL is used by other work, so this test starts its own PostgreSQL 15 cluster (initdb +
// pg_ctl on a free port in a temp dir), runs the platform on it, and stops and starts it while
// requests flow. While it is down the gateway answers what needs the database with a 503 that
// says so, serves what it has cached, and recovers by itself; afterwards no acknowledged KV write
// or access record is missing.
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { freePort, startPlatform, type Platform } from "@/lib/testing/platform";
import { signUpTenant, sleep, waitUntil, type Tenant } from "./fault-test-support";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";

const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

/** A throwaway PostgreSQL cluster. initdb refuses to run as root: then it runs as `postgres`. */
class PrivatePostgres {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), "wc-pg-"));
  readonly data = path.join(this.dir, "data");
  constructor(readonly port: number) {}

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private run(bin: string, args: string[]): void {
    const asRoot = process.getuid?.() === 0;
    const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", path.join(PG_BIN, bin), ...args]] : [path.join(PG_BIN, bin), args];
    execFileSync(cmd, argv, { stdio: "pipe", timeout: 30_000 });
  }

  init(): void {
    if (process.getuid?.() === 0) {
      const { uid, gid } = JSON.parse(execFileSync("sh", ["-c", 'printf \'{"uid":%s,"gid":%s}\' $(id -u postgres) $(id -g postgres)']).toString()) as { uid: number; gid: number };
      chownSync(this.dir, uid, gid);
    }
    this.run("initdb", ["-D", this.data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  }

  start(): void {
    this.run("pg_ctl", ["-D", this.data, "-l", path.join(this.dir, "log"), "-w", "-o", `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "start"]);
  }

  /** `-m fast`: what a service restart does: open connections are terminated. */
  stop(): void {
    this.run("pg_ctl", ["-D", this.data, "-m", "fast", "-w", "stop"]);
  }

  destroy(): void {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let postgres: PrivatePostgres;
let db: Db;
let platform: Platform;
let dataDir: string;
let tenant: Tenant;

beforeAll(async () => {
  if (!existsSync(path.join(PG_BIN, "initdb"))) throw new Error(`PostgreSQL 15 binaries not found in ${PG_BIN} (set PG_BIN)`);
  postgres = new PrivatePostgres(await freePort());
  postgres.init();
  postgres.start();
  db = createDb(postgres.url, 2);
  dataDir = mkdtempSync(path.join(os.tmpdir(), "wc-dbfault-"));
  platform = await startPlatform({ dataDir, databaseUrl: postgres.url, env: { GATEWAY_PROCESSES: "1" } });
  tenant = await signUpTenant(platform.consoleUrl);
  await tenant.deploy("hello", "hello-wat");
  await tenant.deploy("counter", "kv-counter");
  // Deployed but never requested before the outage: the gateway must ask the database for it.
  await tenant.deploy("cold", "hello-c");
}, 240_000);

afterAll(async () => {
  await platform?.stop();
  await db?.$disconnect();
  postgres?.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
  app: string;
  phase: "before" | "down" | "after";
  status: number;
  text: string;
  requestId: string | null;
}

it("answers 503 for what needs the database while it is down, recovers by itself, loses nothing acknowledged", async () => {
  const url = (app: string) => appUrl(platform.gatewayUrl, tenant.account.tenant, app);
  for (const app of ["hello", "counter"]) await waitUntil(async () => (await fetchApp(url(app))).status === 200, 10_000, `${app} served`);

  let phase: Answer["phase"] = "before";
  let stopped = false;
  const answers: Answer[] = [];
  const errors: string[] = [];
  const loop = (app: string, pauseMs: number) =>
    (async () => {
      while (!stopped) {
        const at = phase;
        try {
          const res = await fetchApp(url(app), { signal: AbortSignal.timeout(20_000) });
          answers.push({ app, phase: at, status: res.status, text: await res.text(), requestId: res.headers.get("x-request-id") });
        } catch (error) {
          errors.push(`${app} (${at}): ${String(error)}`);
        }
        await sleep(pauseMs);
      }
    })();
  const loops = [loop("hello", 5), loop("counter", 5), loop("counter", 5)];
  await sleep(1000);

  phase = "down";
  postgres.stop();
  // Cached apps keep answering; an app the gateway has not loaded cannot be looked up.
  const cold = await fetchApp(url("cold"));
  const coldBody = (await cold.json()) as { error: { code: string; message: string } };
  expect(cold.status).toBe(503);
  expect(coldBody.error.code).toBe("database-unavailable");
  expect(coldBody.error.message).toMatch(/cannot reach its database/);
  expect(cold.headers.get("retry-after")).toBeTruthy();
  await sleep(3000);
  postgres.start();
  phase = "after";

  // Recovers by itself: every app answers again, the cold one included.
  await waitUntil(async () => (await fetchApp(url("cold"))).status === 200, 20_000, "cold app served after the restart");
  await waitUntil(async () => answers.some((a) => a.phase === "after" && a.app === "counter" && a.status === 200), 20_000, "counter back");
  await sleep(1000);
  stopped = true;
  await Promise.all(loops);

  expect(errors).toEqual([]);
  const down = answers.filter((a) => a.phase === "down");
  expect(down.length).toBeGreaterThan(10);
  // The database is not needed to answer a cached app that does not use storage.
  expect(down.filter((a) => a.app === "hello").every((a) => a.status === 200)).toBe(true);
  // What needs the database fails with a 503 that says why, never a 500 or a guest's error.
  for (const a of answers) {
    if (a.status === 200) continue;
    expect(a.status, `${a.app} ${a.phase}: ${a.text}`).toBe(503);
    const { code, message } = (JSON.parse(a.text) as { error: { code: string; message: string } }).error;
    // database-unavailable: a lookup or a kv call failed; storage-failed: the final commit did.
    expect(["database-unavailable", "storage-failed"]).toContain(code);
    expect(message).toMatch(/cannot reach its database|could not be saved/);
  }
  expect(down.some((a) => a.app === "counter" && a.status === 503)).toBe(true);
  const afterRecovery = answers.filter((a) => a.phase === "after").slice(-10);
  expect(afterRecovery.every((a) => a.status === 200)).toBe(true);

  // No acknowledged KV write is lost: every increment answered 200 is in the store.
  const acked = answers.filter((a) => a.app === "counter" && a.status === 200).map((a) => Number(a.text));
  expect(new Set(acked).size).toBe(acked.length);
  const next = Number(await (await fetchApp(url("counter"))).text());
  expect(next).toBeGreaterThan(Math.max(...acked));
  expect(next - 1).toBeGreaterThanOrEqual(acked.length);

  // No access record is lost: every answered request of a deployed app is recorded, once.
  const attributed = answers.filter((a) => a.status === 200 || JSON.parse(a.text).error.code !== "database-unavailable");
  const ids = attributed.map((a) => a.requestId!);
  await waitUntil(async () => (await db.requestRecord.count({ where: { id: { in: ids } } })) === ids.length, 20_000, "access records written");
}, 60_000);
