// `login --email` and `signup` against a fake console: where the password comes from (never an
// argument), the requests they make, what they save, and how a refusal reads.
import { EventEmitter } from "node:events";
import { readFile, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXIT } from "../exit-codes";
import { PromptInterrupted, promptHidden } from "../password";
import { runCli, sendError, sendJson, startFakeServer, tempDir, type FakeHandler, type FakeServer, type Recorded } from "../test-support";

let tmp: Awaited<ReturnType<typeof tempDir>>;
let server: FakeServer | undefined;
let config: string;
beforeEach(async () => {
  tmp = await tempDir();
  config = path.join(tmp.dir, "cfg", "config.json");
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await tmp.remove();
});

const NOW = "2025-11-26T01:40:00.000Z";
const PASSWORD = "correct horse 9";
const HOST_TOKEN_NAME = `cli on ${os.hostname()}`.slice(0, 60);
const body = (req: Recorded) => JSON.parse(req.body.toString()) as Record<string, unknown>;
const token = (name: string, scope: string) => ({ id: "tok-1", name, scope, prefix: "wc_newsecr", createdAt: NOW, lastUsedAt: null, revokedAt: null, expiresAt: null });

/** A console that knows one account (ada@example.com / PASSWORD, tenant ada) and counts its apps. */
function fakeConsole(overrides: Partial<Record<string, FakeHandler>> = {}): FakeHandler {
  return (req, res) => {
    const override = overrides[`${req.method} ${req.path}`];
    if (override) return override(req, res);
    if (req.method === "POST" && req.path === "/api/v1/login") {
      const { email, password, name, scope, tenant } = body(req);
      if (email !== "ada@example.com" || password !== PASSWORD) return sendError(res, 401, "UNAUTHORIZED", "Wrong email or password.");
      // Ada owns "ada" (her role's scope: admin here) and is a developer in "acme".
      if (tenant === "acme") return sendJson(res, 201, { token: token(String(name), String(scope ?? "deploy")), secret: "wc_newsecret", tenant, email, role: "developer" });
      if (tenant !== undefined && tenant !== "ada") return sendError(res, 403, "FORBIDDEN", `You are not a member of the tenant "${tenant}". Your tenants: ada, acme.`);
      return sendJson(res, 201, { token: token(String(name), String(scope ?? "admin")), secret: "wc_newsecret", tenant: "ada", email });
    }
    if (req.method === "POST" && req.path === "/api/v1/signup") return sendJson(res, 201, { tenant: body(req).tenant, email: body(req).email });
    if (req.method === "GET" && req.path === "/api/v1/apps") {
      return req.headers.authorization === "Bearer wc_newsecret" ? sendJson(res, 200, { apps: [] }) : sendError(res, 401, "UNAUTHORIZED", "The API token is invalid or revoked.");
    }
    sendError(res, 404, "NOT_FOUND", "nope");
  };
}

async function serve(handler: FakeHandler = fakeConsole()): Promise<string> {
  server = await startFakeServer(handler);
  return server.url;
}

