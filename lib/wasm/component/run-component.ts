// One HTTP request through a WASI 0.2 component (wasi:http/incoming-handler): the publish-time
// artifact's glue instantiates its core modules afresh for every request, against our p2 host
// (p2-host.ts). The result has runWagi's shape, so the gateway and the IDE preview treat both
// ABIs alike: same response caps, log budget, error kinds.
import { describeThrown } from "../guest-error";
import { GUEST_LOG_LIMITS, LogBudget, type GuestLogLimits } from "../log-budget";
import { OutputTooLarge } from "../output-sink";
import type { WagiResponse } from "../run-wagi";
import { isConsoleCookie, withoutConsoleCookies, type WagiRequest } from "../wagi-environment";
import type { HostCallbacks, LogLevel } from "../wasmcompute-imports";
import { unpackComponentArtifact, type ComponentArtifact } from "./artifact";
import { ComponentExit, ComponentRun, handlerArguments, p2Imports, withRun } from "./p2-host";
import { HANDLER_INTERFACE } from "./world";
import { joinBytes } from "../wasm-binary";

type Instantiate = (
  getCoreModule: (name: string) => WebAssembly.Module,
  imports: object,
  instantiateCore: (module: WebAssembly.Module, imports?: WebAssembly.Imports) => WebAssembly.Instance,
) => Record<string, { handle?: (...args: unknown[]) => void }>;

/** A component ready to serve: its glue evaluated and its core modules compiled (once per worker). */
export interface LoadedComponent {
  instantiate: Instantiate;
  cores: Map<string, WebAssembly.Module>;
  /** The export key of the handler in what `instantiate` returns, e.g. "wasi:http/incoming-handler@0.2.0". */
  handlerExport: string;
}

// The glue sees this WebAssembly: jco wraps exports for JSPI eagerly (WebAssembly.promising costs
// about a millisecond per instance), and we never suspend, so a wrapper is made only if called.
const lazyWasm = Object.assign(Object.create(WebAssembly) as typeof WebAssembly, {
  promising: (f: (...a: unknown[]) => unknown) => {
    let wrapped: ((...a: unknown[]) => unknown) | undefined;
    return (...a: unknown[]) => (wrapped ??= (WebAssembly as unknown as { promising(f: unknown): (...a: unknown[]) => unknown }).promising(f))(...a);
  },
});
// ...and this globalThis: only WebAssembly. The glue's debug logging reads process.env on every
// call when it can reach it.
const glueGlobal = Object.freeze({ WebAssembly: lazyWasm });

/** Evaluates jco's glue (an ES module exporting `instantiate`) into its instantiate function. */
function evaluateGlue(glue: string): Instantiate {
  const body = glue.replace(/^"use components";/, "").replace(/^export /gm, "");
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the glue is ours: made by jco at publish from the app's component
  return new Function("globalThis", "WebAssembly", `${body}\nreturn instantiate;`)(glueGlobal, lazyWasm) as Instantiate;
}

/** Compiles the artifact's core modules here (synchronously: worker threads only) and evaluates its glue. */
export function loadComponent(artifactOrBytes: ComponentArtifact | Uint8Array): LoadedComponent {
  const artifact = artifactOrBytes instanceof Uint8Array ? unpackComponentArtifact(artifactOrBytes) : artifactOrBytes;
  const cores = artifact.cores.map((c) => ({ name: c.name, module: new WebAssembly.Module(c.bytes as Uint8Array<ArrayBuffer>) }));
  return componentFromCompiled({ glue: artifact.glue, cores, exports: artifact.exports });
}

/** A component whose core modules are compiled already (structured-clone safe: what gateway threads pass). */
export interface CompiledComponent {
  glue: string;
  cores: { name: string; module: WebAssembly.Module }[];
  exports: string[];
}

export async function compileComponent(
  artifact: ComponentArtifact,
  compile: (bytes: Uint8Array) => Promise<WebAssembly.Module> = (b) => WebAssembly.compile(b as Uint8Array<ArrayBuffer>),
): Promise<CompiledComponent> {
  const cores = await Promise.all(artifact.cores.map(async (c) => ({ name: c.name, module: await compile(c.bytes) })));
  return { glue: artifact.glue, cores, exports: artifact.exports };
}

export function componentFromCompiled(compiled: CompiledComponent): LoadedComponent {
  const handlerExport = compiled.exports.find((e) => e.startsWith(`${HANDLER_INTERFACE}@`)) ?? HANDLER_INTERFACE;
  return { instantiate: evaluateGlue(compiled.glue), cores: new Map(compiled.cores.map((c) => [c.name, c.module])), handlerExport };
}

