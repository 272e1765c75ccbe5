import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { seg, toCliError, type ApiClient } from "../api-client";
import { AppResponse, expectShape, TemplateFilesResponse } from "../api-types";
import type { Command } from "../command";
import { CliError, EXIT } from "../exit-codes";
import { MANIFEST_FILE, parseManifest } from "../manifest";

export const DEFAULT_MODULE_PATH = "app.wasm";

/** The manifest written when the server offers no template files (an older server). */
export function starterManifest(app: string, modulePath = DEFAULT_MODULE_PATH): string {
  return [
    "# wasmcompute.yaml: see docs/manifest.md",
    `name: ${app}`,
    `module: ${modulePath}`,
    "routes:",
    "  - path: /...",
    "    entrypoint: _start",
    "",
  ].join("\n");
}

function starterReadme(app: string, modulePath: string, hasModule: boolean): string {
  return [
    `# ${app}`,
    "",
    hasModule
      ? `\`${modulePath}\` is a prebuilt module of the template's source; rebuild it after you change the source.`
      : `Put your compiled WASI module (any toolchain) at \`${modulePath}\`: the manifest's \`module\` path.`,
    "Then publish and deploy it:",
    "",
    "```sh",
    "wasmcompute publish 0.0.1",
    "wasmcompute deploy 0.0.1",
    "```",
    "",
  ].join("\n");
}

interface NewFile {
  path: string;
  data: Uint8Array;
}

/** The template's files from the server, or just a manifest if this server cannot send them. */
async function templateFiles(client: ApiClient, template: string, app: string): Promise<NewFile[]> {
  const res = await client.send("GET", `/templates/${seg(template)}?app=${encodeURIComponent(app)}`);
  if (res.ok) {
    const { files } = expectShape(TemplateFilesResponse, await res.json(), `GET /templates/${template}`);
    return files.map((f) => ({ path: f.path, data: Buffer.from(f.contentBase64, "base64") }));
  }
  const isJsonError = (res.headers.get("content-type") ?? "").includes("application/json");
  if (res.status === 404 && !isJsonError && template === "empty") {
    return [{ path: MANIFEST_FILE, data: Buffer.from(starterManifest(app)) }];
  }
  throw await toCliError(res);
}

function safeRelative(dir: string, file: string): string {
  const abs = path.resolve(dir, file);
  const rel = path.relative(dir, abs);
  if (!rel || rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) throw new CliError(`The template holds a file outside the app folder (${file}); refusing to write it.`);
  return abs;
}

export const newApp: Command = {
  name: "new",
  summary: "Create an app on the server and a local folder with its manifest (and template files)",
  usage: "new <app> [--template <id>] [--dir <path>]",
  help: [
    "--dir defaults to ./<app>; existing files there are never overwritten.",
    "--template: empty (default), hello-wat, hello-c, hello-rust, hello-as … (`GET /api/v1/templates` lists them).",
    "Templates with a prebuilt module can be published at once.",
  ],
  options: { template: { type: "string", short: "t" }, dir: { type: "string" } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const name = ctx.positionals[0]!;
    const template = ctx.string("template") ?? "empty";
    const dir = path.resolve(ctx.io.cwd, ctx.string("dir") ?? name);
    const client = await ctx.client();

    // Fetch and check everything local before creating the app, so a failure leaves nothing half-made.
    const files = await templateFiles(client, template, name);
    const manifestFile = files.find((f) => f.path === MANIFEST_FILE);
    const modulePath = manifestFile ? parseManifest(Buffer.from(manifestFile.data).toString("utf8"), MANIFEST_FILE).module : DEFAULT_MODULE_PATH;
    const hasModule = files.some((f) => f.path === modulePath);
    if (!files.some((f) => f.path === "README.md")) {
      files.push({ path: "README.md", data: Buffer.from(starterReadme(name, modulePath, hasModule)) });
    }
    const existing = new Set<string>();
    for (const f of files) if (await stat(safeRelative(dir, f.path)).catch(() => undefined)) existing.add(f.path);
    const clash = files.find((f) => existing.has(f.path) && f.path !== "README.md");
    if (clash) {
      throw new CliError(`${path.join(dir, clash.path)} already exists; choose another --dir (new never overwrites files).`, EXIT.CONFLICT, { code: "FILE_EXISTS" });
    }
    const dirStat = await stat(dir).catch(() => undefined);
    if (dirStat && !dirStat.isDirectory()) throw new CliError(`${dir} exists and is not a folder; choose another --dir.`, EXIT.CONFLICT, { code: "FILE_EXISTS" });

    const body: { name: string; template?: string } = { name };
    if (template !== "empty") body.template = template;
    const { app } = expectShape(AppResponse, await client.request("POST", "/apps", { json: body }), "POST /apps");

    const written: string[] = [];
    for (const f of files) {
      if (existing.has(f.path)) continue; // only README.md can get here
      const target = safeRelative(dir, f.path);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, f.data, { flag: "wx" });
      written.push(f.path);
    }

    const shown = path.relative(ctx.io.cwd, dir) || ".";
    ctx.print({ app, dir, template, files: written, module: modulePath, moduleIncluded: hasModule }, () =>
      [
        `Created app ${app.name}${app.gatewayUrl ? ` (${app.gatewayUrl})` : ""} in ${shown}/: ${written.join(", ")}`,
        hasModule ? `Next:` : `Next: put your compiled WASI module at ${path.join(shown, modulePath)}, then`,
        `  cd ${shown} && wasmcompute publish 0.0.1 && wasmcompute deploy 0.0.1`,
        ``,
      ].join("\n"),
    );
  },
};
