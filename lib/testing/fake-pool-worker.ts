// A stand-in guest worker speaking the pool's protocol (worker-protocol.ts), so the pool's
// mechanics (deadline, crash, refill, module shipping, fair share) are tested without real guests.
// A job's entrypoint says what it does: "crash", "throw", "spin" (for ever), "sleepN" (N ms),
// "forget" (drop its modules); anything else answers its own name at once.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const FAKE_WORKER = `
import { appendFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
const progress = workerData.progress;
const known = new Set();
const queue = [];
let waiting = null;
// Claims a job before running it, as wagi-worker.ts does (PROGRESS_STARTED in worker-protocol.ts).
let lastClaimed = 0;
let reclaimedUpTo = 0;
function claim(id) {
  if (id <= reclaimedUpTo) return false;
  const seen = Atomics.compareExchange(progress, 2, lastClaimed, id);
  if (seen === lastClaimed) { lastClaimed = id; return true; }
  reclaimedUpTo = Math.max(reclaimedUpTo, -seen);
  Atomics.store(progress, 2, lastClaimed);
  return claim(id);
}
function run(job) {
  const action = job.input.entrypoint;
  if (process.env.FAKE_WORKER_LOG) appendFileSync(process.env.FAKE_WORKER_LOG, action + "\\n");
  Atomics.store(progress, 0, job.id);
  if (action === "crash") process.exit(3);
  if (action === "throw") setTimeout(() => { throw new Error("boom"); });
  if (action === "spin") for (;;) {}
  if (action.startsWith("sleep")) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(action.slice(5)));
  if (action === "forget") known.clear();
  const result = { status: 200, headers: [], body: new TextEncoder().encode(action), stderr: "",
    exitCode: 0, memoryBytes: 0, logs: [], runMs: 0,
    moduleMiss: !!job.payload, payloadKind: job.payload ? ("bytes" in job.payload ? "bytes" : "module") : null };
  if (action !== "throw") parentPort.postMessage({ type: "done", id: job.id, result });
  Atomics.store(progress, 0, 0);
  Atomics.store(progress, 1, job.id);
}
function drain() {
  while (!waiting && queue.length) {
    const job = queue[0];
    if (!job.claimed) {
      if (!claim(job.id)) { queue.shift(); continue; }
      job.claimed = true;
    }
    if (!known.has(job.moduleHash)) {
      if (!job.payload) { waiting = job; parentPort.postMessage({ type: "miss", id: job.id, what: "module" }); return; }
      known.add(job.moduleHash);
    }
    queue.shift();
    run(job);
  }
}
parentPort.on("message", (m) => {
  if (m.type === "payload") { waiting.payload = m.payload; waiting = null; return drain(); }
  queue.push(...m.jobs);
  drain();
});
parentPort.postMessage({ type: "ready" });
`;

let scriptPath: string | undefined;

/** Path of the fake worker's script (written once per test process). */
export function fakePoolWorkerScript(): string {
  if (!scriptPath) {
    scriptPath = path.join(mkdtempSync(path.join(os.tmpdir(), "fake-pool-worker-")), "fake-worker.mjs");
    writeFileSync(scriptPath, FAKE_WORKER);
  }
  return scriptPath;
}
