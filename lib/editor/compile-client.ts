// Main-thread side of the compile worker. Only the newest request matters while typing, so compiles
// coalesce: at most one runs in the worker; while it runs only the newest request waits, and one it
// replaces answers `skipped` without being sent. A build therefore never queues behind builds of
// sources already typed over, and the caller still drops any answer that is not its latest.
// A compile of the same sources as the one running, or (when idle) as the last one answered, takes
// that answer: the editor's first build finds the one the app page or the editor page started.
import { isBinaryPath } from "@/lib/sources/source-files";
import type { CompileJob, CompileReply } from "./compile-protocol";

/** The cold compiler's load and first compile as the worker timed them, and what the network carried for Binaryen's wasm (0: from the HTTP cache). */
export interface CompilerWarmInfo {
  loadMs: number;
  compileMs: number;
  wasmTransferBytes: number | null;
}

type Waiting = { job: CompileJob; key: string; resolvers: ((reply: CompileReply) => void)[] };

/** What decides a compile's output: the same key, the same answer. */
function compileKey(job: Omit<CompileJob, "id">): string {
  return JSON.stringify([job.language, job.entry, job.bundle ?? null, Object.entries(job.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
}

/** Opens the compile worker; tests pass a stand-in. */
export type CreateCompileWorker = () => Worker;

const openCompileWorker: CreateCompileWorker = () => new Worker(new URL("./compile-worker.ts", import.meta.url), { type: "module", name: "wasmcompute-compiler" });

export class CompileClient {
  private worker: Worker | null = null;
  private nextId = 1;
  /** The compile the worker is running (at most one). */
  private running: Waiting | null = null;
  /** The newest compile asked for while one runs; sent when it answers. */
  private waiting: Waiting | null = null;
  /** The last compile the worker answered (this tab's own sources, in memory only). */
  private last: { key: string; reply: CompileReply } | null = null;
  private warmListeners = new Set<(info: CompilerWarmInfo) => void>();
  /** Set once the AssemblyScript compiler is loaded and JIT-warmed (its first load is slow). */
  warmed: CompilerWarmInfo | null = null;

  constructor(private readonly createWorker: CreateCompileWorker = openCompileWorker) {}

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
      this.worker = this.createWorker();
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
        if (e.data.id !== this.running?.job.id) return;
        const done = this.running;
        this.running = null;
        if (!e.data.skipped) this.last = { key: done.key, reply: e.data };
        for (const resolve of done.resolvers) resolve(e.data);
        this.sendWaiting();
      };
      // A worker that fails to load (or crashes) answers every waiting compile with the reason.
      this.worker.onerror = (e) => {
        const message = `The compiler could not run in this browser: ${e.message || "the compile worker failed to start"}`;
        for (const w of this.takeAll()) for (const resolve of w.resolvers) resolve({ id: w.job.id, wasm: null, ms: 0, diagnostics: [{ file: "", line: 1, column: 1, endLine: 1, endColumn: 1, message, severity: "error" }] });
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

  /** Compiles now if the worker is idle, else after the running compile; a newer call first answers this one `skipped`. */
  compile(language: CompileJob["language"], files: Record<string, string>, entry: string, options: { bundle?: boolean } = {}): Promise<CompileReply> {
    const job: CompileJob = { id: this.nextId++, language, files, entry, ...options };
    const key = compileKey(job);
    return new Promise((resolve) => {
      if (this.running?.key === key) {
        this.supersedeWaiting(null);
        this.running.resolvers.push(resolve);
      } else if (!this.running && this.last?.key === key) {
        resolve(this.last.reply);
      } else {
        this.supersedeWaiting({ job, key, resolvers: [resolve] });
        if (!this.running) this.sendWaiting();
      }
    });
  }

  /** Compiles ahead of the editor (its answer serves the editor's first build), only when no compile runs or waits: it never replaces one. */
  precompile(language: CompileJob["language"], files: Record<string, string>, entry: string, options: { bundle?: boolean } = {}): void {
    if (!this.running && !this.waiting) void this.compile(language, files, entry, options);
  }

  private supersedeWaiting(next: Waiting | null): void {
    const superseded = this.waiting;
    this.waiting = next;
    if (superseded) for (const resolve of superseded.resolvers) resolve({ id: superseded.job.id, wasm: null, ms: 0, diagnostics: [], skipped: true });
  }

  private sendWaiting(): void {
    if (!this.waiting) return;
    this.running = this.waiting;
    this.waiting = null;
    this.spawn().postMessage(this.running.job);
  }

  private takeAll(): Waiting[] {
    const all = [this.running, this.waiting].filter((w): w is Waiting => w !== null);
    this.running = this.waiting = null;
    return all;
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.warmed = null;
    this.last = null;
    this.takeAll();
  }
}

/** The files the editor hands the compiler: every source, no prebuilt binary. */
export function compiledSources(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).filter(([p]) => !isBinaryPath(p)));
}

let shared: CompileClient | null = null;

/**
 * The tab's one compile worker, kept across client-side navigations: the app page starts loading the
 * compiler (prewarm-compiler.ts) and the editor opened from it finds the compiler loaded, or loading.
 */
export function sharedCompileClient(): CompileClient {
  return (shared ??= new CompileClient());
}
