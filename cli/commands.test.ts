// The commands against a fake console: the requests they make, what they print, and the exit
// codes scripts rely on.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT, exitCodeForStatus } from "./exit-codes";
import { cliSandbox, EMPTY_WASM, runCli, sendError, sendJson, startFakeServer, versionView } from "./test-support";

const sandbox = cliSandbox();
const serve = sandbox.serve;

const NOW = "2025-11-26T01:40:00.000Z";
const app = (name: string, live: string | null = null) => ({
  name,
  template: null,
  createdAt: NOW,
  gatewayUrl: `http://${name}--acme.gw.test/`,
  live: live ? { route: "", version: live, deployedAt: NOW, url: `http://${name}--acme.gw.test/` } : null,
  routes: live ? [{ route: "", version: live, deployedAt: NOW, url: `http://${name}--acme.gw.test/` }] : [],
});
const version = versionView;

describe("exit codes", () => {
  it("map HTTP statuses as documented", () => {
    expect([401, 403, 404, 409, 413, 422, 400, 429, 500, 503].map(exitCodeForStatus)).toEqual([3, 3, 4, 5, 6, 6, 1, 1, 1, 1]);
  });

  it.each([
    [401, "UNAUTHORIZED", EXIT.UNAUTHENTICATED],
    [403, "FORBIDDEN", EXIT.UNAUTHENTICATED],
    [404, "NOT_FOUND", EXIT.NOT_FOUND],
    [409, "CONFLICT", EXIT.CONFLICT],
    [413, "PAYLOAD_TOO_LARGE", EXIT.VALIDATION],
    [422, "UNPROCESSABLE", EXIT.VALIDATION],
    [500, "INTERNAL", EXIT.ERROR],
  ])("a %i %s answer exits %i, with the server's message on stderr and as JSON with --json", async (status, code, exit) => {
    const env = await serve((_req, res) => sendError(res, status, code, `the server says ${code}`, "name"));
    const human = await runCli(["apps"], { env });
    expect(human.code).toBe(exit);
    expect(human.stderr).toBe(`error: the server says ${code}\n`);
    expect(human.stdout).toBe("");
    const json = await runCli(["apps", "--json"], { env });
    expect(json.code).toBe(exit);
    expect(JSON.parse(json.stdout)).toEqual({ error: { code, message: `the server says ${code}`, status, field: "name", exitCode: exit } });
  });

  it("exits 1 with a clear message when the console cannot be reached", async () => {
    const closed = await startFakeServer(() => {});
    await closed.close();
    const r = await runCli(["apps"], { env: { WASMCOMPUTE_URL: closed.url, WASMCOMPUTE_TOKEN: "wc_x", WASMCOMPUTE_CONFIG: path.join(sandbox.dir, "c.json") } });
    expect(r.code).toBe(EXIT.ERROR);
    expect(r.stderr).toContain(`Could not reach the console at ${closed.url} (ECONNREFUSED)`);
  });

  it("exits 1 on a non-JSON error page, naming the status", async () => {
    const env = await serve((_req, res) => res.writeHead(502).end("<html>bad gateway</html>"));
    const r = await runCli(["apps"], { env });
    expect(r.code).toBe(EXIT.ERROR);
    expect(r.stderr).toMatch(/HTTP 502/);
  });

  it("exits 2 on usage errors, before any request", async () => {
    const env = await serve((_req, res) => sendJson(res, 200, { apps: [] }));
    expect((await runCli([], { env })).code).toBe(EXIT.USAGE);
    expect((await runCli(["frobnicate"], { env })).stderr).toMatch(/Unknown command "frobnicate"/);
    expect((await runCli(["apps", "--nope"], { env })).stderr).toMatch(/Unknown option --nope for apps/);
    expect((await runCli(["deploy"], { env })).stderr).toMatch(/Missing <version>/);
    expect((await runCli(["publish", "not-semver", "--app", "x"], { env })).code).toBe(EXIT.USAGE);
    const del = await runCli(["delete", "hello"], { env });
    expect(del.code).toBe(EXIT.USAGE);
    expect(del.stderr).toMatch(/--yes/);
    const noApp = await runCli(["versions"], { env, cwd: sandbox.dir });
    expect(noApp.code).toBe(EXIT.USAGE);
    expect(noApp.stderr).toMatch(/Which app\?/);
    expect(sandbox.server.requests).toHaveLength(0);
  });

  it("exits 3 when not logged in", async () => {
    const r = await runCli(["apps"], { env: { WASMCOMPUTE_CONFIG: path.join(sandbox.dir, "none.json") } });
    expect(r.code).toBe(EXIT.UNAUTHENTICATED);
    expect(r.stderr).toMatch(/Not logged in/);
  });
});

