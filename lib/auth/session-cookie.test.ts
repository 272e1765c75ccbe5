// The session cookie's flags, from a real sign-in against the real console: HttpOnly, host-only,
// SameSite=Lax (session) or Strict (CSRF) always; Secure with the __Host- prefix on every cookie
// when the console's public URL (NEXTAUTH_URL) is https, as behind a TLS-terminating proxy, so that
// no other host of the site can plant one (issue #13 item 6; the browser story is
// e2e/auth/planted-session.spec.ts).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newTestAccount } from "@/lib/testing/console-client";
import { freePort, startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";

let database: TestDatabase;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  database = await createTestDatabase("postgres");
}, 60_000);

afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  await database?.close();
});

async function start(env: Record<string, string> = {}, port?: number): Promise<Platform> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-cookie-"));
  const platform = await startPlatform({ dataDir, databaseUrl: database.url, port, env });
  cleanup.push(async () => {
    await platform.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  return platform;
}

interface SetCookie {
  name: string;
  value: string;
  attributes: Map<string, string>;
}

function parseSetCookie(line: string): SetCookie {
  const [pair, ...attrs] = line.split(";").map((s) => s.trim());
  const eq = pair!.indexOf("=");
  return {
    name: pair!.slice(0, eq),
    value: pair!.slice(eq + 1),
    attributes: new Map(attrs.map((a) => {
      const i = a.indexOf("=");
      return i < 0 ? [a.toLowerCase(), ""] : [a.slice(0, i).toLowerCase(), a.slice(i + 1)];
    })),
  };
}

/** Signs up, then signs in through next-auth's credentials callback; returns every cookie set. */
async function signIn(baseUrl: string): Promise<SetCookie[]> {
  const account = newTestAccount();
  const signUp = await fetch(`${baseUrl}/api/v1/signup`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(account) });
  expect(signUp.status).toBe(201);
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const cookies = csrf.headers.getSetCookie().map(parseSetCookie);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const callback = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; ") },
    body: new URLSearchParams({ csrfToken, email: account.email, password: account.password, json: "true" }),
  });
  expect(callback.status).toBeLessThan(400);
  return [...cookies, ...callback.headers.getSetCookie().map(parseSetCookie)];
}

async function sessionWorks(baseUrl: string, session: SetCookie): Promise<number> {
  return (await fetch(`${baseUrl}/api/v1/apps`, { headers: { cookie: `${session.name}=${session.value}` } })).status;
}

describe("session cookie flags", () => {
  it("over plain HTTP: HttpOnly, SameSite=Lax, not Secure, no prefix; the CSP does not upgrade requests", async () => {
    const platform = await start();
    const cookies = await signIn(platform.consoleUrl);
    const session = cookies.find((c) => c.name.endsWith("next-auth.session-token"));
    expect(session?.name).toBe("next-auth.session-token");
    expect(session!.attributes.has("httponly")).toBe(true);
    expect(session!.attributes.get("samesite")).toBe("Lax");
    expect(session!.attributes.get("path")).toBe("/");
    expect(session!.attributes.has("secure")).toBe(false);
    for (const c of cookies) expect(c.attributes.has("httponly"), c.name).toBe(true);
    for (const c of cookies) expect(c.attributes.has("domain"), c.name).toBe(false);
    expect(cookies.find((c) => c.name === "next-auth.csrf-token")!.attributes.get("samesite")).toBe("Strict");
    expect(await sessionWorks(platform.consoleUrl, session!)).toBe(200);
    const csp = (await fetch(`${platform.consoleUrl}/sign-in`)).headers.get("content-security-policy");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("upgrade-insecure-requests");
  }, 180_000);

  it("with an https NEXTAUTH_URL: every cookie __Host- prefixed, Secure, host-only, Path=/, HttpOnly", async () => {
    const port = await freePort();
    const platform = await start({ NEXTAUTH_URL: `https://127.0.0.1:${port}` }, port);
    const cookies = await signIn(platform.consoleUrl);
    const session = cookies.find((c) => c.name.endsWith("next-auth.session-token"));
    expect(session?.name).toBe("__Host-next-auth.session-token");
    expect(session!.attributes.get("samesite")).toBe("Lax");
    const csrf = cookies.find((c) => c.name.endsWith("next-auth.csrf-token"));
    expect(csrf?.name).toBe("__Host-next-auth.csrf-token");
    expect(csrf!.attributes.get("samesite")).toBe("Strict");
    // What a browser requires of a __Host- cookie, on every one the console sets.
    for (const c of cookies) {
      expect(c.name, c.name).toMatch(/^__Host-next-auth\./);
      expect({ name: c.name, secure: c.attributes.has("secure"), httpOnly: c.attributes.has("httponly"), path: c.attributes.get("path"), domain: c.attributes.get("domain") }).toEqual({
        name: c.name,
        secure: true,
        httpOnly: true,
        path: "/",
        domain: undefined,
      });
    }
    // The console reads the prefixed cookie (the proxy in front terminates TLS), and no other name:
    // a cookie another host of the site sets (Domain=…) cannot have the __Host- name.
    expect(await sessionWorks(platform.consoleUrl, session!)).toBe(200);
    for (const name of ["next-auth.session-token", "__Secure-next-auth.session-token"]) expect(await sessionWorks(platform.consoleUrl, { ...session!, name })).toBe(401);
    expect((await fetch(`${platform.consoleUrl}/sign-in`)).headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  }, 180_000);
});
