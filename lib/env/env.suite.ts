// The env services on a real database, run once per kind by env.{embedded,postgres}.test.ts.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { readRoutingEpoch } from "@/lib/db/routing-epoch";
import { DeploymentError } from "@/lib/deployment-record/record";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "@/lib/testing/test-database";
import { deleteEnvVar } from "./delete-env-var";
import { ENV_MAX_VARS } from "./env-schemas";
import { listEnvVars } from "./list-env-vars";
import { loadLiveEnv } from "./load-live-env";
import { setEnvVar } from "./set-env-var";

const SECRET = "sk_live_" + randomBytes(12).toString("hex");
const input = (value: string, secret = false) => () => Promise.resolve({ value, secret });

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}

export function envSuite(kind: DatabaseKind): void {
  describe(`app environment and secrets on ${kind}`, () => {
    let t: TestDatabase;
    const key = randomBytes(32).toString("base64");
    const apps: Record<"alice" | "bob", { actor: Actor; appId: string }> = {} as never;

    beforeAll(async () => {
      process.env.WASMCOMPUTE_SECRETS_KEY = key;
      t = await createTestDatabase(kind);
      for (const name of ["alice", "bob"] as const) {
        const tenant = await t.db.tenant.create({ data: { name } });
        const app = await t.db.app.create({ data: { tenantId: tenant.id, name: "shop" } });
        apps[name] = { actor: { tenantId: tenant.id, tenantName: name, scope: "admin" }, appId: app.id };
      }
    }, 60_000);
    afterAll(async () => {
      await t?.close();
    });

    it("stores plain values as text and secrets sealed; lists secrets without their value", async () => {
      const { actor, appId } = apps.alice;
      const before = await readRoutingEpoch();
      const plain = await setEnvVar({ actor, appName: "shop", name: "GREETING", readInput: input("hello") });
      expect(plain).toMatchObject({ name: "GREETING", secret: false, value: "hello" });
      const secret = await setEnvVar({ actor, appName: "shop", environment: "production", name: "API_KEY", readInput: input(SECRET, true) });
      expect(secret).toEqual({ name: "API_KEY", secret: true, updatedAt: expect.any(String) });
      expect(JSON.stringify(secret)).not.toContain(SECRET);
      // Production changes move the routing epoch, so gateways reload.
      expect(await readRoutingEpoch()).toBe(before + 2n);

      const row = await t.db.appEnvVar.findUniqueOrThrow({ where: { appId_environment_name: { appId, environment: "production", name: "API_KEY" } } });
      expect(row.value).toMatch(/^v1:/);
      expect(row.value).not.toContain(SECRET);

      const list = await listEnvVars({ actor, appName: "shop", environment: "production" });
      expect(list.vars.map((v) => v.name)).toEqual(["API_KEY", "GREETING"]);
      expect(list.plain).toEqual({ GREETING: "hello" });
      expect(JSON.stringify(list)).not.toContain(SECRET);
      expect(JSON.stringify(list)).not.toContain(row.value);

      expect(await loadLiveEnv({ db: t.db, tenantId: actor.tenantId, appId , env: process.env })).toEqual({ GREETING: "hello", API_KEY: SECRET });
    });

    it("keeps environments apart; preview changes do not move the routing epoch", async () => {
      const { actor, appId } = apps.alice;
      const before = await readRoutingEpoch();
      await setEnvVar({ actor, appName: "shop", environment: "preview", name: "GREETING", readInput: input("preview hello") });
      await setEnvVar({ actor, appName: "shop", environment: "preview", name: "PREVIEW_SECRET", readInput: input("p-secret", true) });
      expect(await readRoutingEpoch()).toBe(before);
      const preview = await listEnvVars({ actor, appName: "shop", environment: "preview" });
      expect(preview.plain).toEqual({ GREETING: "preview hello" });
      expect(preview.vars.find((v) => v.name === "PREVIEW_SECRET")).toEqual({ name: "PREVIEW_SECRET", secret: true, updatedAt: expect.any(String) });
      expect((await loadLiveEnv({ db: t.db, tenantId: actor.tenantId, appId , env: process.env })).GREETING).toBe("hello");
      await expect(listEnvVars({ actor, appName: "shop", environment: "staging" })).rejects.toThrow(/production.*preview/);
    });

    it("records audit events naming the variable, never the value", async () => {
      const { actor } = apps.alice;
      await deleteEnvVar({ actor, appName: "shop", environment: "preview", name: "PREVIEW_SECRET" });
      await deleteEnvVar({ actor, appName: "shop", environment: "preview", name: "GREETING" });
      const events = await t.db.auditEvent.findMany({ where: { tenantId: actor.tenantId }, orderBy: { id: "asc" } });
      expect(events.map((e) => [e.action, e.target])).toEqual([
        ["env.set", "app:shop/production/GREETING"],
        ["secret.set", "app:shop/production/API_KEY"],
        ["env.set", "app:shop/preview/GREETING"],
        ["secret.set", "app:shop/preview/PREVIEW_SECRET"],
        ["secret.deleted", "app:shop/preview/PREVIEW_SECRET"],
        ["env.deleted", "app:shop/preview/GREETING"],
      ]);
      expect(JSON.stringify(events, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain(SECRET);
      expect((await rejection(deleteEnvVar({ actor, appName: "shop", environment: "preview", name: "GREETING" }))).code).toBe("NOT_FOUND");
    });

    it("refuses reserved and malformed names, oversized values and more than the limit", async () => {
      const { actor } = apps.alice;
      const reserved = await rejection(setEnvVar({ actor, appName: "shop", name: "PATH_INFO", readInput: input("x") }));
      expect(reserved).toMatchObject({ code: "UNPROCESSABLE", details: { field: "name" } });
      expect(reserved.message).toMatch(/set by the gateway/);
      await expect(setEnvVar({ actor, appName: "shop", name: "VALUE", readInput: input("x".repeat(20_000)) })).rejects.toThrow(/at most 16384 bytes/);
      for (let i = 0; i < ENV_MAX_VARS; i++) {
        await setEnvVar({ actor, appName: "shop", environment: "preview", name: `V${i}`, readInput: input(String(i)) });
      }
      const full = await rejection(setEnvVar({ actor, appName: "shop", environment: "preview", name: "ONE_MORE", readInput: input("x") }));
      expect(full.message).toMatch(/already has 100 variables/);
      // Replacing an existing one is still fine at the limit.
      expect(await setEnvVar({ actor, appName: "shop", environment: "preview", name: "V0", readInput: input("new") })).toMatchObject({ value: "new" });
    });

    it("never reaches another tenant's app, and reads no input before the app is found", async () => {
      const { actor: bob } = apps.bob;
      let read = false;
      const readInput = () => {
        read = true;
        return Promise.resolve({ value: "x" });
      };
      // Both tenants have an app "shop": each sees only its own.
      expect((await listEnvVars({ actor: bob, appName: "shop" })).vars).toEqual([]);
      expect((await rejection(setEnvVar({ actor: bob, appName: "nope", name: "X", readInput }))).code).toBe("NOT_FOUND");
      expect(read).toBe(false);
      expect((await rejection(deleteEnvVar({ actor: bob, appName: "shop", name: "API_KEY" }))).code).toBe("NOT_FOUND");
      expect(await loadLiveEnv({ db: t.db, tenantId: bob.tenantId, appId: apps.alice.appId , env: process.env })).toEqual({});
    });

    it("fails only that app with a DeploymentError when its secret was sealed under another key", async () => {
      const { actor, appId } = apps.alice;
      const other = randomBytes(32).toString("base64");
      let error: unknown;
      try {
        await loadLiveEnv({ db: t.db, tenantId: actor.tenantId, appId, env: { WASMCOMPUTE_SECRETS_KEY: other } });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DeploymentError);
      const { message, problems } = error as DeploymentError;
      expect(problems.join(" ")).toMatch(/production\/API_KEY was sealed with another secrets key/);
      expect(message + problems.join(" ")).not.toContain(SECRET);
      // Bob's app (no secrets) is unaffected by the wrong key.
      expect(await loadLiveEnv({ db: t.db, tenantId: apps.bob.actor.tenantId, appId: apps.bob.appId, env: { WASMCOMPUTE_SECRETS_KEY: other } })).toEqual({});
      // With no key at all, a secret cannot be set.
      delete process.env.WASMCOMPUTE_SECRETS_KEY;
      const prevDataDir = process.env.DATA_DIR;
      delete process.env.DATA_DIR;
      try {
        expect(await rejection(setEnvVar({ actor, appName: "shop", name: "NEW_SECRET", readInput: input("x", true) }))).toMatchObject({ code: "UNAVAILABLE" });
      } finally {
        process.env.WASMCOMPUTE_SECRETS_KEY = key;
        if (prevDataDir !== undefined) process.env.DATA_DIR = prevDataDir;
      }
    });
  });
}
