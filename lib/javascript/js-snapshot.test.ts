// The JavaScript engine from a snapshot (js-engine/engine.c wc_initialize, lib/wasm/snapshot.ts):
// the script's top-level code runs once per version, requests start from the loaded engine, and
// they answer as a request that loads the script itself does; a script whose loading does
// something that belongs to a request gets no snapshot and loads per request, as before.
import { describe, expect, it } from "vitest";
import { runJs, snapshotJs } from "@/lib/testing/run-js";

const body = (r: ReturnType<typeof runJs>) => new TextDecoder().decode(r.response.body);

describe("a JavaScript app from a snapshot", () => {
  it("answers as the script loaded per request does: status, headers, body, logs", () => {
    const script = `
      const greeting = ["Hello", "from", "a", "snapshot"].join(" ");
      export default { async fetch(request, env) {
        console.log("serving", request.method, new URL(request.url).pathname);
        const sent = request.method === "POST" ? await request.text() : "";
        return Response.json({ greeting, sent, owner: env.OWNER }, { status: 201, headers: { "x-app": "snap" } });
      } };`;
    const sent = { method: "POST", url: "http://a--b.localhost/items?x=1", body: "payload", env: { OWNER: "acme" } };
    const snapped = runJs(script, sent);
    expect(snapped.snapshot).toHaveProperty("snapshot");
    const plain = runJs(script, sent, { snapshot: false });
    expect(body(snapped)).toBe('{"greeting":"Hello from a snapshot","sent":"payload","owner":"acme"}');
    for (const run of [snapped, plain]) run.response.memoryBytes = 0; // the snapshot's memory is larger
    expect(snapped.response).toEqual(plain.response);
    expect(snapped.logs).toEqual([{ level: "info", message: "serving POST /items" }]);
    expect(snapped.logs).toEqual(plain.logs);
  });

  it("starts each request from the loaded script: module state, randomness and the environment are the request's own", () => {
    const script = `
      let count = 0;
      export default { fetch: (request, env) => Response.json({ count: ++count, random: Math.random(), uuid: crypto.randomUUID(), token: env.TOKEN }) };`;
    const snapshot = snapshotJs(script);
    expect(snapshot).toHaveProperty("snapshot");
    const answers = ["one", "two", "three"].map((token) => JSON.parse(body(runJs(script, { env: { TOKEN: token } }, { snapshot }))));
    expect(answers.map((a) => a.count)).toEqual([1, 1, 1]);
    expect(answers.map((a) => a.token)).toEqual(["one", "two", "three"]);
    expect(new Set(answers.map((a) => a.random)).size).toBe(3);
    expect(new Set(answers.map((a) => a.uuid)).size).toBe(3);
  });

  it("runs top-level code once, at load: a time taken there is the load's", async () => {
    const script = `const loadedAt = Date.now(); export default { fetch: () => Response.json({ loadedAt, now: Date.now() }) };`;
    const snapshot = snapshotJs(script);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const first = JSON.parse(body(runJs(script, {}, { snapshot })));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = JSON.parse(body(runJs(script, {}, { snapshot })));
    expect(second.loadedAt).toBe(first.loadedAt);
    expect(first.now - first.loadedAt).toBeGreaterThanOrEqual(30);
    expect(second.now).toBeGreaterThan(first.now);
  });

  it.each([
    ["randomness", `const id = crypto.randomUUID();`],
    ["crypto.getRandomValues", `crypto.getRandomValues(new Uint8Array(4));`],
    ["console output", `console.log("loading");`],
    ["a timer", `setTimeout(() => {}, 10);`],
  ])("declines a snapshot when loading uses %s, and the script still runs per request", (_what, topLevel) => {
    const script = `${topLevel}\nexport default { fetch: () => new Response("ok") };`;
    const snapshot = snapshotJs(script);
    expect(snapshot).toEqual({ declined: "wizer.initialize exited with code 1" });
    const run = runJs(script, {}, { snapshot });
    expect(run.response.status).toBe(200);
    expect(body(run)).toBe("ok");
  });

  it("declines a script that fails to load, and each request reports the failure as before", () => {
    const script = `export default { fetch( }`;
    expect(snapshotJs(script)).toEqual({ declined: "wizer.initialize exited with code 1" });
    const run = runJs(script);
    expect(run.response.status).toBe(500);
    expect(run.response.stderr).toMatch(/Uncaught error loading _worker\.js: SyntaxError/);
  });

  it("maps an uncaught error's stack through the source map from a snapshot too", () => {
    const script = "function boom() { throw new Error('mapped'); }\nexport default { fetch: () => boom() };\n";
    // A map that sends line 1 of _worker.js to src/index.ts line 10 (one segment: column 0 → 9:0).
    const map = JSON.stringify({ version: 3, sources: ["../src/index.ts"], names: [], mappings: "AASA" });
    const run = runJs(script, { files: { "_worker.js.map": new TextEncoder().encode(map) } });
    expect(run.snapshot).toHaveProperty("snapshot");
    expect(run.response.status).toBe(500);
    expect(run.response.stderr).toMatch(/src\/index\.ts:10:1 \(_worker\.js:1/);
  });
});
