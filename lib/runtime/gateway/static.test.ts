import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createStaticSite } from "../../deployment-record/static-site";
import { findStaticMount } from "../static-files";
import { finishRequest } from "./handle-request";
import { serveStatic } from "./static";
import { errorOf, exchange, fakeDeployment, fakeDeps } from "./step-fakes";
import type { AppRequest } from "./context";

const CSS = new TextEncoder().encode("body{}");
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

function staticApp(read: (sha: string) => Promise<Uint8Array> = async () => CSS) {
  const site = createStaticSite({
    mounts: [{ path: "/assets", dir: "pub" }],
    files: [{ path: "pub/a.css", sha256: sha256(CSS), size: CSS.byteLength, contentType: "" }],
    read,
  })!;
  const app: AppRequest = { target: { tenant: "acme", app: "hello", base: "", path: "/assets/a.css" }, appBase: "", deployment: fakeDeployment({ static: site }) };
  const at = (path: string) => ({ site, ...findStaticMount(site, [], path)! });
  return { app, at };
}

describe("static step", () => {
  it("answers the file with its type and counts its bytes; a HEAD counts none", async () => {
    const deps = fakeDeps();
    const { app, at } = staticApp();
    const get = exchange({ url: "/assets/a.css" }, deps);
    expect(await serveStatic(get.ctx, deps, app, at("/assets/a.css"))).toEqual({ stop: "answered", status: 200, bytesOut: 6 });
    expect([get.body(), get.ctx.res.getHeader("content-type")]).toEqual(["body{}", "text/css; charset=utf-8"]);
    const head = exchange({ method: "HEAD", url: "/assets/a.css" }, deps);
    expect(await serveStatic(head.ctx, deps, app, at("/assets/a.css"))).toEqual({ stop: "answered", status: 200, bytesOut: 0 });
  });

  it("returns its failures to the error table instead of answering them itself, and they are logged", async () => {
    const deps = fakeDeps();
    const { app, at } = staticApp(async () => Promise.reject(new Error("EIO")));
    const post = exchange({ method: "POST", url: "/assets/a.css" }, deps);
    const refused = await serveStatic(post.ctx, deps, app, at("/assets/a.css"));
    expect(errorOf(refused)).toMatchObject({ code: "method-not-allowed", headers: { allow: "GET, HEAD" } });
    expect(post.ctx.res.headersSent).toBe(false);
    finishRequest(post.ctx, deps, refused);
    expect(post.ctx.res.statusCode).toBe(405);
    expect(deps.logs[0]?.error).toMatchObject({ code: "method-not-allowed", message: expect.stringMatching(/answers GET and HEAD only/) });
    expect(errorOf(await serveStatic(exchange({}, deps).ctx, deps, app, at("/assets/b.css")))).toMatchObject({ code: "file-not-found" });
    expect(errorOf(await serveStatic(exchange({}, deps).ctx, deps, app, at("/assets/%2e%2e/x")))).toMatchObject({ code: "bad-path" });
    expect(errorOf(await serveStatic(exchange({ headers: { range: "bytes=50-60" } }, deps).ctx, deps, app, at("/assets/a.css")))).toMatchObject({ code: "range-not-satisfiable" });
    expect(errorOf(await serveStatic(exchange({}, deps).ctx, deps, app, at("/assets/a.css")))).toMatchObject({ code: "storage-failed", detail: "EIO" });
  });
});