describe("login --email", () => {
  it("asks for the password without echo on a terminal, gets a token with POST /login, checks it and saves it like --token", async () => {
    const url = await serve();
    const r = await runCli(["login", "--url", url, "--email", "ada@example.com"], { env: { WASMCOMPUTE_CONFIG: config }, tty: [PASSWORD] });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.prompts).toEqual(["Password: "]);
    const [login, check] = server!.requests;
    expect(login).toMatchObject({ method: "POST", path: "/api/v1/login" });
    expect(login!.headers.authorization).toBeUndefined();
    // No --scope: the console gives the token the scope of the user's role.
    expect(body(login!)).toEqual({ email: "ada@example.com", password: PASSWORD, name: HOST_TOKEN_NAME });
    expect(check).toMatchObject({ method: "GET", path: "/api/v1/apps", headers: expect.objectContaining({ authorization: "Bearer wc_newsecret" }) });
    expect(JSON.parse(await readFile(config, "utf8"))).toEqual({ url, token: "wc_newsecret" });
    expect((await stat(config)).mode & 0o777).toBe(0o600);
    expect(r.stdout).toBe(
      `Logged in to ${url} as ada@example.com (tenant ada, 0 apps).\n` +
        `New API token "${HOST_TOKEN_NAME}" (admin, wc_newsecr…) saved to ${config}; revoke it with \`wasmcompute tokens revoke tok-1\`.\n`,
    );
    // The password is in no output.
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);

    // The saved login works for the next command.
    expect((await runCli(["apps", "--json"], { env: { WASMCOMPUTE_CONFIG: config } })).code).toBe(0);
  });

  it("reads WASMCOMPUTE_PASSWORD first, else the first line of stdin as typed; sends --scope and --name", async () => {
    const url = await serve();
    const fromEnv = await runCli(["login", "--url", url, "--email", "ada@example.com", "--json"], {
      env: { WASMCOMPUTE_CONFIG: config, WASMCOMPUTE_PASSWORD: PASSWORD },
      tty: [],
      stdin: "not this\n",
    });
    expect(fromEnv.code).toBe(0);
    expect(JSON.parse(fromEnv.stdout)).toEqual({ url, configFile: config, email: "ada@example.com", tenant: "ada", token: token(HOST_TOKEN_NAME, "admin"), apps: 0 });

    const fromStdin = await runCli(["login", "--url", url, "--email", "ada@example.com", "--scope", "deploy", "--name", "ci runner"], {
      env: { WASMCOMPUTE_CONFIG: config },
      stdin: `${PASSWORD}\nsecond line\n`,
    });
    expect(fromStdin.code).toBe(0);
    expect(body(server!.requests.at(-2)!)).toEqual({ email: "ada@example.com", password: PASSWORD, name: "ci runner", scope: "deploy" });
  });

  it("binds the token to --tenant (a tenant the user joined) and says which role it carries", async () => {
    const url = await serve();
    const r = await runCli(["login", "--url", url, "--email", "ada@example.com", "--tenant", "acme"], { env: { WASMCOMPUTE_CONFIG: config }, tty: [PASSWORD] });
    expect(r.code).toBe(0);
    expect(body(server!.requests.find((q) => q.path === "/api/v1/login")!)).toEqual({ email: "ada@example.com", password: PASSWORD, name: HOST_TOKEN_NAME, tenant: "acme" });
    expect(r.stdout).toContain("as ada@example.com (tenant acme, role developer, 0 apps)");
    expect(r.stdout).toContain('(deploy, wc_newsecr…)');
    const refused = await runCli(["login", "--url", url, "--email", "ada@example.com", "--tenant", "other"], { env: { WASMCOMPUTE_CONFIG: config }, tty: [PASSWORD] });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('refused the sign-in: You are not a member of the tenant "other". Your tenants: ada, acme.');
    const misplaced = await runCli(["login", "--url", url, "--token", "wc_x", "--tenant", "acme"], { env: { WASMCOMPUTE_CONFIG: config } });
    expect(misplaced.stderr).toMatch(/--tenant goes with --email/);
  });

  it("takes the URL from the last login when --url is not given", async () => {
    const url = await serve();
    await writeFile(path.join(tmp.dir, "saved.json"), JSON.stringify({ url: `${url}/`, token: "wc_old" }));
    const r = await runCli(["login", "--email", "ada@example.com"], { env: { WASMCOMPUTE_CONFIG: path.join(tmp.dir, "saved.json") }, tty: [PASSWORD] });
    expect(r.code).toBe(0);
    expect(JSON.parse(await readFile(path.join(tmp.dir, "saved.json"), "utf8"))).toEqual({ url, token: "wc_newsecret" });
  });

  it("refuses a password argument, and other bad usage, before any request (exit 2)", async () => {
    const url = await serve();
    const env = { WASMCOMPUTE_CONFIG: config };
    const cases: [string[], RegExp, { stdin?: string; tty?: string[] }?][] = [
      [["login", "--url", url, "--email", "ada@example.com", "--password", PASSWORD], /Passwords are not taken as arguments: shell history and `ps` would show them\.\nType it at the prompt.*WASMCOMPUTE_PASSWORD/],
      [["signup", "--url", url, "--email", "ada@example.com", "--tenant", "ada", "--password", PASSWORD], /Passwords are not taken as arguments/],
      [["login", "--url", url, "--email", "ada@example.com", "--token", "wc_x"], /--token or --email, not both/],
      [["login", "--url", url, "--token", "wc_x", "--scope", "read"], /--scope goes with --email/],
      [["login", "--url", url, "--email", "ada@example.com", "--scope", "root"], /--scope must be one of read, deploy, admin/, { tty: [PASSWORD] }],
      [["login", "--url", url, "--email", "ada@example.com"], /No password: stdin is not a terminal and had none/, { stdin: "" }],
      [["login", "--url", url, "--email", "ada@example.com"], /No password given/, { tty: [""] }],
      [["login", "--email", "ada@example.com"], /Missing --url/, { tty: [PASSWORD] }],
      [["signup", "--url", url, "--tenant", "ada"], /Missing --email/],
      [["signup", "--url", url, "--email", "ada@example.com"], /Missing --tenant/],
      [["signup", "--url", url, "--email", "ada@example.com", "--tenant", "ada"], /The two passwords differ/, { tty: [PASSWORD, "something else 1"] }],
    ];
    for (const [argv, message, io] of cases) {
      const r = await runCli(argv, { env, ...io });
      expect({ argv, code: r.code, stderr: r.stderr }).toEqual({ argv, code: EXIT.USAGE, stderr: expect.stringMatching(message) });
      expect(r.stderr).not.toContain(`error: ${PASSWORD}`);
    }
    expect(server!.requests).toHaveLength(0);
  });

  it("says which console refused a wrong password (exit 3) and saves nothing", async () => {
    const url = await serve();
    const r = await runCli(["login", "--url", url, "--email", "ada@example.com"], { env: { WASMCOMPUTE_CONFIG: config }, tty: ["wrong password 1"] });
    expect(r.code).toBe(EXIT.UNAUTHENTICATED);
    expect(r.stderr).toBe(`error: The console at ${url} refused the sign-in: Wrong email or password.\n`);
    expect(server!.requests.map((q) => q.path)).toEqual(["/api/v1/login"]);
    await expect(stat(config)).rejects.toThrow(/ENOENT/);

    const json = await runCli(["login", "--url", url, "--email", "ada@example.com", "--json"], { env: { WASMCOMPUTE_CONFIG: config }, tty: ["wrong password 1"] });
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: "UNAUTHORIZED", status: 401, exitCode: EXIT.UNAUTHENTICATED });
  });

  it("passes on a lockout or rate limit with when to retry (exit 1)", async () => {
    const url = await serve(
      fakeConsole({
        "POST /api/v1/login": (_req, res) =>
          res
            .writeHead(429, { "content-type": "application/json", "retry-after": "540" })
            .end(JSON.stringify({ error: { code: "RATE_LIMITED", message: "Too many failed sign-ins for this email from your address. Try again after 10:15 UTC (in 9 minutes); each further failure doubles the wait." } })),
      }),
    );
    const r = await runCli(["login", "--url", url, "--email", "ada@example.com"], { env: { WASMCOMPUTE_CONFIG: config }, tty: [PASSWORD] });
    expect(r.code).toBe(EXIT.ERROR);
    expect(r.stderr).toBe(`error: The console at ${url} refused the sign-in: Too many failed sign-ins for this email from your address. Try again after 10:15 UTC (in 9 minutes); each further failure doubles the wait. (retry after 540s)\n`);
  });
});

