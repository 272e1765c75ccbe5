// Teams and roles through real HTTP (docs/teams.md): EVERY route of the API route tables, called by
// each role with its console session and with a token it made, is allowed or refused (403) exactly
// as the route's declared scope and lib/auth/roles.ts say; then invitations, role changes, removal
// and leaving, each taking effect on the member's very next request.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_ROUTES, type ApiRoute } from "@/lib/openapi/api-routes";
import { ROLES, roleAllows, type Role } from "@/lib/auth/roles";
import { ConsoleClient, apiWithToken, newTestAccount, type TestAccount } from "@/lib/testing/console-client";
import { startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";

let database: TestDatabase;
let platform: Platform;
let dataDir: string;
let ownerAccount: TestAccount;

interface Member {
  role: Role;
  account: TestAccount;
  client: ConsoleClient;
  token: string;
}
const members = new Map<Role, Member>();

const JSON_HEADERS = { "content-type": "application/json" };
/** As the console calls: the session cookie, from the console's own origin. */
const sessionCall = (client: ConsoleClient) => (url: string, init: RequestInit = {}) =>
  client.fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), origin: platform.consoleUrl } });
const put = (body: unknown): RequestInit => ({ method: "PUT", headers: JSON_HEADERS, body: JSON.stringify(body) });
const post = (body: unknown): RequestInit => ({ method: "POST", headers: JSON_HEADERS, body: JSON.stringify(body) });

/** The owner invites `email` as `role`; answers the one-time token. */
async function invite(email: string, role: Role, as = members.get("owner")!.client): Promise<{ token: string; link: string; id: string }> {
  const res = await sessionCall(as)("/api/v1/invitations", post({ email, role }));
  expect(res.status, await res.clone().text()).toBe(201);
  const body = await res.json();
  return { token: body.token, link: body.link, id: body.invitation.id };
}

/** A new person signs up (their own tenant), then accepts an invitation to the owner's tenant as `role`. */
async function join(role: Role): Promise<Member> {
  const client = new ConsoleClient(platform.consoleUrl);
  const account = await client.signUp();
  const { token } = await invite(account.email, role);
  const accepted = await sessionCall(client)("/api/v1/invitations/accept", post({ token }));
  expect(accepted.status, await accepted.clone().text()).toBe(200);
  expect(await accepted.json()).toEqual({ tenant: ownerAccount.tenant, role });
  return { role, account, client, token: await loginToken(account, ownerAccount.tenant) };
}

/** A token of the member's own through POST /login (what `wasmcompute login --tenant` does): managing the tenant's tokens needs admin. */
async function loginToken(account: TestAccount, tenant: string): Promise<string> {
  const res = await fetch(`${platform.consoleUrl}/api/v1/login`, post({ email: account.email, password: account.password, tenant, name: "walk" }));
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()).secret;
}

/** Signs every member in again, in the owner's tenant (after "sign out everywhere" ended their sessions). */
async function restoreSessions(): Promise<void> {
  for (const m of members.values()) {
    await m.client.signIn(m.account);
    const res = await sessionCall(m.client)("/api/v1/session/tenant", put({ tenant: ownerAccount.tenant }));
    expect(res.status).toBe(200);
  }
}

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-roles-"));
  platform = await startPlatform({ dataDir, databaseUrl: database.url });
  const owner = new ConsoleClient(platform.consoleUrl);
  ownerAccount = await owner.signUp();
  members.set("owner", { role: "owner", account: ownerAccount, client: owner, token: await owner.createToken("owner", "walk-owner") });
  for (const role of ["admin", "developer", "viewer"] as const) members.set(role, await join(role));
}, 180_000);

