// The bridge with a real worker_threads Worker: blocking calls answered by the main thread,
// errors, isolation by job, a main thread that stays free while a worker waits, termination.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createKvChannel, serveKvBridge } from "./kv-bridge";
import type { KvSession } from "../deployment-record/ports";

let script: string;
beforeAll(async () => {
  const result = await build({
    entryPoints: [path.join(import.meta.dirname, "kv-bridge.test-worker.ts")],
    bundle: true, format: "esm", platform: "node", target: "node20", write: false, logLevel: "silent",
  });
  script = path.join(mkdtempSync(path.join(os.tmpdir(), "kv-bridge-")), "worker.mjs");
  writeFileSync(script, result.outputFiles[0]!.text);
});

/** An in-memory session, with hooks to slow or fail calls. */
function memorySession(options: { delayMs?: number; maxValue?: number } = {}): KvSession & { data: Map<string, Uint8Array> } {
  const data = new Map<string, Uint8Array>();
  const wait = () => new Promise((r) => setTimeout(r, options.delayMs ?? 0));
  return {
    data,
    async get(key) { await wait(); return data.get(key) ?? null; },
    async set(key, value) {
      if (options.maxValue !== undefined && value.length > options.maxValue) throw new Error(`value over ${options.maxValue} bytes`);
      data.set(key, value);
    },
    async delete(key) { return data.delete(key); },
    async list(prefix) { return { keys: [...data.keys()].filter((k) => k.startsWith(prefix)).sort(), more: false }; },
    async increment(key, by) {
      const next = BigInt(new TextDecoder().decode(data.get(key) ?? new TextEncoder().encode("0"))) + by;
      data.set(key, new TextEncoder().encode(next.toString()));
      return next;
    },
    async compareAndSet(key, expected, value) {
      const current = data.get(key) ?? null;
      if ((current === null) !== (expected === null)) return false;
      if (current && expected && Buffer.compare(current, expected) !== 0) return false;
      data.set(key, value);
      return true;
    },
    async commit() {},
    discard() {},
  };
}

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

async function start(sessions: Map<number, KvSession>, jobId: number) {
  const channel = createKvChannel();
  const detach = serveKvBridge(channel.parent, (id) => sessions.get(id));
  const worker = new Worker(script, { workerData: { end: channel.worker, jobId }, transferList: [channel.worker.port] });
  workers.push(worker);
  await new Promise<void>((resolve) => worker.once("message", () => resolve()));
  const run = (name: string) =>
    new Promise<{ ok: boolean; out?: unknown[]; error?: string; ms?: number }>((resolve) => {
      worker.once("message", resolve);
      worker.postMessage(name);
    });
  return { worker, run, detach };
}

describe("kv bridge", () => {
  it("answers blocking calls from the worker with the job's session", async () => {
    const session = memorySession();
    const { run } = await start(new Map([[7, session]]), 7);
    const result = await run("basic");
    expect(result).toMatchObject({ ok: true, out: ["1", null, true, 5n, true, ["c", "n"]] });
    expect(new TextDecoder().decode(session.data.get("n"))).toBe("5");
  });

  it("reports a session's error to the guest as an error, not a crash", async () => {
    const { run } = await start(new Map([[1, memorySession({ maxValue: 4 })]]), 1);
    expect(await run("fail")).toEqual({ ok: false, error: "KvBridgeError: value over 4 bytes" });
  });

  it("refuses calls from a job that has no session: never another job's data", async () => {
    const { run } = await start(new Map([[1, memorySession()]]), 2);
    expect(await run("basic")).toEqual({ ok: false, error: "KvBridgeError: no key-value store is attached to this request" });
  });

  it("keeps the main thread free while a worker waits for a slow answer", async () => {
    const { run } = await start(new Map([[1, memorySession({ delayMs: 200 })]]), 1);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const result = await run("slow");
    clearInterval(timer);
    expect(result).toMatchObject({ ok: true, out: [null] });
    expect(result.ms).toBeGreaterThanOrEqual(190);
    expect(ticks).toBeGreaterThan(10);
  });

  it("round-trips fast enough for a guest loop", async () => {
    const session = memorySession();
    const { run } = await start(new Map([[1, session]]), 1);
    const result = await run("many");
    expect(result.out).toEqual([1000n]);
    // 1001 calls; a loose bound that still catches a per-call sleep or timer.
    expect(result.ms!).toBeLessThan(5000);
    console.log(`kv bridge: ${((result.ms! * 1000) / 1001).toFixed(1)} µs per call`);
  });

  it("a worker terminated while it waits leaves the bridge serving others", async () => {
    const sessions = new Map<number, KvSession>([[1, memorySession({ delayMs: 300 })], [2, memorySession()]]);
    const a = await start(sessions, 1);
    const pending = a.run("slow");
    await new Promise((r) => setTimeout(r, 50));
    const code = await a.worker.terminate();
    expect(code).toBe(1);
    void pending;
    const b = await start(sessions, 2);
    expect(await b.run("basic")).toMatchObject({ ok: true });
    // The late answer to the dead worker is dropped without an error.
    await new Promise((r) => setTimeout(r, 300));
  });
});
