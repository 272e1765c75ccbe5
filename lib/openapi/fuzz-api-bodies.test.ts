// Fuzzes the REST API's JSON bodies through real HTTP (fast-check): every route in API_ROUTES
// that takes a zod body gets arbitrary JSON, JSON shaped like its schema with wrong values,
// and text that is not JSON. The console must never answer 5xx, and every refusal is a 4xx
// with an error message a person can read.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_ROUTES, type ApiRoute } from "@/lib/openapi/api-routes";
import { ConsoleClient } from "@/lib/testing/console-client";
import { startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";

const RUNS_PER_ROUTE = 25;

let database: TestDatabase;
let platform: Platform;
let dataDir: string;
let tokens: string[] = [];
let sent = 0;

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-fuzz-api-"));
  platform = await startPlatform({ dataDir, databaseUrl: database.url });
  const client = new ConsoleClient(platform.consoleUrl);
  await client.signUp();
  // Several tokens, so the per-token rate limit (600 a minute) is not what answers.
  tokens = await Promise.all([1, 2, 3, 4].map((i) => client.createToken("owner", `fuzz-${i}`)));
  const res = await fetch(`${platform.consoleUrl}/api/v1/apps`, {
    method: "POST",
    headers: { authorization: `Bearer ${tokens[0]}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "fuzz" }),
  });
  expect(res.status).toBe(201);
}, 180_000);

afterAll(async () => {
  await platform?.stop();
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const BODY_ROUTES = API_ROUTES.filter((r): r is ApiRoute & { body: z.ZodType } => r.body !== undefined && typeof r.body !== "string");

/** The route's path with its parameters filled: the app exists, so bodies get parsed. */
function urlOf(route: ApiRoute): string {
  return route.path.replace("{app}", "fuzz").replace(/\{[^}]+\}/g, (param) => (param === "{version}" ? "0.0.1" : "FUZZ_NAME"));
}

/** Top-level keys of an object schema (through defaults, optionals and pipes), if it has any. */
function keysOf(schema: z.ZodType): string[] {
  let s: unknown = schema;
  for (let i = 0; i < 5 && s; i++) {
    if (s instanceof z.ZodObject) return Object.keys(s.shape);
    const def = (s as { def?: { innerType?: unknown; in?: unknown; schema?: unknown } }).def;
    s = def?.innerType ?? def?.in ?? def?.schema;
  }
  return [];
}

const tricky = fc.oneof(
  fc.constantFrom("", " ", "\0", "../../etc/passwd", "<script>alert(1)</script>", "'; DROP TABLE \"App\"; --", "%00", "\u{1F600}", "9".repeat(400), "-1", "1e309", "NaN", "__proto__", "constructor"),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.integer(),
  fc.constantFrom(-1, 0, 1, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, 0.5),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const jsonish = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: "small" }, tricky, fc.array(tie("v"), { maxLength: 4 }), fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom("__proto__", "constructor")), tie("v"), { maxKeys: 4 })),
})).v;

function bodies(route: ApiRoute & { body: z.ZodType }): fc.Arbitrary<string> {
  const keys = keysOf(route.body);
  const shaped = keys.length
    ? fc.tuple(fc.subarray(keys), fc.array(fc.tuple(fc.constantFrom(...keys), jsonish), { maxLength: 6 }), fc.dictionary(fc.string({ maxLength: 8 }), jsonish, { maxKeys: 2 }))
        .map(([present, values, extra]) => JSON.stringify({ ...Object.fromEntries(present.map((k) => [k, null])), ...Object.fromEntries(values), ...extra }))
    : fc.constant("{}");
  return fc.oneof(
    { weight: 4, arbitrary: shaped },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: jsonish.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom("", "{", "[1,", '{"a":', "nul", "{}}", "\u0000", "[".repeat(10_000))) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 5000 }).map((d) => "[".repeat(d) + "]".repeat(d)) },
  );
}

async function send(route: ApiRoute, body: string) {
  const i = sent++;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (route.scope) headers.authorization = `Bearer ${tokens[i % tokens.length]}`;
  // Sign-up is limited per address: give each attempt its own, so the body is what gets judged.
  else headers["x-forwarded-for"] = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const res = await fetch(`${platform.consoleUrl}/api/v1${urlOf(route)}${route.path.includes("/kv") ? "?key=fuzz-key" : ""}`, { method: route.method, headers, body });
  const text = await res.text();
  return { status: res.status, text };
}

describe("every JSON body of the API under fuzzing", () => {
  it("lists the routes it fuzzes", () => {
    expect(BODY_ROUTES.length).toBeGreaterThanOrEqual(10);
    for (const must of ["POST /signup", "POST /apps", "POST /tokens", "POST /apps/{app}/deployments", "PUT /apps/{app}/source"]) {
      expect(BODY_ROUTES.map((r) => `${r.method} ${r.path}`)).toContain(must);
    }
  });

  for (const route of BODY_ROUTES) {
    it(`${route.method} ${route.path}: never 5xx; every refusal a 4xx with a message`, async () => {
      await fc.assert(
        fc.asyncProperty(bodies(route), async (body) => {
          const { status, text } = await send(route, body);
          const where = `${route.method} ${route.path} with ${JSON.stringify(body.slice(0, 200))} → ${status} ${text.slice(0, 200)}`;
          expect(status, where).toBeLessThan(500);
          if (status >= 400) {
            const parsed = JSON.parse(text) as { error?: { message?: unknown; code?: unknown } };
            expect(typeof parsed.error?.message, where).toBe("string");
            expect((parsed.error!.message as string).length, where).toBeGreaterThan(3);
            expect(parsed.error?.code, where).not.toBe("INTERNAL");
          }
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    }, 60_000);
  }
});
