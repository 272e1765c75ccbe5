// The engine's web API layer (js-engine/runtime.js), through the real engine module on the real
// WASI host (lib/wasm runWagi): each case publishes a script as _worker.js and sends a request,
// run as the gateway runs it (from a snapshot with the script loaded, when the script allows one).
import { describe, expect, it } from "vitest";
import type { WagiResponse } from "@/lib/wasm";
import { memoryKv } from "@/lib/editor/preview-kv-host";
import { runJs as run } from "@/lib/testing/run-js";

const text = (r: WagiResponse) => new TextDecoder().decode(r.body);

describe("Request", () => {
  it("carries the method, full URL, headers and body of the request", () => {
    const { response } = run(
      `export default { async fetch(req) {
        return Response.json({ method: req.method, url: req.url, type: req.headers.get("content-type"),
          custom: req.headers.get("x-trace-id"), body: await req.json() });
      } }`,
      { method: "POST", url: "http://hello--acme.localhost/api/items?id=3", headers: [["Content-Type", "application/json"], ["X-Trace-Id", "abc"]], body: '{"n":1}' },
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(text(response))).toEqual({
      method: "POST",
      url: "http://hello--acme.localhost/api/items?id=3",
      type: "application/json",
      custom: "abc",
      body: { n: 1 },
    });
  });

  it("parses URLs and query strings (URL, URLSearchParams)", () => {
    const { response } = run(`export default { fetch(req) {
      const u = new URL(req.url);
      const p = new URLSearchParams("a=1&b=x+y&a=2");
      p.append("c", "é&");
      const rel = new URL("../up?q=1#h", "https://example.com/a/b/c");
      u.searchParams.set("page", "2");
      return Response.json({ path: u.pathname, name: u.searchParams.get("name"), all: p.getAll("a"), b: p.get("b"),
        s: p.toString(), rel: rel.href, origin: rel.origin, href: u.href, port: new URL("http://h:8080/").port });
    } }`, { url: "http://hello--acme.localhost/users/%C3%A9?name=J%C3%BCrgen" });
    expect(JSON.parse(text(response))).toEqual({
      path: "/users/%C3%A9",
      name: "Jürgen",
      all: ["1", "2"],
      b: "x y",
      s: "a=1&b=x+y&a=2&c=%C3%A9%26",
      rel: "https://example.com/a/up?q=1#h",
      origin: "https://example.com",
      href: "http://hello--acme.localhost/users/%C3%A9?name=J%C3%BCrgen&page=2",
      port: "8080",
    });
  });
});

describe("Response", () => {
  it("sets the status, headers (every Set-Cookie) and a binary body", () => {
    const { response } = run(`export default { fetch() {
      const h = new Headers({ "Content-Type": "application/octet-stream" });
      h.append("Set-Cookie", "a=1"); h.append("Set-Cookie", "b=2");
      return new Response(new Uint8Array([0, 1, 255]), { status: 201, headers: h });
    } }`);
    expect(response.status).toBe(201);
    expect(response.headers).toEqual(expect.arrayContaining([["content-type", "application/octet-stream"], ["set-cookie", "a=1"], ["set-cookie", "b=2"]]));
    expect([...response.body]).toEqual([0, 1, 255]);
  });

  it("gives a string body text/plain and redirects with a Location", () => {
    expect(run(`export default { fetch: () => new Response("héllo") }`).response).toMatchObject({ status: 200, headers: [["content-type", "text/plain;charset=UTF-8"]] });
    const { response } = run(`export default { fetch: () => Response.redirect("https://example.com/next", 301) }`);
    expect(response.status).toBe(301);
    expect(response.headers).toContainEqual(["location", "https://example.com/next"]);
  });
});

