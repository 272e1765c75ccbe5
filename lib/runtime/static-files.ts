/**
 * The manifest's `static:` prefixes, answered by the gateway from the live version's files
 * without running wasm (docs/manifest.md, "Static files"): content type, strong ETag (the file's
 * sha256), If-None-Match → 304, single byte ranges → 206/416, HEAD, index.html for directories.
 *
 * A version's files are immutable and content-addressed, so their bytes are cached by sha256 in a
 * byte-bounded LRU shared by every app the gateway serves.
 */
import { createHash } from "node:crypto";
import type http from "node:http";
import { contentTypeOf } from "../deployment-record/content-type";
import type { ResolvedDeployment, RouteSpec } from "../deployment-record/record";
import type { RequestLog } from "../deployment-record/ports";
import {
  etagMatches,
  findStaticMount as findMount,
  lookupStaticPath,
  parseRange,
  STATIC_CACHE_CONTROL,
  staticMountsOf,
  type StaticMount,
} from "../deployment-record/static-rules";
import { Lru } from "./lru";
import type { StaticFileMeta, StaticSite } from "../deployment-record/static-site";

/** Bytes of static files by sha256, bounded by total bytes; concurrent misses share one read. */
export class StaticFileCache {
  private readonly lru: Lru<string, Uint8Array>;
  private readonly inFlight = new Map<string, Promise<Uint8Array>>();
  private readonly maxFileBytes: number;
  hits = 0;
  misses = 0;

  constructor(options: { maxBytes?: number; maxEntries?: number } = {}) {
    const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.lru = new Lru(options.maxEntries ?? 10_000, maxBytes);
    // One large file must not flush everything else: bigger files are read each time.
    this.maxFileBytes = Math.floor(maxBytes / 4);
  }

  async get(meta: StaticFileMeta, read: (sha256: string) => Promise<Uint8Array>): Promise<Uint8Array> {
    const hit = this.lru.get(meta.sha256);
    if (hit) {
      this.hits++;
      return hit;
    }
    const pending = this.inFlight.get(meta.sha256);
    if (pending) return pending;
    this.misses++;
    const load = (async () => {
      const bytes = await read(meta.sha256);
      // The ETag promises these exact bytes: check them once, on the way into the cache.
      const actual = createHash("sha256").update(bytes).digest("hex");
      if (actual !== meta.sha256) throw new Error(`file bytes do not match their hash (expected ${meta.sha256}, got ${actual})`);
      if (bytes.byteLength <= this.maxFileBytes) this.lru.set(meta.sha256, bytes, bytes.byteLength);
      return bytes;
    })();
    this.inFlight.set(meta.sha256, load);
    try {
      return await load;
    } finally {
      this.inFlight.delete(meta.sha256);
    }
  }

  get bytes(): number {
    return this.lru.weight;
  }
}

/** The static mount that answers `path`, if any (lib/deployment-record/static-rules.ts findStaticMount). */
export function findStaticMount(site: StaticSite, routes: RouteSpec[], path: string): { mount: StaticMount; rest: string } | null {
  return findMount(site.mounts, routes.map((r) => r.prefix), path);
}

export type StaticLookup =
  | { kind: "file"; path: string; meta: StaticFileMeta }
  | { kind: "redirect" }
  | { kind: "not-found"; path: string }
  | { kind: "bad-path" };

/** The file a path under `mount` names, with its stored size and type (lib/deployment-record/static-rules.ts lookupStaticPath). */
export function lookupStaticFile(site: StaticSite, mount: StaticMount, rest: string): StaticLookup {
  const found = lookupStaticPath((path) => site.files.has(path), mount, rest);
  return found.kind === "file" ? { ...found, meta: site.files.get(found.path)! } : found;
}

function sendJson(res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): number {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(body)), "cache-control": "no-store", ...headers });
  res.end(body);
  return Buffer.byteLength(body);
}

export interface StaticOutcome {
  status: number;
  /** Body bytes actually sent (0 for HEAD and 304). */
  bytesOut: number;
}

