import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fakePoolWorkerScript } from "@/lib/testing/fake-pool-worker";
import { WorkerPool, type PoolJob } from "./worker-pool";

// A stand-in worker speaking the pool protocol (lib/testing/fake-pool-worker.ts), so the pool's
// mechanics (deadline, crash, refill, module shipping) are tested without running real guests.
const dir = mkdtempSync(path.join(os.tmpdir(), "pool-test-"));
const script = fakePoolWorkerScript();

const module = new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));

function job(entrypoint: string, deadlineMs = 2000, moduleHash = "h1"): PoolJob {
  return {
    moduleHash,
    getModule: async () => ({ module, memory: null }),
    getBytes: async () => new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),
    deadlineMs,
    input: {
      request: { method: "GET", url: "http://x/", headers: [], body: new Uint8Array(), remoteAddr: "", route: "/" },
      entrypoint,
      env: {},
      maxResponseBytes: 1024,
    },
  };
}

const text = (outcome: Awaited<ReturnType<WorkerPool["run"]>>) =>
  outcome.kind === "ok" ? new TextDecoder().decode(outcome.result.body) : outcome.kind;

let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe("WorkerPool", () => {
  it("ships the module once per worker, then only its hash", async () => {
    pool = await WorkerPool.create({ size: 1, workerScript: script });
    const first = await pool.run(job("a"));
    const second = await pool.run(job("b"));
    expect(first.kind === "ok" && first.result.moduleMiss).toBe(true);
    expect(second.kind === "ok" && second.result.moduleMiss).toBe(false);
    expect(text(second)).toBe("b");
  });

  it("sends bytes by default, or the compiled module when asked to", async () => {
    pool = await WorkerPool.create({ size: 1, workerScript: script });
    const outcome = await pool.run(job("a"));
    expect(outcome.kind === "ok" && (outcome.result as unknown as { payloadKind: string }).payloadKind).toBe("bytes");
    await pool.close();
    pool = await WorkerPool.create({ size: 1, workerScript: script, transfer: "module" });
    const shared = await pool.run(job("a"));
    expect(shared.kind === "ok" && (shared.result as unknown as { payloadKind: string }).payloadKind).toBe("module");
  });

  it("resends the module when the worker has evicted it", async () => {
    pool = await WorkerPool.create({ size: 1, workerScript: script });
    await pool.run(job("forget"));
    const outcome = await pool.run(job("again"));
    expect(text(outcome)).toBe("again");
  });

  it("stops a job at its deadline, replaces the worker, and keeps serving others meanwhile", async () => {
    pool = await WorkerPool.create({ size: 2, workerScript: script });
    const spinning = pool.run(job("spin", 500));
    const others = await Promise.all(Array.from({ length: 20 }, (_, i) => pool!.run(job(`ok${i}`))));
    expect(others.every((o) => o.kind === "ok")).toBe(true);
    const outcome = await spinning;
    expect(outcome.kind).toBe("timeout");
    expect(outcome.kind === "timeout" && outcome.wallMs).toBeGreaterThanOrEqual(490);
    await expect.poll(() => pool!.stats().ready, { timeout: 5000 }).toBe(2);
    expect(pool.stats().respawns).toBe(1);
    expect(text(await pool.run(job("after")))).toBe("after");
  });

  it("requeues the jobs pipelined behind a runaway job instead of failing them", async () => {
    pool = await WorkerPool.create({ size: 1, workerScript: script, pipeline: 3 });
    const [spin, a, b] = await Promise.all([pool.run(job("spin", 300)), pool.run(job("a")), pool.run(job("b"))]);
    expect(spin.kind).toBe("timeout");
    expect([a, b].map(text)).toEqual(["a", "b"]);
  });

  it("takes back the jobs lined up behind a long job; they run elsewhere, once", async () => {
    const log = path.join(dir, `runs-${Date.now()}.log`);
    writeFileSync(log, "");
    process.env.FAKE_WORKER_LOG = log;
    try {
      pool = await WorkerPool.create({ size: 2, workerScript: script, pipeline: 4 });
      const long = pool.run(job("sleep400"));
      const quick = Array.from({ length: 6 }, (_, i) => pool!.run(job(`q${i}`)));
      const started = performance.now();
      expect((await Promise.all(quick)).map(text)).toEqual(["q0", "q1", "q2", "q3", "q4", "q5"]);
      // Done while the long job still ran: none waited for it.
      expect(performance.now() - started).toBeLessThan(350);
      expect(text(await long)).toBe("sleep400");
      // The worker that ran the long job met the jobs taken from it afterwards and dropped them.
      await pool.run(job("after"));
      const runs = readFileSync(log, "utf8").trim().split("\n").sort();
      expect(runs).toEqual(["after", "q0", "q1", "q2", "q3", "q4", "q5", "sleep400"]);
    } finally {
      delete process.env.FAKE_WORKER_LOG;
    }
  });

  it("replaces a worker before its job ids could overflow the shared Int32 cells", async () => {
    pool = await WorkerPool.create({ size: 1, workerScript: script, jobsPerWorker: 3 });
    for (let i = 0; i < 4; i++) {
      const outcomes = await Promise.all(Array.from({ length: 4 }, (_, j) => pool!.run(job(`r${i}-${j}`))));
      expect(outcomes.map(text)).toEqual(Array.from({ length: 4 }, (_, j) => `r${i}-${j}`));
    }
    // 16 jobs, 3 per worker: at least 5 retirements.
    expect(pool.stats().respawns).toBeGreaterThanOrEqual(5);
  });

  it("answers 'overloaded' to a job that waited for a worker longer than maxQueueWaitMs", async () => {
    pool = await WorkerPool.create({ size: 1, workerScript: script, pipeline: 1, maxQueueWaitMs: 200 });
    const long = pool.run(job("sleep600"));
    const started = performance.now();
    const waiting = await pool.run(job("late"));
    expect(waiting.kind).toBe("overloaded");
    expect(performance.now() - started).toBeLessThan(550);
    expect(text(await long)).toBe("sleep600");
    expect(text(await pool.run(job("after")))).toBe("after");
  });

  it("answers a crash only to the job that caused it and refills the pool", async () => {
    pool = await WorkerPool.create({ size: 2, workerScript: script });
    const [crash, fine] = await Promise.all([pool.run(job("crash")), pool.run(job("fine"))]);
    expect(crash.kind).toBe("crashed");
    expect(crash.kind === "crashed" && crash.message).toMatch(/exited with code 3/);
    expect(text(fine)).toBe("fine");
    const uncaught = await pool.run(job("throw"));
    expect(uncaught.kind === "crashed" && uncaught.message).toMatch(/boom/);
    await expect.poll(() => pool!.stats().ready, { timeout: 5000 }).toBe(2);
    const after = await Promise.all([pool.run(job("x")), pool.run(job("y"))]);
    expect(after.map(text)).toEqual(["x", "y"]);
  });

  it("with readyFirst, is ready with that many workers and starts the rest once it has answered a job", async () => {
    pool = await WorkerPool.create({ size: 3, readyFirst: 1, restStartMs: 60_000, workerScript: script });
    expect(pool.stats()).toMatchObject({ size: 3, ready: 1 });
    expect(text(await pool.run(job("first")))).toBe("first");
    await expect.poll(() => pool!.stats().ready, { timeout: 5000 }).toBe(3);
    const after = await Promise.all(["x", "y", "z"].map((name) => pool!.run(job(name))));
    expect(after.map(text)).toEqual(["x", "y", "z"]);
  });

  it("with readyFirst, starts the rest as soon as a second job comes while the first runs", async () => {
    pool = await WorkerPool.create({ size: 2, readyFirst: 1, restStartMs: 60_000, workerScript: script });
    const long = pool.run(job("sleep3000", 5000));
    expect(pool.stats().ready).toBe(1);
    // Answered by the second worker long before the first is free.
    expect(text(await pool.run(job("meanwhile")))).toBe("meanwhile");
    expect(pool.stats().busy).toBe(1);
    expect(text(await long)).toBe("sleep3000");
  });

  it("with readyFirst and no job, starts the rest all the same", async () => {
    pool = await WorkerPool.create({ size: 2, readyFirst: 1, restStartMs: 50, workerScript: script });
    expect(pool.stats().ready).toBe(1);
    await expect.poll(() => pool!.stats().ready, { timeout: 5000 }).toBe(2);
  });

  it("queues beyond the pool size and refuses beyond maxQueue", async () => {
    pool = await WorkerPool.create({ size: 1, workerScript: script, maxQueue: 2, pipeline: 1 });
    const runs = [pool.run(job("a")), pool.run(job("b")), pool.run(job("c"))];
    const refused = await pool.run(job("d"));
    expect(refused.kind).toBe("overloaded");
    expect((await Promise.all(runs)).map(text)).toEqual(["a", "b", "c"]);
  });
});
