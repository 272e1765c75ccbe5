/**
 * Which app a gateway request is for, and the parts of the request and response that decide what
 * the browser treats as that app's: its Host (one origin per app) and its service worker scope.
 *
 * - Host routing (always on): `<app>--<tenant>.<domain>` (and the older `<app>.<tenant>.<domain>`)
 *   names the app; the whole path belongs to it (lib/app-host.ts).
 * - Path routing (`/<tenant>/<app>/…`, GATEWAY_PATH_ROUTING=on): an operator's opt-in for API-only
 *   use. Every app then shares one origin, so a page of one app can read another's responses with
 *   the visitor's cookies; SECURITY.md says so.
 */
import type http from "node:http";
import { isRoutableName, parseAppHostname } from "@/lib/app-host";

export interface Routing {
  /** Apps answer at `<app>--<tenant>.<domain>`. */
  domain: string;
  /** The scheme clients use (GATEWAY_PUBLIC_URL's, e.g. https behind a TLS proxy): X_FULL_URL's. */
  scheme: "http" | "https";
  /** Also answer `/<tenant>/<app>/…` on host names that name no app. */
  pathRouting: boolean;
}

export interface Target {
  tenant: string;
  app: string;
  /** Path prefix the app is mounted under ("" for host routing, "/<tenant>/<app>" for path routing). */
  base: string;
  /** Path inside the app, starting with "/". */
  path: string;
}

/**
 * RFC 9110 Host = uri-host [ ":" port ], uri-host per RFC 3986: an IP literal in brackets, or a
 * reg-name / IPv4address of unreserved and sub-delims characters. Percent-encoding is left out (no
 * client needs it in a host, and decoded it could spell "/"). Anything else (`/`, `?`, `#`, `@`,
 * `\`, spaces) would turn into part of the path, query or user info of the URL the guest is given.
 */
const HOST_HEADER = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=]+)(?::[0-9]{0,5})?$/;

/**
 * The absolute URL of a request as the guest will see it (`X_FULL_URL`, `SERVER_NAME`, `PATH_INFO`
 * are all read from it), or why the request cannot be given one: a Host that is not a host, or a
 * request-target that is not a path (absolute-form `GET http://other/…`, `*`).
 */
export function requestUrlOf(req: http.IncomingMessage, scheme: Routing["scheme"] = "http"): { href: string; url: URL } | { problem: string } {
  const target = req.url ?? "/";
  if (!target.startsWith("/")) return { problem: "The request target must be a path starting with \"/\"." };
  const host = req.headers.host ?? "localhost"; // HTTP/1.0 may omit it; Node refuses HTTP/1.1 without one
  if (!HOST_HEADER.test(host)) return { problem: "The Host header is not a valid host name (with an optional port)." };
  const href = `${scheme}://${host}${target}`;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    // e.g. an IPv4-looking name out of range (999.1.1.1) or a port above 65535.
    return { problem: "The Host header is not a valid host name (with an optional port)." };
  }
  return { href, url };
}

export function findTarget(hostname: string, pathname: string, routing: Routing): Target | null {
  const named = parseAppHostname(hostname, routing.domain);
  if (named) return { ...named, base: "", path: pathname || "/" };
  // A host under the apps' domain that names no app is not a path-routed request either.
  if (!routing.pathRouting || hostname.endsWith(`.${routing.domain}`)) return null;
  const match = /^\/([^/]+)\/([^/]+)(\/.*)?$/.exec(pathname);
  if (!match || !isRoutableName(match[1]!) || !isRoutableName(match[2]!)) return null;
  return { tenant: match[1]!, app: match[2]!, base: `/${match[1]}/${match[2]}`, path: match[3] ?? "/" };
}

/** The 404 text for a request that names no app: where apps do answer on this gateway. */
export function noAppMessage(routing: Routing): string {
  return (
    `No app here. Each app answers at its own host name, <app>--<tenant>.${routing.domain}` +
    (routing.pathRouting ? ", or at /<tenant>/<app>/ on this gateway." : " (this gateway does not answer /<tenant>/<app>/ paths).")
  );
}

/**
 * A guest's `Service-Worker-Allowed` response header, confined to the app's own scope: a service
 * worker that a page of the app registers may then control only the app's URLs. Under host routing
 * the scope is the whole origin, which is the app's alone; under path routing it is the app's
 * mount, `/<tenant>/<app>/`, since the origin is every app's. A value outside the scope becomes the
 * scope itself; one that is not a URL on the same origin is dropped (null).
 */
export function confineServiceWorkerAllowed(value: string, requestUrl: URL, appBase: string): string | null {
  const scope = `${appBase}/`;
  let allowed: URL;
  try {
    allowed = new URL(value.trim(), requestUrl);
  } catch {
    return null;
  }
  if (allowed.origin !== requestUrl.origin) return null;
  return allowed.pathname.startsWith(scope) ? allowed.pathname : scope;
}
