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
import { CHUNK as untypedChunk, EXTERNAL as untyped, SERVER_DIR } from "./bundle-server.mjs";

const EXTERNAL = untyped as string[];
const CHUNK = untypedChunk as RegExp;
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

it("the bundles import only node's built-ins, the packages left external and their own chunks, and dist/ is not tracked", async () => {
  const files = (await readdir(SERVER_DIR)).filter((f) => f.endsWith(".js"));
  expect(files.filter((f) => !CHUNK.test(f)).sort()).toEqual(["gateway.js", "migrate.js", "start.js", "transpile-worker.js", "wagi-worker.js"]);
  const external = (specifier: string) =>
    specifier.startsWith("node:") || EXTERNAL.some((e) => (e.endsWith("*") ? specifier.startsWith(e.slice(0, -1)) : specifier === e || specifier.startsWith(`${e}/`)));
  for (const file of files) {
    const { imports, dynamicImports } = await importsOf(file);
    const chunks = [...imports, ...dynamicImports].filter((s) => s.startsWith("./")).map((s) => s.slice(2));
    expect(
      [...imports, ...dynamicImports].filter((s) => !s.startsWith("./") && !external(s)),
      file,
    ).toEqual([]);
    for (const chunk of chunks) expect(files, `${file} imports ${chunk}`).toContain(chunk);
  }
  expect(execFileSync("git", ["check-ignore", path.join(SERVER_DIR, "gateway.js")], { cwd: ROOT, encoding: "utf8" }).trim()).not.toBe("");
});

it("a guest worker loads none of the main thread's packages, and a gateway without a database none of the database's", async () => {
  // The packages whose code a bundle file and the chunks it imports (statically, and with `dynamic` also by import()) hold.
  const packagesLoaded = async (file: string, { dynamic = false, skip = (_chunk: string): boolean => false } = {}) => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = async (name: string): Promise<void> => {
      if (seen.has(name) || skip(name)) return;
      seen.add(name);
      const code = await readFile(path.join(SERVER_DIR, name), "utf8");
      // esbuild heads each bundled file with its path.
      for (const m of code.matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)) packages.add(m[1]!);
      const { imports, dynamicImports } = await importsOf(name);
      for (const s of [...imports, ...(dynamic ? dynamicImports : [])]) if (s.startsWith("./")) await visit(s.slice(2));
    };
    await visit(file);
    return packages;
  };
  const worker = await packagesLoaded("wagi-worker.js", { dynamic: true });
  for (const name of ["zod", "pg", "@prisma/client"]) expect(worker).not.toContain(name);
  const folderGateway = await packagesLoaded("gateway.js", { dynamic: true, skip: (chunk) => chunk.startsWith("gateway-database-") });
  expect(folderGateway).toContain("zod");
  for (const name of ["pg", "@prisma/client", "@prisma/adapter-pg"]) expect(folderGateway).not.toContain(name);
  // The database's chunk has them: the split is where it should be, not a package gone missing.
  expect([...(await packagesLoaded("gateway.js", { dynamic: true }))]).toEqual(expect.arrayContaining(["pg", "@prisma/adapter-pg"]));
});

/** A bundle file's `import ... from "x"` and `import("x")` specifiers. */
async function importsOf(file: string): Promise<{ imports: string[]; dynamicImports: string[] }> {
  const code = await readFile(path.join(SERVER_DIR, file), "utf8");
  return {
    imports: [...code.matchAll(/^import\s[^;]*?from\s*"([^"]+)"/gm), ...code.matchAll(/^import\s*"([^"]+)"/gm)].map((m) => m[1]!),
    dynamicImports: [...code.matchAll(/\bimport\("([^"]+)"\)/g)].map((m) => m[1]!),
  };
}
