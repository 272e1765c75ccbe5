// The REST API and the gateway through real HTTP, on a fresh database on the real PostgreSQL:
// the whole publish → deploy → serve → roll back path, bad input, and tenant isolation.
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabaseBlobStore } from "@/lib/blobs/database-blob-store";
import { API_ROUTES } from "@/lib/openapi/api-routes";
import { ConsoleClient, apiWithToken, newTestAccount, publishForm, type TestAccount } from "@/lib/testing/console-client";
import { startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const fixture = async (name: string) => new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm", `${name}.wasm`)));
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const UPLOAD_CAP = 2 * 1024 * 1024;

let database: TestDatabase;
let platform: Platform;
let dataDir: string;
let alice: ConsoleClient;
let aliceAccount: TestAccount;
let aliceApi: ReturnType<typeof apiWithToken>;
let bobApi: ReturnType<typeof apiWithToken>;

/** Polls the gateway until `check` passes (deploys reach gateways within their poll interval). */
async function eventually(url: string, check: (status: number, body: string) => boolean, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    const res = await fetchApp(url);
    const body = await res.text();
    if (check(res.status, body)) return { status: res.status, body, ms: timeoutMs - (deadline - Date.now()) };
    last = `${res.status} ${body}`;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gateway never answered as expected; last: ${last}`);
}

/** Resolves once a session on the test database waits for a lock in a statement like `statement` (SQL LIKE). */
async function waitForBlocked(statement: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = await database.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE ${statement}`;
    if (rows[0]!.n > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no statement like ${statement} waited for a lock`);
}

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-api-"));
  platform = await startPlatform({ dataDir, databaseUrl: database.url, env: { UPLOAD_MAX_BYTES: String(UPLOAD_CAP) } });
  alice = new ConsoleClient(platform.consoleUrl);
  aliceAccount = await alice.signUp();
  aliceApi = apiWithToken(platform.consoleUrl, await alice.createToken("admin"));
  const bob = new ConsoleClient(platform.consoleUrl);
  await bob.signUp();
  bobApi = apiWithToken(platform.consoleUrl, await bob.createToken("admin"));
}, 180_000);

afterAll(async () => {
  await platform?.stop();
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("apps, versions and deployments", () => {
  it("creates an app, refuses a duplicate and a bad name with field-level errors", async () => {
    const created = await aliceApi("/api/v1/apps", json({ name: "hello", template: "hello-wat" }));
    expect(created.status).toBe(201);
    expect((await created.json()).app).toMatchObject({ name: "hello", template: "hello-wat", live: null, gatewayUrl: appUrl(platform.gatewayUrl, aliceAccount.tenant, "hello") });
    const dup = await aliceApi("/api/v1/apps", json({ name: "hello" }));
    expect(dup.status).toBe(409);
    expect((await dup.json()).error).toMatchObject({ code: "CONFLICT", field: "name" });
    const bad = await aliceApi("/api/v1/apps", json({ name: "Hello World" }));
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.message).toMatch(/^name: App name may use lowercase letters/);
  });

  it("refuses an app name that, with a long tenant name, does not fit one host label (63 characters)", async () => {
    // The app answers at <app>--<tenant>.<domain>: with a 32-character tenant, apps have 29.
    const long = new ConsoleClient(platform.consoleUrl);
    const account = await long.signUp({ ...newTestAccount(), tenant: `t${randomBytes(16).toString("hex").slice(0, 31)}` });
    const longApi = apiWithToken(platform.consoleUrl, await long.createToken("admin"));
    const tooLong = await longApi("/api/v1/apps", json({ name: "a".repeat(30) }));
    expect(tooLong.status).toBe(422);
    expect((await tooLong.json()).error).toMatchObject({ field: "name", message: expect.stringMatching(/at most 29 characters.*one DNS label/) });
    const fits = await longApi("/api/v1/apps", json({ name: "a".repeat(29) }));
    expect(fits.status).toBe(201);
    expect((await fits.json()).app.gatewayUrl).toBe(appUrl(platform.gatewayUrl, account.tenant, "a".repeat(29)));
    expect(new URL(appUrl(platform.gatewayUrl, account.tenant, "a".repeat(29))).hostname.split(".")[0]).toHaveLength(63);
  });

  it("refuses bad publishes with actionable 4xx errors and stores nothing", async () => {
    const hello = await fixture("hello-wat");
    const cases: [FormData, number, RegExp][] = [
      [publishForm("0.0.1", new TextEncoder().encode("not wasm at all")), 422, /not a valid WebAssembly module/],
      [publishForm("0.0.1", await fixture("unsupported-import")), 422, /does not provide: "env\.open_socket"\. Only WASI/],
      [publishForm("0.0.1", hello, "routes:\n  - path: /\n    entrypoint: handle\n"), 422, /does not export.*handle|handle/],
      [publishForm("0.0.1", hello, "routes:\n  - path: nope\n"), 422, /wasmcompute\.yaml: routes\[0\]\.path: must start with "\/"/],
      [publishForm("0.0.1", hello, "routes: [\n"), 422, /not valid YAML/],
      [publishForm("not-semver", hello), 422, /semantic version/],
      [publishForm("0.0.1", hello, undefined, { "big.bin": new Uint8Array(UPLOAD_CAP + 1) }), 413, /larger than 2 MiB/],
      [publishForm("0.0.1", hello, undefined, { "../escape.txt": "x" }), 422, /relative path inside the app/],
      // WebAssembly text that does not compile: where, as line:column.
      [publishForm("0.0.1", new TextEncoder().encode('(module\n  (func (export "_start")\n    (oops)))\n')), 400, /^The module is WebAssembly text \(WAT\) that does not compile: app\.wasm:3:\d+: /],
    ];
    for (const [form, status, message] of cases) {
      const res = await aliceApi("/api/v1/apps/hello/versions", { method: "POST", body: form });
      const body = await res.json();
      expect({ status: res.status, message: body.error?.message }).toEqual({ status, message: expect.stringMatching(message) });
    }
    // An empty form: both missing fields named at once, in words, for the form to show under each.
    const empty = new FormData();
    empty.set("manifest", new Blob([""]), "wasmcompute.yaml");
    const res = await aliceApi("/api/v1/apps/hello/versions", { method: "POST", body: empty });
    expect(res.status).toBe(422);
    expect((await res.json()).error).toMatchObject({
      field: "version",
      fields: { version: "Version: give the version number, e.g. 0.0.1.", module: "Module: attach the compiled .wasm file (or its .wat text)." },
    });
    expect(await database.db.version.count()).toBe(0);
    expect(await database.db.blob.count()).toBe(0);
  });

  it("publishes immutable content-addressed versions; the stored module hashes as reported", async () => {
    const res = await aliceApi("/api/v1/apps/hello/versions", { method: "POST", body: publishForm("0.0.1", await fixture("hello-wat")) });
    expect(res.status).toBe(201);
    const { version } = await res.json();
    expect(version).toMatchObject({ version: "0.0.1", tainted: false, live: [] });
    const module = new Uint8Array(await (await aliceApi("/api/v1/apps/hello/versions/0.0.1/module")).arrayBuffer());
    expect(sha256(module)).toBe(version.moduleSha256);
    // The memory cap was written into the module: it now declares a maximum.
    expect(WebAssembly.Module.exports(new WebAssembly.Module(module)).map((e) => e.name)).toContain("_start");

    const again = await aliceApi("/api/v1/apps/hello/versions", { method: "POST", body: publishForm("0.0.1", await fixture("hello-c")) });
    expect(again.status).toBe(409);
    expect((await again.json()).error.message).toMatch(/already exists and versions are immutable/);

    // Named in the URL (as the CLI does), a taken number is refused before the upload is read: a
    // body that never ends still gets its 409.
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent++;
        controller.enqueue(new TextEncoder().encode(sent === 1 ? "--x\r\nContent-Disposition: form-data; name=\"module\"; filename=\"a.wasm\"\r\n\r\n" : "\0".repeat(1024)));
        return new Promise((resolve) => setTimeout(resolve, 20));
      },
    });
    const stopSending = new AbortController();
    const early = await aliceApi("/api/v1/apps/hello/versions?version=0.0.1", {
      method: "POST",
      signal: stopSending.signal,
      body: endless,
      headers: { "content-type": "multipart/form-data; boundary=x" },
      duplex: "half",
    } as RequestInit);
    expect(early.status).toBe(409);
    expect((await early.json()).error).toMatchObject({ code: "CONFLICT", field: "version", message: expect.stringMatching(/Version 0\.0\.1 of "hello" already exists/) });
    stopSending.abort();

    // WebAssembly text is published as WAGI serves it: compiled on the way in, stored as the binary.
    const wat = await readFile(path.join(ROOT, "fixtures/wat/hello.wat"));
    const fromText = await aliceApi("/api/v1/apps/hello/versions", { method: "POST", body: publishForm("0.0.7", new Uint8Array(wat)) });
    expect(fromText.status).toBe(201);
    const stored = new Uint8Array(await (await aliceApi("/api/v1/apps/hello/versions/0.0.7/module")).arrayBuffer());
    expect(WebAssembly.Module.exports(new WebAssembly.Module(stored)).map((e) => e.name)).toContain("_start");

    // A free number in the URL goes on to the upload, which must name the same one.
    const mismatch = await aliceApi("/api/v1/apps/hello/versions?version=0.0.9", { method: "POST", body: publishForm("0.0.8", await fixture("hello-wat")) });
    expect(mismatch.status).toBe(422);
    expect((await mismatch.json()).error.message).toMatch(/the form says 0\.0\.8 but the URL says 0\.0\.9/);
  });

  it("deploys, switches versions on the gateway within a second, and rolls back", async () => {
    const url = appUrl(platform.gatewayUrl, aliceAccount.tenant, "hello");
    expect((await fetchApp(url)).status).toBe(404);
    expect((await aliceApi("/api/v1/apps/hello/deployments", json({ version: "0.0.1" }))).status).toBe(201);
    expect((await eventually(url, (s, b) => s === 200 && b === "hello from WAT\n")).ms).toBeLessThan(1500);

    expect((await aliceApi("/api/v1/apps/hello/versions", { method: "POST", body: publishForm("0.0.2", await fixture("hello-c")) })).status).toBe(201);
    expect((await aliceApi("/api/v1/apps/hello/deployments", json({ version: "0.0.2" }))).status).toBe(201);
    expect((await eventually(url, (s, b) => b === "hello from C\n")).ms).toBeLessThan(1500);

    const rolled = await aliceApi("/api/v1/apps/hello/rollback", json({}));
    expect(rolled.status).toBe(201);
    expect((await rolled.json()).deployment).toMatchObject({ version: "0.0.1", kind: "rollback" });
    await eventually(url, (s, b) => b === "hello from WAT\n");

    const history = (await (await aliceApi("/api/v1/apps/hello/deployments")).json()).deployments;
    expect(history.map((d: { version: string; active: boolean }) => [d.version, d.active])).toEqual([
      ["0.0.1", true],
      ["0.0.2", false],
      ["0.0.1", false],
    ]);
  });

  it("serves an explicit version route beside the default one", async () => {
    expect((await aliceApi("/api/v1/apps/hello/deployments", json({ version: "0.0.2", route: "v/0.0.2" }))).status).toBe(201);
    const at = (path: string) => appUrl(platform.gatewayUrl, aliceAccount.tenant, "hello", path);
    await eventually(at("/v/0.0.2/"), (s, b) => b === "hello from C\n");
    expect(await (await fetchApp(at("/"))).text()).toBe("hello from WAT\n");
    expect((await aliceApi("/api/v1/apps/hello/deployments/v/0.0.2", { method: "DELETE" })).status).toBe(204);
    await eventually(at("/v/0.0.2/"), (s, b) => b === "hello from WAT\n");
  });

  it("asks for --unsafe before deploying a version whose static files changed", async () => {
    const form = publishForm("0.1.0", await fixture("hello-wat"), undefined, { "static/index.html": "<h1>hi</h1>" });
    const published = await (await aliceApi("/api/v1/apps/hello/versions", { method: "POST", body: form })).json();
    expect(published.version.tainted).toBe(true);
    const refused = await aliceApi("/api/v1/apps/hello/deployments", json({ version: "0.1.0" }));
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toMatchObject({ field: "unsafe", message: expect.stringMatching(/different static files.*--unsafe/) });
    expect((await aliceApi("/api/v1/apps/hello/deployments", json({ version: "0.1.0", unsafe: true }))).status).toBe(201);
    const rollback = await aliceApi("/api/v1/apps/hello/rollback", json({}));
    expect(rollback.status).toBe(409);
    expect((await aliceApi("/api/v1/apps/hello/rollback", json({ unsafe: true }))).status).toBe(201);
  });

  it("asks for --unsafe before deploying or rolling back across a datastore schema change", async () => {
    expect((await aliceApi("/api/v1/apps", json({ name: "schema" }))).status).toBe(201);
    // No static files anywhere: only the manifest's datastores differ between versions.
    const publish = async (version: string, module: string, schema: number) => {
      const res = await aliceApi("/api/v1/apps/schema/versions", { method: "POST", body: publishForm(version, await fixture(module), `datastores:\n  - name: main\n    schema: ${schema}\n`) });
      expect(res.status).toBe(201);
      return (await res.json()).version.tainted;
    };
    expect([await publish("1.0.0", "hello-wat", 1), await publish("1.0.1", "hello-c", 1), await publish("1.1.0", "hello-wat", 2)]).toEqual([false, false, true]);
    const deploy = (version: string, unsafe?: boolean) => aliceApi("/api/v1/apps/schema/deployments", json({ version, unsafe }));
    expect((await deploy("1.0.0")).status).toBe(201);
    expect((await deploy("1.0.1")).status).toBe(201); // same schema, new module: no confirmation
    const refused = await deploy("1.1.0");
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toMatchObject({ field: "unsafe", message: expect.stringMatching(/^Version 1\.1\.0 has different datastore schema from the live 1\.0\.1; deploying across .*--unsafe/) });
    expect((await deploy("1.1.0", true)).status).toBe(201);

    const rollback = await aliceApi("/api/v1/apps/schema/rollback", json({}));
    expect(rollback.status).toBe(409);
    expect((await rollback.json()).error).toMatchObject({ field: "unsafe", message: expect.stringMatching(/^Version 1\.0\.1 has different datastore schema from the live 1\.1\.0; rolling back across .*--unsafe/) });
    const rolled = await aliceApi("/api/v1/apps/schema/rollback", json({ unsafe: true }));
    expect(rolled.status).toBe(201);
    expect((await rolled.json()).deployment).toMatchObject({ version: "1.0.1", kind: "rollback" });
    // The refused deploy and rollback changed nothing: the history holds only the accepted ones.
    const history = (await (await aliceApi("/api/v1/apps/schema/deployments")).json()).deployments;
    expect(history.map((d: { version: string; kind: string; active: boolean }) => [d.version, d.kind, d.active])).toEqual([
      ["1.0.1", "rollback", true],
      ["1.1.0", "deploy", false],
      ["1.0.1", "deploy", false],
      ["1.0.0", "deploy", false],
    ]);
  });

  it("deletes an app: its gateway route stops answering and its blobs go with the orphan sweep", async () => {
    expect((await aliceApi("/api/v1/apps", json({ name: "doomed" }))).status).toBe(201);
    const form = publishForm("1.0.0", await fixture("counter"));
    const published = await aliceApi("/api/v1/apps/doomed/versions", { method: "POST", body: form });
    expect(published.status).toBe(201);
    const { moduleSha256 } = (await published.json()).version;
    expect((await aliceApi("/api/v1/apps/doomed/deployments", json({ version: "1.0.0" }))).status).toBe(201);
    const url = appUrl(platform.gatewayUrl, aliceAccount.tenant, "doomed");
    await eventually(url, (s) => s === 200);
    expect(await database.db.blob.count({ where: { sha256: moduleSha256 } })).toBe(1);
    expect((await aliceApi("/api/v1/apps/doomed", { method: "DELETE" })).status).toBe(204);
    await eventually(url, (s) => s === 404);
    expect((await aliceApi("/api/v1/apps/doomed")).status).toBe(404);
    const blobs = createDatabaseBlobStore({ db: database.db, databaseUrl: database.url });
    // Within the grace period (a publish may be about to refer to the same bytes) nothing goes.
    await blobs.sweepOrphans({ graceMs: 60_000 });
    expect(await database.db.blob.count({ where: { sha256: moduleSha256 } })).toBe(1);
    await blobs.sweepOrphans({ graceMs: 0 });
    await blobs.close();
    expect(await database.db.blob.count({ where: { sha256: moduleSha256 } })).toBe(0);
    expect(await database.db.blobChunk.count({ where: { sha256: moduleSha256 } })).toBe(0);
  });

  it("leaves no version row when a publish fails, even late inside its transaction; the orphan sweep takes its blobs", async () => {
    expect((await aliceApi("/api/v1/apps", json({ name: "racer" }))).status).toBe(201);
    const good = await aliceApi("/api/v1/apps/racer/versions", { method: "POST", body: publishForm("1.0.0", await fixture("hello-wat"), undefined, { "static/a.txt": "a" }) });
    expect(good.status).toBe(201);
    const { moduleSha256 } = (await good.json()).version;
    const app = await database.db.app.findFirstOrThrow({ where: { name: "racer", tenant: { name: aliceAccount.tenant } } });
    const stored = async () => ({
      blobs: (await database.db.blob.findMany({ select: { sha256: true }, orderBy: { sha256: "asc" } })).map((b) => b.sha256),
      versions: await database.db.version.findMany({ where: { appId: app.id }, select: { id: true, version: true, moduleSha256: true }, orderBy: { version: "asc" } }),
    });
    const before = await stored();
    expect(before.blobs).toContain(moduleSha256);
    // Content no version has yet, so a leftover blob of a failed publish would show.
    const newFile = `new content ${randomBytes(8).toString("hex")}`;
    const helloC = await fixture("hello-c");
    const newForm = (version: string) => publishForm(version, helloC, undefined, { "static/a.txt": newFile });

    // Early: the number is taken (found before the upload is even validated).
    const duplicate = await aliceApi("/api/v1/apps/racer/versions", { method: "POST", body: newForm("1.0.0") });
    expect(duplicate.status).toBe(409);
    expect(await stored()).toEqual(before);

    // Late: a concurrent publish of 1.1.0 holds the number, uncommitted. This one passes the early
    // check, stores its blobs, then waits on the unique index; once the other commits, its INSERT
    // fails and its rows roll back. Its blobs stay until the orphan sweep.
    let publishing: Promise<Response> | undefined;
    let settled = false;
    const competitor = await database.db.$transaction(
      async (tx) => {
        const row = await tx.version.create({
          data: { tenantId: app.tenantId, appId: app.id, version: "1.1.0", moduleSha256, moduleSize: 1, manifest: {}, manifestSha256: "-", filesSha256: "-", datastoresSha256: "-" },
        });
        publishing = aliceApi("/api/v1/apps/racer/versions", { method: "POST", body: newForm("1.1.0") }).finally(() => (settled = true));
        await waitForBlocked('INSERT INTO "public"."Version"%');
        expect(settled, "the publish ended before reaching its INSERT").toBe(false);
        return row;
      },
      { timeout: 30_000 },
    );
    const res = await publishing!;
    expect(res.status).toBe(409);
    expect((await res.json()).error.message).toMatch(/Version 1\.1\.0 of "racer" already exists/);
    const newBlob = sha256(new TextEncoder().encode(newFile));
    expect((await stored()).blobs).toContain(newBlob);
    const blobs = createDatabaseBlobStore({ db: database.db, databaseUrl: database.url });
    expect(await blobs.sweepOrphans({ graceMs: 0 })).toBeGreaterThan(0);
    await blobs.close();
    const after = await stored();
    expect(after.blobs).not.toContain(newBlob);
    expect(after).toEqual({ blobs: before.blobs, versions: [...before.versions, { id: competitor.id, version: "1.1.0", moduleSha256 }] });
    expect((await aliceApi("/api/v1/apps/racer", { method: "DELETE" })).status).toBe(204);
  });
});

describe("authentication, scopes and tenant isolation", () => {
  it("answers 401 without credentials and with a revoked token", async () => {
    expect((await fetch(`${platform.consoleUrl}/api/v1/apps`)).status).toBe(401);
    const token = await alice.createToken("read", "to revoke");
    const api = apiWithToken(platform.consoleUrl, token);
    expect((await api("/api/v1/apps")).status).toBe(200);
    const { tokens } = await (await aliceApi("/api/v1/tokens")).json();
    const id = tokens.find((t: { name: string }) => t.name === "to revoke").id;
    expect(tokens.find((t: { name: string }) => t.name === "to revoke").lastUsedAt).not.toBeNull();
    expect((await aliceApi(`/api/v1/tokens/${id}`, { method: "DELETE" })).status).toBe(204);
    const revoked = await api("/api/v1/apps");
    expect(revoked.status).toBe(401);
    expect((await revoked.json()).error.message).toMatch(/invalid or revoked/);
  });

  it("gives a token an optional expiry in days; once past it, the token answers 401 saying it expired", async () => {
    const create = (body: unknown) => aliceApi("/api/v1/tokens", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const before = Date.now();
    const res = await create({ name: "expiring", scope: "read", expiresInDays: 30 });
    expect(res.status).toBe(201);
    const { token, secret } = (await res.json()) as { token: { id: string; expiresAt: string }; secret: string };
    const thirtyDays = 30 * 86_400_000;
    expect(Date.parse(token.expiresAt)).toBeGreaterThanOrEqual(before + thirtyDays);
    expect(Date.parse(token.expiresAt)).toBeLessThanOrEqual(Date.now() + thirtyDays);
    const api = apiWithToken(platform.consoleUrl, secret);
    expect((await api("/api/v1/apps")).status).toBe(200);

    // Thirty days pass (the row's expiry moved to a minute ago).
    await database.db.apiToken.update({ where: { id: token.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    const expired = await api("/api/v1/apps");
    expect(expired.status).toBe(401);
    expect((await expired.json()).error.message).toMatch(/^This API token \(wc_.{7}…\) expired on \d{4}-\d\d-\d\dT.*Create a new one/);
    const listed = ((await (await aliceApi("/api/v1/tokens")).json()) as { tokens: { id: string; expiresAt: string | null; name: string }[] }).tokens;
    expect(listed.find((t) => t.id === token.id)?.expiresAt).not.toBeNull();
    expect(listed.find((t) => t.name === "test")?.expiresAt).toBeNull();

    for (const expiresInDays of [0, 1.5, "30", 3651]) {
      const bad = await create({ name: "bad expiry", expiresInDays });
      expect(bad.status).toBe(422);
      expect((await bad.json()).error).toMatchObject({ field: "expiresInDays", message: expect.stringMatching(/^expiresInDays: .*day/) });
    }
  });

  it("exchanges an email and password for a token with POST /login, and refuses wrong ones like the console", async () => {
    const login = (body: unknown) => fetch(`${platform.consoleUrl}/api/v1/login`, json(body));
    const res = await login({ email: aliceAccount.email, password: aliceAccount.password, name: "laptop", scope: "deploy" });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const created = await res.json();
    expect(created).toMatchObject({ tenant: aliceAccount.tenant, email: aliceAccount.email, token: { name: "laptop", scope: "deploy" }, secret: expect.stringMatching(/^wc_/) });
    const api = apiWithToken(platform.consoleUrl, created.secret);
    expect((await api("/api/v1/apps/hello")).status).toBe(200);
    expect((await api("/api/v1/tokens")).status).toBe(403); // deploy, as asked

    const wrong = await login({ email: aliceAccount.email, password: "not-the-password-1" });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: "UNAUTHORIZED", message: "Wrong email or password." } });
    const nobody = await login({ email: "nobody@example.com", password: "not-the-password-1" });
    expect({ status: nobody.status, body: await nobody.json() }).toEqual({ status: 401, body: { error: { code: "UNAUTHORIZED", message: "Wrong email or password." } } });
    const badScope = await login({ email: aliceAccount.email, password: aliceAccount.password, scope: "root" });
    expect(badScope.status).toBe(422);
    expect((await badScope.json()).error).toMatchObject({ code: "UNPROCESSABLE", field: "scope" });
    const failures = await aliceApi("/api/v1/audit?action=auth.sign_in_failed");
    expect((await failures.json()).events[0]).toMatchObject({ actor: aliceAccount.email, detail: { via: "api" } });
    // A good sign-in resets the count the wrong one started, as in the console.
    expect((await login({ email: aliceAccount.email, password: aliceAccount.password })).status).toBe(201);
    expect((await database.db.signInThrottle.findMany({ where: { email: aliceAccount.email } })).map((r) => r.failures)).toEqual([0]);
  });

  it("enforces token scopes", async () => {
    const reader = apiWithToken(platform.consoleUrl, await alice.createToken("read"));
    expect((await reader("/api/v1/apps/hello/versions")).status).toBe(200);
    const denied = await reader("/api/v1/apps/hello/deployments", json({ version: "0.0.1" }));
    expect(denied.status).toBe(403);
    expect((await denied.json()).error.message).toMatch(/"read" scope.*needs "deploy"/);
    const deployer = apiWithToken(platform.consoleUrl, await alice.createToken("deploy"));
    expect((await deployer("/api/v1/apps/hello", { method: "DELETE" })).status).toBe(403);
    expect((await deployer("/api/v1/tokens")).status).toBe(403);
  });

  it("refuses a cross-site state change made with the session cookie", async () => {
    const res = await alice.fetch("/api/v1/apps", { ...json({ name: "csrf" }), headers: { "content-type": "application/json", origin: "http://evil.example" } });
    expect(res.status).toBe(403);
    expect((await alice.fetch("/api/v1/apps/csrf")).status).toBe(404);
  });

  it("gives tenant B a 404 on every route that names tenant A's resources", async () => {
    const { tokens } = await (await aliceApi("/api/v1/tokens")).json();
    const values: Record<string, string> = { app: "hello", version: "0.0.1", route: "v/0.0.2", id: tokens[0].id };
    for (const route of API_ROUTES.filter((r) => r.scope && /\{(app|id)\}/.test(r.path) && !r.path.startsWith("/templates"))) {
      const url = "/api/v1" + route.path.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "x");
      const body = route.body === "multipart" ? publishForm("9.9.9", await fixture("hello-wat")) : route.method === "POST" ? JSON.stringify({ version: "0.0.1" }) : undefined;
      const res = await bobApi(url, { method: route.method, body, headers: route.method === "POST" && route.body !== "multipart" ? { "content-type": "application/json" } : {} });
      expect({ route: `${route.method} ${route.path}`, status: res.status }).toEqual({ route: `${route.method} ${route.path}`, status: 404 });
    }
    // And nothing of A's changed.
    expect((await aliceApi("/api/v1/apps/hello/versions/9.9.9")).status).toBe(404);
    expect((await (await aliceApi("/api/v1/tokens")).json()).tokens.every((t: { revokedAt: string | null; name: string }) => t.name === "to revoke" || !t.revokedAt)).toBe(true);
  });

  it("leaves tenant A's items out of everything tenant B's list routes answer", async () => {
    // A owns one of everything, each named with a tag found nowhere else.
    const tag = randomBytes(4).toString("hex");
    const app = `vault-${tag}`;
    await alice.createToken("read", `token-${tag}`);
    const seeds: [string, RequestInit, number][] = [
      ["/api/v1/apps", json({ name: app }), 201],
      [`/api/v1/apps/${app}/versions`, { method: "POST", body: publishForm("1.0.0", await fixture("hello-wat"), `datastores:\n  - name: store-${tag}\n`, { "static/a.txt": tag }) }, 201],
      [`/api/v1/apps/${app}/deployments`, json({ version: "1.0.0" }), 201],
      [`/api/v1/apps/${app}/kv/entry?key=key-${tag}&store=store-${tag}`, { ...json({ value: `kv-${tag}` }), method: "PUT" }, 200],
      [`/api/v1/apps/${app}/env/VAR_${tag}`, { ...json({ value: `env-${tag}` }), method: "PUT" }, 200],
      [`/api/v1/apps/${app}/requests/request-${tag}`, { ...json({ method: "GET", path: `/${tag}` }), method: "PUT" }, 200],
      ["/api/v1/billing/cap", { ...json({ cap: 4321.5, mode: "alert" }), method: "PUT" }, 200],
      ["/api/v1/invitations", json({ email: `invitee-${tag}@example.com`, role: "viewer" }), 201],
    ];
    for (const [url, init, status] of seeds) expect({ url, status: (await aliceApi(url, init)).status }).toEqual({ url, status });
    await eventually(appUrl(platform.gatewayUrl, aliceAccount.tenant, app), (s) => s === 200);
    // A closed month with usage, so A has an invoice too (as billing-api.test.ts does it).
    const tenant = await database.db.tenant.findUniqueOrThrow({ where: { name: aliceAccount.tenant } });
    const appRow = await database.db.app.findFirstOrThrow({ where: { tenantId: tenant.id, name: app } });
    await database.db.tenant.update({ where: { id: tenant.id }, data: { createdAt: new Date("2024-10-01T00:00:00Z") } });
    await database.db.usageDaily.create({ data: { tenantId: tenant.id, appId: appRow.id, day: new Date("2024-11-15T00:00:00Z"), requests: 7n } });

    // Every list route: the GET routes without path parameters, so a new one is walked too.
    // A stream never ends: /logs/stream reads through the same scoped query as /logs, walked here.
    // Session-only lists (the signed-in user's tenants) are not the tenant's: tokens are refused there.
    const lists = API_ROUTES.filter((r) => r.method === "GET" && !r.path.includes("{") && !r.path.endsWith("/stream") && !r.sessionOnly).map((r) => r.path);
    expect(lists).toEqual(expect.arrayContaining(["/apps", "/tokens", "/audit", "/usage", "/billing", "/billing/invoices", "/logs", "/members", "/invitations"]));
    // The same for every tenant: nothing of A's can be in them.
    const TENANT_INDEPENDENT = new Set(["/openapi.json", "/templates"]);

    // A's view first (it also makes A's invoice), retried while the gateway's usage reaches /usage.
    const named = [tag, aliceAccount.tenant, aliceAccount.email, '"2024-11"', "4321.5"];
    const aliceSees = new Map<string, string>();
    for (const list of lists) {
      const deadline = Date.now() + 10_000;
      let body = "";
      for (;;) {
        const res = await aliceApi(`/api/v1${list}`);
        expect({ list, status: res.status }).toEqual({ list, status: 200 });
        body = await res.text();
        if (TENANT_INDEPENDENT.has(list) || named.some((m) => body.includes(m)) || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      aliceSees.set(list, body);
    }

    // What identifies A: the tag, A's names, the 2024-11 invoice, the cap, and the id of every row
    // of every table that carries a tenantId (found in the schema, so new tables count too).
    const tables = await database.db.$queryRaw<{ table: string }[]>`
      SELECT c.table_name AS table FROM information_schema.columns c
      JOIN information_schema.columns t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.column_name = 'tenantId'
      WHERE c.table_schema = current_schema() AND c.column_name = 'id' AND c.data_type = 'uuid'`;
    expect(tables.map((t) => t.table)).toEqual(expect.arrayContaining(["App", "Version", "Deployment", "ApiToken", "KvStore", "SavedRequest", "Invoice", "RequestRecord"]));
    const ids = [tenant.id];
    for (const { table } of tables) {
      const rows = await database.db.$queryRawUnsafe<{ id: string }[]>(`SELECT id::text AS id FROM "${table}" WHERE "tenantId" = $1::uuid`, tenant.id);
      ids.push(...rows.map((r) => r.id));
    }
    const markers = [...named, ...ids];

    for (const list of lists) {
      const seen = aliceSees.get(list)!;
      // Each list route shows something of A's to A, or the check on B below would prove nothing.
      if (!TENANT_INDEPENDENT.has(list)) expect(markers.filter((m) => seen.includes(m)), `A's ${list} shows A's items`).not.toEqual([]);
      const res = await bobApi(`/api/v1${list}`);
      expect({ list, status: res.status }).toEqual({ list, status: 200 });
      const body = await res.text();
      expect({ list, leaked: markers.filter((m) => body.includes(m)) }).toEqual({ list, leaked: [] });
    }
  });

  it("lists every route file of the API in API_ROUTES, so the walk above misses none", async () => {
    const dir = path.join(ROOT, "app/api/v1");
    const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith("route.ts"));
    const declared = new Set(API_ROUTES.map((r) => `${r.method} ${r.path}`));
    for (const file of files) {
      const source = await readFile(path.join(dir, file), "utf8");
      const routePath = "/" + path.dirname(file).replace(/\[\.\.\.(\w+)\]/g, "{$1}").replace(/\[(\w+)\]/g, "{$1}");
      for (const [, method] of source.matchAll(/export (?:const|async function|function) (GET|POST|DELETE|PUT|PATCH)\b/g)) {
        expect(declared, `${method} ${routePath} (${file})`).toContain(`${method} ${routePath.replace(/\/$/, "")}`);
      }
    }
  });

  it("answers every route whose shape API_ROUTES declares (lib/api-shapes) with JSON of that shape", async () => {
    const checked = new Set<string>();
    /** Calls the route, expects its success status, and parses the answer with the route's declared shape. */
    async function answerOf(method: string, template: string, path: string, init: RequestInit = {}, call = aliceApi) {
      const route = API_ROUTES.find((r) => r.method === method && r.path === template)!;
      const res = await call(`/api/v1${path}`, { method, ...init });
      expect(res.status, `${method} ${path}`).toBe(route.status);
      const parsed = route.response!.safeParse(await res.json());
      expect(parsed.error?.issues ?? [], `${method} ${template}`).toEqual([]);
      checked.add(`${method} ${template}`);
    }
    const publicFetch = (url: string, init?: RequestInit) => fetch(`${platform.consoleUrl}${url}`, init);
    const jsonBody = (body: unknown) => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    await answerOf("POST", "/signup", "/signup", jsonBody(newTestAccount()), publicFetch);
    await answerOf("POST", "/login", "/login", jsonBody({ email: aliceAccount.email, password: aliceAccount.password, name: "shapes" }), publicFetch);
    await answerOf("POST", "/apps", "/apps", jsonBody({ name: "shapes", template: "hello-wat" }));
    await answerOf("GET", "/apps", "/apps");
    await answerOf("POST", "/apps/{app}/versions", "/apps/shapes/versions", { body: publishForm("0.0.1", await fixture("hello-wat")) });
    await aliceApi("/api/v1/apps/shapes/versions", { method: "POST", body: publishForm("0.0.2", await fixture("hello-wat")) });
    await answerOf("GET", "/apps/{app}/versions", "/apps/shapes/versions");
    await answerOf("GET", "/apps/{app}/versions/{version}", "/apps/shapes/versions/0.0.1");
    await answerOf("GET", "/apps/{app}/versions/{version}/files", "/apps/shapes/versions/0.0.1/files");
    await answerOf("POST", "/apps/{app}/deployments", "/apps/shapes/deployments", jsonBody({ version: "0.0.1" }));
    await aliceApi("/api/v1/apps/shapes/deployments", { method: "POST", ...jsonBody({ version: "0.0.2" }) });
    await answerOf("POST", "/apps/{app}/rollback", "/apps/shapes/rollback", jsonBody({}));
    await answerOf("GET", "/apps/{app}/deployments", "/apps/shapes/deployments");
    await answerOf("GET", "/apps/{app}", "/apps/shapes");
    await answerOf("GET", "/apps/{app}/source", "/apps/shapes/source");
    await answerOf("PUT", "/apps/{app}/source", "/apps/shapes/source", jsonBody({ files: { "main.wat": "(module)" }, revision: 0 }));
    await answerOf("GET", "/apps/{app}/source", "/apps/shapes/source");
    await answerOf("POST", "/tokens", "/tokens", jsonBody({ name: "shapes", scope: "read" }));
    await answerOf("GET", "/tokens", "/tokens");
    await answerOf("GET", "/templates", "/templates");
    await answerOf("GET", "/templates/{id}", "/templates/hello-wat?app=shapes");
    await answerOf("PUT", "/apps/{app}/kv/entry", "/apps/shapes/kv/entry?key=greeting", { ...jsonBody({ value: "hi", ttlSeconds: 60 }) });
    await answerOf("PUT", "/apps/{app}/kv/entry", "/apps/shapes/kv/entry?key=bin", { ...jsonBody({ value: "AP8=", encoding: "base64" }) });
    await answerOf("GET", "/apps/{app}/kv/entry", "/apps/shapes/kv/entry?key=bin");
    await answerOf("POST", "/apps/{app}/kv/increment", "/apps/shapes/kv/increment?key=count", jsonBody({ by: 2 }));
    await answerOf("GET", "/apps/{app}/kv", "/apps/shapes/kv?limit=1");
    await answerOf("GET", "/apps/{app}/kv/usage", "/apps/shapes/kv/usage");
    await answerOf("PUT", "/apps/{app}/env/{name}", "/apps/shapes/env/GREETING?environment=preview", jsonBody({ value: "hello" }));
    await answerOf("PUT", "/apps/{app}/env/{name}", "/apps/shapes/env/API_KEY", jsonBody({ value: "sk_test", secret: true }));
    await answerOf("GET", "/apps/{app}/env", "/apps/shapes/env?environment=preview");
    await answerOf("GET", "/apps/{app}/env", "/apps/shapes/env");
    // The same module with a yearly schedule (it never comes due during the test).
    await aliceApi("/api/v1/apps/shapes/versions", { method: "POST", body: publishForm("0.0.3", await fixture("hello-wat"), "schedules:\n  - cron: '0 0 1 1 *'\n    path: /tick\n") });
    await aliceApi("/api/v1/apps/shapes/deployments", { method: "POST", ...jsonBody({ version: "0.0.3" }) });
    await answerOf("GET", "/apps/{app}/schedules", "/apps/shapes/schedules");
    await answerOf("POST", "/apps/{app}/schedules/runs", "/apps/shapes/schedules/runs", jsonBody({ key: "POST /tick 0 0 1 1 *" }));
    await eventually(appUrl(platform.gatewayUrl, aliceAccount.tenant, "shapes"), (status) => status === 200);
    let logged: { logs: { requestId: string }[] } = { logs: [] };
    for (const deadline = Date.now() + 10_000; logged.logs.length === 0 && Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      logged = await (await aliceApi("/api/v1/apps/shapes/logs")).json();
    }
    await answerOf("GET", "/apps/{app}/logs", "/apps/shapes/logs?level=request");
    await answerOf("GET", "/logs", "/logs?level=request");
    await answerOf("GET", "/apps/{app}/logs/requests/{requestId}", `/apps/shapes/logs/requests/${logged.logs[0]?.requestId}`);
    await answerOf("GET", "/billing", "/billing");
    await answerOf("PUT", "/billing/cap", "/billing/cap", jsonBody({ cap: 50, mode: "alert" }));
    await answerOf("GET", "/billing", "/billing");
    await answerOf("PUT", "/billing/cap", "/billing/cap", jsonBody({ cap: null }));
    await answerOf("PUT", "/apps/{app}/requests/{name}", "/apps/shapes/requests/items", jsonBody({ method: "POST", path: "/items?id=3", headers: [["x-test", "1"]], body: "{}" }));
    await answerOf("GET", "/apps/{app}/requests", "/apps/shapes/requests");
    // Bob's token: API tokens outlive "sign out everywhere", and Alice's console session stays for the tests after this one.
    await answerOf("DELETE", "/account/sessions", "/account/sessions", {}, bobApi);
    await answerOf("POST", "/apps/{app}/kv/delete-prefix", "/apps/shapes/kv/delete-prefix", jsonBody({ prefix: "greet" }));
    await answerOf("GET", "/apps/{app}/metrics", "/apps/shapes/metrics?window=1h");
    await answerOf("GET", "/usage", "/usage");

    // Carol's own account: she has a closed month with usage (so an invoice), and changes her password.
    const carol = new ConsoleClient(platform.consoleUrl);
    const carolAccount = await carol.signUp();
    // As the console calls: the session cookie, from the console's own origin.
    const carolCall = (url: string, init: RequestInit = {}) => carol.fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), origin: platform.consoleUrl } });
    expect((await carolCall("/api/v1/apps", { method: "POST", ...jsonBody({ name: "billed", template: "hello-wat" }) })).status).toBe(201);
    const billed = await database.db.app.findFirstOrThrow({ where: { name: "billed", tenant: { name: carolAccount.tenant } } });
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    await database.db.tenant.update({ where: { id: billed.tenantId }, data: { createdAt: lastMonth } });
    await database.db.usageDaily.create({ data: { tenantId: billed.tenantId, appId: billed.id, day: lastMonth, requests: 3_000_000n, gbSeconds: 12.5, cpuMs: 900, egressBytes: 4096n, kvOps: 7n } });
    await answerOf("GET", "/usage", `/usage?month=${lastMonth.toISOString().slice(0, 7)}`, {}, carolCall);
    await answerOf("GET", "/billing/invoices", "/billing/invoices", {}, carolCall);
    await answerOf("GET", "/billing/invoices/{month}", `/billing/invoices/${lastMonth.toISOString().slice(0, 7)}`, {}, carolCall);
    await answerOf("PUT", "/account/password", "/account/password", jsonBody({ currentPassword: carolAccount.password, newPassword: `${carolAccount.password}-new` }), carolCall);
    // Teams: Carol invites Dave, who joins, lists his tenants and switches back to his own.
    const dave = new ConsoleClient(platform.consoleUrl);
    const daveAccount = await dave.signUp();
    const daveCall = (url: string, init: RequestInit = {}) => dave.fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), origin: platform.consoleUrl } });
    await answerOf("POST", "/invitations", "/invitations", jsonBody({ email: daveAccount.email, role: "developer" }), carolCall);
    const { token: inviteToken } = await (await carolCall("/api/v1/invitations", { method: "POST", ...jsonBody({ email: daveAccount.email, role: "viewer" }) })).json();
    await answerOf("GET", "/invitations", "/invitations", {}, carolCall);
    await answerOf("POST", "/invitations/accept", "/invitations/accept", jsonBody({ token: inviteToken }), daveCall);
    await answerOf("GET", "/me/tenants", "/me/tenants", {}, daveCall);
    await answerOf("GET", "/members", "/members", {}, carolCall);
    const daveId = (await (await carolCall("/api/v1/members")).json()).members.find((m: { email: string }) => m.email === daveAccount.email).userId;
    await answerOf("PUT", "/members/{userId}", `/members/${daveId}`, jsonBody({ role: "developer" }), carolCall);
    await answerOf("PUT", "/session/tenant", "/session/tenant", jsonBody({ tenant: daveAccount.tenant }), daveCall);
    expect([...checked].sort()).toEqual(API_ROUTES.filter((r) => r.response).map((r) => `${r.method} ${r.path}`).sort());
  });

  it("serves an OpenAPI document of the API", async () => {
    const doc = await (await fetch(`${platform.consoleUrl}/api/v1/openapi.json`)).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/apps/{app}/deployments"].post.requestBody.content["application/json"].schema.properties).toHaveProperty("version");
    // The public routes: no security requirement, their bodies described.
    expect(doc.paths["/signup"].post).toMatchObject({ security: [], requestBody: { content: { "application/json": { schema: { required: ["email", "password", "tenant"] } } } } });
    expect(doc.paths["/login"].post.security).toEqual([]);
    expect(Object.keys(doc.paths["/login"].post.requestBody.content["application/json"].schema.properties)).toEqual(["email", "password", "name", "scope", "tenant"]);
  });
});
