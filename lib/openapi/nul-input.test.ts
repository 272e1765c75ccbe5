// A NUL character anywhere in API input is refused with a 4xx naming the field, never a 500
// (PostgreSQL refuses NUL in text, SQLSTATE 22021, and in JSON, 22P05). Walks API_ROUTES through
// real HTTP: every path parameter, every query parameter a route reads, and every string (keys
// included) of a valid body, each in turn holding a NUL. Input where a NUL is data (a KV value,
// the body the try box sends, a password, the logs search `q`) may be accepted instead.
import { readFile, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_ROUTES, type ApiRoute } from "@/lib/openapi/api-routes";
import { ConsoleClient, apiWithToken, newTestAccount, publishForm, type TestAccount } from "@/lib/testing/console-client";
import { startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NUL = "a\0b";

let database: TestDatabase;
let platform: Platform;
let dataDir: string;
let account: TestAccount;
let api: ReturnType<typeof apiWithToken>;
let unique = 0;
const fresh = () => `${Date.now().toString(36)}${unique++}`;

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-nul-"));
  platform = await startPlatform({ dataDir, databaseUrl: database.url });
  const client = new ConsoleClient(platform.consoleUrl);
  account = await client.signUp();
  // The owner's scope: every route (member management included) gets past the role check to its input.
  api = apiWithToken(platform.consoleUrl, await client.createToken("owner"));
  const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const ok = async (res: Promise<Response>, status: number) => {
    const answer = await res;
    expect(answer.status, await answer.text()).toBe(status);
  };
  await ok(api("/api/v1/apps", json({ name: "nul" })), 201);
  const module = new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm/hello-wat.wasm")));
  const form = publishForm("0.0.1", module, "name: nul\n", { "index.html": "<p>hi</p>" });
  await ok(api("/api/v1/apps/nul/versions", { method: "POST", body: form }), 201);
  await ok(api("/api/v1/apps/nul/deployments", json({ version: "0.0.1" })), 201);
}, 180_000);

