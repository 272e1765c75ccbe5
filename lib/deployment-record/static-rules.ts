/**
 * The rules of `static:` serving (docs/manifest.md, "Static files"), shared by the gateway
 * (lib/runtime/static-files.ts) and the editor's preview (lib/editor/preview-static.ts) so that
 * both answer a path the same way. Isomorphic: no Node or DOM APIs.
 */
import { parseRoutePattern, routePatternMatches } from "../wasm/route-pattern";

/**
 * Cache-Control of a served file. The URL is not versioned (the next deploy may change what it
 * answers), so browsers and proxies keep the bytes but revalidate, which costs a 304 only.
 */
export const STATIC_CACHE_CONTROL = "public, max-age=0, must-revalidate";

export interface StaticMount {
  /** URL prefix inside the app without a trailing "/" or "/...": "" serves the whole app. */
  prefix: string;
  /** Folder of the version's files it serves, without a trailing "/": "" is the files' root. */
  dir: string;
  /** As written in the manifest, for the access log and messages. */
  path: string;
}

/** A `static:` entry's folder as a path inside the version's files: "" for the root (".", "./"). */
export function staticDirOf(dir: string): string {
  return dir
    .split("/")
    .filter((s) => s !== "" && s !== ".")
    .join("/");
}

/** The manifest's `static:` entries as mounts, longest prefix first. */
export function staticMountsOf(entries: { path: string; dir: string }[]): StaticMount[] {
  return entries
    .map((e) => {
      let prefix = parseRoutePattern(e.path).base;
      while (prefix.endsWith("/")) prefix = prefix.slice(0, -1);
      return { prefix, dir: staticDirOf(e.dir), path: e.path };
    })
    .sort((a, b) => b.prefix.length - a.prefix.length);
}

/**
 * The mount that answers `path` (given the app's wasm route prefixes), if any. The most specific
 * prefix wins: a wasm route with a longer prefix than the static one (static "/", route
 * "/api/...") keeps its paths; on a tie the static files win.
 */
export function findStaticMount(mounts: StaticMount[], routes: string[], path: string): { mount: StaticMount; rest: string } | null {
  const mount = mounts.find((m) => m.prefix === "" || path === m.prefix || path.startsWith(`${m.prefix}/`));
  if (!mount) return null;
  const claims = routes.map(parseRoutePattern).some((r) => routePatternMatches(r, path) && r.base.length > mount.prefix.length);
  if (claims) return null;
  return { mount, rest: path.slice(mount.prefix.length) };
}

export type StaticPathLookup = { kind: "file"; path: string } | { kind: "redirect" } | { kind: "not-found"; path: string } | { kind: "bad-path" };

/**
 * Maps the rest of a request path (after the mount's prefix, still percent-encoded) to a file
 * path, given which files exist. Segments are decoded one by one; ".", "..", and encoded "/", "\"
 * or NUL inside a segment are refused, so a lookup never leaves the mount's folder.
 */
export function lookupStaticPath(has: (path: string) => boolean, mount: StaticMount, rest: string): StaticPathLookup {
  const raw = rest === "" ? [] : rest.split("/").slice(1);
  // The prefix itself ("/assets") is a folder named without its slash: redirected below.
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
  if (isDirectory) return has(index) ? { kind: "file", path: index } : { kind: "not-found", path: index };
  if (has(relative)) return { kind: "file", path: relative };
  // A folder named without its trailing slash: send the browser to it, so relative links work.
  if (has(index)) return { kind: "redirect" };
  return { kind: "not-found", path: relative };
}

export type ByteRange = { start: number; end: number } | "unsatisfiable" | null;

/**
 * One `Range: bytes=…` against a file of `size` bytes: null means serve the whole file (no
 * header, another unit, several ranges or a malformed one, all of which RFC 9110 lets a server
 * ignore); "unsatisfiable" means 416.
 */
export function parseRange(header: string | undefined, size: number): ByteRange {
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

/** If-None-Match against a strong ETag (weak comparison, as RFC 9110 asks for this header). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}
