// `wasmcompute env` against a fake console: the requests it makes and what it prints.
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { EXIT } from "../exit-codes";
import { runCli, sendError, sendJson, startFakeServer, tempDir, type FakeServer } from "../test-support";

let tmp: Awaited<ReturnType<typeof tempDir>>;
let server: FakeServer;
let env: Record<string, string>;
const NOW = "2026-11-26T04:00:00.000Z";

beforeEach(async () => {
  tmp = await tempDir();
  server = await startFakeServer((req, res) => {
    const url = new URL(req.path, "http://x");
    if (req.method === "GET" && url.pathname === "/api/v1/apps/shop/env") {
      return sendJson(res, 200, {
        environment: url.searchParams.get("environment"),
        vars: [
          { name: "API_KEY", secret: true, updatedAt: NOW },
          { name: "GREETING", secret: false, value: "hello", updatedAt: NOW },
        ],
        plain: { GREETING: "hello" },
        maxVars: 100,
      });
    }
    if (req.method === "PUT" && url.pathname.startsWith("/api/v1/apps/shop/env/")) {
      const body = JSON.parse(req.body.toString()) as { value: string; secret: boolean };
      const name = decodeURIComponent(url.pathname.split("/").pop()!);
      if (name === "PATH_INFO") return sendError(res, 422, "UNPROCESSABLE", "name: PATH_INFO is set by the gateway for every request", "name");
      return sendJson(res, 200, { var: body.secret ? { name, secret: true, updatedAt: NOW } : { name, secret: false, value: body.value, updatedAt: NOW } });
    }
    if (req.method === "DELETE") return res.writeHead(204).end();
    return sendError(res, 404, "NOT_FOUND", "nope");
  });
  env = { WASMCOMPUTE_URL: server.url, WASMCOMPUTE_TOKEN: "wc_test", WASMCOMPUTE_CONFIG: path.join(tmp.dir, "config.json") };
});
afterEach(async () => {
  await server.close();
  await tmp.remove();
});

it("lists an environment with secrets masked", async () => {
  const out = await runCli(["env", "ls", "--app", "shop", "--env", "preview"], { env });
  expect(out.code).toBe(0);
  expect(server.requests[0]!.path).toBe("/api/v1/apps/shop/env?environment=preview");
  expect(out.stdout).toMatch(/API_KEY\s+•+ \(secret\)/);
  expect(out.stdout).toMatch(/GREETING\s+hello/);
  const json = await runCli(["env", "ls", "--app", "shop", "--json"], { env });
  expect(JSON.parse(json.stdout)).toMatchObject({ environment: "production", vars: [{ name: "API_KEY", secret: true }, { name: "GREETING", value: "hello" }] });
});

it("sets a secret from stdin (one trailing newline dropped) and never prints it", async () => {
  const out = await runCli(["env", "set", "API_KEY", "--secret", "--app", "shop"], { env, stdin: "sk_live_123\n" });
  expect(out.code).toBe(0);
  const put = server.requests[0]!;
  expect(put.method).toBe("PUT");
  expect(put.path).toBe("/api/v1/apps/shop/env/API_KEY?environment=production");
  expect(JSON.parse(put.body.toString())).toEqual({ value: "sk_live_123", secret: true });
  expect(out.stdout).toBe("Set secret API_KEY in production.\n");
  expect(out.stdout + out.stderr).not.toContain("sk_live_123");
});

it("sets a plain value from the argument, removes one, and reports errors with their exit codes", async () => {
  expect((await runCli(["env", "set", "GREETING", "hi there", "-a", "shop", "-e", "preview"], { env })).stdout).toBe("Set variable GREETING in preview.\n");
  expect(JSON.parse(server.requests[0]!.body.toString())).toEqual({ value: "hi there", secret: false });
  const rm = await runCli(["env", "rm", "GREETING", "-a", "shop"], { env });
  expect(rm.stdout).toBe("Deleted GREETING from production.\n");
  expect(server.requests[1]).toMatchObject({ method: "DELETE", path: "/api/v1/apps/shop/env/GREETING?environment=production" });
  const reserved = await runCli(["env", "set", "PATH_INFO", "x", "-a", "shop"], { env });
  expect(reserved.code).toBe(EXIT.VALIDATION);
  expect(reserved.stderr).toMatch(/set by the gateway/);
  const badEnv = await runCli(["env", "ls", "-a", "shop", "--env", "staging"], { env });
  expect(badEnv.code).toBe(EXIT.USAGE);
  expect(badEnv.stderr).toMatch(/"production" or "preview"/);
});