describe("signup", () => {
  it("asks for the password twice, creates the account with POST /signup, then logs in with it", async () => {
    const url = await serve();
    const r = await runCli(["signup", "--url", url, "--email", "ada@example.com", "--tenant", "ada"], { env: { WASMCOMPUTE_CONFIG: config }, tty: [PASSWORD, PASSWORD] });
    expect(r.code).toBe(0);
    expect(r.prompts).toEqual(["Password: ", "Password again: "]);
    expect(server!.requests.map((q) => `${q.method} ${q.path}`)).toEqual(["POST /api/v1/signup", "POST /api/v1/login", "GET /api/v1/apps"]);
    expect(body(server!.requests[0]!)).toEqual({ email: "ada@example.com", password: PASSWORD, tenant: "ada" });
    expect(server!.requests[0]!.headers.authorization).toBeUndefined();
    expect(body(server!.requests[1]!)).toMatchObject({ email: "ada@example.com", password: PASSWORD });
    expect(r.stderr).toBe("Created tenant ada for ada@example.com.\n");
    expect(r.stdout).toMatch(/^Logged in to http:\/\/127\.0\.0\.1:\d+ as ada@example\.com \(tenant ada, 0 apps\)\./);
    expect(JSON.parse(await readFile(config, "utf8"))).toEqual({ url, token: "wc_newsecret" });
  });

  it("maps the server's refusals to exit codes and creates no login", async () => {
    const refusals: [number, string, string, number][] = [
      [409, "CONFLICT", "This email cannot be used for a new account. If you already have an account, sign in instead; otherwise use another email.", EXIT.CONFLICT],
      [422, "UNPROCESSABLE", "password: Password must be at least 10 characters", EXIT.VALIDATION],
      [429, "RATE_LIMITED", "Too many sign-ups from this address. Wait 12 minutes and try again.", EXIT.ERROR],
    ];
    for (const [status, code, message, exit] of refusals) {
      const url = await serve(fakeConsole({ "POST /api/v1/signup": (_req, res) => sendError(res, status, code, message) }));
      const r = await runCli(["signup", "--url", url, "--email", "ada@example.com", "--tenant", "ada"], { env: { WASMCOMPUTE_CONFIG: config }, stdin: `${PASSWORD}\n` });
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: exit, stderr: `error: ${message}\n` });
      expect(server!.requests).toHaveLength(1);
      await server!.close();
      server = undefined;
    }
    await expect(stat(config)).rejects.toThrow(/ENOENT/);
  });

  it("says how to log in when the account was made but the login after it failed", async () => {
    const url = await serve(fakeConsole({ "POST /api/v1/login": (_req, res) => sendError(res, 429, "RATE_LIMITED", "Too many sign-in attempts. Wait 5 minutes and try again.") }));
    const r = await runCli(["signup", "--url", url, "--email", "ada@example.com", "--tenant", "ada"], { env: { WASMCOMPUTE_CONFIG: config, WASMCOMPUTE_PASSWORD: PASSWORD } });
    expect(r.code).toBe(EXIT.ERROR);
    expect(r.stderr).toBe(
      "Created tenant ada for ada@example.com.\n" +
        `error: The console at ${url} refused the sign-in: Too many sign-in attempts. Wait 5 minutes and try again.\n` +
        `The account exists: log in with \`wasmcompute login --url ${url} --email ada@example.com\`.\n`,
    );
  });

  it("is listed in the help", async () => {
    expect((await runCli(["--help"])).stdout).toMatch(/^ {2}signup +Create an account and its tenant on a console, then log in to it$/m);
    expect((await runCli(["help", "login"])).stdout).toMatch(/never from an argument/);
  });
});

