// Bundles the server processes' entry points and the gateway's worker thread into dist/server/
// (esbuild), so no process loads TypeScript through tsx: the gateway took seconds to start that way.
// Packages are bundled too: node's ESM loader costs about as much per file as esbuild costs per
// build, and zod, pg and Prisma's runtime are hundreds of files. Cheap enough (a few hundred ms)
// to run before every `npm start`, gateway start and test run, so the bundle never lags the sources.
//
// Code shared by entry points goes to chunks beside them, and a dynamic import() gets a chunk of
// its own: a process compiles only what it imports (node compiles the whole of every file it
// loads, at ≈ 50 ms per MB here). The guest worker thus loads none of the gateway's main-thread
// code, and a gateway serving a folder none of the database's (scripts/gateway-database.ts).
//
//   node scripts/bundle-server.mjs          build dist/server/
//   node scripts/bundle-server.mjs start    build, then run dist/server/start.js in this process
//                                           (`npm start`: signals reach it, not a second process)
//   node scripts/bundle-server.mjs gateway  the same for dist/server/gateway.js
import { build, stop } from "esbuild";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");
export const SERVER_DIR = path.join(root, "dist", "server");

/**
 * Packages that load files of their own at run time (native addons, wasm beside their code) stay in
 * node_modules, and so do Prisma's query compiler modules: 5 MB of wasm it imports at the first query.
 */
export const EXTERNAL = [
  "esbuild",
  "@bytecodealliance/jco-transpile",
  "@bytecodealliance/jco",
  "@node-rs/argon2",
  "@electric-sql/pglite",
  "@electric-sql/pglite/*",
  "wabt",
  "@prisma/client/runtime/query_compiler_*",
];

/** Each bundle's name in dist/server/ and its source. */
export const ENTRY_POINTS = {
  start: "scripts/start.ts",
  gateway: "scripts/gateway.ts",
  migrate: "scripts/migrate.ts",
  // Loaded by lib/runtime/worker-pool.ts from beside the gateway's bundle.
  "wagi-worker": "lib/runtime/wagi-worker.ts",
  // Loaded by lib/versions/transpile-component-in-worker.ts, in the console and the gateway alike.
  "transpile-worker": "lib/versions/transpile-worker.ts",
};

/** Chunks are named `<name>-<hash>.js`; entry points have no hash. */
export const CHUNK = /-[A-Z0-9]{8}\.js(\.map)?$/;

/** A chunk no build has written for this long is deleted: every process has loaded its chunks by then. */
const STALE_CHUNK_MS = 10 * 60_000;

/**
 * zod's messages in other languages (`z.locales`, 366 KB of the gateway's 770 KB of zod): never
 * used here, and zod keeps its English messages without them. Every process would compile them.
 */
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: "zod-locales", namespace: "zod-english-only" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-english-only" }, () => ({
      contents: 'export { default as en } from "zod/v4/locales/en.js";',
      resolveDir: root,
    }));
  },
};

export async function bundleServer() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([name, file]) => [name, path.join(root, file)])),
    outdir: SERVER_DIR,
    write: false,
    bundle: true,
    splitting: true,
    chunkNames: "[name]-[hash]",
    platform: "node",
    format: "esm",
    target: "node20",
    // The `@/` alias comes from tsconfig.json.
    external: EXTERNAL,
    // Bundled CommonJS packages require node's built-ins.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
    // Stack traces name the sources (file, line); the sources' text stays out of the maps, which
    // node reads and parses whole as it loads each file (--enable-source-maps).
    sourcemap: true,
    sourcesContent: false,
    plugins: [zodEnglishOnly],
    logLevel: "warning",
  });
  await stop(); // the esbuild service would otherwise live as long as this process
  // A file is replaced whole (write, then rename) and only when it changed: a process starting from
  // dist/server/ while another run rebuilds it never reads half a file.
  for (const file of result.outputFiles) {
    if (readIfExists(file.path)?.equals(file.contents)) continue;
    mkdirSync(path.dirname(file.path), { recursive: true });
    const temp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temp, file.contents);
    renameSync(temp, file.path);
  }
  pruneChunks(new Set(result.outputFiles.map((f) => path.basename(f.path))));
}

/**
 * Deletes the chunks of earlier builds. The chunks of this build are touched instead, so a chunk's
 * age says when a build last used it: one that has just dropped out may still be loading in a
 * process started from the build before, so only long-unused ones go.
 */
function pruneChunks(written) {
  const now = new Date();
  for (const name of readdirSync(SERVER_DIR)) {
    if (!CHUNK.test(name)) continue;
    const file = path.join(SERVER_DIR, name);
    try {
      if (written.has(name)) utimesSync(file, now, now);
      else if (now.getTime() - statSync(file).mtimeMs > STALE_CHUNK_MS) rmSync(file, { force: true });
    } catch {
      // Deleted meanwhile by another build.
    }
  }
}

function readIfExists(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  await bundleServer();
  const run = process.argv[2];
  if (run) {
    if (!(run in ENTRY_POINTS)) throw new Error(`unknown entry point "${run}": one of ${Object.keys(ENTRY_POINTS).join(", ")}`);
    process.argv.splice(1, 2, path.join(SERVER_DIR, `${run}.js`));
    // Stack traces name the sources, in this process and in those node:cluster forks (it copies execArgv).
    process.setSourceMapsEnabled(true);
    process.execArgv.push("--enable-source-maps");
    await import(pathToFileURL(path.join(SERVER_DIR, `${run}.js`)).href);
  }
}
