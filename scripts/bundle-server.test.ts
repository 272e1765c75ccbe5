// Server processes run from the bundle scripts/bundle-server.mjs builds in dist/server/: no
// TypeScript loader in any of them, and nothing to build or install beyond `npm install` — the
// commands in package.json bundle before they run, and dist/ is never committed.
import { execFileSync, spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { freePort } from "@/lib/testing/platform";
import { waitUntil } from "@/lib/testing/wait-until";
// @ts-expect-error: a plain .mjs script (it runs without a TypeScript loader); its export is typed here.
import { EXTERNAL as untyped, SERVER_DIR } from "./bundle-server.mjs";

const EXTERNAL = untyped as string[];
const ROOT = path.resolve(import.meta.dirname, "..");

it("`npm run gateway` bundles the gateway and serves an app from the bundle", async () => {
  const pkg = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  // exec: npm's shell hands its process to node, so a SIGTERM to npm's child reaches the platform.
  expect(pkg.scripts.gateway).toBe("exec node scripts/bundle-server.mjs gateway");
  expect(pkg.scripts.start).toBe("exec node scripts/bundle-server.mjs start");

  const dir = await mkdtemp(path.join(os.tmpdir(), "wc-bundled-gateway-"));
  await mkdir(path.join(dir, "demo", "hello"), { recursive: true });
  await copyFile(path.join(ROOT, "fixtures", "wasm", "hello-c.wasm"), path.join(dir, "demo", "hello", "module.wasm"));
  const port = await freePort();
  const child = spawn(process.execPath, ["scripts/bundle-server.mjs", "gateway"], {
    cwd: ROOT,
    env: { ...process.env, GATEWAY_PORT: String(port), DEPLOYMENTS_DIR: dir, GATEWAY_PATH_ROUTING: "on", GATEWAY_LOG: "off", GATEWAY_WORKERS: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let output = "";
  child.stderr.on("data", (d) => (output += d));
  try {
    await waitUntil(async () => output.includes("gateway listening") || child.exitCode !== null, 30_000, "the gateway listening");
    expect(child.exitCode, output).toBeNull();
    const res = await fetch(`http://127.0.0.1:${port}/demo/hello/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("hello from C\n");
    // The bundle runs in the script's own process: SIGTERM reaches the gateway, which drains and exits 0.
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  } finally {
    child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  }
});

it("the bundles import only node's built-ins and the packages left external, and dist/ is not tracked", async () => {
  const files = (await readdir(SERVER_DIR)).filter((f) => f.endsWith(".js"));
  expect(files.sort()).toEqual(["gateway.js", "migrate.js", "start.js", "wagi-worker.js"]);
  const external = (specifier: string) =>
    specifier.startsWith("node:") || EXTERNAL.some((e) => (e.endsWith("*") ? specifier.startsWith(e.slice(0, -1)) : specifier === e || specifier.startsWith(`${e}/`)));
  for (const file of files) {
    const code = await readFile(path.join(SERVER_DIR, file), "utf8");
    const specifiers = [...code.matchAll(/^import\s[^;]*?from\s*"([^"]+)"/gm), ...code.matchAll(/\bimport\("([^"]+)"\)/g)].map((m) => m[1]!);
    expect(specifiers.filter((s) => !external(s)), file).toEqual([]);
  }
  expect(execFileSync("git", ["check-ignore", path.join(SERVER_DIR, "gateway.js")], { cwd: ROOT, encoding: "utf8" }).trim()).not.toBe("");
});
