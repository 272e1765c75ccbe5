// The saved-requests service on a real database, run once per kind by
// saved-requests.{embedded,postgres}.test.ts: create, replace, list, delete, limits, scoping.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, describeZodError } from "@/lib/errors";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "@/lib/testing/test-database";
import { deleteSavedRequest } from "./delete-saved-request";
import { findSavedRequests } from "./find-saved-requests";
import { saveSavedRequest } from "./save-saved-request";
import { SAVED_REQUEST_LIMITS } from "./saved-request-schemas";

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}

/** What the API would answer for a zod error (422): "field: message". */
async function invalid(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof z.ZodError) return describeZodError(e).message;
    throw e;
  }
  throw new Error("expected a validation error");
}

export function savedRequestsSuite(kind: DatabaseKind): void {
  describe(`saved preview requests on ${kind}`, () => {
    let t: TestDatabase;
    const alice = { tenantId: "" };
    const bob = { tenantId: "" };
    const save = (actor: { tenantId: string }, name: string, input: unknown, appName = "shop") => saveSavedRequest({ actor, appName, name, readInput: async () => input });

    beforeAll(async () => {
      t = await createTestDatabase(kind);
      for (const [who, name] of [[alice, "alice"], [bob, "bob"]] as const) {
        const tenant = await t.db.tenant.create({ data: { name } });
        await t.db.app.create({ data: { tenantId: tenant.id, name: "shop" } });
        who.tenantId = tenant.id;
      }
      await t.db.app.create({ data: { tenantId: alice.tenantId, name: "full" } });
    }, 120_000);

    afterAll(async () => {
      await t?.close();
    });

    it("saves, lists by name, replaces by name and deletes", async () => {
      const created = await save(alice, "list items", { method: "GET", path: "/items?sort=asc", headers: [["accept", "application/json"]] });
      expect(created).toMatchObject({ name: "list items", method: "GET", path: "/items?sort=asc", headers: [["accept", "application/json"]], body: "" });
      await save(alice, "add item", { method: "POST", path: "/items", headers: [["content-type", "application/json"], ["x-trace", "1"]], body: '{"name":"pen"}' });
      expect((await findSavedRequests({ actor: alice, appName: "shop" })).map((r) => r.name)).toEqual(["add item", "list items"]);

      const replaced = await save(alice, "add item", { method: "PUT", path: "/items/1", body: "x" });
      expect(replaced).toMatchObject({ name: "add item", method: "PUT", path: "/items/1", headers: [], body: "x" });
      const listed = await findSavedRequests({ actor: alice, appName: "shop" });
      expect(listed).toHaveLength(2);
      expect(listed[0]).toMatchObject({ name: "add item", method: "PUT", body: "x" });
      expect(await t.db.savedRequest.count()).toBe(2);

      await deleteSavedRequest({ actor: alice, appName: "shop", name: "add item" });
      expect((await findSavedRequests({ actor: alice, appName: "shop" })).map((r) => r.name)).toEqual(["list items"]);
      const again = await errorOf(deleteSavedRequest({ actor: alice, appName: "shop", name: "add item" }));
      expect(again.code).toBe("NOT_FOUND");
      expect(again.message).toMatch(/No saved request named "add item"/);
    });

    it("refuses a bad method, a path without a leading slash, bad names and headers, naming the field", async () => {
      expect(await invalid(save(alice, "x", { method: "FETCH", path: "/" }))).toMatch(/^method: Use one of GET, POST/);
      expect(await invalid(save(alice, "x", { method: "GET", path: "items" }))).toMatch(/^path: The path must start with "\/"/);
      expect(await invalid(save(alice, "x", { method: "GET", path: "/a b" }))).toMatch(/^path: .*spaces/);
      expect(await invalid(save(alice, "x", { method: "GET", path: "/", headers: [["bad name", "v"]] }))).toMatch(/^headers\.0\.0: A header name/);
      expect(await invalid(save(alice, "x", { method: "GET", path: "/", headers: [["x", "a\nb"]] }))).toMatch(/^headers\.0\.1: .*line breaks/);
      for (const name of ["", " padded", "a/b", "x".repeat(SAVED_REQUEST_LIMITS.maxNameChars + 1)]) {
        const e = await errorOf(save(alice, name, { method: "GET", path: "/" }));
        expect({ code: e.code, field: e.details?.field }).toEqual({ code: "UNPROCESSABLE", field: "name" });
      }
      expect((await findSavedRequests({ actor: alice, appName: "shop" })).map((r) => r.name)).toEqual(["list items"]);
    });

    it("refuses a body over 64 KiB (counted in UTF-8 bytes) with PAYLOAD_TOO_LARGE", async () => {
      const fits = await save(alice, "big", { method: "POST", path: "/", body: "é".repeat(SAVED_REQUEST_LIMITS.maxBodyBytes / 2) });
      expect(fits.body.length).toBe(SAVED_REQUEST_LIMITS.maxBodyBytes / 2);
      const e = await errorOf(save(alice, "bigger", { method: "POST", path: "/", body: `${"é".repeat(SAVED_REQUEST_LIMITS.maxBodyBytes / 2)}x` }));
      expect({ code: e.code, status: e.status, field: e.details?.field }).toEqual({ code: "PAYLOAD_TOO_LARGE", status: 413, field: "body" });
      expect(e.message).toMatch(/65537 bytes is over the 64 KiB/);
    });

    it(`keeps at most ${SAVED_REQUEST_LIMITS.maxPerApp} per app; overwriting still works at the cap`, async () => {
      const full = await t.db.app.findFirstOrThrow({ where: { tenantId: alice.tenantId, name: "full" } });
      await t.db.savedRequest.createMany({
        data: Array.from({ length: SAVED_REQUEST_LIMITS.maxPerApp }, (_, i) => ({ tenantId: alice.tenantId, appId: full.id, name: `r${String(i).padStart(3, "0")}`, method: "GET", path: "/", headers: [] })),
      });
      const e = await errorOf(save(alice, "one more", { method: "GET", path: "/" }, "full"));
      expect({ code: e.code, status: e.status }).toEqual({ code: "CONFLICT", status: 409 });
      expect(e.message).toMatch(/already has 100 saved requests.*Delete one/);
      expect(await save(alice, "r000", { method: "DELETE", path: "/x" }, "full")).toMatchObject({ name: "r000", method: "DELETE" });
      await deleteSavedRequest({ actor: alice, appName: "full", name: "r001" });
      expect(await save(alice, "one more", { method: "GET", path: "/" }, "full")).toMatchObject({ name: "one more" });
      expect(await t.db.savedRequest.count({ where: { appId: full.id } })).toBe(SAVED_REQUEST_LIMITS.maxPerApp);
    });

    it("keeps tenants apart: another tenant's app is NOT_FOUND before its body is read, and same-named apps are separate", async () => {
      let read = false;
      const e = await errorOf(saveSavedRequest({ actor: bob, appName: "full", name: "x", readInput: async () => ((read = true), { method: "GET", path: "/" }) }));
      expect(e.code).toBe("NOT_FOUND");
      expect(read).toBe(false);
      expect((await errorOf(findSavedRequests({ actor: bob, appName: "full" }))).code).toBe("NOT_FOUND");
      expect((await errorOf(deleteSavedRequest({ actor: bob, appName: "full", name: "r000" }))).code).toBe("NOT_FOUND");
      // Bob has his own "shop": empty, and deleting Alice's name there finds nothing.
      expect(await findSavedRequests({ actor: bob, appName: "shop" })).toEqual([]);
      expect((await errorOf(deleteSavedRequest({ actor: bob, appName: "shop", name: "list items" }))).code).toBe("NOT_FOUND");
      await save(bob, "list items", { method: "HEAD", path: "/bob" });
      expect((await findSavedRequests({ actor: alice, appName: "shop" })).find((r) => r.name === "list items")).toMatchObject({ method: "GET", path: "/items?sort=asc" });
    });
  });
}
