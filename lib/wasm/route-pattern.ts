// The one reading of a route (WAGI syntax), wherever it is written: wasmcompute.yaml `routes:` and
// `static:`, a module's `_routes` lines, a stored version, the IDE preview. "/hello" matches only
// /hello; "/hello/..." matches /hello and everything below it; "/..." matches every path.
// Isomorphic (the gateway, the console and the browser all route with it).

/** The wildcard suffix: a route ending in it matches its base and everything below. */
export const WILDCARD_SUFFIX = "/...";

/** The route an app without routes of its own has: every path runs `_start`. */
export const DEFAULT_ROUTE: { readonly path: string; readonly entrypoint: string } = { path: "/...", entrypoint: "_start" };

export interface RoutePattern {
  /** As written, e.g. "/api/..." (X_MATCHED_ROUTE). */
  text: string;
  /** The path it is rooted at, without the wildcard: "/api" for "/api/...", "" for "/...". */
  base: string;
  wildcard: boolean;
}

export function parseRoutePattern(text: string): RoutePattern {
  const wildcard = text.endsWith(WILDCARD_SUFFIX);
  return { text, base: wildcard ? text.slice(0, -WILDCARD_SUFFIX.length) : text, wildcard };
}

/** True when `path` (inside the app, after its mount point) falls under `pattern`. */
export function routePatternMatches(pattern: RoutePattern, path: string): boolean {
  if (!pattern.wildcard) return path === pattern.base;
  return pattern.base === "" || path === pattern.base || path.startsWith(`${pattern.base}/`);
}

/**
 * The route for `path` among `routes`, honouring WAGI's rule that the LAST matching route wins
 * (deislabs/wagi writing_modules.md); undefined when none matches.
 */
export function matchRoute<R extends { path: string }>(routes: readonly R[], path: string): { route: R; pattern: RoutePattern } | undefined {
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i]!;
    const pattern = parseRoutePattern(route.path);
    if (routePatternMatches(pattern, path)) return { route, pattern };
  }
  return undefined;
}

/** SCRIPT_NAME of a request matched by `pattern` under the app's mount point (e.g. "" or "/acme/hello"). */
export function scriptNameFor(pattern: RoutePattern, mount = ""): string {
  return mount + pattern.base || "/";
}

/** PATH_INFO (still percent-encoded): the part of `path` after SCRIPT_NAME. */
export function rawPathInfoOf(path: string, scriptName: string): string {
  if (scriptName === "/" || scriptName === "") return path === "/" ? "" : path;
  if (path === scriptName) return "";
  if (path.startsWith(`${scriptName}/`)) return path.slice(scriptName.length);
  return path; // the route did not prefix the path (should not happen): pass it all
}

/**
 * A module's `_routes` line mounted below a route the module serves, joined as WAGI joins them
 * (deislabs/wagi dispatcher.rs `RoutePattern::append`): the parent's path without its wildcard and
 * one trailing "/", then the line: "/api" + "/exact" → "/api/exact", "/api/..." + "/w/..." →
 * "/api/w/...", "/x/" + "/exact" → "/x/exact", "/" or "/..." + "/exact" → "/exact". A line "/..."
 * becomes the parent's wildcard ("/api/..."), where WAGI's join would make "/api//...".
 */
export function appendRoute(parent: string, child: string): string {
  const base = parseRoutePattern(parent).base.replace(/\/$/, "");
  const sub = parseRoutePattern(child);
  if (sub.wildcard && sub.base === "") return `${base}${WILDCARD_SUFFIX}`;
  return `${base}/${child.replace(/^\//, "")}`;
}

/**
 * The route table of a module mounted at `declared` routes that prints `own` routes from `_routes`:
 * each declared route followed by every `_routes` line appended to it (appendRoute), as WAGI does
 * for every route a module is mounted at. With the last-match-wins rule (matchRoute) a `_routes`
 * line beats the route it is mounted under, and a later line an earlier one, as in WAGI.
 */
export function mountModuleRoutes<R extends { path: string; entrypoint: string }>(
  declared: readonly R[],
  own: readonly { path: string; entrypoint: string }[],
): (R | { path: string; entrypoint: string })[] {
  return declared.flatMap((route) => [route, ...own.map((sub) => ({ path: appendRoute(route.path, sub.path), entrypoint: sub.entrypoint }))]);
}

/**
 * True for a route table that is only the default route ("/..." → _start, the entrypoint may be
 * left out as in wasmcompute.yaml): then a module's own `_routes` are asked for, by a gateway when
 * it first loads the version and by the preview after each build.
 */
export function isDefaultRouteTable(routes: readonly { path: string; entrypoint?: string }[]): boolean {
  const only = routes.length === 1 ? routes[0]! : undefined;
  return only !== undefined && only.path === DEFAULT_ROUTE.path && (only.entrypoint === undefined || only.entrypoint === DEFAULT_ROUTE.entrypoint);
}

/** `routes`, or the default route when there are none. */
export function routesOrDefault<R extends { path: string; entrypoint: string }>(routes: readonly R[]): readonly (R | typeof DEFAULT_ROUTE)[] {
  return routes.length > 0 ? routes : [DEFAULT_ROUTE];
}