export interface ComponentRunOptions {
  component: LoadedComponent;
  request: WagiRequest;
  /** App environment (wasi:cli/environment). */
  env?: Record<string, string>;
  /** `log` gets stdout/stderr lines; `http` serves wasi:http/outgoing-handler. Key-value has no p2 interface yet. */
  host?: HostCallbacks;
  /** Cap on the response body; past it the guest is stopped with "output-too-large". */
  maxResponseBytes?: number;
  logLimits?: Partial<GuestLogLimits>;
}

const encoder = new TextEncoder();

export function runComponent(opts: ComponentRunOptions): WagiResponse {
  const url = new URL(opts.request.url);
  const budget = new LogBudget(opts.logLimits ? { ...GUEST_LOG_LIMITS, ...opts.logLimits } : GUEST_LOG_LIMITS);
  const headers: [string, Uint8Array][] = [];
  for (const [name, value] of opts.request.headers) {
    const lower = name.toLowerCase();
    // The console's cookies never reach a guest (cookies ignore ports); hop-by-hop headers are the host's.
    const kept = lower === "cookie" ? withoutConsoleCookies(value) : value;
    if (lower === "connection" || (lower === "cookie" && kept === "")) continue;
    headers.push([lower, encoder.encode(kept)]);
  }
  const run = new ComponentRun(
    {
      method: opts.request.method,
      pathWithQuery: url.pathname + url.search,
      scheme: url.protocol === "https:" ? "https" : "http",
      authority: url.host,
      headers,
      body: opts.request.body,
    },
    Object.entries(opts.env ?? {}),
    opts.maxResponseBytes ?? Infinity,
    budget,
    opts.host?.http,
  );
  let memory: WebAssembly.Memory | undefined;
  let error: WagiResponse["error"];
  let phase: "instantiate" | "handle" = "instantiate";
  try {
    withRun(run, () => {
      const { component } = opts;
      const exports = component.instantiate(
        (name) => {
          const core = component.cores.get(name);
          if (!core) throw new Error(`the component's glue asked for a core module it does not have (${name})`);
          return core;
        },
        p2Imports,
        (module, imports) => {
          const instance = new WebAssembly.Instance(module, imports);
          // Only the memory exports are read: touching every export would make a JS wrapper for each function.
          for (const name of memoryExports(module)) {
            const value = instance.exports[name] as WebAssembly.Memory;
            if (!memory || value.buffer.byteLength > memory.buffer.byteLength) memory = value;
          }
          return instance;
        },
      );
      const handler = exports[component.handlerExport] ?? exports.incomingHandler;
      if (!handler?.handle) throw new Error(`the component does not export ${HANDLER_INTERFACE}`);
      phase = "handle";
      handler.handle(...handlerArguments(run));
    });
  } catch (e) {
    // exit(ok) after the response was set ends the request normally.
    if (!(e instanceof ComponentExit && e.ok && run.response)) error = guestErrorOf(e, phase);
  }

  const kept = budget.finish(run.logs.view(), run.logs.dropped);
  if (opts.host?.log) for (const line of kept.logs) opts.host.log(line.level as LogLevel, line.message);
  const base = { stderr: kept.stderr, exitCode: error ? 1 : 0, memoryBytes: memory?.buffer.byteLength ?? 0 };
  const response = run.response;
  if (!error && !response) {
    error = run.responseError
      ? { kind: "no-response", message: run.responseError }
      : { kind: "no-response", message: "it returned from handle without setting a response" };
  }
  if (error || !response) return { status: 500, headers: [], body: new Uint8Array(0), ...base, error: error! };
  // A guest may not plant or overwrite the console's cookies (cookies ignore ports).
  const headersOut = response.headers.filter(([n, v]) => !(n === "set-cookie" && isConsoleCookie(v)));
  return { status: response.status, headers: headersOut, body: joinBytes(response.body), ...base };
}

const memoryExportNames = new WeakMap<WebAssembly.Module, string[]>();

function memoryExports(module: WebAssembly.Module): string[] {
  let names = memoryExportNames.get(module);
  if (!names) memoryExportNames.set(module, (names = WebAssembly.Module.exports(module).filter((e) => e.kind === "memory").map((e) => e.name)));
  return names;
}

function guestErrorOf(e: unknown, phase: "instantiate" | "handle"): NonNullable<WagiResponse["error"]> {
  if (e instanceof OutputTooLarge) return { kind: "output-too-large", message: e.message };
  if (e instanceof ComponentExit) return { kind: "trap", message: e.message };
  if (phase === "instantiate") return { kind: "instantiate", message: describeThrown(e) };
  return { kind: "trap", message: describeThrown(e) };
}