afterAll(async () => {
  await platform?.stop();
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Values of path parameters that name something that exists (or at least parse). */
const PARAMS: Record<string, string> = {
  app: "nul",
  version: "0.0.1",
  route: "canary",
  name: "GREETING",
  requestId: "00000000-0000-4000-8000-000000000000",
  id: "hello-wat",
  month: "2025-01",
  path: "index.html",
  userId: "00000000-0000-4000-8000-000000000000",
};

/** The query parameters each route reads, with a value that parses. */
const QUERY: Record<string, Record<string, string>> = {
  "GET /apps/{app}/logs": { level: "info", status: "2xx", version: "0.0.1", q: "x", from: "1h", to: "1m", requestId: PARAMS.requestId!, before: "9" },
  "GET /apps/{app}/logs/stream": { level: "info", status: "2xx", version: "0.0.1", q: "x", from: "1h" },
  "GET /logs": { level: "info", status: "2xx", q: "x", from: "1h", to: "1m", requestId: PARAMS.requestId!, before: "9" },
  "GET /logs/stream": { level: "info", status: "2xx", q: "x", from: "1h" },
  "GET /apps/{app}/kv": { prefix: "a", cursor: "YQ", limit: "10", store: "default" },
  "GET /apps/{app}/kv/entry": { key: "k", store: "default", raw: "0" },
  "PUT /apps/{app}/kv/entry": { key: "k", store: "default" },
  "DELETE /apps/{app}/kv/entry": { key: "k", store: "default" },
  "POST /apps/{app}/kv/increment": { key: "n", store: "default" },
  "POST /apps/{app}/kv/cas": { key: "c", store: "default" },
  "POST /apps/{app}/kv/delete-prefix": { store: "default" },
  "GET /apps/{app}/env": { environment: "production" },
  "POST /apps/{app}/preview/component": { memoryMb: "16" },
  "PUT /apps/{app}/env/{name}": { environment: "production" },
  "DELETE /apps/{app}/env/{name}": { environment: "production" },
  "GET /apps/{app}/metrics": { window: "1h", version: "0.0.1" },
  "GET /audit": { limit: "10", action: "app.created" },
  "GET /usage": { month: "2025-01" },
  "GET /templates/{id}": { app: "site" },
  "GET /billing/invoices/{month}": { format: "json" },
};
/** Where a NUL is a value to look for, not a name: accepted. */
const NUL_ACCEPTED_QUERY = new Set(["GET /apps/{app}/logs q", "GET /apps/{app}/logs/stream q", "GET /logs q", "GET /logs/stream q"]);

/** A valid body for each route that takes one (a function: some must be fresh each time). */
const BODIES: Record<string, () => Promise<unknown> | unknown> = {
  "POST /signup": () => {
    const a = newTestAccount();
    return { email: a.email, password: a.password, tenant: a.tenant };
  },
  "POST /login": () => ({ email: account.email, password: account.password, name: "cli", scope: "read" }),
  "POST /apps": () => ({ name: `n-${fresh()}`, template: "hello-wat" }),
  "POST /apps/{app}/deployments": () => ({ version: "0.0.1", route: "canary" }),
  "POST /apps/{app}/rollback": () => ({ route: "canary" }),
  "POST /apps/{app}/try": () => ({ method: "POST", path: "/", headers: { "x-a": "b" }, body: "hi" }),
  "PUT /apps/{app}/source": async () => {
    const { source } = (await (await api("/api/v1/apps/nul/source")).json()) as { source: { revision: number } };
    return { files: { "wasmcompute.yaml": "module: main.wasm\n", "main.wat": "(module)" }, revision: source.revision };
  },
  "PUT /apps/{app}/kv/entry": () => ({ value: "v", encoding: "utf8", ttlSeconds: 60 }),
  "POST /apps/{app}/kv/increment": () => ({ by: 1 }),
  "POST /apps/{app}/kv/cas": () => ({ expected: null, value: "v" }),
  "POST /apps/{app}/kv/delete-prefix": () => ({ prefix: "zz", all: false }),
  "POST /tokens": () => ({ name: "t", scope: "read" }),
  "PUT /apps/{app}/requests/{name}": () => ({ method: "POST", path: "/", headers: [["x-a", "b"]], body: "b" }),
  // A URL not in allowedHosts: refused before any connection.
  "POST /apps/{app}/preview/outbound": () => ({ allowedHosts: ["https://api.example.com"], request: { method: "GET", url: "https://elsewhere.example/", headers: [["x-a", "b"]], body: "" }, timeoutMs: 1000 }),
  "PUT /apps/{app}/env/{name}": () => ({ value: "v", secret: false }),
  "POST /apps/{app}/schedules/runs": () => ({ key: "POST /tick 0 0 1 1 *" }),
  "PUT /billing/cap": () => ({ cap: 1000, mode: "alert" }),
  // Session only: a token gets a 403 whatever the body says, which is the 4xx this walk asks for.
  "PUT /account/password": () => ({ currentPassword: account.password, newPassword: `${account.password}-new` }),
  "PUT /members/{userId}": () => ({ role: "viewer" }),
  // Session only, as above (the token's 403 names the tenant and the token).
  "POST /members/leave": () => ({ tenant: account.tenant }),
  "POST /invitations": () => ({ email: `i-${fresh()}@example.com`, role: "viewer", expiresInDays: 2 }),
  "POST /invitations/accept": () => ({ token: "wci_unknown" }),
  "PUT /session/tenant": () => ({ tenant: account.tenant }),
};
/** Body fields where a NUL is data: it may be accepted (2xx), never a 500. */
const NUL_ACCEPTED_BODY = new Set(["POST /signup password", "POST /login password", "PUT /account/password currentPassword", "PUT /account/password newPassword", "POST /apps/{app}/try body", "PUT /apps/{app}/kv/entry value", "POST /apps/{app}/kv/cas value"]);

const key = (route: ApiRoute) => `${route.method} ${route.path}`;

function urlOf(route: ApiRoute, params: Record<string, string>, query: Record<string, string>): string {
  const p = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? PARAMS[name]!));
  const q = new URLSearchParams(query).toString();
  return `/api/v1${p}${q ? `?${q}` : ""}`;
}

