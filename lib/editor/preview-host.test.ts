// The preview worker's pieces in Node (lib/wasm is isomorphic): the in-tab kv copy behind every kv
// import, and `_routes` discovery + dispatch resolved like the gateway, on the committed fixtures.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { matchRoute, readWagiRoutes, runWagi } from "@/lib/wasm";
import { memoryKv } from "./preview-kv-host";
import { diffKv } from "./preview-kv";
import { buildPreviewRequest } from "./preview-protocol";
import { examplePath, manifestDeclaresRoutes, previewRouteTable } from "./preview-routes";

const ROOT = path.resolve(import.meta.dirname, "../..");
const fixture = async (name: string) => new WebAssembly.Module(await readFile(path.join(ROOT, "fixtures/wasm", `${name}.wasm`)));
const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | null | undefined) => (b == null ? null : new TextDecoder().decode(b));
const GATEWAY = "http://127.0.0.1:3001/team/app/";

function run(module: WebAssembly.Module, kv: Record<string, Uint8Array>, routes: { path: string; entrypoint: string }[] = [], p = "/") {
  const built = buildPreviewRequest(GATEWAY, routes, { method: "GET", path: p, query: "", headers: [], body: "" });
  if (!built) throw new Error(`no route for ${p}`);
  const copy = memoryKv(kv);
  const res = runWagi({ module, request: built.request, entrypoint: built.entrypoint, env: {}, maxResponseBytes: 1 << 20, host: { kv: copy.host } });
  return { res, body: str(res.body), kv: copy.snapshot() };
}

describe("the preview's kv copy", () => {
  it("runs kv_incr against the copy and leaves the input untouched (the tab keeps what it passed in)", async () => {
    const module = await fixture("kv-counter");
    const base = { hits: text("41"), other: text("x") };
    const first = run(module, base);
    expect(first.res.status).toBe(200);
    expect(first.body).toBe("42\n");
    expect(str(base.hits)).toBe("41");
    const second = run(module, first.kv);
    expect(second.body).toBe("43\n");
    expect(diffKv(base, second.kv)).toEqual({ set: ["hits"], del: [] });
    // A missing counter starts at 0, as on the gateway.
    expect(run(module, {}).body).toBe("1\n");
  });

  it("answers CONFLICT for kv_incr on text, and implements cas, listPage and delete like the gateway", () => {
    const { host, snapshot } = memoryKv({ a: text("not a number"), "p/2": text("2"), "p/1": text("1"), "p/10": text("10"), q: text("q") });
    expect(() => host.increment!("a", 1n)).toThrow(expect.objectContaining({ name: "KvConflict" }));
    expect(host.compareAndSet!("p/1", text("9"), text("x"))).toBe(false);
    expect(host.compareAndSet!("p/1", text("1"), text("one"))).toBe(true);
    expect(host.compareAndSet!("new", null, text("n"))).toBe(true);
    expect(host.compareAndSet!("new", null, text("again"))).toBe(false);
    expect(host.listPage!("p/", undefined, 2)).toEqual({ keys: ["p/1", "p/10"], more: true });
    expect(host.listPage!("p/", "p/10", 2)).toEqual({ keys: ["p/2"], more: false });
    expect(host.delete("q")).toBe(true);
    expect(host.delete("q")).toBe(false);
    const after = snapshot();
    expect(str(after["p/1"])).toBe("one");
    expect(diffKv({ a: text("not a number"), "p/1": text("1"), q: text("q") }, after)).toEqual({ set: ["new", "p/1", "p/10", "p/2"], del: ["q"] });
  });
});

