import { stat } from "node:fs/promises";
import path from "node:path";
import { JS_SOURCE_MAP_FILE } from "../../lib/javascript/js-app";
import { seg } from "../api-client";
import { expectShape, VersionResponse } from "../api-types";
import { VERSION_KIND_LABEL } from "../../lib/api-shapes/version-shapes";
import { APP_OPTIONS, type Command } from "../command";
import { CliError, EXIT, usageError } from "../exit-codes";
import { MANIFEST_FILE, readAppSource } from "../manifest";
import { createMultipartBody, type Part } from "../multipart";
import { fields, formatBytes } from "../output";
import { createProgress } from "../progress";
import { bundleJsWorker, jsEntryOf } from "../js-bundle";

// semver.org's regular expression: the server checks too, this only spares an upload.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export const publish: Command = {
  name: "publish",
  summary: "Upload a new immutable version: the module, the manifest and its files",
  usage: "publish <version> [--dir <path>] [--app <name>]",
  help: [
    `Reads ${MANIFEST_FILE} in --dir (default: the current folder), uploads the module it names,`,
    "the manifest and the files its `files` entries list. The app is --app or the manifest's `name`.",
    "A JavaScript app (`files:` lists _worker.js, the folder has src/index.ts or .js) is bundled",
    "with esbuild into _worker.js first (docs/javascript.md).",
  ],
  options: { ...APP_OPTIONS },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const version = ctx.positionals[0]!;
    if (!SEMVER.test(version)) throw usageError(`"${version}" is not a semantic version like 1.2.3 or 1.0.0-beta.1`);

    const jsEntry = await jsEntryOf(ctx.dir());
    if (jsEntry) {
      const size = await bundleJsWorker(ctx.dir(), jsEntry);
      ctx.note(`Bundled ${jsEntry} into _worker.js (${formatBytes(size)})\n`);
    }
    const source = await readAppSource(ctx.dir());
    const app = ctx.string("app") ?? source.manifest.name;
    if (!app) throw usageError(`Which app? Pass --app <name> or add \`name:\` to ${MANIFEST_FILE}.`);
    if (source.manifest.name && source.manifest.name !== app) {
      throw new CliError(`${MANIFEST_FILE}: name: "${source.manifest.name}" does not match the app "${app}" given with --app`, EXIT.VALIDATION, {
        code: "INVALID_MANIFEST",
        field: "name",
      });
    }

    const parts: Part[] = [
      { name: "version", value: version },
      { name: "module", filename: source.module.name, contentType: source.module.name.endsWith(".wat") ? "text/plain" : "application/wasm", source: source.module.source, size: source.module.size },
      { name: "manifest", filename: MANIFEST_FILE, contentType: "application/yaml", data: Buffer.from(source.manifestText, "utf8") },
      ...source.files.map((f): Part => ({ name: "files", filename: f.name, source: f.source, size: f.size })),
      ...(jsEntry ? await sourceMapPart(source.dir, source.files) : []),
    ];
    const body = createMultipartBody(parts);
    const client = await ctx.client();

    // Versions are immutable: a taken number is refused before the upload, here and (named in
    // the URL) by the server, which answers 409 without reading the body.
    const existing = await client.send("GET", `/apps/${seg(app)}/versions/${seg(version)}`);
    await existing.body?.cancel();
    if (existing.ok) {
      throw new CliError(`Version ${version} of "${app}" already exists and versions are immutable. Publish a new version number.`, EXIT.CONFLICT, {
        code: "CONFLICT",
        field: "version",
      });
    }

    const count = source.files.length;
    ctx.note(`Publishing ${app} ${version}: ${source.module.name} (${formatBytes(source.module.size)})${count ? ` + ${count} file${count === 1 ? "" : "s"}` : ""}\n`);
    const progress = createProgress(ctx.io.stderr, "  uploading");
    let answer: unknown;
    try {
      answer = await client.request("POST", `/apps/${seg(app)}/versions?version=${encodeURIComponent(version)}`, {
        body: body.stream((sent, total) => progress.update(sent, total)),
        headers: { "content-type": body.contentType, "content-length": String(body.length) },
      });
    } finally {
      progress.finish();
    }
    const published = expectShape(VersionResponse, answer, `POST /apps/${app}/versions`).version;

    ctx.print(published, () =>
      `Published ${app} ${published.version}${published.tainted ? " (tainted: its files or datastore schema differ from the previous version; deploying it may need --unsafe)" : ""}\n` +
      fields([
        ["kind", VERSION_KIND_LABEL[published.kind]],
        // A component runs as the artifact it was transpiled to; its upload keeps its own hash.
        ...(published.component ? [["component", `sha256:${published.component.sourceSha256}  (${formatBytes(published.component.sourceSize)})`] as [string, string]] : []),
        [published.component ? "artifact" : "module", `sha256:${published.moduleSha256}${published.moduleSize !== undefined ? `  (${formatBytes(published.moduleSize)})` : ""}`],
        ["manifest", published.manifestSha256 ? `sha256:${published.manifestSha256}` : "-"],
        ["files", published.filesSha256 ? `sha256:${published.filesSha256}  (${count} file${count === 1 ? "" : "s"})` : "-"],
      ]) +
      `Deploy it with: wasmcompute deploy ${published.version}${ctx.string("app") ? ` --app ${app}` : ""}\n`,
    );
  },
};

/** The bundle's source map (written by bundleJsWorker) as one more file, unless `files:` lists it already. */
async function sourceMapPart(dir: string, listed: { name: string }[]): Promise<Part[]> {
  if (listed.some((f) => f.name === JS_SOURCE_MAP_FILE)) return [];
  const file = path.join(dir, JS_SOURCE_MAP_FILE);
  const size = await stat(file).then((s) => s.size, () => null);
  return size === null ? [] : [{ name: "files", filename: JS_SOURCE_MAP_FILE, source: file, size }];
}