async function send(route: ApiRoute, { params = {}, query, body }: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown }) {
  const headers: Record<string, string> = {};
  let payload: string | FormData | Uint8Array<ArrayBuffer> | undefined;
  if (route.body === "multipart") {
    payload = publishForm(`0.0.${2 + unique++}`, new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm/hello-wat.wasm"))));
  } else if (route.body === "wasm") {
    headers["content-type"] = "application/wasm";
    payload = new Uint8Array(await readFile(path.join(ROOT, "fixtures/component/hello.component.wasm")));
  } else if (route.body) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body ?? (await BODIES[key(route)]!()));
  }
  if (!route.scope) headers["x-forwarded-for"] = `10.9.${unique >> 8}.${unique++ & 255}`;
  const controller = new AbortController();
  const res = await api(urlOf(route, params, query ?? QUERY[key(route)] ?? {}), { method: route.method, headers, body: payload, signal: controller.signal });
  // The live tail answers a stream that does not end: its status and headers are enough.
  const text = res.headers.get("content-type")?.startsWith("text/event-stream") ? "" : await res.text();
  controller.abort();
  return { status: res.status, text };
}

/** A 4xx whose error names `field`, or (when a NUL is data there) any answer below 500. */
function expectRefusedNaming(answer: { status: number; text: string }, field: string, where: string, acceptable = false): void {
  const message = `${where} → ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.status, message).toBeLessThan(500);
  if (acceptable) return;
  expect(answer.status, message).toBeGreaterThanOrEqual(400);
  const error = (JSON.parse(answer.text) as { error: { message: string; field?: string } }).error;
  // The field itself, or for a nested string the top-level field it is in.
  const top = field.split(/[.[]/)[0]!;
  expect(error.field?.startsWith(top) || error.message.includes(top), message).toBe(true);
}

/** Every string in a JSON value (object keys included), as a path and a function that makes a copy with a NUL in it. */
function stringsOf(value: unknown, at = ""): { field: string; withNul: () => unknown }[] {
  if (typeof value === "string") return [{ field: at, withNul: () => `${value}${NUL}` }];
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => stringsOf(item, `${at}[${i}]`).map((s) => ({ field: s.field, withNul: () => value.map((v, j) => (j === i ? s.withNul() : v)) })));
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    return entries.flatMap(([k, v], i) => [
      // Keys of nested records (headers, files) are input too; a top-level key is only a name the schema does not know.
      ...(at ? [{ field: `${at}.${k}`, withNul: () => Object.fromEntries(entries.map(([k2, v2], j) => [j === i ? `${k2}${NUL}` : k2, v2])) }] : []),
      ...stringsOf(v, at ? `${at}.${k}` : k).map((s) => ({ field: s.field, withNul: () => Object.fromEntries(entries.map(([k2, v2], j) => [k2, j === i ? s.withNul() : v2])) })),
    ]);
  }
  return [];
}

describe("a NUL in any API input is a 4xx naming the field, never a 500", () => {
  it("has a valid body for every JSON body route and knows the query parameters it reads", () => {
    for (const route of API_ROUTES.filter((r) => r.body && typeof r.body !== "string")) expect(Object.keys(BODIES), key(route)).toContain(key(route));
    for (const k of Object.keys(QUERY)) expect(API_ROUTES.map(key), k).toContain(k);
  });

  for (const route of API_ROUTES) {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const query = Object.keys(QUERY[key(route)] ?? {});
    if (params.length === 0 && query.length === 0 && !(route.body && typeof route.body !== "string")) continue;

    it(`${key(route)}`, async () => {
      for (const name of params) {
        expectRefusedNaming(await send(route, { params: { [name]: NUL } }), name, `${key(route)} with {${name}} = ${JSON.stringify(NUL)}`);
      }
      for (const name of query) {
        const q = { ...QUERY[key(route)], [name]: NUL };
        expectRefusedNaming(await send(route, { query: q }), name, `${key(route)} with ?${name}= ${JSON.stringify(NUL)}`, NUL_ACCEPTED_QUERY.has(`${key(route)} ${name}`));
      }
      if (route.body && typeof route.body !== "string") {
        for (const { field, withNul } of stringsOf(await BODIES[key(route)]!())) {
          // A fresh sample each time (fresh names, the current revision), with the NUL at the same place.
          const fresh = stringsOf(await BODIES[key(route)]!()).find((s) => s.field === field)!;
          const acceptable = NUL_ACCEPTED_BODY.has(`${key(route)} ${field}`);
          expectRefusedNaming(await send(route, { body: (fresh ?? { withNul }).withNul() }), field, `${key(route)} with ${field} holding a NUL`, acceptable);
        }
      }
    }, 60_000);
  }
});
