// App variables and secrets through the real gateway, worker pool and log sink on a fresh
// PostgreSQL database: a change reaches the next request without a new version, a secret reaches
// the guest (fixtures/wasm/echo.wasm prints its whole environment), and its value appears nowhere
// the platform writes: request records, log lines, audit events, the gateway's stdout and stderr.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpActor } from "@/lib/testing/actors";
import { listenOnLoopback } from "@/lib/testing/listen";
import type { Actor } from "@/lib/auth/actor";
import { createApp } from "@/lib/apps/create-app";
import { deployVersion } from "@/lib/deployments/deploy-version";
import { createLiveDeployments, type LiveDeployments } from "@/lib/deployments/live-deployments";
import { createLogSink, type LogSink } from "@/lib/logs/log-sink";
import { createGateway, type Gateway } from "@/lib/runtime/gateway";
import { freePort, serverProcessArgs } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { publishVersion } from "@/lib/versions/publish-version";
import { deleteEnvVar } from "./delete-env-var";
import { setEnvVar } from "./set-env-var";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";

const ROOT = path.resolve(import.meta.dirname, "../..");
const fixture = async (name: string) => new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm", `${name}.wasm`)));
const SECRET = "sk_live_" + randomBytes(16).toString("hex");
const KEY = randomBytes(32).toString("base64");
const bigintSafe = (_k: string, v: unknown) => (typeof v === "bigint" ? String(v) : v);

let database: TestDatabase;
let live: LiveDeployments;
let sink: LogSink;
let gateway: Gateway;
let base: string;
let alice: Actor;
/** Every request record as the gateway process prints it on stdout (GATEWAY_LOG=json). */
const printed: string[] = [];

const set = (name: string, value: string, secret = false, environment = "production") =>
  setEnvVar({ actor: alice, appName: "echo", environment, name, readInput: () => Promise.resolve({ value, secret }) });

async function echo(url = appUrl(base, "alice", "echo")): Promise<{ status: number; text: string; env: Record<string, string> }> {
  const res = await fetchApp(url);
  const text = await res.text();
  return { status: res.status, text, env: res.ok ? (JSON.parse(text) as { env: Record<string, string> }).env : {} };
}

beforeAll(async () => {
  process.env.WASMCOMPUTE_SECRETS_KEY = KEY;
  database = await createTestDatabase("postgres");
  live = createLiveDeployments({ db: database.db, pollMs: 60_000 });
  sink = createLogSink({ db: database.db, flushMs: 50 });
  gateway = await createGateway({
    resolve: live.resolve,
    poolOptions: { size: 1 },
    onLog: (record) => {
      sink.push(record);
      printed.push(JSON.stringify(record));
    },
  });
  base = await listenOnLoopback(gateway.server);
  alice = await signUpActor("alice");
  for (const [app, module, manifest] of [
    ["echo", "echo", "env:\n  GREETING: from the manifest\n  KEPT: manifest\n"],
    ["hello", "hello-c", undefined],
  ] as const) {
    await createApp({ actor: alice, input: { name: app } });
    await publishVersion({ actor: alice, appName: app, input: { version: "1.0.0", module: await fixture(module), manifestText: manifest, files: [] } });
    await deployVersion({ actor: alice, appName: app, input: { version: "1.0.0" } });
  }
  await live.refresh();
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  live?.close();
  await sink?.close();
  await database?.close();
});

