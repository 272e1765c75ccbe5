// A throwaway HTTP server for the browser run: bundles browser-entry.ts with
// esbuild into a temp dir, compiles the core cases' WAT with wabt, and serves
// those, the case lists' modules (case-binaries.ts) and the (read-only)
// wasi-testsuite files on 127.0.0.1:<random port>.
import { build } from "esbuild";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { CORE_CASES } from "../../lib/wasm/core-cases";
import { watToBinary } from "../../lib/wasm/test-support/compile-wat";
import { SUITE_ROOT, listSuitePaths } from "../../lib/wasm/test-support/read-suite";
import { buildCaseBinaries } from "./case-binaries";
import { componentCaseFixtures } from "../../lib/wasm/component/component-cases";
import { componentArtifacts } from "../../lib/wasm/component/test-support/component-artifacts";

const INDEX_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>wasm-host tests</title>
<link rel="icon" href="data:,"></head><body><script type="module" src="/bundle.js"></script></body></html>`;

export interface HostTestServer {
  url: string;
  close(): Promise<void>;
}

export async function startHostTestServer(): Promise<HostTestServer> {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "wasm-host-e2e-"));
  await build({
    entryPoints: [path.join(import.meta.dirname, "browser-entry.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    outfile: path.join(outdir, "bundle.js"),
    logLevel: "warning",
  });
  const bundle = readFileSync(path.join(outdir, "bundle.js"));
  const coreModules = await Promise.all(CORE_CASES.map((c) => watToBinary(c.wat)));
  const caseModules = await buildCaseBinaries();
  // Component artifacts, transpiled here as publish does: the page only loads them.
  const artifacts = await componentArtifacts(componentCaseFixtures());
  const suitePaths = listSuitePaths();
  const allowed = new Set(suitePaths);

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const send = (status: number, type: string, body: Uint8Array | string) => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    };
    if (url.pathname === "/") return send(200, "text/html; charset=utf-8", INDEX_HTML);
    if (url.pathname === "/bundle.js") return send(200, "text/javascript", bundle);
    if (url.pathname === "/suite-manifest.json") return send(200, "application/json", JSON.stringify(suitePaths));
    const core = /^\/core\/(\d+)\.wasm$/.exec(url.pathname);
    const wasm = core ? coreModules[Number(core[1])] : undefined;
    if (wasm) return send(200, "application/wasm", wasm);
    const caseModule = caseModules.get(url.pathname);
    if (caseModule) return send(200, "application/wasm", caseModule);
    const artifact = url.pathname.startsWith("/components/") ? artifacts.get(decodeURIComponent(url.pathname.slice("/components/".length))) : undefined;
    if (artifact) return send(200, "application/octet-stream", artifact);
    if (url.pathname.startsWith("/suite/")) {
      const rel = decodeURIComponent(url.pathname.slice("/suite/".length));
      // Only files listed in the manifest: no path tricks out of the suite.
      if (allowed.has(rel)) return send(200, "application/octet-stream", readFileSync(path.join(SUITE_ROOT, rel)));
    }
    send(404, "text/plain", "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        rmSync(outdir, { recursive: true, force: true });
      }),
  };
}
