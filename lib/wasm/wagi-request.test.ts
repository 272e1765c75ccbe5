// The gateway and the preview build their WAGI request with buildWagiRequest: what a guest sees
// (through wagiEnvironment) for a routed request: X_MATCHED_ROUTE is the app's own route (as in
// WAGI), SCRIPT_NAME carries the mount point (links built on it keep working under it).
import { describe, expect, it } from "vitest";
import { parseRoutePattern } from "./route-pattern";
import { wagiEnvironment } from "./wagi-environment";
import { buildWagiRequest } from "./wagi-request";

function envFor(url: string, route: string, mount: string) {
  const request = buildWagiRequest({ method: "POST", url, headers: [["Host", new URL(url).host]], body: new Uint8Array(3), remoteAddr: "10.0.0.1", mount, pattern: parseRoutePattern(route) });
  const u = new URL(url);
  return { request, env: wagiEnvironment(request, u.hostname, u.port || "80", u) };
}

describe("buildWagiRequest", () => {
  it.each([
    // url, route, mount → X_MATCHED_ROUTE, SCRIPT_NAME, PATH_INFO
    ["http://hello--acme.localhost/items/7?x=1", "/...", "", "/...", "/", "/items/7"],
    ["http://hello--acme.localhost/api/items", "/api/...", "", "/api/...", "/api", "/items"],
    ["http://hello--acme.localhost/exact", "/exact", "", "/exact", "/exact", ""],
    ["http://gw.test/acme/hello/api/x", "/api/...", "/acme/hello", "/api/...", "/acme/hello/api", "/x"],
    ["http://hello--acme.localhost/v/1.0.0/", "/...", "/v/1.0.0", "/...", "/v/1.0.0", "/"],
  ])("%s on route %s under %j", (url, route, mount, matched, scriptName, pathInfo) => {
    const { request, env } = envFor(url, route, mount);
    expect(request).toMatchObject({ method: "POST", url, remoteAddr: "10.0.0.1", route: matched, scriptName });
    expect(env).toMatchObject({ X_MATCHED_ROUTE: matched, SCRIPT_NAME: scriptName, PATH_INFO: pathInfo, REQUEST_METHOD: "POST", REMOTE_ADDR: "10.0.0.1" });
  });
});
