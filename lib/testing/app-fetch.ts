// Reaching apps from tests the way users do: at their own host names, `<app>--<tenant>.localhost`.
// Chromium, Firefox and curl resolve every `*.localhost` name to this machine without DNS; Node's
// resolver does not, and Node's fetch will not send a Host header of our choosing. So `fetchApp`
// connects to 127.0.0.1 itself and sends the URL's host as Host: the gateway sees exactly what a
// browser's request would carry.
import http from "node:http";
import { Readable } from "node:stream";
import { appHostname } from "../app-host";

/**
 * An app's URL on a gateway listening on this machine: `http://<app>--<tenant>.localhost:<port><path>`.
 * `gateway` is the gateway's base URL (e.g. `platform.gatewayUrl`, `http://127.0.0.1:41234`) or its port.
 */
export function appUrl(gateway: string | number, tenant: string, app: string, path = "/"): string {
  const port = typeof gateway === "number" ? gateway : Number(new URL(gateway).port || 80);
  return `http://${appHostname(tenant, app, "localhost")}:${port}${path.startsWith("/") ? path : `/${path}`}`;
}

function isLocalhost(hostname: string): boolean {
  return hostname === "localhost" || hostname.endsWith(".localhost");
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * `fetch`, except that `localhost` and `*.localhost` URLs go to 127.0.0.1 with the URL's host as Host
 * (any other URL is passed to fetch as it is). Redirects are followed like fetch does, unless
 * `redirect: "manual"` (then the 3xx itself is returned) or `"error"`.
 */
export async function fetchApp(input: string | URL, init: RequestInit = {}, redirectsLeft = 20): Promise<Response> {
  const url = new URL(input);
  if (!isLocalhost(url.hostname)) return fetch(url, init);
  const request = new Request(url, init);
  // A stream is sent as it comes (chunked, no Content-Length), as fetch does; anything else whole.
  const stream = init.body instanceof ReadableStream ? request.body : null;
  const body = request.body && !stream ? Buffer.from(await request.arrayBuffer()) : undefined;
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  headers.host = url.host;
  if (body) headers["content-length"] = String(body.byteLength);

  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.request(
      { hostname: "127.0.0.1", port: url.port || 80, method: request.method, path: `${url.pathname}${url.search}`, headers, signal: init.signal ?? undefined },
      resolve,
    );
    req.on("error", reject);
    if (stream) Readable.fromWeb(stream as import("node:stream/web").ReadableStream).pipe(req);
    else req.end(body);
  });
  const status = res.statusCode ?? 0;
  const responseHeaders = new Headers();
  for (let i = 0; i < res.rawHeaders.length; i += 2) responseHeaders.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);

  const location = responseHeaders.get("location");
  if (REDIRECTS.has(status) && location && init.redirect !== "manual") {
    res.resume();
    if (init.redirect === "error") throw new TypeError(`fetchApp: redirected to ${location} with redirect: "error"`);
    if (redirectsLeft === 0) throw new TypeError("fetchApp: too many redirects");
    const toGet = status === 303 || ((status === 301 || status === 302) && request.method === "POST");
    const next: RequestInit = toGet ? { ...init, method: request.method === "HEAD" ? "HEAD" : "GET", body: undefined } : { ...init, body };
    return fetchApp(new URL(location, url), next, redirectsLeft - 1);
  }
  const empty = request.method === "HEAD" || status === 204 || status === 205 || status === 304;
  if (empty) res.resume();
  return new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
    status,
    statusText: res.statusMessage ?? "",
    headers: responseHeaders,
  });
}
