// JavaScript apps (docs/javascript.md): the engine is the module and the script is the file
// _worker.js. When wasmcompute.yaml lists _worker.js under `files:` and the folder has a source
// entry (src/index.ts, .tsx, .mts, .js or .mjs), publish first bundles that entry and everything
// it imports into _worker.js with esbuild, so what is published is always the current source.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { ManifestTextError, readManifestYaml } from "../lib/manifest/manifest-limits";
import { JS_WORKER_FILE } from "../lib/javascript/js-app";
import { JS_BUNDLE_OPTIONS, JS_ENTRIES, formatBundleMessages, isJsManifest, jsSourceEntry } from "../lib/javascript/js-bundle";
import { CliError, EXIT } from "./exit-codes";
import { MANIFEST_FILE } from "./manifest";

const exists = (file: string) => stat(file).then((s) => s.isFile(), () => false);

/** The source entry to bundle into _worker.js, or null when this folder is not a JavaScript app with a source. */
export async function jsEntryOf(dir: string): Promise<string | null> {
  let manifest: unknown;
  try {
    manifest = readManifestYaml(await readFile(path.join(dir, MANIFEST_FILE), "utf8"));
  } catch (e) {
    if (e instanceof ManifestTextError || (e as NodeJS.ErrnoException).code === "ENOENT") return null; // readAppSource reports it
    throw e;
  }
  if (!isJsManifest(manifest)) return null;
  const present = new Set<string>();
  for (const entry of JS_ENTRIES) if (await exists(path.join(dir, entry))) present.add(entry);
  return jsSourceEntry((p) => present.has(p));
}

/** Bundles `entry` into <dir>/_worker.js (one ES module, no imports left); its size in bytes. */
export async function bundleJsWorker(dir: string, entry: string): Promise<number> {
  const { build } = await import("esbuild");
  try {
    const result = await build({
      absWorkingDir: dir,
      entryPoints: [entry],
      outfile: JS_WORKER_FILE,
      ...JS_BUNDLE_OPTIONS,
      write: true,
      metafile: true,
    });
    return result.metafile.outputs[JS_WORKER_FILE]?.bytes ?? 0;
  } catch (e) {
    const errors = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors;
    if (!errors?.length) throw e;
    const lines = formatBundleMessages(errors);
    throw new CliError(`Bundling ${entry} into ${JS_WORKER_FILE} failed:\n${lines.join("\n")}`, EXIT.VALIDATION, { code: "BUNDLE_FAILED" });
  }
}
