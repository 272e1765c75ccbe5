// The pool's fair share between tenants (issue #13 item 3, fair-share.ts), with the stand-in
// worker: turns round-robin across tenants instead of first come first served, each tenant held
// to its share of the workers while others are active, a tenant alone using them all, and a
// tenant's excess refused at once ("busy", the gateway's 429) instead of filling the queue.
import { afterEach, describe, expect, it } from "vitest";
import { fakePoolWorkerScript } from "@/lib/testing/fake-pool-worker";
import { WorkerPool, type PoolJob, type PoolOutcome } from "./worker-pool";

const script = fakePoolWorkerScript();
const module = new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));

function job(tenant: string, entrypoint: string, app = `${tenant}/app`): PoolJob {
  return {
    tenant,
    app,
    moduleHash: "h1",
    getModule: async () => ({ module, memory: null }),
    getBytes: async () => new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),
    deadlineMs: 5000,
    input: {
      request: { method: "GET", url: "http://x/", headers: [], body: new Uint8Array(), remoteAddr: "", route: "/" },
      entrypoint,
      env: {},
      maxResponseBytes: 1024,
    },
  };
}

const text = (outcome: PoolOutcome) => (outcome.kind === "ok" ? new TextDecoder().decode(outcome.result.body) : outcome.kind);

let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe("fair share of the workers between tenants", () => {
  it("takes the next job round-robin across tenants, not first come first served", async () => {
    pool = await WorkerPool.create({ size: 1, pipeline: 1, workerScript: script });
    const order: string[] = [];
    const run = (tenant: string, name: string) => pool!.run(job(tenant, name)).then((o) => void order.push(text(o)));
    // B queues 10 jobs, then A queues 2: A's are not last.
    const all = [...Array.from({ length: 10 }, (_, i) => run("b", `b${i}`)), run("a", "a0"), run("a", "a1")];
    await Promise.all(all);
    expect(order.indexOf("a0")).toBeLessThanOrEqual(2);
    expect(order.indexOf("a1")).toBeLessThanOrEqual(4);
    expect(order.filter((o) => o.startsWith("b"))).toEqual(Array.from({ length: 10 }, (_, i) => `b${i}`));
  });

  it("holds a tenant to its share while another is active: the other's jobs do not wait for its long ones", async () => {
    pool = await WorkerPool.create({ size: 2, workerScript: script });
    await pool.run(job("a", "warm-a")); // A is active (within the active window)
    const done: string[] = [];
    const long = Array.from({ length: 2 }, () => pool!.run(job("b", "sleep400")).then((o) => (done.push("b"), o)));
    await new Promise((r) => setTimeout(r, 50));
    const quick = await Promise.all(Array.from({ length: 5 }, (_, i) => pool!.run(job("a", `a${i}`)).then((o) => (done.push("a"), o))));
    expect(quick.map(text)).toEqual(["a0", "a1", "a2", "a3", "a4"]);
    expect(pool.stats().tenants).toBe(2);
    expect((await Promise.all(long)).map(text)).toEqual(Array(2).fill("sleep400"));
    // Answered while B's first long job still ran: B held one worker, not both.
    expect(done).toEqual(["a", "a", "a", "a", "a", "b", "b"]);
  });

  it("lets a tenant alone use every worker", async () => {
    pool = await WorkerPool.create({ size: 2, workerScript: script });
    const both = Promise.all([pool.run(job("b", "sleep400")), pool.run(job("b", "sleep400"))]);
    await new Promise((r) => setTimeout(r, 100));
    expect(pool.stats()).toMatchObject({ busy: 2, queued: 0 });
    expect((await both).map(text)).toEqual(["sleep400", "sleep400"]);
  });

  it("refuses a tenant's job past its share after shareWaitMs, and past its concurrency at once", async () => {
    pool = await WorkerPool.create({ size: 2, workerScript: script, shareWaitMs: 200, tenantConcurrency: 4, appConcurrency: 3 });
    await pool.run(job("a", "warm-a"));
    const long = [pool.run(job("b", "sleep1500")), pool.run(job("b", "sleep1500")), pool.run(job("b", "sleep1500"))];
    // The tenant's 4 jobs at once are its limit; the app's 3 with it.
    expect(await pool.run(job("b", "x", "b/app"))).toEqual({ kind: "busy", scope: "app", limit: 3 });
    const fourth = pool.run(job("b", "sleep10", "b/third"));
    expect(await pool.run(job("b", "x", "b/fourth"))).toEqual({ kind: "busy", scope: "tenant", limit: 4 });
    // B holds its one worker of two; what waits behind it is answered once it has waited 200 ms,
    // long before B's running job ends.
    const first = long[0]!.then(text);
    const outcomes = await Promise.all([...long.slice(1), fourth]);
    expect(outcomes).toEqual(Array(3).fill({ kind: "busy", scope: "share", limit: 200 }));
    expect(await Promise.race([first, "still running"])).toBe("still running");
    expect(await first).toBe("sleep1500");
    // And A was served all along.
    expect(text(await pool.run(job("a", "a-after")))).toBe("a-after");
  });

  it("jobs of no tenant (route discovery) are never refused and do not count as a tenant", async () => {
    pool = await WorkerPool.create({ size: 2, workerScript: script, tenantConcurrency: 1 });
    const none = { ...job("x", "sleep200"), tenant: undefined, app: undefined };
    const outcomes = await Promise.all([pool.run(none), pool.run(none), pool.run(job("b", "b0"))]);
    expect(outcomes.map(text)).toEqual(["sleep200", "sleep200", "b0"]);
    expect(pool.stats().tenants).toBe(1);
  });
});
