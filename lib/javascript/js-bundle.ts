// What makes a folder (CLI) or a draft (IDE) a JavaScript app with a source to bundle, and the one
// set of esbuild options both use, so `wasmcompute publish` and the IDE's Publish produce the same
// `_worker.js` bytes for the same source (js-bundle.test.ts). Isomorphic: types only from esbuild;
// the CLI passes Node's esbuild, the IDE's compile worker esbuild-wasm.
import type { BuildOptions, Message } from "esbuild";
import { JS_WORKER_FILE } from "./js-app";

/** The source entries bundled into _worker.js, the first present wins. */
export const JS_ENTRIES = ["src/index.ts", "src/index.tsx", "src/index.mts", "src/index.js", "src/index.mjs"] as const;

/**
 * A JavaScript app is one whose manifest lists `_worker.js` under `files:` (the engine runs that
 * file; the templates write it so). `manifest` is the parsed YAML (anything: checked here).
 */
export function isJsManifest(manifest: unknown): boolean {
  const files = (manifest as { files?: unknown } | null)?.files;
  return Array.isArray(files) && files.includes(JS_WORKER_FILE);
}

/** The entry to bundle: the first of JS_ENTRIES that `has`, else null (then _worker.js is the script as written). */
export function jsSourceEntry(has: (path: string) => boolean): string | null {
  return JS_ENTRIES.find(has) ?? null;
}

/** esbuild options shared by the CLI and the IDE (the caller adds where files come from and go). */
export const JS_BUNDLE_OPTIONS = {
  bundle: true,
  format: "esm",
  platform: "browser",
  conditions: ["worker", "browser"],
  target: "es2023",
  logLevel: "silent",
  // _worker.js.map beside the script, without a sourceMappingURL comment in it and without the
  // sources themselves: the engine maps an uncaught error's frames to the source's lines.
  sourcemap: "external",
  sourcesContent: false,
} as const satisfies BuildOptions;

/** "file:line:column: text" for each esbuild message (1-based columns, as editors count). */
export function formatBundleMessages(messages: readonly { text: string; location?: Pick<NonNullable<Message["location"]>, "file" | "line" | "column"> | null }[]): string[] {
  return messages.map((m) => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ${m.text}` : m.text));
}
