// The data-layer suite, run once per database kind by data-layer.*.test.ts.
import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { SIGN_IN_LIMITS, verifyCredentials, WRONG_CREDENTIALS } from "@/lib/auth/verify-credentials";
import { EMAIL_UNAVAILABLE, signUp } from "@/lib/tenants/sign-up";
import { hitRateLimit } from "@/lib/rate-limit/hit-rate-limit";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "@/lib/testing/test-database";
import { MIGRATIONS_DIR, migrate } from "./migrate";

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the promise to reject");
}

export function dataLayerSuite(kind: DatabaseKind): void {
  describe(`data layer on ${kind}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(kind);
    });
    afterAll(async () => {
      await t?.close();
    });

    it("applies migrations idempotently and refuses an edited one", async () => {
      expect(await migrate({ databaseUrl: t.url })).toEqual({ applied: [], alreadyApplied: expect.any(Number) });
      const dir = await mkdtemp(path.join(os.tmpdir(), "wc-migrations-"));
      try {
        await cp(MIGRATIONS_DIR, dir, { recursive: true });
        const first = (await readdir(dir, { withFileTypes: true })).find((d) => d.isDirectory())!.name;
        await writeFile(path.join(dir, first, "migration.sql"), "SELECT 1;");
        await expect(migrate({ databaseUrl: t.url, dir })).rejects.toThrow(/was edited after it was applied/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it("signs up a tenant with its first user, password hashed with argon2id", async () => {
      const result = await signUp({ email: " Ada@Example.com ", password: "correct-horse-9", tenant: "ada-labs" });
      expect(result).toMatchObject({ email: "ada@example.com", tenantName: "ada-labs" });
      const user = await t.db.user.findUniqueOrThrow({ where: { email: "ada@example.com" }, include: { tenant: true } });
      expect(user.tenant.name).toBe("ada-labs");
      expect(user.passwordHash).toMatch(/^\$argon2id\$/);
      expect(user.passwordHash).not.toContain("correct-horse-9");
    });

    it("refuses a duplicate email or tenant name with a clear message and creates nothing", async () => {
      const before = { tenants: await t.db.tenant.count(), users: await t.db.user.count() };
      const dupEmail = await rejection(signUp({ email: "ada@example.com", password: "another-pass-1", tenant: "other-co" }));
      expect(dupEmail).toBeInstanceOf(AppError);
      expect(dupEmail).toMatchObject({ code: "CONFLICT", details: { field: "email" } });
      // The email is refused without confirming that an account has it (issue #13 item 14)…
      expect((dupEmail as AppError).message).toBe(EMAIL_UNAVAILABLE);
      expect((dupEmail as AppError).message).not.toMatch(/exists|ada-labs/);
      const dupTenant = await rejection(signUp({ email: "bob@example.com", password: "another-pass-1", tenant: "ada-labs" }));
      expect(dupTenant).toMatchObject({ code: "CONFLICT", details: { field: "tenant" }, message: expect.stringContaining("ada-labs") });
      // …and with both taken, the answer is about the tenant name, which is public anyway.
      const both = await rejection(signUp({ email: "ada@example.com", password: "another-pass-1", tenant: "ada-labs" }));
      expect(both).toMatchObject({ code: "CONFLICT", details: { field: "tenant" } });
      expect({ tenants: await t.db.tenant.count(), users: await t.db.user.count() }).toEqual(before);
    });

    it("lets exactly one of two concurrent sign-ups take a tenant name", async () => {
      const attempts = await Promise.allSettled([
        signUp({ email: "c1@example.com", password: "racing-pass-1", tenant: "race" }),
        signUp({ email: "c2@example.com", password: "racing-pass-1", tenant: "race" }),
      ]);
      expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
      const failed = attempts.find((a) => a.status === "rejected") as PromiseRejectedResult;
      expect(failed.reason).toMatchObject({ code: "CONFLICT", details: { field: "tenant" } });
      expect(await t.db.user.count({ where: { email: { in: ["c1@example.com", "c2@example.com"] } } })).toBe(1);
    });

    it("rejects malformed input before touching the database", async () => {
      const e = await rejection(signUp({ email: "not-an-email", password: "x", tenant: "A!" }));
      expect(e).toBeInstanceOf(z.ZodError);
      expect((e as z.ZodError).issues.map((i) => i.path[0])).toEqual(expect.arrayContaining(["email", "password", "tenant"]));
    });

    it("verifies credentials and gives one message for a wrong password or an unknown email", async () => {
      await expect(verifyCredentials({ email: "ADA@example.com", password: "correct-horse-9" })).resolves.toMatchObject({
        email: "ada@example.com",
        tenantName: "ada-labs",
      });
      await expect(verifyCredentials({ email: "ada@example.com", password: "wrong-horse-9" })).rejects.toThrow(WRONG_CREDENTIALS);
      await expect(verifyCredentials({ email: "nobody@example.com", password: "whatever-1" })).rejects.toThrow(WRONG_CREDENTIALS);
    });

    it("rate-limits sign-in attempts per client address, whatever the emails; other addresses are unaffected", async () => {
      await signUp({ email: "eve@example.com", password: "eve-password-1", tenant: "eve" });
      // Every fifth attempt succeeds, so no (email, address) back-off starts; the emails vary too.
      for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i++) {
        if (i % 5 === 4) await expect(verifyCredentials({ email: "eve@example.com", password: "eve-password-1" }, "10.0.0.1")).resolves.toBeTruthy();
        else await expect(verifyCredentials({ email: i % 2 ? "eve@example.com" : `nobody-${i}@example.com`, password: "guess-" + i }, "10.0.0.1")).rejects.toThrow(WRONG_CREDENTIALS);
      }
      const limited = await rejection(verifyCredentials({ email: "eve@example.com", password: "eve-password-1" }, "10.0.0.1"));
      expect(limited).toMatchObject({ code: "RATE_LIMITED", message: expect.stringMatching(/Too many sign-in attempts from your address\. Wait \d+ (seconds|minutes)/) });
      await expect(verifyCredentials({ email: "eve@example.com", password: "eve-password-1" }, "10.0.0.2")).resolves.toBeTruthy();
    });

    it("counts rate-limit windows exactly under concurrency", async () => {
      const rule = { key: "test:concurrent", limit: 30, windowSeconds: 3600, message: "limited" };
      const results = await Promise.allSettled(Array.from({ length: 40 }, () => hitRateLimit(rule)));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(30);
    });
  });
}
