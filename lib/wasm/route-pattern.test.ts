// The one reading of routes (route-pattern.ts), table-driven: every place that routes (the
// gateway, the preview, static mounts, the default-route rule) goes through these functions.
import { describe, expect, it } from "vitest";
import { appendRoute, isDefaultRouteTable, matchRoute, mountModuleRoutes, parseRoutePattern, rawPathInfoOf, routePatternMatches, routesOrDefault, scriptNameFor } from "./route-pattern";

describe("parseRoutePattern / routePatternMatches", () => {
  const cases: [route: string, path: string, matches: boolean][] = [
    ["/hello", "/hello", true],
    ["/hello", "/hello/", false],
    ["/hello", "/hello/x", false],
    ["/hello", "/hellox", false],
    ["/hello/...", "/hello", true],
    ["/hello/...", "/hello/", true],
    ["/hello/...", "/hello/a/b", true],
    ["/hello/...", "/hellox", false],
    ["/hello/...", "/", false],
    ["/...", "/", true],
    ["/...", "/anything/at/all", true],
    ["/", "/", true],
    ["/", "/x", false],
    ["/a/b/...", "/a/b/c", true],
    ["/a/b/...", "/a", false],
  ];
  it.each(cases)("%s against %s: %s", (route, path, matches) => {
    expect(routePatternMatches(parseRoutePattern(route), path)).toBe(matches);
  });

  it.each([
    ["/api/...", { text: "/api/...", base: "/api", wildcard: true }],
    ["/...", { text: "/...", base: "", wildcard: true }],
    ["/api", { text: "/api", base: "/api", wildcard: false }],
    ["/", { text: "/", base: "/", wildcard: false }],
  ])("parses %s", (route, parsed) => expect(parseRoutePattern(route)).toEqual(parsed));
});

describe("matchRoute", () => {
  const routes = [
    { path: "/...", entrypoint: "main" },
    { path: "/one/...", entrypoint: "one" },
    { path: "/one/two/...", entrypoint: "two" },
    { path: "/exact", entrypoint: "exact" },
  ];
  it.each([
    ["/", "main"],
    ["/one", "one"],
    ["/one/two/three", "two"],
    ["/exact", "exact"],
    ["/exact/more", "main"],
  ])("%s runs %s (the last matching route wins)", (path, entrypoint) => {
    expect(matchRoute(routes, path)?.route.entrypoint).toBe(entrypoint);
  });
  it("lets a later, shorter route win over an earlier, longer one (WAGI order, not specificity)", () => {
    expect(matchRoute([...routes].reverse(), "/one/two/three")?.route.entrypoint).toBe("main");
  });
  it("answers undefined when nothing matches", () => {
    expect(matchRoute([{ path: "/api/...", entrypoint: "api" }], "/other")).toBeUndefined();
  });
});

describe("SCRIPT_NAME and PATH_INFO", () => {
  it.each([
    ["/...", "", "/a/b", "/", "/a/b"],
    ["/...", "", "/", "/", ""],
    ["/api/...", "", "/api", "/api", ""],
    ["/api/...", "", "/api/items/7", "/api", "/items/7"],
    ["/exact", "", "/exact", "/exact", ""],
    ["/...", "/acme/hello", "/acme/hello/x", "/acme/hello", "/x"],
    ["/api/...", "/v/1.0.0", "/v/1.0.0/api/x", "/v/1.0.0/api", "/x"],
  ])("%s under mount %j: %s → SCRIPT_NAME %s, PATH_INFO %j", (route, mount, path, scriptName, pathInfo) => {
    const name = scriptNameFor(parseRoutePattern(route), mount);
    expect(name).toBe(scriptName);
    expect(rawPathInfoOf(path, name)).toBe(pathInfo);
  });
});

describe("the default route", () => {
  it.each([
    [[{ path: "/...", entrypoint: "_start" }], true],
    [[{ path: "/..." }], true],
    [[{ path: "/...", entrypoint: "main" }], false],
    [[{ path: "/api/...", entrypoint: "_start" }], false],
    [[{ path: "/...", entrypoint: "_start" }, { path: "/x", entrypoint: "x" }], false],
    [[], false],
  ])("%j is only the default route: %s", (routes, expected) => expect(isDefaultRouteTable(routes)).toBe(expected));
  it("stands in for an empty route table", () => {
    expect(routesOrDefault([])).toEqual([{ path: "/...", entrypoint: "_start" }]);
    expect(routesOrDefault([{ path: "/a", entrypoint: "a" }])).toEqual([{ path: "/a", entrypoint: "a" }]);
  });
});

describe("a module's _routes mounted below a route (WAGI RoutePattern::append)", () => {
  it.each([
    ["/...", "/exact", "/exact"],
    ["/", "/exact", "/exact"],
    ["/exactparent", "/exact", "/exactparent/exact"],
    ["/exactparentslash/", "/exact", "/exactparentslash/exact"],
    ["/wildcardparent/...", "/wildcard/...", "/wildcardparent/wildcard/..."],
    ["/api", "/", "/api/"],
    // WAGI's join would make "/api//..."; the wildcard line means "everything below the parent".
    ["/api/...", "/...", "/api/..."],
    ["/...", "/...", "/..."],
  ])("%s + %s → %s", (parent, child, joined) => expect(appendRoute(parent, child)).toBe(joined));

  it("follows each declared route with every line, so a line beats its parent and a later line an earlier one", () => {
    const table = mountModuleRoutes(
      [{ path: "/", entrypoint: "_start" }, { path: "/p/...", entrypoint: "_start" }],
      [{ path: "/w/...", entrypoint: "w" }, { path: "/w/x", entrypoint: "x" }],
    );
    expect(table.map((r) => `${r.path} ${r.entrypoint}`)).toEqual(["/ _start", "/w/... w", "/w/x x", "/p/... _start", "/p/w/... w", "/p/w/x x"]);
    expect(matchRoute(table, "/p/w/x")?.route.entrypoint).toBe("x");
    expect(matchRoute(table, "/p/w/y")?.route.entrypoint).toBe("w");
    expect(matchRoute(table, "/p/q")?.route.entrypoint).toBe("_start");
  });
});