describe("app variables and secrets in the gateway", () => {
  it("a change reaches the next request without a new version; app vars override the manifest, WAGI wins over both", async () => {
    expect((await echo()).env).toMatchObject({ GREETING: "from the manifest", KEPT: "manifest" });

    await set("GREETING", "from the app's environment");
    await set("ONLY_IN_PREVIEW", "preview", false, "preview");
    await live.refresh(); // what every gateway's poller does within its interval
    const after = await echo();
    expect(after.env).toMatchObject({ GREETING: "from the app's environment", KEPT: "manifest" });
    expect(after.env).not.toHaveProperty("ONLY_IN_PREVIEW");
    expect(await database.db.version.count()).toBe(2);

    // A row the API would refuse (WAGI's own name) still cannot override the request's value.
    const app = await database.db.app.findFirstOrThrow({ where: { name: "echo" } });
    await database.db.appEnvVar.create({ data: { tenantId: alice.tenantId, appId: app.id, environment: "production", name: "QUERY_STRING", value: "forged" } });
    await database.db.$executeRaw`UPDATE "RoutingEpoch" SET value = value + 1`;
    await live.refresh();
    expect((await echo(appUrl(base, "alice", "echo", "/?real=1"))).env.QUERY_STRING).toBe("real=1");
    await database.db.appEnvVar.delete({ where: { appId_environment_name: { appId: app.id, environment: "production", name: "QUERY_STRING" } } });

    await deleteEnvVar({ actor: alice, appName: "echo", name: "GREETING" });
    await live.refresh();
    expect((await echo()).env.GREETING).toBe("from the manifest");
  });

  it("hands the guest its secret, decrypted, and writes the value into no record, log line or audit event", async () => {
    await set("API_KEY", SECRET, true);
    await live.refresh();
    const res = await echo();
    expect(res.status).toBe(200);
    expect(res.env.API_KEY).toBe(SECRET); // the guest's own output: its business
    expect((await fetchApp(appUrl(base, "alice", "hello"))).status).toBe(200);

    await sink.flush();
    const records = await database.db.requestRecord.findMany({ where: { tenantId: alice.tenantId } });
    const lines = await database.db.logLine.findMany({ where: { tenantId: alice.tenantId } });
    const audit = await database.db.auditEvent.findMany({ where: { tenantId: alice.tenantId } });
    const envRows = await database.db.appEnvVar.findMany({ where: { tenantId: alice.tenantId } });
    expect(records.length).toBeGreaterThanOrEqual(5);
    expect(audit.map((e) => e.action)).toContain("secret.set");
    for (const [what, rows] of Object.entries({ records, lines, audit, envRows, printed })) {
      expect(JSON.stringify(rows, bigintSafe), what).not.toContain(SECRET);
    }
  });
});

describe("gateway processes and the secrets key", () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill("SIGTERM");
  });

  async function startGateway(key: string): Promise<{ url: string; output: () => string }> {
    const port = await freePort();
    const child = spawn(process.execPath, serverProcessArgs("gateway"), {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database.url, GATEWAY_PORT: String(port), GATEWAY_LOG: "json", GATEWAY_WORKERS: "1", WASMCOMPUTE_SECRETS_KEY: key, DATA_DIR: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on("data", (d) => {
        output += d;
        if (output.includes("gateway listening")) resolve();
      });
      child.once("exit", () => reject(new Error(`gateway process exited: ${output}`)));
    });
    return { url: `http://127.0.0.1:${port}`, output: () => output };
  }

  it("with the right key serves the secret and prints it nowhere; with another key fails only the app that has secrets, telling the operator why", async () => {
    const right = await startGateway(KEY);
    const ok = await echo(appUrl(right.url, "alice", "echo"));
    expect(ok.env.API_KEY).toBe(SECRET);

    const wrong = await startGateway(randomBytes(32).toString("base64"));
    const failed = await fetchApp(appUrl(wrong.url, "alice", "echo"));
    expect(failed.status).toBe(502);
    const body = await failed.text();
    expect(JSON.parse(body).error).toMatchObject({ code: "invalid-deployment", message: expect.stringMatching(/secrets cannot be decrypted on this gateway/) });
    expect(body).not.toContain("API_KEY"); // a visitor learns nothing about the app's variables
    // Other apps on that gateway are served as usual.
    expect((await fetchApp(appUrl(wrong.url, "alice", "hello"))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(wrong.output()).toMatch(/\[env\] cannot open secrets .*production\/API_KEY was sealed with another secrets key/);

    // Stdout (one JSON record per request) and stderr of both: never the value.
    const rightOutput = right.output();
    expect(rightOutput).toContain('"status":200');
    expect(rightOutput).not.toContain(SECRET);
    expect(wrong.output()).not.toContain(SECRET);
  }, 60_000);
});
