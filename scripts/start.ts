// `npm start`: the whole platform on one machine. Without DATABASE_URL it serves the embedded
// database from DATA_DIR (default .data/); it applies migrations, builds the console if it has
// never been built, then runs the console (Next.js, scripts/console-server.mjs) and the gateway as
// child processes.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { moveBlobsToFiles } from "@/lib/blobs/move-blobs-to-files";
import { createDb } from "@/lib/db/client";
import { ensureEmbeddedDatabasePassword, startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { tenantGatewayUrl } from "@/lib/platform-urls";
import { ensureSecretsKey } from "@/lib/env/secrets-key";
import { ConfigError } from "@/lib/config/parse-settings";
import { readConsoleSettings } from "@/lib/http/check-console-settings";
import { findRepoRoot } from "@/lib/repo-root";
import { readGatewaySettings } from "./gateway-settings";

const root = findRepoRoot();
// The console's and the gateways' settings, refused here before anything starts (each process checks its own too).
let settings: ReturnType<typeof readConsoleSettings>;
try {
  settings = readConsoleSettings(process.env);
  readGatewaySettings(process.env);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  for (const problem of e.problems) console.error(`[wasmcompute] failed to start: ${problem}`);
  process.exit(1);
}
const host = settings.HOST;
const port = settings.PORT;
const gatewayPort = settings.GATEWAY_PORT;
const dataDir = path.resolve(root, settings.DATA_DIR ?? ".data");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const children: ChildProcess[] = [];
let embedded: EmbeddedDatabase | undefined;

/** A signing secret kept in the data directory, so sessions survive restarts; never committed. */
async function authSecret(): Promise<string> {
  if (settings.NEXTAUTH_SECRET) return settings.NEXTAUTH_SECRET;
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const secret = randomBytes(32).toString("base64url");
  await writeFile(file, secret + "\n", { mode: 0o600 });
  return secret;
}

function run(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: "inherit" });
  child.on("exit", (code, signal) => {
    if (shuttingDown) return;
    console.error(`[wasmcompute] ${name} exited (${signal ?? code}); stopping the platform`);
    void shutdown(1);
  });
  children.push(child);
  return child;
}

async function build(env: NodeJS.ProcessEnv): Promise<void> {
  if (existsSync(path.join(root, settings.NEXT_DIST_DIR, "BUILD_ID"))) return;
  console.log("[wasmcompute] building the console (first start only; `npm run build` rebuilds)…");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, "build"], { cwd: root, env, stdio: "inherit" });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (${code})`))));
  });
}

/**
 * The gateway's bundle beside this one (`npm start` runs dist/server/start.js, scripts/bundle-server.mjs);
 * run from its source through tsx, the gateway's source through tsx too.
 */
function gatewayCommand(): string[] {
  if (import.meta.filename.endsWith(".ts")) return ["--import", "tsx", path.join(root, "scripts", "gateway.ts")];
  return ["--enable-source-maps", path.join(import.meta.dirname, "gateway.js")];
}

async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(url, { redirect: "manual" });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}

let shuttingDown = false;
async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once("exit", r)) : null)));
  await embedded?.stop();
  process.exit(code);
}

async function main(): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // The database files, blobs and generated secrets are the tenants' data: this user's alone.
  if (((await stat(dataDir)).mode & 0o077) !== 0) {
    await chmod(dataDir, 0o700);
    console.log(`[wasmcompute] ${dataDir} could be read by other users; it is now private to this user (mode 0700)`);
  }
  let databaseUrl = settings.DATABASE_URL;
  if (!databaseUrl) {
    // Served on loopback behind a password kept in DATA_DIR/db-password; the URL every process gets carries it.
    embedded = await startEmbeddedDatabase({
      dataDir: path.join(dataDir, "pglite"),
      port: settings.EMBEDDED_DB_PORT,
      password: await ensureEmbeddedDatabasePassword(dataDir),
    });
    databaseUrl = embedded.url;
    console.log(`[wasmcompute] embedded database in ${path.relative(root, dataDir) || dataDir}/pglite`);
  }
  const { applied } = await migrate({ databaseUrl });
  if (applied.length) console.log(`[wasmcompute] applied migrations: ${applied.join(", ")}`);
  // Modules and files: as files in DATA_DIR/blobs on the embedded database (its one connection
  // must never carry them), in the database otherwise unless BLOB_DIR names a shared folder.
  const blobDir = settings.BLOB_DIR || (embedded ? path.join(dataDir, "blobs") : undefined);
  if (blobDir) {
    const db = createDb(databaseUrl, 1);
    const moved = await moveBlobsToFiles({ db, databaseUrl, dir: blobDir }).finally(() => db.$disconnect());
    if (moved) console.log(`[wasmcompute] moved ${moved} blobs from the database to ${blobDir}`);
  }

  const consoleUrl = `http://${host}:${port}`;
  const gatewayUrl = settings.GATEWAY_PUBLIC_URL ?? `http://${host}:${gatewayPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: await authSecret(),
    // Seals app secrets (lib/env); generated into DATA_DIR/secrets-key unless set.
    WASMCOMPUTE_SECRETS_KEY: await ensureSecretsKey(dataDir, process.env),
    NEXTAUTH_URL: settings.NEXTAUTH_URL ?? consoleUrl,
    GATEWAY_PORT: String(gatewayPort),
    GATEWAY_PUBLIC_URL: gatewayUrl,
    DATA_DIR: dataDir,
    ...(blobDir ? { BLOB_DIR: blobDir } : {}),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  await build(env);

  // Next's handler behind our node:http server, which decides the client address (scripts/console-server.mjs).
  run("console", [path.join(root, "scripts", "console-server.mjs"), "-H", host, "-p", String(port)], env);
  // One gateway process per core (node:cluster, one shared port); GATEWAY_PROCESSES overrides it.
  // The console stays one process: Next has no shared-port mode, and it is not the hot path.
  const gatewayProcesses = String(readGatewaySettings(process.env).GATEWAY_PROCESSES ?? os.availableParallelism());
  run("gateway", gatewayCommand(), { ...env, GATEWAY_HOST: host, GATEWAY_PROCESSES: gatewayProcesses });

  await waitForHttp(`${consoleUrl}/sign-in`);
  await waitForHttp(`http://${host.includes(":") ? `[${host}]` : host}:${gatewayPort}/healthz`);
  // Each app is its own origin under the gateway's domain (lib/app-host.ts).
  const appsUrl = `${tenantGatewayUrl("<tenant>", "<app>", env)}/`;
  console.log(`\n  WasmCompute is running\n  Console  ${consoleUrl}\n  Gateway  ${gatewayUrl}\n  Apps     ${appsUrl}\n`);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
main().catch((e) => {
  console.error(`[wasmcompute] failed to start: ${e instanceof Error ? e.message : e}`);
  void shutdown(1);
});