afterAll(async () => {
  await platform?.stop();
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Path parameters that name nothing: an allowed call gets past the role check and then finds nothing (or refuses the empty body). */
const MISSING: Record<string, string> = { month: "2001-01", requestId: "00000000-0000-4000-8000-000000000000", userId: "00000000-0000-4000-8000-000000000000", id: "00000000-0000-4000-8000-000000000000" };

async function call(route: ApiRoute, as: (url: string, init?: RequestInit) => Promise<Response>): Promise<{ status: number; text: string }> {
  const url = "/api/v1" + route.path.replace(/\{(\w+)\}/g, (_, name: string) => MISSING[name] ?? "walk-missing");
  const controller = new AbortController();
  const init: RequestInit = { method: route.method, signal: controller.signal };
  if (route.body === "multipart") init.body = new FormData();
  else if (route.body) Object.assign(init, { headers: JSON_HEADERS, body: "{}" });
  const res = await as(url, init);
  // A live tail never ends: its status is the answer.
  const text = res.headers.get("content-type")?.startsWith("text/event-stream") ? "" : await res.text();
  controller.abort();
  return { status: res.status, text };
}

describe("roles: every API route, every role, session and token", () => {
  it("walks API_ROUTES and allows or refuses exactly as the table says", async () => {
    const guarded = API_ROUTES.filter((r) => r.scope !== null);
    // "Sign out everywhere" ends the sessions it is called with: walked last, sessions restored after each call.
    const ordered = [...guarded.filter((r) => r.path !== "/account/sessions"), ...guarded.filter((r) => r.path === "/account/sessions")];
    const mismatches: string[] = [];
    let checked = 0;
    for (const route of ordered) {
      for (const role of ROLES) {
        const member = members.get(role)!;
        for (const credential of ["session", "token"] as const) {
          const as = credential === "session" ? sessionCall(member.client) : apiWithToken(platform.consoleUrl, member.token);
          const needed = credential === "token" ? (route.tokenScope ?? route.scope!) : route.scope!;
          const allowed = roleAllows(role, needed) && !(credential === "token" && route.sessionOnly);
          const { status, text } = await call(route, as);
          const ok = allowed ? status !== 401 && status !== 403 && status < 500 : status === 403;
          if (!ok) mismatches.push(`${route.method} ${route.path} as ${role} (${credential}): expected ${allowed ? "allowed" : "403"}, got ${status} ${text.slice(0, 160)}`);
          checked++;
          if (route.path === "/account/sessions" && allowed && status === 200) await restoreSessions();
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(guarded.length * ROLES.length * 2);
  }, 600_000);

  it("says why a role is refused and what to do", async () => {
    const dev = members.get("developer")!;
    const res = await sessionCall(dev.client)("/api/v1/apps/any/env/KEY", put({ value: "x" }));
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toBe(`Your role in the tenant "${ownerAccount.tenant}" is developer; this action needs the role owner or admin. Ask an owner of the tenant for that role.`);
  });
});

describe("tokens carry their creator's role or less", () => {
  it("refuses a token wider than the role, and narrows a token when its creator's role is lowered", async () => {
    const dev = members.get("developer")!;
    const wide = await sessionCall(dev.client)("/api/v1/tokens", post({ name: "too wide", scope: "admin" }));
    // A developer cannot manage tokens at all (the route needs admin).
    expect(wide.status).toBe(403);
    const admin = members.get("admin")!;
    const ownerScoped = await sessionCall(admin.client)("/api/v1/tokens", post({ name: "too wide", scope: "owner" }));
    expect(ownerScoped.status).toBe(403);
    expect((await ownerScoped.json()).error).toMatchObject({ field: "scope", message: expect.stringMatching(/"admin" scope \(role admin\); a token cannot have more/) });
    // A password login for the tenant the user joined gets the role's scope by default, bound to that tenant.
    const login = await fetch(`${platform.consoleUrl}/api/v1/login`, post({ email: admin.account.email, password: admin.account.password, tenant: ownerAccount.tenant }));
    expect(login.status).toBe(201);
    expect(await login.json()).toMatchObject({ tenant: ownerAccount.tenant, role: "admin", token: { scope: "admin" } });
    const notMember = await fetch(`${platform.consoleUrl}/api/v1/login`, post({ email: dev.account.email, password: dev.account.password, tenant: "no-such-tenant" }));
    expect(notMember.status).toBe(403);
    expect((await notMember.json()).error.message).toMatch(/not a member of the tenant "no-such-tenant"\. Your tenants: /);
  });
});

describe("membership changes take effect on the next request", () => {
  it("invites, lists, revokes; an invitation works once, for its email only", async () => {
    const owner = sessionCall(members.get("owner")!.client);
    const stranger = new ConsoleClient(platform.consoleUrl);
    const strangerAccount = await stranger.signUp();
    const forOther = await invite(newTestAccount().email, "viewer");
    expect(forOther.link).toBe(`${platform.consoleUrl}/invite/${forOther.token}`);
    const wrongEmail = await sessionCall(stranger)("/api/v1/invitations/accept", post({ token: forOther.token }));
    expect(wrongEmail.status).toBe(403);
    expect((await wrongEmail.json()).error.message).toMatch(/This invitation is for .*; you are signed in as /);
    const listed = await (await owner("/api/v1/invitations")).json();
    expect(listed.invitations[0]).toMatchObject({ id: forOther.id, status: "pending", role: "viewer", createdBy: ownerAccount.email });
    expect(JSON.stringify(listed)).not.toContain(forOther.token);
    const mine = await invite(strangerAccount.email, "viewer");
    expect((await owner(`/api/v1/invitations/${mine.id}`, { method: "DELETE" })).status).toBe(204);
    const revoked = await sessionCall(stranger)("/api/v1/invitations/accept", post({ token: mine.token }));
    expect(revoked.status).toBe(409);
    expect((await revoked.json()).error.message).toMatch(/This invitation was revoked/);
    // The invitation is stored hashed: the token itself is nowhere in the database.
    const rows = await database.db.invitation.findMany();
    expect(JSON.stringify(rows)).not.toContain(mine.token.slice(4));
    // An admin cannot invite an owner.
    const adminInvite = await sessionCall(members.get("admin")!.client)("/api/v1/invitations", post({ email: newTestAccount().email, role: "owner" }));
    expect(adminInvite.status).toBe(403);
  });

  it("lowers a role, removes a member (session and token refused at once), keeps the last owner", async () => {
    const owner = sessionCall(members.get("owner")!.client);
    const target = await join("developer");
    const targetSession = sessionCall(target.client);
    const targetToken = apiWithToken(platform.consoleUrl, target.token);
    expect((await targetSession("/api/v1/apps", post({ name: "by-dev" }))).status).toBe(201);
    const userId = (await (await owner("/api/v1/members")).json()).members.find((m: { email: string }) => m.email === target.account.email).userId;

    expect((await owner(`/api/v1/members/${userId}`, put({ role: "viewer" }))).status).toBe(200);
    // Next request: the session and the token both act as a viewer now.
    expect((await targetSession("/api/v1/apps", post({ name: "by-viewer" }))).status).toBe(403);
    expect((await targetToken("/api/v1/apps", post({ name: "by-viewer" }))).status).toBe(403);
    expect((await targetToken("/api/v1/apps")).status).toBe(200);

    expect((await owner(`/api/v1/members/${userId}`, { method: "DELETE" })).status).toBe(204);
    const refused = await targetSession("/api/v1/apps");
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toMatch(new RegExp(`no longer a member of the tenant "${ownerAccount.tenant}"\\. Switch to another of your tenants: ${target.account.tenant}`));
    const tokenRefused = await targetToken("/api/v1/apps");
    expect(tokenRefused.status).toBe(401);
    expect((await tokenRefused.json()).error.message).toMatch(/no longer a member of the tenant/);
    // They switch back to their own tenant and carry on there.
    expect((await targetSession("/api/v1/session/tenant", put({ tenant: target.account.tenant }))).status).toBe(200);
    expect((await targetSession("/api/v1/me/tenants")).status).toBe(200);
    expect(await (await targetSession("/api/v1/me/tenants")).json()).toEqual({ tenants: [{ name: target.account.tenant, role: "owner", current: true }] });

    // The last owner can neither be demoted nor leave.
    const ownerId = (await (await owner("/api/v1/members")).json()).members.find((m: { you: boolean }) => m.you).userId;
    const demote = await owner(`/api/v1/members/${ownerId}`, put({ role: "admin" }));
    expect(demote.status).toBe(409);
    expect((await demote.json()).error.message).toMatch(/is the last owner of .*make another member an owner first/);
    const leave = await owner("/api/v1/members/leave", post({ tenant: ownerAccount.tenant }));
    expect(leave.status).toBe(409);
    expect((await leave.json()).error.message).toMatch(/You are the last owner of .* cannot leave/);

    // Who did what is in the audit log.
    const audit = await (await owner("/api/v1/audit?limit=50")).json();
    const actions = audit.events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["member.invited", "member.joined", "member.role_changed", "member.removed", "member.invitation_revoked"]));
    expect(audit.events.find((e: { action: string }) => e.action === "member.role_changed")).toMatchObject({ actor: ownerAccount.email, target: `user:${target.account.email}`, detail: { from: "developer", to: "viewer" } });
  });

  it("lets a member leave, after which their session is refused there", async () => {
    const leaver = await join("viewer");
    const as = sessionCall(leaver.client);
    const wrongName = await as("/api/v1/members/leave", post({ tenant: "not-it" }));
    expect(wrongName.status).toBe(400);
    expect((await as("/api/v1/members/leave", post({ tenant: ownerAccount.tenant }))).status).toBe(204);
    expect((await as("/api/v1/apps")).status).toBe(403);
    const audit = await (await sessionCall(members.get("owner")!.client)("/api/v1/audit?action=member.left")).json();
    expect(audit.events[0]).toMatchObject({ actor: leaver.account.email, target: `user:${leaver.account.email}` });
  });
});
