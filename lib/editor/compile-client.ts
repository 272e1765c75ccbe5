// Main-thread side of the compile worker. Only the newest request matters while typing: an older
// one still answers, and the caller drops results that are not the latest.
import type { CompileJob, CompileReply } from "./compile-protocol";

export class CompileClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, (r: CompileReply) => void>();
  /** Called once the AssemblyScript compiler is loaded and JIT-warmed (its first load is slow). */
  onWarmed: ((info: { loadMs: number; compileMs: number }) => void) | null = null;

  private spawn(): Worker {
    if (!this.worker) {
      this.worker = new Worker(new URL("./compile-worker.ts", import.meta.url), { type: "module", name: "wasmcompute-compiler" });
      this.worker.onmessage = (e: MessageEvent<CompileReply & { warmed?: string; loadMs?: number; compileMs?: number }>) => {
        if (e.data.warmed) {
          const info = { loadMs: e.data.loadMs ?? 0, compileMs: e.data.compileMs ?? 0 };
          // For bench/ide: the cold compiler's load and first compile, as the worker timed them.
          performance.mark("wasmcompute:compiler-warm", { detail: info });
          this.onWarmed?.(info);
          return;
        }
        this.pending.get(e.data.id)?.(e.data);
        this.pending.delete(e.data.id);
      };
      // A worker that fails to load (or crashes) answers every waiting compile with the reason.
      this.worker.onerror = (e) => {
        const message = `The compiler could not run in this browser: ${e.message || "the compile worker failed to start"}`;
        for (const [id, resolve] of this.pending) resolve({ id, wasm: null, ms: 0, diagnostics: [{ file: "", line: 1, column: 1, endLine: 1, endColumn: 1, message, severity: "error" }] });
        this.pending.clear();
        this.worker?.terminate();
        this.worker = null;
      };
    }
    return this.worker;
  }

  warm(language: CompileJob["language"]): void {
    this.spawn().postMessage({ warm: language });
  }

  compile(language: CompileJob["language"], files: Record<string, string>, entry: string, options: { bundle?: boolean } = {}): Promise<CompileReply> {
    const id = this.nextId++;
    const worker = this.spawn();
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage({ id, language, files, entry, ...options } satisfies CompileJob);
    });
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.pending.clear();
  }
}
