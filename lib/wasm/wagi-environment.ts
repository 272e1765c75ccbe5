// The request → environment/argv mapping of WAGI (deislabs/wagi
// docs/environment_variables.md and writing_modules.md), which follows CGI/1.1
// (RFC 3875 section 4.1) with a few X_ extensions.
import { parseRoutePattern, rawPathInfoOf, scriptNameFor } from "./route-pattern";

export interface WagiRequest {
  method: string;
  /** The full request URL, e.g. "https://app.example.com/api/items?id=3". */
  url: string;
  headers: [string, string][];
  body: Uint8Array;
  remoteAddr: string;
  /** The matched route as the app wrote it, relative to the app (no mount), e.g. "/" or "/api/..." (becomes X_MATCHED_ROUTE). */
  route: string;
  /** SCRIPT_NAME; default: the route without a trailing "/..." ("/" for the root route). */
  scriptName?: string;
}

/** Headers never passed to the guest (RFC 3875 4.1.18: credentials and hop-by-hop). */
const HIDDEN_HEADERS = new Set(["authorization", "connection"]);

/**
 * The console's own cookies (next-auth's session, CSRF and callback cookies, chunks included).
 * Cookies ignore ports, so a browser signed in to a console on the same host name as the gateway
 * sends them to every app: no guest may see them.
 */
const CONSOLE_COOKIE = /^(__Secure-|__Host-)?next-auth\./;

/** True for a cookie ("name=value…" or a Set-Cookie value) that belongs to the console. */
export function isConsoleCookie(cookie: string): boolean {
  return CONSOLE_COOKIE.test(cookie.trim());
}

export function withoutConsoleCookies(header: string): string {
  return header
    .split(";")
    .map((c) => c.trim())
    .filter((c) => c !== "" && !isConsoleCookie(c))
    .join("; ");
}

export function scriptNameOf(req: WagiRequest): string {
  return req.scriptName ?? scriptNameFor(parseRoutePattern(req.route));
}

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // malformed escapes are passed through as written
  }
}

/**
 * Every CGI/WAGI variable for a request. The caller merges app env underneath
 * (`{ ...appEnv, ...wagiEnvironment(...) }`) so these always win.
 */
export function wagiEnvironment(
  req: WagiRequest,
  serverName: string,
  serverPort: string,
  /** `new URL(req.url)`, when the caller has it already. */
  url: URL = new URL(req.url),
): Record<string, string> {
  const scriptName = scriptNameOf(req);
  const raw = rawPathInfoOf(url.pathname, scriptName);
  const pathInfo = percentDecode(raw);
  const header = (name: string) => req.headers.find(([k]) => k.toLowerCase() === name)?.[1] ?? "";

  const env: Record<string, string> = {};
  // HTTP_* first so a crafted header can never overwrite a CGI variable.
  for (const [name, raw] of req.headers) {
    const lower = name.toLowerCase();
    if (HIDDEN_HEADERS.has(lower)) continue;
    const value = lower === "cookie" ? withoutConsoleCookies(raw) : raw;
    if (lower === "cookie" && value === "") continue;
    const key = `HTTP_${lower.toUpperCase().replace(/-/g, "_")}`;
    // Repeated headers are joined as HTTP would fold them (cookies with "; ").
    env[key] = key in env ? `${env[key]}${lower === "cookie" ? "; " : ", "}${value}` : value;
  }

  Object.assign(env, {
    AUTH_TYPE: "",
    CONTENT_LENGTH: String(req.body.length),
    CONTENT_TYPE: header("content-type"),
    GATEWAY_INTERFACE: "CGI/1.1",
    PATH_INFO: pathInfo,
    PATH_TRANSLATED: pathInfo,
    QUERY_STRING: url.search.startsWith("?") ? url.search.slice(1) : "",
    REMOTE_ADDR: req.remoteAddr,
    REMOTE_HOST: req.remoteAddr,
    REMOTE_USER: "",
    REQUEST_METHOD: req.method.toUpperCase(),
    SCRIPT_NAME: scriptName,
    SERVER_NAME: serverName,
    SERVER_PORT: serverPort,
    SERVER_PROTOCOL: "HTTP/1.1",
    SERVER_SOFTWARE: "WAGI/1",
    X_FULL_URL: url.href,
    X_MATCHED_ROUTE: req.route,
    X_RAW_PATH_INFO: raw,
  });
  return env;
}

/**
 * argv for a request, as WAGI builds it: argv[0] is the request path, then one
 * argument per "&"-separated query item, percent-decoded ("+" is a space), so
 * "/env?greet=matt&foo=bar" runs as `/env greet=matt foo=bar`.
 */
export function wagiArgs(req: Pick<WagiRequest, "url">, url: URL = new URL(req.url)): string[] {
  const query = url.search.startsWith("?") ? url.search.slice(1) : "";
  const items = query === "" ? [] : query.split("&").filter((item) => item !== "");
  return [percentDecode(url.pathname), ...items.map((item) => percentDecode(item.replace(/\+/g, " ")))];
}