describe("_routes in the preview", () => {
  it("discovers the fixture's routes with lib/wasm and dispatches each path to its entry point, last match winning", async () => {
    const module = await fixture("routes");
    const discovered = readWagiRoutes(module).map((r) => ({ path: r.path, entrypoint: r.entrypoint }));
    expect(discovered).toEqual([
      { path: "/hello", entrypoint: "hello" },
      { path: "/goodbye/...", entrypoint: "goodbye" },
    ]);
    const table = previewRouteTable({ manifestText: "name: app\n", manifestRoutes: [{ path: "/...", entrypoint: "_start" }], discovered });
    expect(table.map((r) => `${r.path} ${r.entrypoint} ${r.source}`)).toEqual(["/... _start default", "/hello hello _routes", "/goodbye/... goodbye _routes"]);
    expect(run(module, {}, table, "/hello").body).toBe("hello\n");
    expect(run(module, {}, table, examplePath(table[2]!)).body).toBe("goodbye\n");
    expect(run(module, {}, table, "/goodbye/a/b").body).toBe("goodbye\n");
    expect(run(module, {}, table, "/other").body).toBe("main\n");
    expect(run(module, {}, table, "/hello/x").body).toBe("main\n");
    // The same table through the gateway's matcher.
    expect(matchRoute(table, "/goodbye")?.route.entrypoint).toBe("goodbye");
  });

  it("runs WAGI's module-map case under the app's mount: X_MATCHED_ROUTE relative to the app, SCRIPT_NAME with the mount", async () => {
    const module = await fixture("dynamic-routes");
    const discovered = readWagiRoutes(module).map((r) => ({ path: r.path, entrypoint: r.entrypoint }));
    const manifest = "routes:\n  - path: /\n  - path: /exactparent\n  - path: /wildcardparent/...\n";
    const manifestRoutes = ["/", "/exactparent", "/wildcardparent/..."].map((p) => ({ path: p, entrypoint: "_start" }));
    const table = previewRouteTable({ manifestText: manifest, manifestRoutes, discovered });
    const seen = (p: string) => JSON.parse(run(module, {}, table, p).body!) as Record<string, string>;
    expect(seen("/exactparent/wildcard/fizz/buzz")).toEqual({
      description: "This is the .../wildcard/... handler",
      PATH_INFO: "/fizz/buzz",
      PATH_TRANSLATED: "/fizz/buzz",
      X_MATCHED_ROUTE: "/exactparent/wildcard/...",
      X_RAW_PATH_INFO: "/fizz/buzz",
      SCRIPT_NAME: "/team/app/exactparent/wildcard",
    });
    expect(seen("/wildcardparent/exact")).toMatchObject({ description: "This is the .../exact handler", X_MATCHED_ROUTE: "/wildcardparent/exact", SCRIPT_NAME: "/team/app/wildcardparent/exact" });
    expect(seen("/")).toMatchObject({ description: "This is the main entry point", X_MATCHED_ROUTE: "/", SCRIPT_NAME: "/team/app/", PATH_INFO: "" });
  });

  it("mounts _routes below each route wasmcompute.yaml declares, as the gateway does", () => {
    const manifest = "routes:\n  - path: /api/...\n    entrypoint: _start\n";
    expect(manifestDeclaresRoutes(manifest)).toBe(true);
    expect(manifestDeclaresRoutes("name: x\nenv:\n  A: b\n")).toBe(false);
    // The editor templates spell out the default route: it counts as the default, as when it is absent.
    expect(manifestDeclaresRoutes("routes:\n  - path: /...\n    entrypoint: _start\n")).toBe(false);
    expect(manifestDeclaresRoutes("routes:\n  - path: /...\n")).toBe(false);
    expect(manifestDeclaresRoutes("routes:\n  - path: /...\n    entrypoint: main\n")).toBe(true);
    expect(manifestDeclaresRoutes(undefined)).toBe(false);
    const table = previewRouteTable({ manifestText: manifest, manifestRoutes: [{ path: "/api/...", entrypoint: "_start" }], discovered: [{ path: "/hello", entrypoint: "hello" }] });
    expect(table).toEqual([
      { path: "/api/...", entrypoint: "_start", source: "manifest" },
      { path: "/api/hello", entrypoint: "hello", source: "_routes" },
    ]);
    expect(buildPreviewRequest(GATEWAY, table, { method: "GET", path: "/api/hello", query: "", headers: [], body: "" })?.entrypoint).toBe("hello");
    expect(buildPreviewRequest(GATEWAY, table, { method: "GET", path: "/hello", query: "", headers: [], body: "" })).toBeNull();
  });
});
