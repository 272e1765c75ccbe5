// An app's editable source tree as the editor and the draft API exchange it: path → text, with
// `.wasm` files (an uploaded prebuilt module) as base64. Pure: used by the browser and the server.
import { z } from "zod";
import { NUL_MESSAGE, noNul } from "@/lib/text/nul";
import { JS_WORKER_FILE } from "@/lib/javascript/js-app";
import { isJsManifest, jsSourceEntry } from "@/lib/javascript/js-bundle";
import { readManifestYaml } from "@/lib/manifest/manifest-limits";

export const SOURCE_LIMITS = { maxFiles: 200, maxTotalBytes: 8 * 1024 * 1024, maxPathLength: 200 };

export const SourcePath = z
  .string()
  .min(1, "A file needs a name")
  .max(SOURCE_LIMITS.maxPathLength, `File paths are at most ${SOURCE_LIMITS.maxPathLength} characters`)
  .regex(/^[A-Za-z0-9._\-/]+$/, "File paths may use letters, digits, '.', '_', '-' and '/'")
  .refine((p) => !p.startsWith("/") && !p.endsWith("/") && !p.split("/").some((s) => s === "" || s === "." || s === ".."), "Use a relative path inside the app, without '.' or '..' segments");

export const SourceFiles = z
  // Drafts are stored as JSON, which PostgreSQL cannot hold a NUL in (lib/text/nul.ts).
  .record(SourcePath, z.string().refine(noNul, NUL_MESSAGE))
  .refine((files) => Object.keys(files).length <= SOURCE_LIMITS.maxFiles, `An app's source has at most ${SOURCE_LIMITS.maxFiles} files`)
  .refine((files) => Object.values(files).reduce((n, t) => n + t.length, 0) <= SOURCE_LIMITS.maxTotalBytes, "The source is too large (8 MiB at most)");
export type SourceFiles = z.infer<typeof SourceFiles>;

export const SaveSourceInput = z.object({
  files: SourceFiles,
  /** The revision this save was based on (0 for the first save). */
  revision: z.number().int().min(0),
});
export type SaveSourceInput = z.infer<typeof SaveSourceInput>;

/** A draft as the API answers it: its shape is lib/api-shapes/source-shapes.ts. */
export type { SourceView } from "@/lib/api-shapes/source-shapes";

export const MANIFEST_PATH = "wasmcompute.yaml";
export const isBinaryPath = (p: string) => p.endsWith(".wasm");
/** Files under static/ are published with the version and mounted at /app. */
export const isStaticPath = (p: string) => p.startsWith("static/");

export type ProjectKind =
  | { language: "assemblyscript"; entry: string }
  | { language: "wat"; entry: string }
  | { language: "wasm"; entry: string }
  /** `bundle`: entry is a source bundled into _worker.js; else entry is _worker.js, published as written. */
  | { language: "javascript"; entry: string; bundle: boolean }
  | { language: "none" };

/** Whether the draft's manifest makes it a JavaScript app (the CLI's rule: lib/javascript/js-bundle.ts). */
function isJsDraft(files: Record<string, string>): boolean {
  const text = files[MANIFEST_PATH];
  if (text === undefined) return false;
  try {
    return isJsManifest(readManifestYaml(text));
  } catch {
    return false; // the manifest's own diagnostics say what is wrong
  }
}

/**
 * What the editor builds: a JavaScript app (its manifest lists _worker.js: src/index.* bundled, else
 * _worker.js as written), else an uploaded prebuilt .wasm (until it is deleted), else main.ts
 * (AssemblyScript), else main.wat / the first .wat, else the first .ts.
 */
export function projectKind(files: Record<string, string>): ProjectKind {
  if (isJsDraft(files)) {
    const entry = jsSourceEntry((p) => files[p] !== undefined);
    return entry ? { language: "javascript", entry, bundle: true } : { language: "javascript", entry: JS_WORKER_FILE, bundle: false };
  }
  const paths = Object.keys(files).filter((p) => !isStaticPath(p)).sort();
  const wasm = paths.find(isBinaryPath);
  if (wasm) return { language: "wasm", entry: wasm };
  if (files["main.ts"] !== undefined) return { language: "assemblyscript", entry: "main.ts" };
  if (files["main.wat"] !== undefined) return { language: "wat", entry: "main.wat" };
  const wat = paths.find((p) => p.endsWith(".wat"));
  if (wat) return { language: "wat", entry: wat };
  const ts = paths.find((p) => p.endsWith(".ts"));
  if (ts) return { language: "assemblyscript", entry: ts };
  return { language: "none" };
}