/**
 * Answers the request from the deployment's static files when its path falls under a `static:`
 * prefix; null when it does not (the request goes on to the wasm routes). Sets the access
 * record's route and clears its memory cap: no guest runs, so no GB-seconds are billed.
 */
export async function serveStaticFile(options: {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  deployment: ResolvedDeployment;
  /** Path inside the app (after the mount) and the URL prefix the app answers under. */
  target: { base: string; path: string };
  search: string;
  log: RequestLog;
  cache: StaticFileCache;
}): Promise<StaticOutcome | null> {
  const { req, res, deployment, target, log, cache } = options;
  const site = deployment.static;
  if (!site) return null;
  const found = findStaticMount(site, deployment.routes, target.path);
  if (!found) return null;
  const { mount, rest } = found;
  log.route = `static ${mount.path}`;
  log.memoryLimitMb = undefined;
  const method = req.method ?? "GET";
  const done = (status: number, bytesOut: number): StaticOutcome => ({ status, bytesOut: method === "HEAD" ? 0 : bytesOut });

  if (method !== "GET" && method !== "HEAD") {
    return done(405, sendJson(res, 405, "method-not-allowed", `${target.path} is a static file path (manifest static: ${mount.path}); it answers GET and HEAD only.`, { allow: "GET, HEAD" }));
  }
  const lookup = lookupStaticFile(site, mount, rest);
  if (lookup.kind === "bad-path") {
    return done(400, sendJson(res, 400, "bad-path", "The path has an invalid segment (., .., or an encoded /, \\ or NUL). Request the file by its plain path."));
  }
  if (lookup.kind === "redirect") {
    res.writeHead(301, { location: `${target.base}${target.path}/${options.search}`, "content-length": "0", "cache-control": STATIC_CACHE_CONTROL });
    res.end();
    return done(301, 0);
  }
  if (lookup.kind === "not-found") {
    const message = `No file "${lookup.path}" in this version. The manifest serves ${mount.path} from ${mount.dir ? `${mount.dir}/` : "the files' root"}; publish the file to serve it.`;
    log.error = { code: "not-found", message };
    return done(404, sendJson(res, 404, "file-not-found", message));
  }

  const { meta } = lookup;
  const etag = `"${meta.sha256}"`;
  const headers: Record<string, string> = {
    "content-type": meta.contentType,
    etag,
    "cache-control": STATIC_CACHE_CONTROL,
    "accept-ranges": "bytes",
    "x-content-type-options": "nosniff",
  };
  if (etagMatches(req.headers["if-none-match"], etag)) {
    res.writeHead(304, { etag, "cache-control": STATIC_CACHE_CONTROL });
    res.end();
    return done(304, 0);
  }
  // If-Range names what the client holds: a range of anything else would splice two files.
  const ifRange = req.headers["if-range"];
  const range = method === "GET" && (ifRange === undefined || String(ifRange).trim() === etag) ? parseRange(req.headers.range, meta.size) : null;
  if (range === "unsatisfiable") {
    return done(416, sendJson(res, 416, "range-not-satisfiable", `The file has ${meta.size} bytes; the requested range is outside it.`, { "content-range": `bytes */${meta.size}` }));
  }
  if (method === "HEAD") {
    res.writeHead(200, { ...headers, "content-length": String(meta.size) });
    res.end();
    return done(200, 0);
  }

  let bytes: Uint8Array;
  try {
    bytes = await cache.get(meta, site.read);
  } catch (err) {
    const message = `The file "${lookup.path}" could not be read. Retry shortly.`;
    log.error = { code: "storage-failed", message, detail: err instanceof Error ? err.message : String(err) };
    return done(503, sendJson(res, 503, "storage-failed", message));
  }
  if (range) {
    const part = bytes.subarray(range.start, range.end + 1);
    res.writeHead(206, { ...headers, "content-range": `bytes ${range.start}-${range.end}/${meta.size}`, "content-length": String(part.byteLength) });
    res.end(part);
    return done(206, part.byteLength);
  }
  res.writeHead(200, { ...headers, "content-length": String(bytes.byteLength) });
  res.end(bytes);
  return done(200, bytes.byteLength);
}

export { parseRange, STATIC_CACHE_CONTROL, type StaticMount };
