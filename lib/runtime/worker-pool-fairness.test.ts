// The pool's fair share between tenants (issue #13 item 3, fair-share.ts), mostly with the
// stand-in worker: turns round-robin across tenants instead of first come first served, each tenant held
// to its share of the workers while others are active, a tenant alone using them all, and a
// tenant's excess refused at once ("busy", the gateway's 429) instead of filling the queue.
import { readdirSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { fakePoolWorkerScript } from "@/lib/testing/fake-pool-worker";
import { watToBinary } from "@/lib/wasm/test-support/compile-wat";
import { prepareModule } from "./module-cache";
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

  it("an app whose requests run long never takes the last open worker: two tenants' long requests leave one for a third", async () => {
    pool = await WorkerPool.create({ size: 2, workerScript: script });
    // B's and C's apps have run long before (their average is over 50 ms); A's have not.
    await Promise.all([pool.run(job("b", "sleep100")), pool.run(job("c", "sleep100")), pool.run(job("a", "warm-a"))]);
    const done: string[] = [];
    const finish = (name: string) => (o: PoolOutcome) => (done.push(name), o);
    const b = pool.run(job("b", "sleep600")).then(finish("b"));
    await new Promise((r) => setTimeout(r, 30));
    const c = pool.run(job("c", "sleep600")).then(finish("c"));
    await new Promise((r) => setTimeout(r, 30));
    const a = await Promise.all(Array.from({ length: 3 }, (_, i) => pool!.run(job("a", `a${i}`)).then(finish("a"))));
    expect(a.map(text)).toEqual(["a0", "a1", "a2"]);
    expect((await Promise.all([b, c])).map(text)).toEqual(["sleep600", "sleep600"]);
    // A ran while B held one worker; C waited for B's to end instead of taking the other.
    expect(done).toEqual(["a", "a", "a", "b", "c"]);
  });

  it("jobs of no tenant (route discovery) are never refused and do not count as a tenant", async () => {
    pool = await WorkerPool.create({ size: 2, workerScript: script, tenantConcurrency: 1 });
    const none = { ...job("x", "sleep200"), tenant: undefined, app: undefined };
    const outcomes = await Promise.all([pool.run(none), pool.run(none), pool.run(job("b", "b0"))]);
    expect(outcomes.map(text)).toEqual(["sleep200", "sleep200", "b0"]);
    expect(pool.stats().tenants).toBe(1);
  });
});

describe("a guest that runs long yields the CPU to short requests", () => {
  /** Spins on the monotonic clock for `ms`, then answers: a long request that ends by itself. */
  const spin = (ms: number) => `(module
    (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 512) "Content-Type: text/plain\\n\\nspun\\n")
    (func $now (result i64) (drop (call $clock (i32.const 1) (i64.const 1) (i32.const 0))) (i64.load (i32.const 0)))
    (func (export "_start") (local $end i64)
      (local.set $end (i64.add (call $now) (i64.const ${ms * 1_000_000})))
      (loop $spin (br_if $spin (i64.lt_u (call $now) (local.get $end))))
      (i32.store (i32.const 16) (i32.const 512))
      (i32.store (i32.const 20) (i32.const 31))
      (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))))`;

  /** Nice values of this process's threads (Linux), by thread id. */
  function niceValues(): Map<number, number> {
    const nice = new Map<number, number>();
    for (const tid of readdirSync(`/proc/${process.pid}/task`)) {
      try {
        // Field 19 is the nice value; the command name (field 2) may hold spaces, so count after its ")".
        const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, "utf8");
        nice.set(Number(tid), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]));
      } catch {
        // The thread ended meanwhile.
      }
    }
    return nice;
  }

  // Linux threads (/proc/<pid>/task): the machines this project runs on and is tested on.
  it("lowers the priority of a worker whose guest has run 200 ms, and replaces that worker when it ends", async () => {
    pool = await WorkerPool.create({ size: 2 });
    const bytes = await watToBinary(spin(1000));
    const long = pool.run({ ...job("b", "_start"), moduleHash: "spin", getModule: async () => prepareModule(bytes), getBytes: async () => bytes });
    const before = [...niceValues().values()].filter((n) => n >= 10).length;
    await new Promise((r) => setTimeout(r, 600));
    expect([...niceValues().values()].filter((n) => n >= 10).length).toBe(before + 1);
    const respawns = pool.stats().respawns;
    expect(text(await long)).toBe("spun\n");
    await expect.poll(() => pool!.stats().respawns, { timeout: 5000 }).toBe(respawns + 1);
    await expect.poll(() => [...niceValues().values()].filter((n) => n >= 10).length, { timeout: 5000 }).toBe(before);
  });
});
