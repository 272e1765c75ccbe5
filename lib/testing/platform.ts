// Starts the whole platform the way `npm start` does (console + gateway as child processes) on
// free ports, for tests that go through real HTTP. Needs a console build (.next, or NEXT_DIST_DIR:
// every process here inherits the test's environment).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";

export interface Platform {
  consoleUrl: string;
  gatewayUrl: string;
  gatewayPort: number;
  output(): string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** Set once dist/server/ is built from the sources as they are now (vitest's global setup sets it for every test file). */
export const SERVER_BUNDLED_ENV = "WASMCOMPUTE_SERVER_BUNDLED";

/** Builds dist/server/ (scripts/bundle-server.mjs), once per process and test run. */
export function bundleServer(): void {
  if (process.env[SERVER_BUNDLED_ENV] === "1") return;
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "bundle-server.mjs")], { stdio: "inherit" });
  process.env[SERVER_BUNDLED_ENV] = "1";
}

/** `node` arguments that run a server entry point from the bundle, as `npm start` does; bundles first if needed. */
export function serverProcessArgs(entry: "start" | "gateway" | "migrate"): string[] {
  bundleServer();
  return ["--enable-source-maps", path.join(ROOT, "dist", "server", `${entry}.js`)];
}

/** SIGTERM, then SIGKILL if the process has not exited within 10 s. */
function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Whether `port` is free on 127.0.0.1 right now. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A free port for a server a test starts. Picked below Linux's ephemeral range (32768–60999): a port
 * the kernel handed out there (listen(0)) can be taken by any outgoing connection before the server
 * binds it, which made a gateway process exit with EADDRINUSE now and then.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error("no free port found in 20000–31999");
}

export async function startPlatform(options: { dataDir: string; databaseUrl?: string; port?: number; env?: Record<string, string> }): Promise<Platform> {
  const port = options.port ?? (await freePort());
  const gatewayPort = await freePort();
  const child: ChildProcess = spawn(process.execPath, serverProcessArgs("start"), {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      GATEWAY_PORT: String(gatewayPort),
      DATA_DIR: options.dataDir,
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      GATEWAY_LOG: "off",
      // Tests send X-Forwarded-For as the proxy in front of a console would (distinct addresses,
      // so a suite's sign-ups do not add up against one address's limits): trust one such hop.
      TRUSTED_PROXIES: "1",
      // One gateway process unless a test is about several (scripts/start.test.ts, scale-out):
      // with one per core, a check right after a deploy could reach a process that has not yet
      // heard (or polled) the routing epoch's bump. The e2e stories run `npm start`'s own layout.
      GATEWAY_PROCESSES: "1",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`platform exited early:\n${output}`);
    if (output.includes("WasmCompute is running")) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`platform did not start in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    consoleUrl: `http://127.0.0.1:${port}`,
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    gatewayPort,
    output: () => output,
    stop: () => stopChild(child),
  };
}

/** Starts one more gateway process on `port`, serving what is deployed in `databaseUrl`. */
export async function startGatewayProcess(options: { databaseUrl: string; port: number; env?: Record<string, string> }): Promise<ChildProcess> {
  const child = spawn(process.execPath, serverProcessArgs("gateway"), {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: options.databaseUrl, GATEWAY_PORT: String(options.port), GATEWAY_LOG: "off", GATEWAY_WORKERS: "1", ...options.env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let err = "";
    child.stderr!.on("data", (d) => {
      err += d;
      if (err.includes("gateway listening")) resolve();
    });
    child.once("exit", () => reject(new Error(`gateway process exited: ${err}`)));
  });
  return child;
}

export interface ConsoleProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts one more console (scripts/console-server.mjs) on `port` over `databaseUrl`, with the environment
 * scripts/start.ts gives its console. The session and secrets keys are read from `dataDir`, where
 * the platform's `npm start` generated them, so that this console accepts the other's sessions;
 * `env` overrides any of it (NEXTAUTH_URL defaults to this console's own URL) and should carry
 * GATEWAY_PUBLIC_URL, where the console tells users their apps answer.
 */
export async function startConsoleProcess(options: { databaseUrl: string; port: number; dataDir: string; env?: Record<string, string> }): Promise<ConsoleProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  const secret = async (file: string) => (await readFile(path.join(options.dataDir, file), "utf8")).trim();
  const child = spawn(process.execPath, [path.join(ROOT, "scripts", "console-server.mjs"), "-H", "127.0.0.1", "-p", String(options.port)], {
    cwd: ROOT,
    env: {
      ...process.env, // NEXT_DIST_DIR among it: the build this console serves
      NODE_ENV: "production",
      DATABASE_URL: options.databaseUrl,
      // As scripts/start.ts: the environment's value when set, else the file in the data directory.
      NEXTAUTH_SECRET: options.env?.NEXTAUTH_SECRET ?? process.env.NEXTAUTH_SECRET ?? (await secret("auth-secret")),
      WASMCOMPUTE_SECRETS_KEY: options.env?.WASMCOMPUTE_SECRETS_KEY ?? process.env.WASMCOMPUTE_SECRETS_KEY ?? (await secret("secrets-key")),
      NEXTAUTH_URL: url,
      DATA_DIR: options.dataDir,
      NEXT_TELEMETRY_DISABLED: "1",
      TRUSTED_PROXIES: "1", // as startPlatform's console
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const stop = () => stopChild(child);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`console process exited early:\n${output}`);
    const res = await fetch(`${url}/healthz`).catch(() => null);
    if (res?.status === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`console process did not answer /healthz within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, child, output: () => output, stop };
}
