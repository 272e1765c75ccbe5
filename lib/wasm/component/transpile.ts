// Publish-time (Node): a component becomes the artifact the gateway and the IDE preview run.
// jco transpiles it once to core modules + JavaScript glue; each core module is then capped and
// checked like any module. Not part of lib/wasm's isomorphic index: only publish runs it.
import { transpileBytes } from "@bytecodealliance/jco-transpile";
import { capMemory, bytesToPages } from "../memory-cap";
import { ModuleBinaryError } from "../wasm-binary";
import type { ComponentArtifact } from "./artifact";
import { worldOfWit, worldProblems } from "./world";

/** The component cannot run here: `problems` are sentences a person can act on. */
export class ComponentRejected extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join(" "));
  }
}

/** Which transpiler made an artifact (kept in it: an artifact of another version is rebuilt). */
export const TRANSPILER = "jco-transpile 0.15.0";

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

  let result: Awaited<ReturnType<typeof transpileBytes>>;
  try {
    result = await transpileBytes(bytes, { name: "component", instantiation: "sync", noTypescript: true } as never);
  } catch (e) {
    throw new ComponentRejected([`The component could not be transpiled: ${firstLine(e)}.`]);
  }
  const glue = result.files["component.js"];
  if (!glue) throw new ComponentRejected(["The component could not be transpiled: jco produced no glue."]);
  const cores: ComponentArtifact["cores"] = [];
  for (const [name, file] of Object.entries(result.files)) {
    if (!name.endsWith(".wasm") || name.includes("/")) continue;
    cores.push({ name, bytes: opts.memoryMb === undefined ? file : capped(file, opts.memoryMb) });
  }
  return {
    glue: new TextDecoder().decode(glue),
    cores,
    imports: world.imports,
    exports: world.exports,
    transpiler: TRANSPILER,
  };
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