describe("globals", () => {
  it("encodes and decodes UTF-8, base64, random values and UUIDs", () => {
    const { response } = run(`export default { fetch() {
      const bytes = new TextEncoder().encode("€ ok");
      const buf = crypto.getRandomValues(new Uint8Array(32));
      return Response.json({ bytes: [...bytes], back: new TextDecoder().decode(bytes), b64: btoa("hi!"), unb64: atob("aGkh"),
        random: buf.some((b) => b !== 0), uuid: crypto.randomUUID() });
    } }`);
    const body = JSON.parse(text(response));
    expect(body).toMatchObject({ bytes: [226, 130, 172, 32, 111, 107], back: "€ ok", b64: "aGkh", unb64: "hi!", random: true });
    expect(body.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("sends console output to the app's logs with its level", () => {
    const { logs } = run(`export default { fetch() {
      console.log("hello", { user: "ada", n: [1, 2] }); console.warn("careful"); console.error(new Error("boom"));
      return new Response("ok");
    } }`);
    expect(logs[0]).toEqual({ level: "info", message: 'hello { user: "ada", n: [ 1, 2 ] }' });
    expect(logs[1]).toEqual({ level: "warn", message: "careful" });
    expect(logs[2]!.level).toBe("error");
    expect(logs[2]!.message).toMatch(/^Error: boom/);
  });

  it("runs timers and waits for ctx.waitUntil before the request ends", () => {
    const { response, logs } = run(`export default { async fetch(req, env, ctx) {
      const order = [];
      setTimeout(() => order.push("late"), 20);
      await new Promise((resolve) => setTimeout(() => { order.push("soon"); resolve(); }, 1));
      ctx.waitUntil(new Promise((resolve) => setTimeout(() => { console.log("after the response"); resolve(); }, 5)));
      return Response.json(order);
    } }`);
    expect(JSON.parse(text(response))).toEqual(["soon"]);
    expect(logs).toContainEqual({ level: "info", message: "after the response" });
  });
});

describe("env", () => {
  it("holds the app's variables and secrets, not the CGI variables", () => {
    const { response } = run(`export default { fetch(req, env) { return Response.json(Object.keys(env).sort()); } }`, { env: { GREETING: "hi", API_TOKEN: "s3cret", X_SERVICE_KEY: "k" } });
    expect(JSON.parse(text(response))).toEqual(["API_TOKEN", "GREETING", "KV", "X_SERVICE_KEY"]);
  });

  it("bridges env.KV to the app's store: get, put, delete, list, increment", () => {
    const kv = memoryKv({ "user:1": new TextEncoder().encode('{"name":"ada"}') });
    const { response } = run(
      `export default { async fetch(req, env) {
        const user = await env.KV.get("user:1", "json");
        await env.KV.put("user:2", JSON.stringify({ name: "grace" }));
        await env.KV.put("bin", new Uint8Array([1, 2, 3]));
        const missing = await env.KV.get("nope");
        const visits = await env.KV.increment("visits");
        await env.KV.increment("visits", 41);
        const deleted = await env.KV.delete("bin");
        const list = await env.KV.list({ prefix: "user:" });
        return Response.json({ user, missing, visits, deleted, names: list.keys.map((k) => k.name), complete: list.list_complete,
          after: await env.KV.get("visits") });
      } }`,
      { kv },
    );
    expect(JSON.parse(text(response))).toEqual({ user: { name: "ada" }, missing: null, visits: 1, deleted: true, names: ["user:1", "user:2"], complete: true, after: "42" });
    expect(Object.keys(kv.snapshot()).sort()).toEqual(["user:1", "user:2", "visits"]);
  });

  it("reports a missing store as an error the script can catch", () => {
    const { response } = run(`export default { async fetch(req, env) {
      try { await env.KV.get("k"); return new Response("no error"); } catch (e) { return new Response(e.message); }
    } }`);
    expect(text(response)).toMatch(/KV UNAVAILABLE/);
  });
});

describe("failures", () => {
  it("answers 500 to an uncaught exception, with the stack in stderr", () => {
    const { response } = run(`function handle() { throw new RangeError("no such item"); }
      export default { async fetch() { return handle(); } }`);
    expect(response.status).toBe(500);
    expect(text(response)).toBe("Internal Server Error\n");
    expect(response.stderr).toMatch(/RangeError: no such item/);
    expect(response.stderr).toMatch(/at handle \(_worker\.js:1/);
  });

  it("answers 500 to a syntax error or a script without a default fetch, saying why in stderr", () => {
    const syntax = run(`export default { fetch( }`).response;
    expect(syntax.status).toBe(500);
    expect(syntax.stderr).toMatch(/SyntaxError/);
    const noFetch = run(`export const x = 1;`).response;
    expect(noFetch.status).toBe(500);
    expect(noFetch.stderr).toMatch(/must `export default \{ async fetch/);
  });

  it("answers 500 when the handler returns something that is not a Response", () => {
    const { response } = run(`export default { fetch: () => "hello" }`);
    expect(response.status).toBe(500);
    expect(response.stderr).toMatch(/must return a Response, not "hello"/);
  });

  it("stops runaway recursion as a trap (the engine's stack check is off under WASI)", () => {
    for (const script of [
      `function f(n) { return f(n + 1) + 1; } export default { fetch: () => new Response(String(f(0))) }`,
      `export default { fetch: () => new Response(JSON.stringify(JSON.parse("[".repeat(100000)))) }`,
    ]) {
      expect(run(script).response.error?.kind).toBe("trap");
    }
  });
});
