// The preview's stand-in for the gateway's static serving (`static:` in wasmcompute.yaml; the rules
// are docs/manifest.md "Static files", implemented for the gateway by lib/runtime/static-files.ts,
// which is Node-only). A request under a static prefix is answered from the draft's files without
// running the module, with the statuses, headers and error bodies the gateway sends: content type,
// ETag (the file's sha256: publish uploads the same UTF-8 bytes), 304, single ranges (206/416),
// HEAD, index.html for "…/", 301 for a folder named without its slash, 400/404/405 as JSON errors.
import { parseManifest } from "@/lib/manifest/parse-manifest";
import { contentTypeOf } from "@/lib/versions/content-type";
import { sha256Hex } from "./module-hash";

export interface StaticRoute {
  path: string;
  dir: string;
}

export interface StaticRequest {
  method: string;
  /** The path inside the app ("/assets/site.css"), still percent-encoded; a "?query" may follow. */
  path: string;
  /** Raw query string, with or without "?" (kept on a redirect). */
  query?: string;
  headers?: [string, string][];
  /** Where the app is mounted ("/acme/site"): the prefix of a redirect's Location. */
  base?: string;
}

export interface StaticAnswer {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  durationMs: number;
  /** The draft file that answered (200/206/304/HEAD). */
  file?: string;
}

/** Same as lib/runtime/static-files.ts STATIC_CACHE_CONTROL: the URL is not versioned. */
const CACHE_CONTROL = "public, max-age=0, must-revalidate";

interface Mount {
  prefix: string;
  dir: string;
  path: string;
}

function mountsOf(routes: StaticRoute[]): Mount[] {
  return routes
    .map((r) => {
      let prefix = r.path.endsWith("/...") ? r.path.slice(0, -4) : r.path;
      while (prefix.endsWith("/")) prefix = prefix.slice(0, -1);
      const dir = r.dir.split("/").filter((s) => s !== "" && s !== ".").join("/");
      return { prefix, dir, path: r.path };
    })
    .sort((a, b) => b.prefix.length - a.prefix.length);
}

/** The manifest's `static:` entries and wasm routes; none when it does not parse (the build says why). */
export function staticSettingsOf(manifestText: string | undefined): { static: StaticRoute[]; routes: string[] } {
  if (manifestText === undefined) return { static: [], routes: [] };
  try {
    const manifest = parseManifest(manifestText);
    return { static: manifest.static, routes: manifest.routes.map((r) => r.path) };
  } catch {
    return { static: [], routes: [] };
  }
}

function routeBase(route: string): string {
  return route.endsWith("/...") ? route.slice(0, -4) : route;
}

function routeMatches(route: string, path: string): boolean {
  if (!route.endsWith("/...")) return path === route;
  const base = routeBase(route);
  return base === "" || path === base || path.startsWith(`${base}/`);
}

/** The mount answering `path`: the most specific prefix; a longer wasm route keeps its paths; a tie goes to the files. */
function findMount(mounts: Mount[], routes: string[], path: string): Mount | null {
  const mount = mounts.find((m) => m.prefix === "" || path === m.prefix || path.startsWith(`${m.prefix}/`));
  if (!mount) return null;
  if (routes.some((r) => routeMatches(r, path) && routeBase(r).length > mount.prefix.length)) return null;
  return mount;
}

type Lookup = { kind: "file"; path: string } | { kind: "redirect" } | { kind: "not-found"; path: string } | { kind: "bad-path" };

function lookup(files: Record<string, unknown>, mount: Mount, rest: string): Lookup {
  const raw = rest === "" ? [] : rest.split("/").slice(1);
  const isDirectory = rest.endsWith("/");
  if (raw.length > 0 && raw[raw.length - 1] === "") raw.pop();
  const segments: string[] = [];
  for (const segment of raw) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return { kind: "bad-path" };
    }
    if (decoded === "" || decoded === "." || decoded === ".." || /[/\\\0]/.test(decoded)) return { kind: "bad-path" };
    segments.push(decoded);
  }
  const relative = [mount.dir, ...segments].filter((s) => s !== "").join("/");
  const index = relative ? `${relative}/index.html` : "index.html";
  if (isDirectory) return files[index] !== undefined ? { kind: "file", path: index } : { kind: "not-found", path: index };
  if (files[relative] !== undefined) return { kind: "file", path: relative };
  if (files[index] !== undefined) return { kind: "redirect" };
  return { kind: "not-found", path: relative };
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | "unsatisfiable" | null {
  if (!header) return null;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return null;
  const first = match[1]!;
  const last = match[2]!;
  if (first === "" && last === "") return null;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== "" && Number(last) < start) return null;
  if (start >= size) return "unsatisfiable";
  return { start, end: last === "" ? size - 1 : Math.min(Number(last), size - 1) };
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

