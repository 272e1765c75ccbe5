import { describe, expect, it } from "vitest";
import { DeploymentError } from "../../deployment-record/record";
import { createStaticSite } from "../../deployment-record/static-site";
import { DatabaseWaitExceeded } from "./errors";
import { chooseHandler, routeToApp } from "./route";
import { errorOf, exchange, fakeDeployment, fakeDeps } from "./step-fakes";
import type { AppRequest } from "./context";

const codeOf = (stop: unknown) => errorOf(stop)?.code;

describe("route step: which app", () => {
  it("finds the app from the Host and its deployment, and fills the log", async () => {
    const deps = fakeDeps({ resolve: async (tenant, app) => (tenant === "acme" && app === "hello" ? fakeDeployment({ tenantId: "t1", appId: "a1" }) : null) });
    const { ctx } = exchange({ url: "/x?y=1" }, deps);
    const app = (await routeToApp(ctx, deps)) as AppRequest;
    expect(app.target).toEqual({ tenant: "acme", app: "hello", base: "", path: "/x" });
    expect(ctx.log).toMatchObject({ tenant: "acme", app: "hello", versionId: "v1", tenantId: "t1", appId: "a1" });
  });

  it("strips a version route's mount from the path, keeping the app's own base", async () => {
    const deps = fakeDeps({ resolve: async () => fakeDeployment({ mount: "/v/1" }) });
    const { ctx } = exchange({ url: "/v/1/api" }, deps);
    const app = (await routeToApp(ctx, deps)) as AppRequest;
    expect([app.appBase, app.target.base, app.target.path]).toEqual(["", "/v/1", "/api"]);
  });

  it("answers each way a request names no runnable app", async () => {
    const deps = fakeDeps({ resolve: async () => null });
    expect(codeOf(await routeToApp(exchange({ headers: { host: "bad host" } }, deps).ctx, deps))).toBe("bad-request");
    expect(codeOf(await routeToApp(exchange({ headers: { host: "localhost" } }, deps).ctx, deps))).toBe("not-found");
    expect(codeOf(await routeToApp(exchange({}, deps).ctx, deps))).toBe("app-not-found");
    const invalid = fakeDeps({ resolve: async () => Promise.reject(new DeploymentError("bad module", ["no memory"])) });
    expect(errorOf(await routeToApp(exchange({}, invalid).ctx, invalid))).toMatchObject({ code: "invalid-deployment", detail: "no memory" });
    const slow = fakeDeps({ resolve: async () => Promise.reject(new DatabaseWaitExceeded()) });
    expect(codeOf(await routeToApp(exchange({}, slow).ctx, slow))).toBe("database-busy");
    const broken = fakeDeps({ resolve: async () => Promise.reject(new Error("boom")) });
    expect(errorOf(await routeToApp(exchange({}, broken).ctx, broken))).toMatchObject({ code: "internal", detail: "Error: boom" });
  });

  it("answers /healthz on a host that names no app, unrecorded", async () => {
    const deps = fakeDeps();
    const { ctx, body } = exchange({ url: "/healthz", headers: { host: "localhost" } }, deps);
    expect(await routeToApp(ctx, deps)).toEqual({ stop: "unrecorded" });
    expect(ctx.res.statusCode).toBe(200);
    expect(JSON.parse(body())).toMatchObject({ ok: true, pool: { workers: 0 } });
  });
});

describe("route step: which part of the app", () => {
  const app = (over: Parameters<typeof fakeDeployment>[0], path: string): AppRequest => ({
    target: { tenant: "acme", app: "hello", base: "", path },
    appBase: "",
    deployment: fakeDeployment(over),
  });

  it("runs _start on every path when the deployment has no routes; the last matching route wins", () => {
    const { ctx } = exchange();
    expect(chooseHandler(ctx, app({}, "/any/where"))).toMatchObject({ wagi: { entrypoint: "_start", pattern: { text: "/...", wildcard: true } } });
    const routes = [{ prefix: "/...", entrypoint: "_start" }, { prefix: "/api/...", entrypoint: "api" }];
    expect(chooseHandler(ctx, app({ routes }, "/api/x"))).toMatchObject({ wagi: { entrypoint: "api" } });
    expect(ctx.log.route).toBe("/api/...");
  });

  it("says which routes exist when none matches", () => {
    const stop = chooseHandler(exchange().ctx, app({ routes: [{ prefix: "/a", entrypoint: "a" }] }, "/b"));
    expect(errorOf(stop)).toMatchObject({ code: "route-not-found", message: "The app has no route for /b. Its routes: /a." });
  });

  it("sends a path under a static prefix to the static files, billed no memory", () => {
    const site = createStaticSite({ mounts: [{ path: "/assets", dir: "pub" }], files: [], read: async () => new Uint8Array() })!;
    const { ctx } = exchange();
    ctx.log.memoryLimitMb = 128;
    expect(chooseHandler(ctx, app({ static: site }, "/assets/a.css"))).toMatchObject({ static: { site, mount: { path: "/assets" }, rest: "/a.css" } });
    expect(ctx.log).toMatchObject({ route: "static /assets", memoryLimitMb: undefined });
  });
});
