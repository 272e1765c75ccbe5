// Main-thread side of the live preview: one worker at a time runs a job; past the deadline the
// worker is terminated (the only way to stop a wasm loop) and a fresh one is started on next use.
import type { PreviewJob, PreviewResult } from "./preview-protocol";

export class PreviewRunner {
  private worker: Worker | null = null;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();

  private spawn(): Worker {
    this.worker ??= new Worker(new URL("./preview-worker.ts", import.meta.url), { type: "module", name: "wasmcompute-preview" });
    return this.worker;
  }

  /** Starts the worker ahead of the first run (it loads lib/wasm). */
  warm(): void {
    this.spawn();
  }

  run(job: Omit<PreviewJob, "id">, deadlineMs: number): Promise<PreviewResult> {
    const next = this.queue.then(() => this.runNow(job, deadlineMs));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private runNow(job: Omit<PreviewJob, "id">, deadlineMs: number): Promise<PreviewResult> {
    const id = this.nextId++;
    const worker = this.spawn();
    const started = performance.now();
    return new Promise((resolve) => {
      const finish = (result: PreviewResult) => {
        clearTimeout(timer);
        worker.removeEventListener("message", onMessage);
        worker.removeEventListener("error", onError);
        resolve(result);
      };
      const failed = (kind: string, message: string): PreviewResult => ({
        id, status: 500, headers: [], body: new Uint8Array(0), stderr: "", logs: [], exitCode: -1, memoryBytes: 0,
        durationMs: performance.now() - started, error: { kind, message }, kv: job.kv,
      });
      const onMessage = (e: MessageEvent<PreviewResult>) => {
        if (e.data.id === id) finish(e.data);
      };
      const onError = (e: ErrorEvent) => {
        this.kill();
        finish(failed("worker", e.message || "the preview worker failed"));
      };
      const timer = setTimeout(() => {
        this.kill();
        finish(failed("timeout", `Stopped after ${deadlineMs} ms (the app's timeoutMs): the module did not finish. The gateway would answer 504.`));
      }, deadlineMs);
      worker.addEventListener("message", onMessage);
      worker.addEventListener("error", onError);
      // The module bytes are copied (not transferred): the editor keeps them for publishing.
      worker.postMessage({ ...job, id } satisfies PreviewJob);
    });
  }

  private kill(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  dispose(): void {
    this.kill();
  }
}
