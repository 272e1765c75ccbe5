// Main-thread side of the live preview: one worker at a time runs a job; past the deadline the
// worker is terminated (the only way to stop a wasm loop) and a fresh one is started on next use.
import { JS_WORKER_FILE } from "@/lib/javascript/js-app";
import type { CompileModuleJob, CompileModuleResult, PreviewJob, PreviewResult, RoutesJob, RoutesResult } from "./preview-protocol";

/** How long compiling a module may take before its run starts (then the run's deadline applies). */
const COMPILE_DEADLINE_MS = 60_000;

export class PreviewRunner {
  private worker: Worker | null = null;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  /** The module the current worker has compiled (its cache holds one), and whether it ran the engine's warm-up. */
  private compiled: { key: string; warm: boolean } | null = null;

  private spawn(): Worker {
    this.worker ??= new Worker(new URL("./preview-worker.ts", import.meta.url), { type: "module", name: "wasmcompute-preview" });
    return this.worker;
  }

  /** Starts the worker ahead of the first run (it loads lib/wasm). */
  warm(): void {
    this.spawn();
  }

  run(job: Omit<PreviewJob, "id" | "kind" | "deadlineMs">, deadlineMs: number): Promise<PreviewResult> {
    return this.enqueue(async () => {
      await this.compile(job, JS_WORKER_FILE in job.files);
      return this.runNow(job, deadlineMs);
    });
  }

  /** Compiles the module in the worker unless it already has; a failure is left for the run to report. */
  private async compile(job: { wasm: Uint8Array; moduleKey: string }, warmJsEngine = false): Promise<void> {
    if (this.compiled?.key === job.moduleKey && (this.compiled.warm || !warmJsEngine)) return;
    const id = this.nextId++;
    const result = await this.post<CompileModuleResult>({ id, kind: "compile", wasm: job.wasm, moduleKey: job.moduleKey, warmJsEngine } satisfies CompileModuleJob, COMPILE_DEADLINE_MS, (_kind, message) => ({ id, error: message }));
    this.compiled = result.error ? null : { key: job.moduleKey, warm: warmJsEngine };
  }

  /** The module's `_routes` ([] without the export), run under `deadlineMs` like a request. */
  routes(job: Omit<RoutesJob, "id" | "kind">, deadlineMs: number): Promise<RoutesResult> {
    return this.enqueue(async () => {
      await this.compile(job);
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

  private post<T extends { id: number }>(message: PreviewJob | RoutesJob | CompileModuleJob, deadlineMs: number, failed: (kind: string, message: string) => T): Promise<T> {
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
    this.compiled = null;
  }

  dispose(): void {
    this.kill();
  }
}
