// The request → CGI environment and argv mapping. Run in Node by wagi-environment.test.ts and in
// Chromium by e2e/wasm-host; see host-cases.ts for the shape.
import type { HostCase } from "./host-cases";
import { wagiArgs, wagiEnvironment, type WagiRequest } from "./wagi-environment";

function req(overrides: Partial<WagiRequest> = {}): WagiRequest {
  return {
    method: "post",
    url: "https://example.com:3000/path/test%3brun?foo=bar&x=1",
    headers: [
      ["X-Test-Header", "hello"],
      ["Accept", "text/html"],
      ["User-Agent", "test"],
      ["Host", "example.com:3000"],
      ["Content-Type", "application/json"],
      ["Authorization", "supersecret"],
      ["Connection", "keep-alive"],
      ["Cookie", "a=1"],
      ["cookie", "b=2"],
    ],
    body: new TextEncoder().encode("{\"a\":1}"),
    remoteAddr: "192.168.0.1",
    route: "/path/...",
    ...overrides,
  };
}

export const WAGI_ENVIRONMENT_CASES: HostCase[] = [
  {
    name: "wagiEnvironment sets every WAGI/CGI variable (deislabs/wagi environment_variables.md)",
    run: () => wagiEnvironment(req(), "example.com", "3000"),
    expected: {
      AUTH_TYPE: "",
      CONTENT_LENGTH: "7",
      CONTENT_TYPE: "application/json",
      GATEWAY_INTERFACE: "CGI/1.1",
      HTTP_ACCEPT: "text/html",
      HTTP_CONTENT_TYPE: "application/json",
      HTTP_COOKIE: "a=1; b=2",
      HTTP_HOST: "example.com:3000",
      HTTP_USER_AGENT: "test",
      HTTP_X_TEST_HEADER: "hello",
      PATH_INFO: "/test;run",
      PATH_TRANSLATED: "/test;run",
      QUERY_STRING: "foo=bar&x=1",
      REMOTE_ADDR: "192.168.0.1",
      REMOTE_HOST: "192.168.0.1",
      REMOTE_USER: "",
      REQUEST_METHOD: "POST",
      SCRIPT_NAME: "/path",
      SERVER_NAME: "example.com",
      SERVER_PORT: "3000",
      SERVER_PROTOCOL: "HTTP/1.1",
      SERVER_SOFTWARE: "WAGI/1",
      X_FULL_URL: "https://example.com:3000/path/test%3brun?foo=bar&x=1",
      X_MATCHED_ROUTE: "/path/...",
      X_RAW_PATH_INFO: "/test%3brun",
    },
  },
  {
    name: "wagiEnvironment never passes Authorization or Connection (RFC 3875 4.1.18)",
    run: () => {
      const env = wagiEnvironment(req(), "example.com", "3000");
      return { authorization: env.HTTP_AUTHORIZATION === undefined, connection: env.HTTP_CONNECTION === undefined };
    },
    expected: { authorization: true, connection: true },
  },
  {
    name: "wagiEnvironment computes PATH_INFO relative to the route",
    run: () => {
      const at = (url: string, route: string, scriptName?: string) =>
        wagiEnvironment(req({ url, route, ...(scriptName ? { scriptName } : {}) }), "h", "80");
      return [
        at("http://h/", "/").PATH_INFO,
        at("http://h/", "/").SCRIPT_NAME,
        at("http://h/a/b", "/...").PATH_INFO,
        at("http://h/api", "/api/...").PATH_INFO,
        at("http://h/api/items/7", "/api/...").PATH_INFO,
        at("http://h/hello%20world", "/...").PATH_INFO,
        at("http://h/hello%20world", "/...").X_RAW_PATH_INFO,
        at("http://h/app/x", "/...", "/app").PATH_INFO,
      ];
    },
    expected: ["", "/", "/a/b", "", "/items/7", "/hello world", "/hello%20world", "/x"],
  },
  {
    name: "wagiEnvironment for an app at its own host name (<app>--<tenant>.<domain>, mounted at /) and under the path opt-in",
    run: () => {
      const hosted = (url: string, host: string, scriptName?: string) => {
        const u = new URL(url);
        const env = wagiEnvironment(req({ url, route: "/api/...", headers: [["Host", host]], ...(scriptName ? { scriptName } : {}) }), u.hostname, u.port || "80", u);
        return [env.SERVER_NAME, env.SERVER_PORT, env.HTTP_HOST, env.X_FULL_URL, env.SCRIPT_NAME, env.PATH_INFO, env.QUERY_STRING];
      };
      return [
        hosted("http://shop--acme.localhost:3001/api/items/7?id=3", "shop--acme.localhost:3001"),
        hosted("http://127.0.0.1:3001/acme/shop/api/items/7?id=3", "127.0.0.1:3001", "/acme/shop/api"),
      ];
    },
    expected: [
      ["shop--acme.localhost", "3001", "shop--acme.localhost:3001", "http://shop--acme.localhost:3001/api/items/7?id=3", "/api", "/items/7", "id=3"],
      ["127.0.0.1", "3001", "127.0.0.1:3001", "http://127.0.0.1:3001/acme/shop/api/items/7?id=3", "/acme/shop/api", "/items/7", "id=3"],
    ],
  },
  {
    name: "wagiEnvironment reports an empty body as CONTENT_LENGTH 0 and no query as an empty QUERY_STRING",
    run: () => {
      const env = wagiEnvironment(req({ url: "http://h/", body: new Uint8Array(0), headers: [] }), "h", "80");
      return [env.CONTENT_LENGTH, env.QUERY_STRING, env.CONTENT_TYPE];
    },
    expected: ["0", "", ""],
  },
  {
    name: "wagiEnvironment cannot be overridden by a crafted header",
    run: () => {
      const env = wagiEnvironment(req({ headers: [["Remote-Addr", "1.2.3.4"]] }), "h", "80");
      return { REMOTE_ADDR: env.REMOTE_ADDR, HTTP_REMOTE_ADDR: env.HTTP_REMOTE_ADDR };
    },
    expected: { REMOTE_ADDR: "192.168.0.1", HTTP_REMOTE_ADDR: "1.2.3.4" },
  },
  {
    name: "wagiArgs is the path followed by each query item, decoded (writing_modules.md: /env greet=matt foo=bar)",
    run: () => [wagiArgs({ url: "http://h/env?greet=matt&foo=bar" }), wagiArgs({ url: "http://h/e?a%26b=c+d&&flag" }), wagiArgs({ url: "http://h/" })],
    expected: [["/env", "greet=matt", "foo=bar"], ["/e", "a&b=c d", "flag"], ["/"]],
  },
];
