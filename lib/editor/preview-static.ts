// The preview's stand-in for the gateway's static serving (`static:` in wasmcompute.yaml; the rules
// are docs/manifest.md "Static files": which mount and file a path names, ranges and ETags come
// from lib/deployment-record/static-rules.ts, the code the gateway's lib/runtime/static-files.ts uses). A request under a static prefix is answered from the draft's files without
// running the module, with the statuses, headers and error bodies the gateway sends: content type,
// ETag (the file's sha256: publish uploads the same UTF-8 bytes), 304, single ranges (206/416),
// HEAD, index.html for "…/", 301 for a folder named without its slash, 400/404/405 as JSON errors.
import { parseManifest } from "@/lib/manifest/parse-manifest";
import { etagMatches, findStaticMount, lookupStaticPath, parseRange, STATIC_CACHE_CONTROL, staticMountsOf } from "@/lib/deployment-record/static-rules";
import { contentTypeOf } from "@/lib/deployment-record/content-type";
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
  const foundMount = findStaticMount(staticMountsOf(settings.static), routes ?? settings.routes, path);
  if (!foundMount) return null;
  const { mount, rest } = foundMount;

  const method = request.method.toUpperCase();
  const header = (name: string) => request.headers?.find(([k]) => k.toLowerCase() === name)?.[1];
  const done = (answer: Omit<StaticAnswer, "durationMs">): StaticAnswer => ({ ...answer, ...(method === "HEAD" ? { body: new Uint8Array(0) } : {}), durationMs: performance.now() - started });

  if (method !== "GET" && method !== "HEAD") {
    return done(jsonError(405, "method-not-allowed", `${path} is a static file path (manifest static: ${mount.path}); it answers GET and HEAD only.`, [["allow", "GET, HEAD"]]));
  }
  const found = lookupStaticPath((p) => files[p] !== undefined, mount, rest);
  if (found.kind === "bad-path") return done(jsonError(400, "bad-path", "The path has an invalid segment (., .., or an encoded /, \\ or NUL). Request the file by its plain path."));
  if (found.kind === "redirect") {
    const query = (request.query ?? queryPart ?? "").replace(/^\?/, "");
    return done({ status: 301, headers: [["location", `${request.base ?? ""}${path}/${query ? `?${query}` : ""}`], ["content-length", "0"], ["cache-control", STATIC_CACHE_CONTROL]], body: new Uint8Array(0) });
  }
  if (found.kind === "not-found") {
    return done(jsonError(404, "file-not-found", `No file "${found.path}" in this version. The manifest serves ${mount.path} from ${mount.dir ? `${mount.dir}/` : "the files' root"}; publish the file to serve it.`));
  }

  const content = files[found.path]!;
  const bytes = typeof content === "string" ? encoder.encode(content) : content;
  const etag = `"${await sha256Hex(bytes)}"`;
  const headers: [string, string][] = [["content-type", contentTypeOf(found.path)], ["etag", etag], ["cache-control", STATIC_CACHE_CONTROL], ["accept-ranges", "bytes"], ["x-content-type-options", "nosniff"]];
  if (etagMatches(header("if-none-match"), etag)) return done({ status: 304, headers: [["etag", etag], ["cache-control", STATIC_CACHE_CONTROL]], body: new Uint8Array(0), file: found.path });
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