describe("login", () => {
  it("checks the token with GET /api/v1/apps and saves url and token with mode 0600", async () => {
    const env = await serve((req, res) =>
      req.headers.authorization === "Bearer wc_good" ? sendJson(res, 200, { apps: [app("a")] }) : sendError(res, 401, "UNAUTHORIZED", "The API token is invalid or revoked."),
    );
    const config = path.join(sandbox.dir, "cfg", "config.json");
    const ok = await runCli(["login", "--url", `${sandbox.server.url}/`, "--token", "wc_good"], { env: { WASMCOMPUTE_CONFIG: config } });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Logged in to http:\/\/127\.0\.0\.1:\d+ \(1 app\)/);
    expect(sandbox.server.requests[0]).toMatchObject({ method: "GET", path: "/api/v1/apps" });
    expect(JSON.parse(await readFile(config, "utf8"))).toEqual({ url: sandbox.server.url, token: "wc_good" });
    expect((await stat(config)).mode & 0o777).toBe(0o600);

    const bad = await runCli(["login", "--url", sandbox.server.url, "--token", "wc_bad"], { env: { WASMCOMPUTE_CONFIG: config } });
    expect(bad.code).toBe(EXIT.UNAUTHENTICATED);
    expect(bad.stderr).toMatch(/rejected the token: The API token is invalid or revoked/);
    expect(JSON.parse(await readFile(config, "utf8")).token).toBe("wc_good"); // unchanged

    // The saved login is what later commands use.
    const list = await runCli(["apps", "--json"], { env: { WASMCOMPUTE_CONFIG: config } });
    expect(JSON.parse(list.stdout).apps[0].name).toBe("a");
    expect(env.WASMCOMPUTE_URL).toBeDefined();
  });

  it("reads the token from stdin when --token is not given", async () => {
    await serve((_req, res) => sendJson(res, 200, { apps: [] }));
    const config = path.join(sandbox.dir, "config.json");
    const r = await runCli(["login", "--url", sandbox.server.url], { env: { WASMCOMPUTE_CONFIG: config }, stdin: "wc_from_stdin\n" });
    expect(r.code).toBe(0);
    expect(JSON.parse(await readFile(config, "utf8")).token).toBe("wc_from_stdin");
    expect(sandbox.server.requests[0]!.headers.authorization).toBe("Bearer wc_from_stdin");
  });
});

