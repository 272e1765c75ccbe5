// The preview's stand-in for the gateway's static serving (`static:` in wasmcompute.yaml,
// docs/manifest.md): a request under a static prefix is answered from the draft's files, with the
// same content types publish records (lib/versions/content-type.ts), without running the module.
// Isomorphic and pure, so the page and the preview worker can both call it.
//
// Rules: the longest matching prefix wins; "/assets" and "/assets/..." both cover /assets and
// everything below it; a path ending in "/" (or the prefix itself) means its index.html; GET and
// HEAD only (anything else is 405); a missing file is 404. Paths are percent-decoded and may not
// leave the folder.
import { parseManifest } from "@/lib/manifest/parse-manifest";
import { contentTypeOf } from "@/lib/versions/content-type";

export interface StaticRoute {
  path: string;
  dir: string;
}

export interface StaticAnswer {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  durationMs: number;
  /** The file that answered (absent for 404/405). */
  file?: string;
}

/** The manifest's `static:` entries; [] when it has none or does not parse (the build reports that). */
export function staticRoutesOf(manifestText: string | undefined): StaticRoute[] {
  if (manifestText === undefined) return [];
  try {
    return parseManifest(manifestText).static;
  } catch {
    return [];
  }
}

function prefixOf(routePath: string): string {
  return routePath.replace(/\/\.\.\.$/, "").replace(/\/+$/, "");
}

function covers(prefix: string, path: string): boolean {
  return prefix === "" || path === prefix || path.startsWith(`${prefix}/`);
}

const text = (status: number, message: string, extra: [string, string][] = []): Omit<StaticAnswer, "durationMs"> => ({
  status,
  headers: [["content-type", "text/plain; charset=utf-8"], ...extra],
  body: new TextEncoder().encode(message),
});

/**
 * The static answer for `request` (its path relative to the app, query allowed), or null when no
 * `static:` prefix covers it and the module should run. `files` are the draft's (text or bytes).
 */
export function answerStaticRequest(
  manifest: string | StaticRoute[] | undefined,
  files: Record<string, string | Uint8Array>,
  request: { method: string; path: string },
): StaticAnswer | null {
  const started = performance.now();
  const routes = Array.isArray(manifest) ? manifest : staticRoutesOf(manifest);
  const rawPath = `/${request.path.replace(/[?#].*$/, "").replace(/^\/+/, "")}`;
  const route = routes
    .map((r) => ({ prefix: prefixOf(r.path), dir: r.dir.replace(/\/+$/, "") }))
    .filter((r) => covers(r.prefix, rawPath))
    .sort((a, b) => b.prefix.length - a.prefix.length)[0];
  if (!route) return null;

  const done = (answer: Omit<StaticAnswer, "durationMs">): StaticAnswer => ({ ...answer, durationMs: performance.now() - started });
  const method = request.method.toUpperCase();
  if (method !== "GET" && method !== "HEAD") return done(text(405, `${method} is not allowed here: ${route.prefix || "/"} is served from ${route.dir}/ as static files (GET and HEAD).\n`, [["allow", "GET, HEAD"]]));

  let rest: string;
  try {
    rest = decodeURIComponent(rawPath.slice(route.prefix.length)).replace(/^\/+/, "");
  } catch {
    return done(text(400, "Malformed percent-encoding in the path.\n"));
  }
  if (rest === "" || rest.endsWith("/")) rest += "index.html";
  if (rest.split("/").some((s) => s === ".." || s === "." || s === "")) return done(text(404, "Not found.\n"));
  const file = `${route.dir}/${rest}`;
  const content = files[file];
  if (content === undefined) return done(text(404, `Not found: no file ${file} (static ${route.prefix || "/"} → ${route.dir}/).\n`));

  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  return done({
    status: 200,
    headers: [["content-type", contentTypeOf(file)], ["content-length", String(bytes.length)]],
    body: method === "HEAD" ? new Uint8Array(0) : bytes,
    file,
  });
}
