// Publish-time (Node): a component becomes the artifact the gateway and the IDE preview run.
// jco transpiles it once to core modules + JavaScript glue; each core module is then capped and
// checked like any module. Not part of lib/wasm's isomorphic index: only publish runs it.
//
// Two generators. jco 1.15's glue is lean: a fresh instance of a small component costs about
// 90 µs, against about 500 µs with the glue of current jco (1.17 on wraps every call in
// component-model async task bookkeeping, which a synchronous wasi:http handler never uses). It has
// one bug we mend in its output (see mendResourceDrops). Current jco (jco-transpile) is the
// fallback for a component the old generator cannot read, and reads every component's WIT.
import { transpile as transpileLean } from "@bytecodealliance/jco";
import { transpileBytes } from "@bytecodealliance/jco-transpile";
import { capMemory, bytesToPages } from "../memory-cap";
import { ModuleBinaryError } from "../wasm-binary";
import type { ComponentArtifact } from "./artifact";
import { unsafeCoreNames } from "./core-names";
import { worldOfWit, worldProblems } from "./world";

/** The component cannot run here: `problems` are sentences a person can act on. */
export class ComponentRejected extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join(" "));
  }
}

/** Which generator made an artifact (kept in it). */
export const TRANSPILERS = { lean: "jco 1.15.4", current: "jco-transpile 0.15.0" } as const;

// wasm-tools (compiled to wasm, shipped by jco-transpile) is not in the package's exports map:
// loaded by its path next to the package's entry.
async function componentWit(bytes: Uint8Array): Promise<string> {
  const url = new URL("./wasm-tools.js", import.meta.resolve("@bytecodealliance/jco-transpile"));
  const tools = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ url.href)) as { componentWit(b: Uint8Array): Promise<string> };
  return tools.componentWit(bytes);
}

export interface TranspileOptions {
  /** The memory cap written into every core module that defines a memory. */
  memoryMb?: number;
}

export async function transpileComponent(bytes: Uint8Array, opts: TranspileOptions = {}): Promise<ComponentArtifact> {
  let wit: string;
  try {
    wit = await componentWit(bytes);
  } catch (e) {
    throw new ComponentRejected([`The file is not a valid WebAssembly component: ${firstLine(e)}.`]);
  }
  const world = worldOfWit(wit);
  const problems = worldProblems(world);
  if (problems.length > 0) throw new ComponentRejected(problems);
  let unsafe: string[];
  try {
    unsafe = unsafeCoreNames(bytes);
  } catch (e) {
    throw new ComponentRejected([`The file is not a valid WebAssembly component: ${firstLine(e)}.`]);
  }
  if (unsafe.length > 0) {
    throw new ComponentRejected([
      `The component's core modules use names WasmCompute does not accept: ${unsafe.map((n) => JSON.stringify(n)).join(", ")}. ` +
        "Core import and export names may hold ASCII letters, digits and _-.:/@#|[]<>%+=,;!?()^~&$ and spaces (toolchains' names always do).",
    ]);
  }

  const made = (await leanGlue(bytes)) ?? (await currentGlue(bytes));
  const cores: ComponentArtifact["cores"] = [];
  for (const [name, file] of Object.entries(made.files)) {
    if (!name.endsWith(".wasm") || name.includes("/")) continue;
    cores.push({ name, bytes: opts.memoryMb === undefined ? file : capped(file, opts.memoryMb) });
  }
  return { glue: made.glue, cores, imports: world.imports, exports: world.exports, transpiler: made.transpiler };
}

interface Made {
  glue: string;
  files: Record<string, Uint8Array>;
  transpiler: string;
}

const OPTIONS = { name: "component", instantiation: "sync", noTypescript: true, nodejsCompat: false } as const;

/** jco 1.15's glue, mended; null when that generator cannot handle the component. */
async function leanGlue(bytes: Uint8Array): Promise<Made | null> {
  try {
    const { files } = await transpileLean(bytes, OPTIONS as never);
    const raw = files["component.js"];
    if (!raw) return null;
    const glue = mendResourceDrops(new TextDecoder().decode(raw));
    return glue === null ? null : { glue, files, transpiler: TRANSPILERS.lean };
  } catch {
    return null;
  }
}

async function currentGlue(bytes: Uint8Array): Promise<Made> {
  let files: Record<string, Uint8Array>;
  try {
    ({ files } = await transpileBytes(bytes, OPTIONS as never));
  } catch (e) {
    throw new ComponentRejected([`The component could not be transpiled: ${firstLine(e)}.`]);
  }
  const raw = files["component.js"];
  if (!raw) throw new ComponentRejected(["The component could not be transpiled: jco produced no glue."]);
  return { glue: new TextDecoder().decode(raw), files, transpiler: TRANSPILERS.current };
}

const UNREACHABLE_DROP =
  /rscTableRemove\(handleTable(\d+), handle\);(\s*)if \(handleEntry\.own\) \{(\s*)throw new TypeError\('unreachable trampoline for resource \[ResourceIndex\(\d+\)\]'\)/g;

/**
 * jco 1.15 generates, for a resource the host passes into an export (the handler's
 * incoming-request and response-outparam), a drop that throws "unreachable trampoline", so a
 * guest that drops its request (as it should) traps. The mend forgets the host object instead,
 * as the glue does for every other host resource; later jco does the same. Null when some such
 * drop is left unmended (the current generator is used then).
 */
export function mendResourceDrops(glue: string): string | null {
  const mended = glue.replace(UNREACHABLE_DROP, (_m, table: string, a: string, b: string) =>
    `rscTableRemove(handleTable${table}, handle);${a}if (handleEntry.own) {${b}captureTable${table}.delete(handleEntry.rep);`,
  );
  return mended.includes("unreachable trampoline") ? null : mended;
}

function capped(core: Uint8Array, memoryMb: number): Uint8Array {
  try {
    return capMemory(core, bytesToPages(memoryMb * 1024 * 1024));
  } catch (e) {
    if (e instanceof ModuleBinaryError) throw new ComponentRejected([e.message]);
    throw e;
  }
}

function firstLine(e: unknown): string {
  return (String(e instanceof Error ? e.message : e).split("\n")[0] ?? "").replace(/\.$/, "");
}
