import { describe, expect, it } from "vitest";
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

describe("wagiEnvironment", () => {
  it("sets every WAGI/CGI variable (deislabs/wagi environment_variables.md)", () => {
    expect(wagiEnvironment(req(), "example.com", "3000")).toEqual({
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
    });
  });

  it("never passes Authorization or Connection (RFC 3875 4.1.18)", () => {
    const env = wagiEnvironment(req(), "example.com", "3000");
    expect(env.HTTP_AUTHORIZATION).toBeUndefined();
    expect(env.HTTP_CONNECTION).toBeUndefined();
  });

  it("computes PATH_INFO relative to the route", () => {
    const at = (url: string, route: string, scriptName?: string) =>
      wagiEnvironment(req({ url, route, ...(scriptName ? { scriptName } : {}) }), "h", "80");
    expect(at("http://h/", "/").PATH_INFO).toBe("");
    expect(at("http://h/", "/").SCRIPT_NAME).toBe("/");
    expect(at("http://h/a/b", "/...").PATH_INFO).toBe("/a/b");
    expect(at("http://h/api", "/api/...").PATH_INFO).toBe("");
    expect(at("http://h/api/items/7", "/api/...").PATH_INFO).toBe("/items/7");
    expect(at("http://h/hello%20world", "/...").PATH_INFO).toBe("/hello world");
    expect(at("http://h/hello%20world", "/...").X_RAW_PATH_INFO).toBe("/hello%20world");
    expect(at("http://h/app/x", "/...", "/app").PATH_INFO).toBe("/x");
  });

  it("reports an empty body as CONTENT_LENGTH 0 and no query as an empty QUERY_STRING", () => {
    const env = wagiEnvironment(req({ url: "http://h/", body: new Uint8Array(0), headers: [] }), "h", "80");
    expect(env.CONTENT_LENGTH).toBe("0");
    expect(env.QUERY_STRING).toBe("");
    expect(env.CONTENT_TYPE).toBe("");
  });

  it("cannot be overridden by a crafted header", () => {
    const env = wagiEnvironment(req({ headers: [["Remote-Addr", "1.2.3.4"]] }), "h", "80");
    expect(env.REMOTE_ADDR).toBe("192.168.0.1");
    expect(env.HTTP_REMOTE_ADDR).toBe("1.2.3.4");
  });
});

describe("wagiArgs", () => {
  it("is the path followed by each query item, decoded (writing_modules.md: /env greet=matt foo=bar)", () => {
    expect(wagiArgs({ url: "http://h/env?greet=matt&foo=bar" })).toEqual(["/env", "greet=matt", "foo=bar"]);
    expect(wagiArgs({ url: "http://h/e?a%26b=c+d&&flag" })).toEqual(["/e", "a&b=c d", "flag"]);
    expect(wagiArgs({ url: "http://h/" })).toEqual(["/"]);
  });
});
