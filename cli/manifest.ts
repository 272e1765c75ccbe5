// Reads wasmcompute.yaml (docs/manifest.md) and what it points at, checking locally what can be
// checked without the server: YAML syntax, the module file and its magic bytes, and the `files`
// entries (expanded into the file list the upload sends). The server validates the rest.
import { open, readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { ManifestTextError, readManifestYaml } from "../lib/manifest/manifest-limits";
import { CliError, EXIT } from "./exit-codes";

export const MANIFEST_FILE = "wasmcompute.yaml";

/** Only the keys the CLI uses; every other key is the server's to check. */
const LocalManifest = z.looseObject({
  name: z.string().min(1, "must not be empty").optional(),
  module: z.string({ error: "is required: the path of the compiled .wasm module (or its .wat text), relative to this file" }).min(1, "must not be empty"),
  files: z.array(z.string().min(1, "must not be empty"), { error: "must be a list of files or folders" }).optional(),
});
export type LocalManifest = z.infer<typeof LocalManifest>;

export interface UploadFile {
  /** Absolute path on disk. */
  source: string;
  /** Path relative to the app root, with forward slashes: the multipart part's filename. */
  name: string;
  size: number;
}

export interface AppSource {
  dir: string;
  manifestPath: string;
  manifestText: string;
  manifest: LocalManifest;
  module: UploadFile;
  files: UploadFile[];
}

function invalid(message: string): CliError {
  return new CliError(message, EXIT.VALIDATION, { code: "INVALID_MANIFEST" });
}

/** Parses and checks the manifest text; `where` names the file in messages. */
export function parseManifest(text: string, where: string): LocalManifest {
  let value: unknown;
  try {
    // The server's own reader (lib/manifest/manifest-limits.ts): the same limits, refused here first.
    value = readManifestYaml(text);
  } catch (e) {
    if (!(e instanceof ManifestTextError)) throw e;
    const at = e.line ? `:${e.line}${e.col ? `:${e.col}` : ""}` : "";
    if (e.kind === "yaml") throw invalid(`${where}${at}: invalid YAML: ${e.message}`);
    if (e.kind === "too-large") throw invalid(e.message.replace(/^wasmcompute\.yaml/, where));
    throw invalid(`${where}${at}: ${e.message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalid(`${where}: must be a YAML mapping with at least a \`module:\` key (see docs/manifest.md)`);
  }
  const parsed = LocalManifest.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");
    throw invalid(`${where}: ${field || "manifest"}: ${issue.message}`);
  }
  return parsed.data;
}

/** Reads the manifest in `dir` and everything it names, ready to upload. */
export async function readAppSource(dir: string): Promise<AppSource> {
  const root = path.resolve(dir);
  const manifestPath = path.join(root, MANIFEST_FILE);
  let manifestText: string;
  try {
    manifestText = await readFile(manifestPath, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      throw new CliError(`No ${MANIFEST_FILE} in ${root}. Run the command in the app's folder, pass --dir, or create one with \`wasmcompute new\`.`, EXIT.USAGE, {
        code: "NO_MANIFEST",
      });
    }
    throw invalid(`Cannot read ${manifestPath}: ${(e as Error).message}`);
  }
  const manifest = parseManifest(manifestText, MANIFEST_FILE);
  const module = await readModule(root, manifest.module);
  const files = await expandFiles(root, manifest.files ?? []);
  return { dir: root, manifestPath, manifestText, manifest, module, files };
}

/** Reads only the manifest's app name, for commands that take the app from the current folder. */
export async function readManifestName(dir: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(path.resolve(dir), MANIFEST_FILE), "utf8");
  } catch {
    return undefined;
  }
  return parseManifest(text, MANIFEST_FILE).name;
}

async function readModule(root: string, relative: string): Promise<UploadFile> {
  const source = path.resolve(root, relative);
  const st = await stat(source).catch(() => undefined);
  if (!st) throw invalid(`${MANIFEST_FILE}: module: ${relative} does not exist. Build your module, or fix the path (it is relative to ${MANIFEST_FILE}).`);
  if (!st.isFile()) throw invalid(`${MANIFEST_FILE}: module: ${relative} is not a file`);
  const head = Buffer.alloc(4);
  const fh = await open(source, "r");
  try {
    await fh.read(head, 0, 4, 0);
  } finally {
    await fh.close();
  }
  // WebAssembly text (.wat) is uploaded as it is: the server compiles it (errors name line:column).
  if (!relative.endsWith(".wat") && !head.equals(Buffer.from([0x00, 0x61, 0x73, 0x6d]))) {
    throw invalid(`${MANIFEST_FILE}: module: ${relative} is not a WebAssembly module (it does not start with \\0asm; WebAssembly text must end in .wat)`);
  }
  return { source, name: path.basename(source), size: st.size };
}

/** Expands `files` entries (files or folders, relative to the app root) into a sorted file list. */
export async function expandFiles(root: string, entries: string[]): Promise<UploadFile[]> {
  const realRoot = await realpath(root);
  const found = new Map<string, UploadFile>();
  const visiting = new Set<string>();

  async function walk(abs: string, entry: string): Promise<void> {
    const st = await stat(abs).catch(() => undefined);
    if (!st) throw invalid(`${MANIFEST_FILE}: files: ${entry}: ${path.relative(root, abs) || "."} does not exist`);
    if (st.isFile()) {
      const name = path.relative(root, abs).split(path.sep).join("/");
      found.set(name, { source: abs, name, size: st.size });
      return;
    }
    if (!st.isDirectory()) return; // sockets, fifos: nothing to upload
    const real = await realpath(abs);
    if (visiting.has(real)) return; // a symlink loop
    visiting.add(real);
    for (const child of await readdir(abs)) await walk(path.join(abs, child), entry);
    visiting.delete(real);
  }

  for (const entry of entries) {
    if (path.isAbsolute(entry) || path.win32.isAbsolute(entry)) {
      throw invalid(`${MANIFEST_FILE}: files: ${entry}: must be relative to the app folder`);
    }
    const abs = path.resolve(root, entry);
    const rel = path.relative(root, abs);
    if (rel === ".." || rel.startsWith(`..${path.sep}`)) {
      throw invalid(`${MANIFEST_FILE}: files: ${entry}: must stay inside the app folder`);
    }
    const real = await realpath(abs).catch(() => abs);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
      throw invalid(`${MANIFEST_FILE}: files: ${entry}: points outside the app folder (through a symlink)`);
    }
    await walk(abs, entry);
  }
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