describe("publish", () => {
  it("streams version, module, manifest and files as multipart with a Content-Length, and prints the hashes", async () => {
    const module = Buffer.concat([EMPTY_WASM, randomBytes(20 * 1024 * 1024)]);
    await writeFile(path.join(sandbox.dir, "wasmcompute.yaml"), "name: hello\nmodule: build/app.wasm\nfiles:\n  - static\n");
    await mkdir(path.join(sandbox.dir, "build"));
    await mkdir(path.join(sandbox.dir, "static", "css"), { recursive: true });
    await writeFile(path.join(sandbox.dir, "build", "app.wasm"), module);
    await writeFile(path.join(sandbox.dir, "static", "index.html"), "<h1>hi</h1>");
    await writeFile(path.join(sandbox.dir, "static", "css", "site.css"), "h1{}");

    let received: FormData | undefined;
    const env = await serve(async (req, res) => {
      if (req.method === "GET") return sendError(res, 404, "NOT_FOUND", "No version 0.0.1 of app hello.");
      received = await new Response(new Uint8Array(req.body), { headers: { "content-type": req.headers["content-type"]! } }).formData();
      sendJson(res, 201, { version: { ...version("0.0.1"), moduleSize: module.length } });
    });
    const r = await runCli(["publish", "0.0.1"], { env, cwd: sandbox.dir });
    expect(r.stderr).toMatch(/Publishing hello 0\.0\.1: app\.wasm \(20\.0 MiB\) \+ 2 files/);
    expect(r.stderr).toMatch(/uploading .* \/ 20\.0 MiB \(100%\)/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Published hello 0.0.1`);
    expect(r.stdout).toContain(`sha256:${"a".repeat(64)}`);

    // It asks whether the number is taken first, then names it in the URL of the upload.
    expect(sandbox.server.requests[0]).toMatchObject({ method: "GET", path: "/api/v1/apps/hello/versions/0.0.1" });
    const req = sandbox.server.requests[1]!;
    expect(req).toMatchObject({ method: "POST", path: "/api/v1/apps/hello/versions?version=0.0.1" });
    expect(Number(req.headers["content-length"])).toBe(req.body.length);
    expect(req.headers.authorization).toBe("Bearer wc_test");
    expect(received!.get("version")).toBe("0.0.1");
    const mod = received!.get("module") as File;
    expect(createHash("sha256").update(new Uint8Array(await mod.arrayBuffer())).digest("hex")).toBe(createHash("sha256").update(module).digest("hex"));
    expect(await (received!.get("manifest") as File).text()).toMatch(/^name: hello/);
    expect((received!.getAll("files") as File[]).map((f) => f.name)).toEqual(["static/css/site.css", "static/index.html"]);
  });

  it("uploads a .wat module as it is (the server compiles it)", async () => {
    const wat = '(module (memory (export "memory") 1) (func (export "_start")))\n';
    await writeFile(path.join(sandbox.dir, "wasmcompute.yaml"), "name: hello\nmodule: app.wat\n");
    await writeFile(path.join(sandbox.dir, "app.wat"), wat);
    let received: FormData | undefined;
    const env = await serve(async (req, res) => {
      if (req.method === "GET") return sendError(res, 404, "NOT_FOUND", "No such version.");
      received = await new Response(new Uint8Array(req.body), { headers: { "content-type": req.headers["content-type"]! } }).formData();
      sendJson(res, 201, { version: version("0.0.1") });
    });
    const r = await runCli(["publish", "0.0.1"], { env, cwd: sandbox.dir });
    expect(r.code).toBe(0);
    const module = received!.get("module") as File;
    expect(module.name).toBe("app.wat");
    expect(await module.text()).toBe(wat);
  });

  it("prints the server's version as JSON with --json", async () => {
    await writeFile(path.join(sandbox.dir, "wasmcompute.yaml"), "module: app.wasm\n");
    await writeFile(path.join(sandbox.dir, "app.wasm"), EMPTY_WASM);
    const env = await serve((req, res) => (req.method === "GET" ? sendError(res, 404, "NOT_FOUND", "No such version.") : sendJson(res, 201, { version: version("1.2.3") })));
    const r = await runCli(["publish", "1.2.3", "--app", "other", "--json"], { env, cwd: sandbox.dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ version: "1.2.3", moduleSha256: "a".repeat(64) });
    expect(sandbox.server.requests[1]!.path).toBe("/api/v1/apps/other/versions?version=1.2.3");
  });

  it("exits 5 when the version exists and 6 on a bad manifest, a mismatched name or a server validation error", async () => {
    await writeFile(path.join(sandbox.dir, "wasmcompute.yaml"), "name: hello\nmodule: app.wasm\n");
    await writeFile(path.join(sandbox.dir, "app.wasm"), EMPTY_WASM);
    const env = await serve((req, res) => {
      if (req.method === "GET") return req.path.includes("/exists/") ? sendJson(res, 200, { version: { ...version("0.0.1"), files: [] } }) : sendError(res, 404, "NOT_FOUND", "No such version.");
      sendError(res, 422, "UNPROCESSABLE", "module: imports env.open_socket, which is not offered", "module");
    });
    const invalid = await runCli(["publish", "0.0.1", "--app", "hello", "--dir", sandbox.dir], { env, cwd: "/" });
    expect(invalid.code).toBe(EXIT.VALIDATION);
    expect(invalid.stderr).toMatch(/imports env\.open_socket/);

    const mismatch = await runCli(["publish", "0.0.1", "--app", "exists"], { env, cwd: sandbox.dir });
    expect(mismatch.code).toBe(EXIT.VALIDATION);
    expect(mismatch.stderr).toMatch(/name: "hello" does not match the app "exists"/);

    await writeFile(path.join(sandbox.dir, "wasmcompute.yaml"), "module: app.wasm\n");
    const exists = await runCli(["publish", "0.0.1", "--app", "exists"], { env, cwd: sandbox.dir });
    expect(exists.code).toBe(EXIT.CONFLICT);
    expect(exists.stderr).toMatch(/Version 0\.0\.1 of "exists" already exists and versions are immutable/);
    // Refused before the upload: the last request is the question, no POST followed it.
    expect(sandbox.server.requests.at(-1)).toMatchObject({ method: "GET", path: "/api/v1/apps/exists/versions/0.0.1" });

    await writeFile(path.join(sandbox.dir, "wasmcompute.yaml"), "module: [\n");
    const bad = await runCli(["publish", "0.0.2", "--app", "exists"], { env, cwd: sandbox.dir });
    expect(bad.code).toBe(EXIT.VALIDATION);
    expect(bad.stderr).toMatch(/wasmcompute\.yaml:\d+:\d+: invalid YAML/);
  });
});

describe("publish a component", () => {
  it("uploads the component as it is, prints its kind and both hashes, and prints the server's refusal of another", async () => {
    const component = await readFile(path.join(import.meta.dirname, "..", "fixtures", "component", "hello.component.wasm"));
    const sha = createHash("sha256").update(component).digest("hex");
    await writeFile(path.join(sandbox.dir, "wasmcompute.yaml"), "name: comp\nmodule: app.wasm\n");
    await writeFile(path.join(sandbox.dir, "app.wasm"), component);
    let received: Buffer | undefined;
    const refusal =
      "The component imports wasi:sockets/tcp@0.2.0, which WasmCompute does not provide. Components may import (any 0.2.x version): wasi:http/types, wasi:io/streams.";
    const env = await serve(async (req, res) => {
      if (req.method === "GET") return sendError(res, 404, "NOT_FOUND", "No such version.");
      if (req.path.includes("version=0.0.2")) return sendError(res, 422, "UNPROCESSABLE", refusal, "module");
      const form = await new Response(new Uint8Array(req.body), { headers: { "content-type": req.headers["content-type"]! } }).formData();
      received = Buffer.from(await (form.get("module") as File).arrayBuffer());
      const world = { imports: ["wasi:http/types@0.2.0"], exports: ["wasi:http/incoming-handler@0.2.0"] };
      sendJson(res, 201, { version: { ...version("0.0.1"), kind: "component", component: { sourceSha256: sha, sourceSize: component.length, ...world } } });
    });

    const r = await runCli(["publish", "0.0.1"], { env, cwd: sandbox.dir });
    expect(r.code).toBe(0);
    expect(received!.equals(component)).toBe(true);
    expect(r.stdout).toMatch(/kind\s+Component \(wasi:http 0\.2\)/);
    expect(r.stdout).toMatch(new RegExp(`component\\s+sha256:${sha}\\s+\\(7\\.3 KiB\\)`));
    expect(r.stdout).toMatch(new RegExp(`artifact\\s+sha256:${"a".repeat(64)}`));

    const refused = await runCli(["publish", "0.0.2"], { env, cwd: sandbox.dir });
    expect(refused.code).toBe(EXIT.VALIDATION);
    expect(refused.stderr).toContain(refusal);
  });

  it("reads a server from before components as serving modules", async () => {
    await writeFile(path.join(sandbox.dir, "wasmcompute.yaml"), "name: old\nmodule: app.wasm\n");
    await writeFile(path.join(sandbox.dir, "app.wasm"), EMPTY_WASM);
    // An answer without `kind` and `component`, as servers before components sent it.
    const before = Object.fromEntries(Object.entries(version("0.0.1")).filter(([key]) => key !== "kind" && key !== "component"));
    const env = await serve((req, res) => (req.method === "GET" ? sendError(res, 404, "NOT_FOUND", "No such version.") : sendJson(res, 201, { version: before })));
    const r = await runCli(["publish", "0.0.1"], { env, cwd: sandbox.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kind\s+Module \(WASI preview1\)/);
    expect(r.stdout).toMatch(/module\s+sha256:a{64}/);
  });
});

describe("deploy, rollback, undeploy", () => {
  it("deploys with route and unsafe, then prints where the route answers", async () => {
    const env = await serve((req, res) => {
      if (req.method === "POST") return sendJson(res, 201, { deployment: { id: "d1", version: "0.0.2", route: "v/0.0.2", kind: "deploy", createdAt: NOW, active: true } });
      sendJson(res, 200, { app: { ...app("hello"), routes: [{ route: "v/0.0.2", version: "0.0.2", deployedAt: NOW, url: "http://hello--acme.gw.test/v/0.0.2/" }] } });
    });
    const r = await runCli(["deploy", "0.0.2", "--app", "hello", "--route", "v/0.0.2", "--unsafe"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("Deployed hello 0.0.2 on v/0.0.2: http://hello--acme.gw.test/v/0.0.2/\n");
    expect(JSON.parse(sandbox.server.requests[0]!.body.toString())).toEqual({ version: "0.0.2", route: "v/0.0.2", unsafe: true });
    expect(sandbox.server.requests[0]!.path).toBe("/api/v1/apps/hello/deployments");
  });

  it("takes the app from wasmcompute.yaml in the current folder", async () => {
    await writeFile(path.join(sandbox.dir, "wasmcompute.yaml"), "name: from-manifest\nmodule: app.wasm\n");
    const env = await serve((req, res) =>
      req.method === "POST"
        ? sendJson(res, 201, { deployment: { id: "d", version: "0.0.1", route: "", kind: "rollback", createdAt: NOW, active: true } })
        : sendJson(res, 200, { app: app("from-manifest", "0.0.1") }),
    );
    const r = await runCli(["rollback", "--json"], { env, cwd: sandbox.dir });
    expect(r.code).toBe(0);
    expect(sandbox.server.requests[0]).toMatchObject({ method: "POST", path: "/api/v1/apps/from-manifest/rollback" });
    expect(JSON.parse(r.stdout)).toMatchObject({ deployment: { version: "0.0.1", route: "" }, url: "http://from-manifest--acme.gw.test/" });
  });

  it("exits 5 when an unsafe deploy needs --unsafe, and says so", async () => {
    const env = await serve((_req, res) => sendError(res, 409, "CONFLICT", "Version 0.0.2 has different static files from the live 0.0.1.", "unsafe"));
    const r = await runCli(["deploy", "0.0.2", "--app", "hello"], { env });
    expect(r.code).toBe(EXIT.CONFLICT);
    expect(r.stderr).toMatch(/different static files[\s\S]*--unsafe/);
  });

  it("undeploys an explicit route as path segments", async () => {
    const env = await serve((_req, res) => res.writeHead(204).end());
    const r = await runCli(["undeploy", "v/0.0.1", "--app", "hello"], { env });
    expect(r.code).toBe(0);
    expect(sandbox.server.requests[0]).toMatchObject({ method: "DELETE", path: "/api/v1/apps/hello/deployments/v/0.0.1" });
  });
});

describe("listing commands", () => {
  it("prints aligned tables", async () => {
    const env = await serve((req, res) => {
      if (req.path === "/api/v1/apps") return sendJson(res, 200, { apps: [app("hello", "0.0.1"), app("a-much-longer-name")] });
      if (req.path === "/api/v1/apps/hello/versions") return sendJson(res, 200, { versions: [{ ...version("0.0.2"), tainted: true, kind: "component" }, { ...version("0.0.1"), live: [""] }] });
      if (req.path === "/api/v1/tokens") return sendJson(res, 200, { tokens: [{ id: "t1", name: "ci", scope: "deploy", prefix: "wc_abcdefg", createdAt: NOW, lastUsedAt: null, revokedAt: null, expiresAt: null }] });
      sendError(res, 404, "NOT_FOUND", "nope");
    });
    const list = await runCli(["apps"], { env });
    const lines = list.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+LIVE\s+ROUTES\s+URL\s+CREATED$/);
    expect(lines[1]!.indexOf("0.0.1")).toBe(lines[0]!.indexOf("LIVE"));
    expect(lines[2]).toMatch(/^a-much-longer-name\s+-\s+-\s+http:\/\/a-much-longer-name--acme\.gw\.test\//);

    const versions = await runCli(["versions", "--app", "hello"], { env });
    expect(versions.stdout).toMatch(/VERSION\s+KIND\s+CREATED\s+SIZE\s+MODULE SHA256\s+TAINTED\s+LIVE ON/);
    expect(versions.stdout).toMatch(/0\.0\.2\s+component .* aaaaaaaaaaaa\s+yes/);
    // An answer without a kind (a server from before components) lists a module.
    expect(versions.stdout).toMatch(/0\.0\.1\s+module .* aaaaaaaaaaaa\s+-\s+\(default\)/);

    const tokens = await runCli(["tokens", "--json"], { env });
    expect(JSON.parse(tokens.stdout).tokens[0].name).toBe("ci");
  });

  it("creates a token (secret alone on stdout) and revokes one", async () => {
    const env = await serve((req, res) => {
      if (req.method === "POST") {
        const { name, scope, expiresInDays } = JSON.parse(req.body.toString());
        const expiresAt = expiresInDays ? "2030-01-31T12:00:00.000Z" : null;
        return sendJson(res, 201, { token: { id: "t2", name, scope, prefix: "wc_newtoke", createdAt: NOW, lastUsedAt: null, revokedAt: null, expiresAt }, secret: "wc_newtoken" });
      }
      res.writeHead(204).end();
    });
    const created = await runCli(["tokens", "create", "ci", "--scope", "read"], { env });
    expect(created.code).toBe(0);
    expect(created.stdout).toBe("wc_newtoken\n");
    expect(created.stderr).toMatch(/shown only once/);
    expect(JSON.parse(sandbox.server.requests[0]!.body.toString())).toEqual({ name: "ci", scope: "read" });
    expect((await runCli(["tokens", "create", "ci", "--scope", "root"], { env })).code).toBe(EXIT.USAGE);
    const expiring = await runCli(["tokens", "create", "ci", "--expires-in-days", "30"], { env });
    expect(expiring.code).toBe(0);
    expect(expiring.stderr).toMatch(/expires 2030-01-31/);
    expect(JSON.parse(sandbox.server.requests.at(-1)!.body.toString())).toEqual({ name: "ci", scope: "deploy", expiresInDays: 30 });
    expect((await runCli(["tokens", "create", "ci", "--expires-in-days", "soon"], { env })).code).toBe(EXIT.USAGE);
    const revoked = await runCli(["tokens", "revoke", "t2", "--json"], { env });
    expect(JSON.parse(revoked.stdout)).toEqual({ revoked: "t2" });
    expect(sandbox.server.requests.at(-1)).toMatchObject({ method: "DELETE", path: "/api/v1/tokens/t2" });
  });

  it("deletes only with --yes", async () => {
    const env = await serve((_req, res) => res.writeHead(204).end());
    const r = await runCli(["delete", "hello", "--yes"], { env });
    expect(r.code).toBe(0);
    expect(sandbox.server.requests[0]).toMatchObject({ method: "DELETE", path: "/api/v1/apps/hello" });
  });
});

describe("logs", () => {
  it("says logs are not available when the server has no logs route", async () => {
    const env = await serve((req, res) => {
      if (req.path === "/api/v1/apps/hello") return sendJson(res, 200, { app: app("hello") });
      res.writeHead(404, { "content-type": "text/html" }).end("<html>404</html>");
    });
    const r = await runCli(["logs", "--app", "hello"], { env });
    expect(r.code).toBe(EXIT.ERROR);
    expect(r.stderr).toMatch(/Logs are not available on this server yet/);
  });

  it("is not found (exit 4) when the app does not exist", async () => {
    const env = await serve((_req, res) => sendError(res, 404, "NOT_FOUND", 'App "nope" not found.'));
    const r = await runCli(["logs", "--app", "nope"], { env });
    expect(r.code).toBe(EXIT.NOT_FOUND);
    expect(r.stderr).toMatch(/App "nope" not found/);
  });

  it("prints entries oldest first", async () => {
    const env = await serve((_req, res) =>
      sendJson(res, 200, { logs: [{ time: "2025-01-01T00:00:02Z", level: "stderr", message: "second" }, { time: "2025-01-01T00:00:01Z", level: "info", message: "first" }] }),
    );
    const r = await runCli(["logs", "--app", "hello"], { env });
    expect(r.stdout).toBe("2025-01-01T00:00:01Z  info  first\n2025-01-01T00:00:02Z  stderr  second\n");
  });
});

describe("new", () => {
  it("creates the app, then writes the template's files without overwriting anything", async () => {
    const wasm = EMPTY_WASM.toString("base64");
    const env = await serve((req, res) => {
      if (req.path.startsWith("/api/v1/templates/hello-wat?app=hello")) {
        return sendJson(res, 200, {
          template: { id: "hello-wat", title: "Hello world (WebAssembly text)", description: "The smallest WAGI function.", language: "wat" },
          files: [
            { path: "wasmcompute.yaml", contentBase64: Buffer.from("name: hello\nmodule: app.wasm\n").toString("base64") },
            { path: "src/hello.wat", contentBase64: Buffer.from("(module)").toString("base64") },
            { path: "app.wasm", contentBase64: wasm },
          ],
        });
      }
      if (req.path === "/api/v1/apps" && req.method === "POST") return sendJson(res, 201, { app: app("hello") });
      sendError(res, 404, "NOT_FOUND", `Template not found`);
    });
    const r = await runCli(["new", "hello", "--template", "hello-wat"], { env, cwd: sandbox.dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(sandbox.server.requests.find((q) => q.method === "POST")!.body.toString())).toEqual({ name: "hello", template: "hello-wat" });
    expect(await readFile(path.join(sandbox.dir, "hello", "wasmcompute.yaml"), "utf8")).toBe("name: hello\nmodule: app.wasm\n");
    expect(await readFile(path.join(sandbox.dir, "hello", "app.wasm"))).toEqual(EMPTY_WASM);
    expect(await readFile(path.join(sandbox.dir, "hello", "README.md"), "utf8")).toMatch(/prebuilt module/);
    expect(r.stdout).toMatch(/Created app hello .* in hello\/: wasmcompute\.yaml, src\/hello\.wat, app\.wasm, README\.md/);

    // Again into the same folder: refused before the app is created on the server.
    const posts = sandbox.server.requests.filter((q) => q.method === "POST").length;
    const again = await runCli(["new", "hello", "--template", "hello-wat"], { env, cwd: sandbox.dir });
    expect(again.code).toBe(EXIT.CONFLICT);
    expect(again.stderr).toMatch(/already exists/);
    expect(sandbox.server.requests.filter((q) => q.method === "POST").length).toBe(posts);

    const unknown = await runCli(["new", "x", "--template", "nope"], { env, cwd: sandbox.dir });
    expect(unknown.code).toBe(EXIT.NOT_FOUND);
  });

  it("writes a starter manifest when the server cannot send template files", async () => {
    const env = await serve((req, res) => {
      if (req.method === "POST") return sendJson(res, 201, { app: app("bare") });
      res.writeHead(404, { "content-type": "text/html" }).end("not here");
    });
    const r = await runCli(["new", "bare", "--dir", "elsewhere"], { env, cwd: sandbox.dir });
    expect(r.code).toBe(0);
    expect(await readFile(path.join(sandbox.dir, "elsewhere", "wasmcompute.yaml"), "utf8")).toMatch(/name: bare\nmodule: app\.wasm/);
    expect(await readFile(path.join(sandbox.dir, "elsewhere", "README.md"), "utf8")).toMatch(/Put your compiled WASI module .* at `app\.wasm`/);
  });
});
