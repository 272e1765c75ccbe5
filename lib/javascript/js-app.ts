// A JavaScript app is the engine module (js-engine/dist/wasmcompute-js.wasm, QuickJS built as a
// WAGI module by scripts/build-js-engine.sh) plus the app's bundled script, published as the
// file `_worker.js`: the engine reads it from /app on every request. Nothing else is special:
// the gateway and the IDE preview run it like any module, under the same limits, and every JS
// app shares one module hash, so a gateway compiles the engine once. See docs/javascript.md.

/** The file the engine runs (mounted at /app/_worker.js). */
export const JS_WORKER_FILE = "_worker.js";

/**
 * The bundle's source map, published beside the script when a bundler made one: the engine reads it
 * only for an uncaught error, to name the source's lines (js-engine/runtime.js mapStack).
 */
export const JS_SOURCE_MAP_FILE = "_worker.js.map";

/** The engine module, from the repository root. */
export const JS_ENGINE_PATH = "js-engine/dist/wasmcompute-js.wasm";

/** The files of a JavaScript app's version: its other files plus the script as `_worker.js`. */
export function jsAppFiles(script: string | Uint8Array, files: Record<string, Uint8Array> = {}): Record<string, Uint8Array> {
  const bytes = typeof script === "string" ? new TextEncoder().encode(script) : script;
  return { ...files, [JS_WORKER_FILE]: bytes };
}

/**
 * What to publish for a JavaScript app (the shape of publish's input): the engine as the module,
 * the bundled script as `_worker.js` beside the app's other files.
 */
export function jsPublishInput(options: {
  version: string;
  engine: Uint8Array;
  script: string | Uint8Array;
  manifestText?: string;
  files?: { path: string; data: Uint8Array }[];
}): { version: string; module: Uint8Array; manifestText?: string; files: { path: string; data: Uint8Array }[] } {
  const others = (options.files ?? []).filter((f) => f.path !== JS_WORKER_FILE);
  const [, script] = Object.entries(jsAppFiles(options.script))[0]!;
  return {
    version: options.version,
    module: options.engine,
    manifestText: options.manifestText,
    files: [...others, { path: JS_WORKER_FILE, data: script }],
  };
}