describe("promptHidden", () => {
  class FakeTty extends EventEmitter {
    raw: boolean[] = [];
    paused = true;
    setRawMode(raw: boolean) {
      this.raw.push(raw);
    }
    resume() {
      this.paused = false;
    }
    pause() {
      this.paused = true;
    }
  }

  it("is in raw mode before the prompt shows, echoes nothing typed, edits with Backspace and Ctrl-U, and restores the terminal", async () => {
    const input = new FakeTty();
    let out = "";
    const answer = promptHidden("Password: ", input, { write: (s: string) => (out += s) });
    expect(input.raw).toEqual([true]);
    expect(out).toBe("Password: ");
    input.emit("data", Buffer.from("oops"));
    input.emit("data", Buffer.from("\u0015")); // Ctrl-U: start again
    input.emit("data", Buffer.from("s3cret x"));
    input.emit("data", Buffer.from("\u007f")); // Backspace
    input.emit("data", Buffer.from("\u001b[A")); // an arrow key: ignored
    input.emit("data", Buffer.from("é\rafter"));
    expect(await answer).toBe("s3cret é");
    expect(out).toBe("Password: \n");
    expect(input.raw).toEqual([true, false]);
    expect(input.paused).toBe(true);
    expect(input.listenerCount("data")).toBe(0);
  });

  it("rejects on Ctrl-C, with the terminal restored", async () => {
    const input = new FakeTty();
    const answer = promptHidden("Password: ", input, { write: () => {} });
    input.emit("data", "abc\u0003");
    await expect(answer).rejects.toBeInstanceOf(PromptInterrupted);
    expect(input.raw).toEqual([true, false]);
  });
});
