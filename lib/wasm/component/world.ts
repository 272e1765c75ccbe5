// The WASI 0.2 interfaces a component may import here, and the one it must export. A component
// is checked against this at publish, with a message naming what it imports that we do not provide.

/** The handler every component app exports (the `wasi:http/proxy` world). */
export const HANDLER_INTERFACE = "wasi:http/incoming-handler";

/** Interfaces our host implements (lib/wasm/component/host), any 0.2.x version. */
export const PROVIDED_INTERFACES = [
  "wasi:http/types",
  "wasi:http/outgoing-handler",
  "wasi:io/error",
  "wasi:io/poll",
  "wasi:io/streams",
  "wasi:clocks/monotonic-clock",
  "wasi:clocks/wall-clock",
  "wasi:random/random",
  "wasi:random/insecure",
  "wasi:random/insecure-seed",
  "wasi:cli/environment",
  "wasi:cli/exit",
  "wasi:cli/stdin",
  "wasi:cli/stdout",
  "wasi:cli/stderr",
  "wasi:cli/terminal-input",
  "wasi:cli/terminal-output",
  "wasi:cli/terminal-stdin",
  "wasi:cli/terminal-stdout",
  "wasi:cli/terminal-stderr",
  // No preopened directories: the interfaces are there (toolchains' adapters import them), empty.
  "wasi:filesystem/types",
  "wasi:filesystem/preopens",
] as const;

const PROVIDED = new Set<string>(PROVIDED_INTERFACES);

export interface ComponentWorld {
  imports: string[];
  exports: string[];
}

/** `import wasi:http/types@0.2.0;` lines of a component's WIT (wasm-tools' `component wit`). */
export function worldOfWit(wit: string): ComponentWorld {
  const imports: string[] = [];
  const exports: string[] = [];
  for (const line of wit.split("\n")) {
    const m = /^\s*(import|export)\s+([^;{]+?)\s*;\s*$/.exec(line);
    if (!m) continue;
    (m[1] === "import" ? imports : exports).push(m[2]!);
  }
  return { imports, exports };
}

function splitVersion(name: string): { iface: string; version: string | null } {
  const at = name.lastIndexOf("@");
  return at < 0 ? { iface: name, version: null } : { iface: name.slice(0, at), version: name.slice(at + 1) };
}

const isPreview2 = (version: string | null) => version !== null && /^0\.2\.\d+/.test(version);

/** What is wrong with a component's world for this platform, each a sentence; empty when it can run. */
export function worldProblems(world: ComponentWorld): string[] {
  const problems: string[] = [];
  const handler = world.exports.find((e) => splitVersion(e).iface === HANDLER_INTERFACE);
  if (!handler) {
    const exported = world.exports.length ? world.exports.join(", ") : "nothing";
    problems.push(
      `The component does not export ${HANDLER_INTERFACE}@0.2.x (it exports ${exported}). ` +
        "Build it for the wasi:http/proxy world (cargo component with the proxy adapter, componentize-js with a fetch or incoming-handler export, TinyGo with -wit-world proxy).",
    );
  } else if (!isPreview2(splitVersion(handler).version)) {
    problems.push(`The component exports ${handler}; WasmCompute runs WASI 0.2 components (${HANDLER_INTERFACE}@0.2.x).`);
  }
  const unknown = world.imports.filter((name) => {
    const { iface, version } = splitVersion(name);
    return !PROVIDED.has(iface) || !isPreview2(version);
  });
  if (unknown.length > 0) {
    problems.push(
      `The component imports ${unknown.join(", ")}, which WasmCompute does not provide. ` +
        `Components may import (any 0.2.x version): ${PROVIDED_INTERFACES.join(", ")}.`,
    );
  }
  return problems;
}
