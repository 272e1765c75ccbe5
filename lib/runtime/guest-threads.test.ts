import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { fakePoolWorkerScript } from "@/lib/testing/fake-pool-worker";
import { startGuestThreadsEarly, takeEarlyThread } from "./guest-threads";
import { WorkerPool } from "./worker-pool";

// The pool protocol's stand-in worker (lib/testing/fake-pool-worker.ts): it answers a job with its entrypoint's name.
const script = fakePoolWorkerScript();

// A thread keeps the environment it started with: the fake worker appends the jobs it runs to FAKE_WORKER_LOG,
// so each log file says which threads (started early, or by the pool) ran jobs.
const dir = mkdtempSync(path.join(os.tmpdir(), "guest-threads-test-"));
const ranJobs = (log: string) => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : []);

let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
  delete process.env.FAKE_WORKER_LOG;
});

async function answers(p: WorkerPool): Promise<string> {
  const outcome = await p.run({
    moduleHash: "h1",
    getModule: async () => ({ module: new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])), memory: null }),
    getBytes: async () => new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),
    deadlineMs: 5000,
    input: { request: { method: "GET", url: "http://x/", headers: [], body: new Uint8Array(), remoteAddr: "", route: "/" }, entrypoint: "hi", env: {}, maxResponseBytes: 1024 },
  });
  return outcome.kind === "ok" ? new TextDecoder().decode(outcome.result.body) : outcome.kind;
}

it("a pool adopts the threads started early for it, ready or not, and ends those it does not take", async () => {
  process.env.FAKE_WORKER_LOG = path.join(dir, "early-1.log");
  expect(startGuestThreadsEarly({ GATEWAY_WORKERS: "3", GATEWAY_WORKER_HEAP_MB: "64" }, false, { script })).toBe(3);
  // Long enough for the threads to have said "ready" before the pool exists: the pool hears it all the same.
  await new Promise((r) => setTimeout(r, 300));
  process.env.FAKE_WORKER_LOG = path.join(dir, "pool-1.log");
  pool = await WorkerPool.create({ size: 2, workerHeapMb: 64, workerScript: script });
  expect(pool.stats().ready).toBe(2);
  expect(await answers(pool)).toBe("hi");
  expect(ranJobs(path.join(dir, "early-1.log"))).toEqual(["hi"]);
  expect(ranJobs(path.join(dir, "pool-1.log"))).toEqual([]);
  expect(takeEarlyThread(script, 64)).toBeUndefined();
});

it("a pool of another heap cap starts its own threads; the early ones are ended", async () => {
  process.env.FAKE_WORKER_LOG = path.join(dir, "early-2.log");
  expect(startGuestThreadsEarly({ GATEWAY_WORKERS: "1", GATEWAY_WORKER_HEAP_MB: "64" }, false, { script })).toBe(1);
  process.env.FAKE_WORKER_LOG = path.join(dir, "pool-2.log");
  pool = await WorkerPool.create({ size: 1, workerHeapMb: 128, workerScript: script });
  expect(await answers(pool)).toBe("hi");
  expect(ranJobs(path.join(dir, "early-2.log"))).toEqual([]);
  expect(ranJobs(path.join(dir, "pool-2.log"))).toEqual(["hi"]);
  expect(takeEarlyThread(script, 64)).toBeUndefined();
});

it("starts at most `atMost` (the gateway: its pool's readyFirst; the pool starts the others)", async () => {
  expect(startGuestThreadsEarly({ GATEWAY_WORKERS: "3", GATEWAY_WORKER_HEAP_MB: "64" }, false, { script, atMost: 1 })).toBe(1);
  pool = await WorkerPool.create({ size: 3, readyFirst: 1, workerHeapMb: 64, workerScript: script });
  expect(takeEarlyThread(script, 64)).toBeUndefined();
  expect(await answers(pool)).toBe("hi");
  await expect.poll(() => pool!.stats().ready, { timeout: 5000 }).toBe(3);
});

it("starts none in a cluster's primary, or when a setting is not a whole number (the settings check then says why)", () => {
  expect(startGuestThreadsEarly({ GATEWAY_PROCESSES: "2" }, true, { script })).toBe(0);
  expect(startGuestThreadsEarly({ GATEWAY_WORKERS: "two" }, false, { script })).toBe(0);
  expect(startGuestThreadsEarly({ GATEWAY_WORKER_HEAP_MB: "1.5" }, false, { script })).toBe(0);
  expect(takeEarlyThread(script, 512)).toBeUndefined();
});
