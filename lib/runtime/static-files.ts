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
import type { Failure } from "./gateway/errors";
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

export interface StaticOutcome {
  status: number;
  /** Body bytes sent (their Content-Length; the record step counts none for HEAD). */
  bytesOut: number;
}

/** A static request that fails: the gateway's error table words and records it (gateway/errors.ts). */
export interface StaticFailure {
  failure: Extract<Failure, { kind: `static-${string}` }>;
}

/**
 * Answers a request under a `static:` prefix from the deployment's files without running wasm:
 * the file, a redirect to its directory's index, a 304, a range; or the failure to answer with.
 */
export async function serveStaticFile(options: {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  site: StaticSite;
  /** The mount that matched and the path under it (findStaticMount). */
  found: { mount: StaticMount; rest: string };
  /** Path inside the app (after the mount) and the URL prefix the app answers under. */
  target: { base: string; path: string };
  search: string;
  cache: StaticFileCache;
}): Promise<StaticOutcome | StaticFailure> {
  const { req, res, site, found, target } = options;
  const method = req.method ?? "GET";
  if (method !== "GET" && method !== "HEAD") return { failure: { kind: "static-method", path: target.path, mount: found.mount } };
  const lookup = lookupStaticFile(site, found.mount, found.rest);
  if (lookup.kind === "bad-path") return { failure: { kind: "static-bad-path" } };
  if (lookup.kind === "not-found") return { failure: { kind: "static-not-found", path: lookup.path, mount: found.mount } };
  if (lookup.kind === "redirect") {
    res.writeHead(301, { location: `${target.base}${target.path}/${options.search}`, "content-length": "0", "cache-control": STATIC_CACHE_CONTROL });
    res.end();
    return { status: 301, bytesOut: 0 };
  }
  return sendStaticFile(req, res, lookup, site, options.cache);
}

/** The file itself: 304 when the client holds it, one range (206/416), HEAD, or all of it. */
async function sendStaticFile(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  { path, meta }: { path: string; meta: StaticFileMeta },
  site: StaticSite,
  cache: StaticFileCache,
): Promise<StaticOutcome | StaticFailure> {
  const etag = `"${meta.sha256}"`;
  const headers = { "content-type": meta.contentType, etag, "cache-control": STATIC_CACHE_CONTROL, "accept-ranges": "bytes", "x-content-type-options": "nosniff" };
  if (etagMatches(req.headers["if-none-match"], etag)) {
    res.writeHead(304, { etag, "cache-control": STATIC_CACHE_CONTROL });
    res.end();
    return { status: 304, bytesOut: 0 };
  }
  // If-Range names what the client holds: a range of anything else would splice two files.
  const ifRange = req.headers["if-range"];
  const range = req.method === "GET" && (ifRange === undefined || String(ifRange).trim() === etag) ? parseRange(req.headers.range, meta.size) : null;
  if (range === "unsatisfiable") return { failure: { kind: "static-range", size: meta.size } };
  if (req.method === "HEAD") {
    res.writeHead(200, { ...headers, "content-length": String(meta.size) });
    res.end();
    return { status: 200, bytesOut: 0 };
  }
  let bytes: Uint8Array;
  try {
    bytes = await cache.get(meta, site.read);
  } catch (error) {
    return { failure: { kind: "static-read-failed", path, error } };
  }
  const part = range ? bytes.subarray(range.start, range.end + 1) : bytes;
  res.writeHead(range ? 206 : 200, {
    ...headers,
    ...(range ? { "content-range": `bytes ${range.start}-${range.end}/${meta.size}` } : {}),
    "content-length": String(part.byteLength),
  });
  res.end(part);
  return { status: range ? 206 : 200, bytesOut: part.byteLength };
}

export { parseRange, STATIC_CACHE_CONTROL, type StaticMount };
