// Main-thread side of the compile worker. Only the newest request matters while typing: an older
// one still answers, and the caller drops results that are not the latest.
import type { CompileJob, CompileReply } from "./compile-protocol";

/** The cold compiler's load and first compile as the worker timed them, and what the network carried for Binaryen's wasm (0: from the HTTP cache). */
export interface CompilerWarmInfo {
  loadMs: number;
  compileMs: number;
  wasmTransferBytes: number | null;
}

export class CompileClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, (r: CompileReply) => void>();
  private warmListeners = new Set<(info: CompilerWarmInfo) => void>();
  /** Set once the AssemblyScript compiler is loaded and JIT-warmed (its first load is slow). */
  warmed: CompilerWarmInfo | null = null;

  /** Calls `listener` once the AssemblyScript compiler is warm (right away if it is); returns the unsubscribe. */
  whenWarmed(listener: (info: CompilerWarmInfo) => void): () => void {
    if (this.warmed) {
      listener(this.warmed);
      return () => undefined;
    }
    this.warmListeners.add(listener);
    return () => this.warmListeners.delete(listener);
  }

  private spawn(): Worker {
    if (!this.worker) {
      this.worker = new Worker(new URL("./compile-worker.ts", import.meta.url), { type: "module", name: "wasmcompute-compiler" });
      this.worker.onmessage = (e: MessageEvent<CompileReply & { warmed?: string } & Partial<CompilerWarmInfo>>) => {
        if (e.data.warmed) {
          const info = { loadMs: e.data.loadMs ?? 0, compileMs: e.data.compileMs ?? 0, wasmTransferBytes: e.data.wasmTransferBytes ?? null };
          this.warmed = info;
          // For bench/ide and the e2e stories: the cold compiler's load and first compile, as the worker timed them.
          performance.mark("wasmcompute:compiler-warm", { detail: info });
          for (const listener of this.warmListeners) listener(info);
          this.warmListeners.clear();
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
        this.warmed = null;
      };
    }
    return this.worker;
  }

  /** Starts the worker (its script is large) before the page knows which compiler it needs. */
  start(): void {
    this.spawn();
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
    this.warmed = null;
    this.pending.clear();
  }
}

let shared: CompileClient | null = null;

/**
 * The tab's one compile worker, kept across client-side navigations: the app page starts loading the
 * compiler (prewarm-compiler.ts) and the editor opened from it finds the compiler loaded, or loading.
 */
export function sharedCompileClient(): CompileClient {
  return (shared ??= new CompileClient());
}
