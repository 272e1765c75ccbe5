// Test helper for kv-bridge.test.ts: a worker that makes blocking kv calls the way a guest does.
import { parentPort, workerData } from "node:worker_threads";
import { KvBridgeClient, type KvWorkerEnd } from "./kv-bridge";

const { end, jobId } = workerData as { end: KvWorkerEnd; jobId: number };
const kv = new KvBridgeClient(end, 5_000).forJob(jobId);

parentPort!.on("message", (script: string) => {
  const out: unknown[] = [];
  const started = performance.now();
  try {
    if (script === "basic") {
      kv.set("a", new TextEncoder().encode("1"));
      out.push(new TextDecoder().decode(kv.get("a")!));
      out.push(kv.get("missing"));
      out.push(kv.delete("a"));
      out.push(kv.increment("n", 5n));
      out.push(kv.compareAndSet("c", null, new Uint8Array([1])));
      out.push(kv.list(""));
    } else if (script === "slow") {
      out.push(kv.get("slow"));
    } else if (script === "fail") {
      kv.set("too-big", new Uint8Array(10));
    } else if (script === "many") {
      for (let i = 0; i < 1000; i++) kv.increment("n", 1n);
      out.push(kv.increment("n", 0n));
    }
    parentPort!.postMessage({ ok: true, out, ms: performance.now() - started });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
});
parentPort!.postMessage("ready");
