// Main-thread side of the live preview: one worker at a time runs a job; past the deadline the
// worker is terminated (the only way to stop a wasm loop) and a fresh one is started on next use.
import type { PreviewJob, PreviewResult, RoutesJob, RoutesResult } from "./preview-protocol";

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

  run(job: Omit<PreviewJob, "id" | "kind" | "deadlineMs">, deadlineMs: number): Promise<PreviewResult> {
    return this.enqueue(() => this.runNow(job, deadlineMs));
  }

  /** The module's `_routes` ([] without the export), run under `deadlineMs` like a request. */
  routes(job: Omit<RoutesJob, "id" | "kind">, deadlineMs: number): Promise<RoutesResult> {
    return this.enqueue(() => {
      const id = this.nextId++;
      return this.post<RoutesResult>({ ...job, id, kind: "routes" } satisfies RoutesJob, deadlineMs, (kind, message) => ({
        id,
        routes: [],
        error: kind === "timeout" ? `_routes did not finish within ${deadlineMs} ms.` : `_routes failed: ${message}`,
      }));
    });
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private post<T extends { id: number }>(message: PreviewJob | RoutesJob, deadlineMs: number, failed: (kind: string, message: string) => T): Promise<T> {
    const worker = this.spawn();
    return new Promise((resolve) => {
      const finish = (result: T) => {
        clearTimeout(timer);
        worker.removeEventListener("message", onMessage);
        worker.removeEventListener("error", onError);
        resolve(result);
      };
      const onMessage = (e: MessageEvent<T>) => {
        if (e.data.id === message.id) finish(e.data);
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
      worker.postMessage(message);
    });
  }

  private runNow(job: Omit<PreviewJob, "id" | "kind" | "deadlineMs">, deadlineMs: number): Promise<PreviewResult> {
    const id = this.nextId++;
    const started = performance.now();
    return this.post<PreviewResult>({ ...job, id, kind: "run", deadlineMs }, deadlineMs, (kind, message) => ({
      id, status: 500, headers: [], body: new Uint8Array(0), stderr: "", logs: [], exitCode: -1, memoryBytes: 0,
      durationMs: performance.now() - started, error: { kind, message }, kv: job.kv,
    }));
  }

  private kill(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  dispose(): void {
    this.kill();
  }
}
