// Pool faults with real guests (fixtures/wasm): a runaway job that had been lined up behind
// another runaway, and so went back to the queue when that one's worker was stopped, must still
// be stopped at its own deadline wherever it runs next.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { WorkerPool, type PoolJob, type PoolOutcome } from "./worker-pool";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");

function job(fixture: string, deadlineMs: number): PoolJob {
  const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, `${fixture}.wasm`)));
  return {
    moduleHash: fixture,
    getModule: async () => ({ module: new WebAssembly.Module(bytes), memory: null }),
    getBytes: async () => bytes,
    deadlineMs,
    input: {
      request: { method: "GET", url: "http://x/", headers: [], body: new Uint8Array(), remoteAddr: "", route: "/...", scriptName: "" },
      entrypoint: "_start",
      env: {},
      maxResponseBytes: 1 << 20,
    },
  };
}

const within = (ms: number, outcome: Promise<PoolOutcome>) =>
  Promise.race([outcome, new Promise<"still running">((r) => setTimeout(() => r("still running"), ms))]);

let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

it("stops a requeued runaway at its deadline on the worker it moves to", async () => {
  pool = await WorkerPool.create({ size: 2 });
  // Warm both workers so they hold hello.
  await Promise.all(Array.from({ length: 4 }, () => pool!.run(job("hello-wat", 5000))));
  // Submitted together: the first loop takes one worker, a hello the other, and the second loop
  // is lined up behind the first (both just started).
  const first = pool.run(job("loop", 600));
  const hello = pool.run(job("hello-wat", 5000));
  const second = pool.run(job("loop", 600));
  expect((await hello).kind).toBe("ok");
  // Meanwhile the free worker finishes jobs submitted later than the second loop.
  for (let i = 0; i < 5; i++) expect((await pool.run(job("hello-wat", 5000))).kind).toBe("ok");
  expect((await first).kind).toBe("timeout");
  // The second loop went back to the queue and runs elsewhere now: its own deadline must stop it.
  expect(await within(5000, second)).toMatchObject({ kind: "timeout" });
  // And the pool serves again.
  expect((await within(5000, pool.run(job("hello-wat", 5000)))) as PoolOutcome).toMatchObject({ kind: "ok" });
});

it("stops a runaway whose module loads slowly even when jobs lined up behind it are ready first", async () => {
  pool = await WorkerPool.create({ size: 1 });
  await pool.run(job("hello-wat", 5000)); // the worker holds hello, not loop
  // The runaway's module takes a while to arrive (a compile, a database read); the hellos lined
  // up behind it need nothing loaded. They must not overtake it on the worker.
  const slow = job("loop", 600);
  const getModule = slow.getModule;
  slow.getModule = async () => {
    await new Promise((r) => setTimeout(r, 150));
    return getModule();
  };
  const runaway = pool.run(slow);
  const behind = Array.from({ length: 3 }, () => pool!.run(job("hello-wat", 5000)));
  expect(await within(5000, runaway)).toMatchObject({ kind: "timeout" });
  for (const outcome of behind) expect(await within(5000, outcome)).toMatchObject({ kind: "ok" });
});

it("takes back the jobs lined up behind a runaway and runs them on a free worker, not after its deadline", async () => {
  pool = await WorkerPool.create({ size: 2, pipeline: 4 });
  await Promise.all(Array.from({ length: 4 }, () => pool!.run(job("hello-wat", 5000))));
  // Submitted together: the loop heads one worker's line and some hellos are lined up behind it
  // before it has run long enough to look like a runaway.
  const runaway = pool.run(job("loop", 3000));
  const started = performance.now();
  const hellos = Array.from({ length: 6 }, () => pool!.run(job("hello-wat", 5000)));
  for (const outcome of hellos) expect(await within(1500, outcome)).toMatchObject({ kind: "ok" });
  // All answered while the loop still ran: none waited for its 3 s deadline.
  expect(performance.now() - started).toBeLessThan(2500);
  expect(await within(6000, runaway)).toMatchObject({ kind: "timeout" });
});
