// Transpiles an uploaded component in a short-lived worker thread (transpile-worker.ts): jco's
// wasm-tools and transpiler run synchronously inside their own wasm, seconds for a 13 MB
// componentize-js component, which on the console's main thread would stall every other request.
// A transpile past the deadline is stopped. The worker runs from the server bundle
// (dist/server/transpile-worker.js, built by scripts/bundle-server.mjs before every start and test
// run), whose `import "@bytecodealliance/jco-transpile"` (left external: it loads wasm from beside
// its own files) resolves to the installed package.
import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";

export interface TranspileRequest {
  bytes: Uint8Array;
  /** The memory cap written into every core module of the artifact. */
  memoryMb: number;
}

export type TranspileAnswer =
  | { ok: true; artifact: Uint8Array<ArrayBuffer>; artifactSha256: string; sourceSha256: string; imports: string[]; exports: string[] }
  /** The component cannot run here: sentences a person can act on (ComponentRejected). */
  | { ok: false; problems: string[] }
  /** The transpiler failed in a way it does not explain (a bug): logged, not shown. */
  | { ok: false; error: string };

export class ComponentTranspileTimeout extends Error {
  override name = "ComponentTranspileTimeout";
}

/** Two at once: each worker holds the component, jco's wasm and the artifact in memory. */
const MAX_RUNNING = 2;
let running = 0;
const waiting: (() => void)[] = [];

export async function transpileComponentInWorker(request: TranspileRequest, { timeoutMs = 120_000 } = {}): Promise<TranspileAnswer> {
  const script = workerScript();
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await runOnce(script, request, timeoutMs);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function runOnce(script: string, request: TranspileRequest, timeoutMs: number): Promise<TranspileAnswer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: request });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new ComponentTranspileTimeout(`transpiling the component took longer than ${timeoutMs / 1000} s`));
    }, timeoutMs);
    worker.once("message", (answer: TranspileAnswer) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(answer);
    });
    worker.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    worker.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the component transpiler's worker exited (${code}) without an answer`));
    });
  });
}

const BUNDLE = path.join("dist", "server", "transpile-worker.js");

let bundledScript: string | undefined;

/**
 * The bundled worker, in the checkout this code runs from. Inside the console's Next.js build
 * `import.meta.dirname` is a folder of the build, so it is looked for from the working directory
 * too (`npm start` runs the console from the repository's root).
 */
function workerScript(): string {
  if (bundledScript) return bundledScript;
  const starts = [import.meta.dirname, process.cwd()].filter((d): d is string => typeof d === "string");
  for (const start of starts) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, BUNDLE))) return (bundledScript = path.join(dir, BUNDLE));
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`cannot find ${BUNDLE} above ${starts.join(" or ")}: build it with \`node scripts/bundle-server.mjs\``);
}
