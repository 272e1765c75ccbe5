// The audit log against a real PostgreSQL: the services record what they did (after it
// committed), findAuditEvents pages newest first, and a tenant sees only its own events.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { createApp } from "@/lib/apps/create-app";
import { deleteApp } from "@/lib/apps/delete-app";
import { deployVersion, rollback } from "@/lib/deployments/deploy-version";
import { undeployRoute } from "@/lib/deployments/find-deployments";
import { newTestAccount } from "@/lib/testing/console-client";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { signUp } from "@/lib/tenants/sign-up";
import { createToken, revokeToken } from "@/lib/tokens/tokens";
import { publishVersion } from "@/lib/versions/publish-version";
import { findAuditEvents, parseAuditQuery } from "./find-audit-events";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase("postgres");
}, 60_000);
afterAll(() => database?.close());

async function newActor(): Promise<Actor & { email: string }> {
  const account = newTestAccount();
  const user = await signUp(account, { ip: "203.0.113.9" });
  return { tenantId: user.tenantId, tenantName: user.tenantName, userId: user.userId, scope: "admin", ip: "198.51.100.7", email: user.email };
}

const all = async (actor: Actor) => (await findAuditEvents({ actor, query: parseAuditQuery(new URLSearchParams("limit=200")) })).events;

describe("audit log", () => {
  it("records apps, versions, deploys, rollbacks, undeploys and tokens, with actor, target and address", async () => {
    const actor = await newActor();
    const module = new Uint8Array(await readFile(path.resolve(import.meta.dirname, "../../fixtures/wasm/hello-wat.wasm")));
    await createApp({ actor, input: { name: "shop" } });
    await publishVersion({ actor, appName: "shop", input: { version: "0.0.1", module, files: [] } });
    await publishVersion({ actor, appName: "shop", input: { version: "0.0.2", module, files: [] } });
    await deployVersion({ actor, appName: "shop", input: { version: "0.0.1" } });
    await deployVersion({ actor, appName: "shop", input: { version: "0.0.2" } });
    await rollback({ actor, appName: "shop", input: {} });
    await deployVersion({ actor, appName: "shop", input: { version: "0.0.2", route: "canary" } });
    await undeployRoute({ actor, appName: "shop", route: "canary" });
    const { token } = await createToken({ actor, input: { name: "ci", scope: "read" } });
    const tokenActor: Actor = { tenantId: actor.tenantId, tenantName: actor.tenantName, scope: "admin", tokenId: token.id };
    await revokeToken({ actor: tokenActor, id: token.id });
    await deleteApp({ actor, name: "shop" });

    const events = (await all(actor)).reverse();
    expect(events.map((e) => [e.action, e.target])).toEqual([
      ["auth.sign_up", `tenant:${actor.tenantName}`],
      ["app.created", "app:shop"],
      ["version.published", "app:shop@0.0.1"],
      ["version.published", "app:shop@0.0.2"],
      ["deploy", "app:shop"],
      ["deploy", "app:shop"],
      ["rollback", "app:shop"],
      ["deploy", "app:shop/canary"],
      ["undeploy", "app:shop/canary"],
      ["token.created", `token:${token.prefix}`],
      ["token.revoked", `token:${token.prefix}`],
      ["app.deleted", "app:shop"],
    ]);
    expect(events[0]).toMatchObject({ actor: actor.email, ip: "203.0.113.9" });
    expect(events[1]).toMatchObject({ actor: actor.email, ip: "198.51.100.7" });
    expect(events[6]!.detail).toEqual({ version: "0.0.1" });
    expect(events[9]!.detail).toEqual({ name: "ci", scope: "read", expiresAt: null });
    // A token acting is named by its prefix, never its secret.
    expect(events[10]).toMatchObject({ actor: `token:${token.prefix}`, ip: null });
  }, 60_000);

  it("names a token by the prefix its check put on the actor, without looking the token up", async () => {
    const actor = await newActor();
    // No token row has this id: the prefix can only come from the actor.
    const tokenActor: Actor = { tenantId: actor.tenantId, tenantName: actor.tenantName, scope: "admin", tokenId: "no-such-token", tokenPrefix: "wc_ab12" };
    await createApp({ actor: tokenActor, input: { name: "by-token" } });
    expect((await all(actor))[0]).toMatchObject({ action: "app.created", actor: "token:wc_ab12" });
  });

  it("pages newest first with a cursor, filters by action, and keeps tenants apart", async () => {
    const alice = await newActor();
    const bob = await newActor();
    for (let i = 0; i < 5; i++) await createApp({ actor: alice, input: { name: `app-${i}` } });
    const first = await findAuditEvents({ actor: alice, query: parseAuditQuery(new URLSearchParams("limit=2")) });
    expect(first.events.map((e) => e.target)).toEqual(["app:app-4", "app:app-3"]);
    const second = await findAuditEvents({ actor: alice, query: parseAuditQuery(new URLSearchParams(`limit=2&before=${first.nextCursor}`)) });
    expect(second.events.map((e) => e.target)).toEqual(["app:app-2", "app:app-1"]);
    const third = await findAuditEvents({ actor: alice, query: parseAuditQuery(new URLSearchParams(`limit=2&before=${second.nextCursor}`)) });
    expect(third.events.map((e) => e.action)).toEqual(["app.created", "auth.sign_up"]);
    expect(third.nextCursor).toBeNull();
    const signUps = await findAuditEvents({ actor: alice, query: parseAuditQuery(new URLSearchParams("action=auth.sign_up")) });
    expect(signUps.events).toHaveLength(1);
    expect((await all(bob)).map((e) => e.action)).toEqual(["auth.sign_up"]);
    expect(() => parseAuditQuery(new URLSearchParams("limit=0"))).toThrow(/limit must be 1 to 200/);
    expect(() => parseAuditQuery(new URLSearchParams("before=abc"))).toThrow(/nextCursor/);
    expect(() => parseAuditQuery(new URLSearchParams("action=nope"))).toThrow(/action must be one of/);
  }, 60_000);
});
