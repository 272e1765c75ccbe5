// The CLI as a user runs it (node cli/bin.mjs in a child process) against the real platform:
// console + gateway started like `npm start`, on a fresh database on the real PostgreSQL.
// new → publish → deploy → serve → publish another → deploy → roll back → serve the first again.
import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleClient } from "@/lib/testing/console-client";
import { paddedModule } from "@/lib/testing/padded-module";
import { componentImporting } from "@/lib/testing/component-fixtures";
import { startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";

const ROOT = path.resolve(import.meta.dirname, "..");
const BIN = path.join(ROOT, "cli", "bin.mjs");
const MiB = 1024 * 1024;
const UPLOAD_CAP = 24 * MiB;

/** API route files edited after the console build are not in it: say so, since the test will fail on them. */
async function staleBuildWarning(): Promise<string | undefined> {
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return undefined; // start.ts builds it
  const built = statSync(buildId).mtimeMs;
  const newer: string[] = [];
  for (const file of await readdir(path.join(ROOT, "app", "api"), { recursive: true })) {
    const abs = path.join(ROOT, "app", "api", file);
    if ((await stat(abs)).isFile() && (await stat(abs)).mtimeMs > built) newer.push(path.join("app/api", file));
  }
  return newer.length ? `The console build (.next) is older than ${newer.join(", ")}: run \`npx next build\` if this test fails.` : undefined;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe("wasmcompute CLI end to end (real console, gateway and PostgreSQL)", { timeout: 180_000 }, () => {
  let platform: Platform;
  let database: TestDatabase;
  let tenant: string;
  let token: string;
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  let warning: string | undefined;

  /** Runs the CLI as a child process; never throws on a non-zero exit. */
  function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
    return new Promise((resolve) => {
      execFile(process.execPath, [BIN, ...args], { cwd: options.cwd ?? tmp, env: { ...env, ...options.env }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** Asserts a zero exit with the output in the failure message, and answers the run. */
  async function ok(args: string[], options?: { cwd?: string; env?: Record<string, string> }): Promise<Run> {
    const r = await cli(args, options);
    if (r.code !== 0) {
      throw new Error(`wasmcompute ${args.join(" ")} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}${warning ? `\n${warning}` : ""}`);
    }
    return r;
  }

  /** The gateway picks up deploys within its poll interval: poll until the body is the expected one. */
  async function expectServed(url: string, body: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < deadline) {
      try {
        const res = await fetchApp(url);
        const text = await res.text();
        if (res.status === 200 && text === body) return;
        last = `${res.status} ${text.slice(0, 200)}`;
      } catch (e) {
        last = String(e);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${url} never answered ${JSON.stringify(body)}; last: ${last}`);
  }

  beforeAll(async () => {
    warning = await staleBuildWarning();
    if (warning) console.warn(`cli.e2e: ${warning}`);
    tmp = await mkdtemp(path.join(os.tmpdir(), "wc-cli-e2e-"));
    database = await createTestDatabase("postgres");
    platform = await startPlatform({ dataDir: path.join(tmp, "data"), databaseUrl: database.url, env: { UPLOAD_MAX_BYTES: String(UPLOAD_CAP) } });

    // A user signs up in the console and creates an API token there (session cookie, same origin).
    const browser = new ConsoleClient(platform.consoleUrl);
    tenant = (await browser.signUp()).tenant;
    token = await browser.createToken("admin", "cli-e2e");

    // Only the CLI's own settings: nothing from the developer's environment or home folder.
    env = { ...process.env, HOME: tmp, WASMCOMPUTE_CONFIG: path.join(tmp, "config", "wasmcompute.json") };
    delete env.WASMCOMPUTE_URL;
    delete env.WASMCOMPUTE_TOKEN;
    delete env.XDG_CONFIG_HOME;
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
    await database?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("logs in, creates, publishes, deploys, serves, rolls back", async () => {
    // login verifies the token and stores it for the next commands, readable by the user only.
    const notYet = await cli(["apps"]);
    expect(notYet.code).toBe(3);
    const login = await ok(["login", "--url", platform.consoleUrl, "--token", token]);
    expect(login.stdout).toMatch(/Logged in to http:\/\/127\.0\.0\.1:\d+ \(0 apps\)/);
    expect((await stat(env.WASMCOMPUTE_CONFIG!)).mode & 0o777).toBe(0o600);

    // new: the app on the server and a folder with its manifest.
    const created = JSON.parse((await ok(["new", "hello", "--json"])).stdout);
    expect(created.app).toMatchObject({ name: "hello", gatewayUrl: appUrl(platform.gatewayUrl, tenant, "hello") });
    const appDir = path.join(tmp, "hello");
    const manifest = await readFile(path.join(appDir, "wasmcompute.yaml"), "utf8");
    expect(manifest).toMatch(/^name: hello$/m);
    const modulePath = path.join(appDir, created.module);

    // publish 0.0.1: the WAT hello, from the app folder (the app comes from the manifest).
    await copyFile(path.join(ROOT, "fixtures", "wasm", "hello-wat.wasm"), modulePath);
    const first = await ok(["publish", "0.0.1"], { cwd: appDir });
    expect(first.stdout).toMatch(/Published hello 0\.0\.1/);
    expect(first.stdout).toMatch(/module\s+sha256:[0-9a-f]{64}/);
    expect(first.stderr).toMatch(/uploading .*\(100%\)/);

    // deploy: the gateway serves it at its own host name, <app>--<tenant>.localhost.
    const deployed = JSON.parse((await ok(["deploy", "0.0.1", "--json"], { cwd: appDir })).stdout);
    expect(deployed).toMatchObject({ deployment: { version: "0.0.1", route: "" }, url: appUrl(platform.gatewayUrl, tenant, "hello") });
    await expectServed(deployed.url, "hello from WAT\n");

    // publish 0.0.2 (the C hello) and deploy it.
    await copyFile(path.join(ROOT, "fixtures", "wasm", "hello-c.wasm"), modulePath);
    const second = JSON.parse((await ok(["publish", "0.0.2", "--json"], { cwd: appDir })).stdout);
    expect(second).toMatchObject({ version: "0.0.2", moduleSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await ok(["deploy", "0.0.2"], { cwd: appDir });
    await expectServed(deployed.url, "hello from C\n");

    // rollback: 0.0.1 answers again.
    const rolled = await ok(["rollback"], { cwd: appDir });
    expect(rolled.stdout).toMatch(/0\.0\.1/);
    await expectServed(deployed.url, "hello from WAT\n");

    // What the listing commands see.
    const versions = JSON.parse((await ok(["versions", "--app", "hello", "--json"])).stdout).versions;
    expect(versions.map((v: { version: string }) => v.version)).toEqual(["0.0.2", "0.0.1"]);
    const apps = await ok(["apps"]);
    expect(apps.stdout).toMatch(/^NAME\s+LIVE/);
    expect(apps.stdout).toMatch(/^hello\s+0\.0\.1\s/m);
    const history = JSON.parse((await ok(["deployments", "--app", "hello", "--json"])).stdout).deployments;
    expect(history.map((d: { version: string }) => d.version)).toEqual(["0.0.1", "0.0.2", "0.0.1"]);
  });

  it("shows the app's log lines, and --follow prints new ones as they happen", async () => {
    const appDir = path.join(tmp, "hello");
    const url = appUrl(platform.gatewayUrl, tenant, "hello");
    // Request lines reach the database in the gateway's batches: poll.
    const deadline = Date.now() + 20_000;
    let entries: { level: string; message: string; status: number | null }[] = [];
    while (Date.now() < deadline) {
      entries = JSON.parse((await ok(["logs", "--json", "--level", "request"], { cwd: appDir })).stdout).logs;
      if (entries.length) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.level === "request")).toBe(true);
    expect(entries).toContainEqual(expect.objectContaining({ status: 200, message: expect.stringMatching(/^GET \S+ 200/) }));
    const human = await ok(["logs", "--level", "request"], { cwd: appDir });
    expect(human.stdout).toMatch(/^\d{4}-\d\d-\d\dT\S+ {2}request {2}\[[0-9a-f]{8}\] {2}GET \S+ 200/m);

    const follower = spawn(process.execPath, [BIN, "logs", "--follow", "--search", "follow-me"], { cwd: appDir, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    follower.stdout.on("data", (d) => (out += d));
    follower.stderr.on("data", (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => follower.on("exit", (code) => resolve(code)));
    try {
      const until = Date.now() + 30_000;
      while (!out.includes("follow-me") && Date.now() < until && follower.exitCode === null) {
        await fetchApp(`${url}follow-me`).then((r) => r.text());
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(out, `stderr: ${err}`).toMatch(/request {2}\[[0-9a-f]{8}\] {2}GET \S*follow-me 200/);
    } finally {
      follower.kill("SIGINT");
    }
    expect(await exited).toBe(0);
  });

  it("exits with the documented codes and the server's messages", async () => {
    const appDir = path.join(tmp, "hello");
    const exists = await cli(["publish", "0.0.1"], { cwd: appDir });
    expect(exists.code).toBe(5);
    expect(exists.stderr).toMatch(/^error: .*0\.0\.1.*already exists/m);

    const missing = await cli(["deploy", "9.9.9"], { cwd: appDir });
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/9\.9\.9/);

    const noApp = await cli(["versions", "--app", "no-such-app"]);
    expect(noApp.code).toBe(4);

    const badToken = await cli(["apps"], { env: { WASMCOMPUTE_TOKEN: "wc_not-a-real-token" } });
    expect(badToken.code).toBe(3);
    expect(badToken.stderr).toMatch(/token/i);

    const badName = await cli(["new", "Bad Name", "--dir", path.join(tmp, "bad")]);
    expect(badName.code).toBe(6);
    expect(badName.stderr).toMatch(/^error: name: /);

    const badFilter = await cli(["logs", "--status", "banana"], { cwd: appDir });
    expect(badFilter.code).toBe(6);
    expect(badFilter.stderr).toMatch(/^error: Status: use a code like 404/m);

    const bogus = await cli(["deploy", "0.0.1", "--bogus"], { cwd: appDir });
    expect(bogus.code).toBe(2);
  });

  it("starts from a template with a prebuilt module that publishes as is", async () => {
    const r = JSON.parse((await ok(["new", "from-template", "--template", "hello-rust", "--json"])).stdout);
    expect(r.moduleIncluded).toBe(true);
    const dir = path.join(tmp, "from-template");
    const published = JSON.parse((await ok(["publish", "1.0.0", "--json"], { cwd: dir })).stdout);
    expect(published.version).toBe("1.0.0");
    await ok(["deploy", "1.0.0", "--route", "v/1.0.0"], { cwd: dir });
    await expectServed(appUrl(platform.gatewayUrl, tenant, "from-template", "/v/1.0.0/"), "hello from Rust\n");
  });

  it("uploads the manifest's files, and needs --unsafe to deploy a version whose files changed", async () => {
    const dir = path.join(tmp, "site");
    await ok(["new", "site", "--template", "hello-wat", "--dir", dir]);
    await writeFile(path.join(dir, "wasmcompute.yaml"), "name: site\nmodule: app.wasm\nfiles:\n  - static\n");
    await mkdir(path.join(dir, "static", "css"), { recursive: true });
    await writeFile(path.join(dir, "static", "index.html"), "<h1>one</h1>");
    await writeFile(path.join(dir, "static", "css", "site.css"), "h1{}");
    const first = await ok(["publish", "0.0.1"], { cwd: dir });
    expect(first.stdout).toMatch(/files\s+sha256:[0-9a-f]{64}\s+\(2 files\)/);
    const stored = await fetch(`${platform.consoleUrl}/api/v1/apps/site/versions/0.0.1`, { headers: { authorization: `Bearer ${token}` } });
    const files = ((await stored.json()) as { version: { files: { path: string; size: number }[] } }).version.files;
    expect(files.map((f) => [f.path, f.size]).sort()).toEqual([
      ["static/css/site.css", 4],
      ["static/index.html", 12],
    ]);
    await ok(["deploy", "0.0.1"], { cwd: dir });

    await writeFile(path.join(dir, "static", "index.html"), "<h1>two</h1>");
    const second = await ok(["publish", "0.0.2"], { cwd: dir });
    expect(second.stdout).toMatch(/tainted/);
    const refused = await cli(["deploy", "0.0.2"], { cwd: dir });
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/static files[\s\S]*--unsafe/);
    await ok(["deploy", "0.0.2", "--unsafe"], { cwd: dir });
    const versions = JSON.parse((await ok(["versions", "--json"], { cwd: dir })).stdout).versions;
    expect(versions[0]).toMatchObject({ version: "0.0.2", tainted: true, live: [""] });
  });

  it("streams a 20 MiB module, and reports an upload over the server's cap as a validation error", async () => {
    const dir = path.join(tmp, "big");
    await ok(["new", "big", "--dir", dir]);
    await writeFile(path.join(dir, "app.wasm"), await paddedModule(20 * MiB));
    const published = await ok(["publish", "0.0.1", "--json"], { cwd: dir });
    expect(JSON.parse(published.stdout)).toMatchObject({ version: "0.0.1", moduleSize: expect.any(Number) });
    expect(JSON.parse(published.stdout).moduleSize).toBeGreaterThan(20 * MiB - 1024);
    expect(published.stderr).toMatch(/uploading 20\.0 MiB \/ 20\.0 MiB \(100%\)/);
    await ok(["deploy", "0.0.1"], { cwd: dir });
    await expectServed(appUrl(platform.gatewayUrl, tenant, "big"), "hello from WAT\n");

    await writeFile(path.join(dir, "app.wasm"), await paddedModule(UPLOAD_CAP + MiB));
    const tooBig = await cli(["publish", "0.0.2"], { cwd: dir });
    expect(tooBig.stderr).toMatch(/larger than 24 MiB/);
    expect(tooBig.code).toBe(6);
  });

  it("deletes an app only with --yes, and its routes stop answering", async () => {
    expect((await cli(["delete", "hello"])).code).toBe(2);
    await ok(["delete", "hello", "--yes"]);
    const url = appUrl(platform.gatewayUrl, tenant, "hello");
    const deadline = Date.now() + 15_000;
    let status = 200;
    while (Date.now() < deadline && (status = (await fetchApp(url)).status) === 200) await new Promise((r) => setTimeout(r, 100));
    expect(status).toBe(404);
    expect(JSON.parse((await ok(["apps", "--json"])).stdout).apps.map((a: { name: string }) => a.name).sort()).toEqual(["big", "from-template", "site"]);
  });

  it("publishes a WASI 0.2 component as it is, and prints the server's refusal of one that imports what is not provided", async () => {
    // Signed in by environment: this story needs none of the ones before it.
    const auth = { WASMCOMPUTE_URL: platform.consoleUrl, WASMCOMPUTE_TOKEN: token };
    const dir = path.join(tmp, "comp");
    await ok(["new", "comp", "--dir", dir], { env: auth });
    const component = await readFile(path.join(ROOT, "fixtures", "component", "hello.component.wasm"));
    await writeFile(path.join(dir, "app.wasm"), component);
    const published = JSON.parse((await ok(["publish", "0.0.1", "--json"], { cwd: dir, env: auth })).stdout);
    expect(published).toMatchObject({ version: "0.0.1", kind: "component", component: { sourceSha256: createHash("sha256").update(component).digest("hex"), sourceSize: component.length } });
    const download = await fetch(`${platform.consoleUrl}/api/v1/apps/comp/versions/0.0.1/module`, { headers: { authorization: `Bearer ${token}` } });
    expect(Buffer.from(await download.arrayBuffer()).equals(component)).toBe(true);

    await writeFile(path.join(dir, "app.wasm"), await componentImporting(["wasi:sockets/tcp@0.2.0"]));
    const refused = await cli(["publish", "0.0.2"], { cwd: dir, env: auth });
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain("The component imports wasi:sockets/tcp@0.2.0, which WasmCompute does not provide.");
    await ok(["delete", "comp", "--yes"], { env: auth });
  });
});