const encoder = new TextEncoder();

function jsonError(status: number, code: string, message: string, extra: [string, string][] = []): Omit<StaticAnswer, "durationMs"> {
  const body = encoder.encode(JSON.stringify({ error: { code, message } }));
  return { status, headers: [["content-type", "application/json; charset=utf-8"], ["content-length", String(body.length)], ["cache-control", "no-store"], ...extra], body };
}

/**
 * The gateway's static answer for `request`, from the draft's `files` (text or bytes), or null when
 * no `static:` prefix covers the path and the module should run. `manifest` is wasmcompute.yaml's
 * text (or its static entries); `routes` are the wasm route paths when the caller knows more than
 * the manifest (e.g. from `_routes`).
 */
export async function answerStaticRequest(
  manifest: string | StaticRoute[] | undefined,
  files: Record<string, string | Uint8Array>,
  request: StaticRequest,
  routes?: string[],
): Promise<StaticAnswer | null> {
  const started = performance.now();
  const settings = Array.isArray(manifest) ? { static: manifest, routes: routes ?? [] } : staticSettingsOf(manifest);
  if (settings.static.length === 0) return null;
  const [pathPart, queryPart] = request.path.split(/\?(.*)/s, 2) as [string, string | undefined];
  const path = `/${pathPart.replace(/^\/+/, "")}`;
  const mount = findMount(mountsOf(settings.static), routes ?? settings.routes, path);
  if (!mount) return null;

  const method = request.method.toUpperCase();
  const header = (name: string) => request.headers?.find(([k]) => k.toLowerCase() === name)?.[1];
  const done = (answer: Omit<StaticAnswer, "durationMs">): StaticAnswer => ({ ...answer, ...(method === "HEAD" ? { body: new Uint8Array(0) } : {}), durationMs: performance.now() - started });

  if (method !== "GET" && method !== "HEAD") {
    return done(jsonError(405, "method-not-allowed", `${path} is a static file path (manifest static: ${mount.path}); it answers GET and HEAD only.`, [["allow", "GET, HEAD"]]));
  }
  const found = lookup(files, mount, path.slice(mount.prefix.length));
  if (found.kind === "bad-path") return done(jsonError(400, "bad-path", "The path has an invalid segment (., .., or an encoded /, \\ or NUL). Request the file by its plain path."));
  if (found.kind === "redirect") {
    const query = (request.query ?? queryPart ?? "").replace(/^\?/, "");
    return done({ status: 301, headers: [["location", `${request.base ?? ""}${path}/${query ? `?${query}` : ""}`], ["content-length", "0"], ["cache-control", CACHE_CONTROL]], body: new Uint8Array(0) });
  }
  if (found.kind === "not-found") {
    return done(jsonError(404, "file-not-found", `No file "${found.path}" in this version. The manifest serves ${mount.path} from ${mount.dir ? `${mount.dir}/` : "the files' root"}; publish the file to serve it.`));
  }

  const content = files[found.path]!;
  const bytes = typeof content === "string" ? encoder.encode(content) : content;
  const etag = `"${await sha256Hex(bytes)}"`;
  const headers: [string, string][] = [["content-type", contentTypeOf(found.path)], ["etag", etag], ["cache-control", CACHE_CONTROL], ["accept-ranges", "bytes"], ["x-content-type-options", "nosniff"]];
  if (etagMatches(header("if-none-match"), etag)) return done({ status: 304, headers: [["etag", etag], ["cache-control", CACHE_CONTROL]], body: new Uint8Array(0), file: found.path });
  const ifRange = header("if-range");
  const range = method === "GET" && (ifRange === undefined || ifRange.trim() === etag) ? parseRange(header("range"), bytes.length) : null;
  if (range === "unsatisfiable") {
    return done(jsonError(416, "range-not-satisfiable", `The file has ${bytes.length} bytes; the requested range is outside it.`, [["content-range", `bytes */${bytes.length}`]]));
  }
  if (range) {
    const part = bytes.subarray(range.start, range.end + 1);
    return done({ status: 206, headers: [...headers, ["content-range", `bytes ${range.start}-${range.end}/${bytes.length}`], ["content-length", String(part.length)]], body: part, file: found.path });
  }
  return done({ status: 200, headers: [...headers, ["content-length", String(bytes.length)]], body: bytes, file: found.path });
}
