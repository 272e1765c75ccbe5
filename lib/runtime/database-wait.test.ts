// A gateway request never waits on the database unbounded: a lookup or a spending-cap check that
// does not answer within databaseWaitMs is a quick 503 database-busy with Retry-After, and the
// gateway answers other apps meanwhile.
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";
import type { ResolvedDeployment } from "../deployment-record/record";
import { createGateway, type Gateway } from "./gateway";
import type { RequestLog } from "../deployment-record/ports";
import { WorkerPool } from "./worker-pool";

let pool: WorkerPool;
let gateway: Gateway;
let port: number;
const logs: RequestLog[] = [];
const never = new Promise<never>(() => {});

beforeAll(async () => {
  pool = await WorkerPool.create({ size: 1 });
  gateway = await createGateway({
    pool,
    databaseWaitMs: 400,
    onLog: (r) => logs.push(r),
    // "stuck" never comes back from its lookup; "capped" is found but its tenant's cap check hangs.
    resolve: async (_tenant, app) => {
      if (app === "stuck") return never;
      if (app === "capped") return { tenantId: "t-capped" } as ResolvedDeployment;
      return null;
    },
    spendingCap: { check: (tenantId) => (tenantId === "t-capped" ? never : null) },
  });
  await new Promise<void>((r) => gateway.server.listen(0, "127.0.0.1", r));
  port = (gateway.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await gateway?.close();
  await pool?.close();
});

for (const [app, what] of [
  ["stuck", "look up this app"],
  ["capped", "check the tenant's spending cap"],
] as const) {
  it(`answers 503 database-busy when it cannot ${what} in time`, async () => {
    const started = performance.now();
    const res = await fetchApp(appUrl(port, "acme", app));
    const elapsed = performance.now() - started;
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    const body = await res.json();
    expect(body.error.code).toBe("database-busy");
    expect(body.error.message).toContain(what);
    // Bounded: about the wait, never the minutes a stuck database would take.
    expect(elapsed).toBeLessThan(10_000);
    expect(logs.some((l) => l.app === app && l.error?.code === "database-busy")).toBe(true);
  });
}

it("keeps answering other apps while requests wait on a stuck lookup", async () => {
  const stuck = Array.from({ length: 5 }, () => fetchApp(appUrl(port, "acme", "stuck")));
  const other = await fetchApp(appUrl(port, "acme", "missing"));
  expect(other.status).toBe(404);
  expect((await Promise.all(stuck)).map((r) => r.status)).toEqual([503, 503, 503, 503, 503]);
});
