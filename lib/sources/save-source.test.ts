// The draft service on a real PostgreSQL: first save, saves in sequence, a stale revision refused
// with CONFLICT (nothing overwritten), tenant scoping, and input validation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { findSource } from "./find-source";
import { saveSource } from "./save-source";

let database: TestDatabase;
let alice: { tenantId: string };
let bob: { tenantId: string };

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  const a = await database.db.tenant.create({ data: { name: "alice-team" } });
  const b = await database.db.tenant.create({ data: { name: "bob-team" } });
  alice = { tenantId: a.id };
  bob = { tenantId: b.id };
  await database.db.app.create({ data: { tenantId: a.id, name: "web", template: "hello-as" } });
}, 120_000);

afterAll(async () => {
  await database?.close();
});

const save = (actor: { tenantId: string }, input: unknown, appName = "web") => saveSource({ actor, appName, readInput: async () => input });

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}

describe("editor drafts", () => {
  it("starts empty at revision 0 and remembers the app's template", async () => {
    expect(await findSource({ actor: alice, appName: "web" })).toEqual({ files: {}, revision: 0, updatedAt: null, template: "hello-as" });
  });

  it("saves in sequence, each save based on the last revision", async () => {
    const first = await save(alice, { files: { "main.ts": "a" }, revision: 0 });
    expect(first.revision).toBe(1);
    const second = await save(alice, { files: { "main.ts": "b", "static/index.html": "<p>" }, revision: 1 });
    expect(second.revision).toBe(2);
    expect(await findSource({ actor: alice, appName: "web" })).toMatchObject({ files: { "main.ts": "b", "static/index.html": "<p>" }, revision: 2 });
  });

  it("refuses a save based on a stale revision with CONFLICT and overwrites nothing", async () => {
    const stale = await errorOf(save(alice, { files: { "main.ts": "from the other tab" }, revision: 1 }));
    expect(stale.code).toBe("CONFLICT");
    expect(stale.status).toBe(409);
    expect(stale.message).toMatch(/changed since you opened it.*revision 2.*based on revision 1.*Nothing was overwritten/);
    const firstAgain = await errorOf(save(alice, { files: { "main.ts": "x" }, revision: 0 }));
    expect(firstAgain.code).toBe("CONFLICT");
    expect((await findSource({ actor: alice, appName: "web" })).files["main.ts"]).toBe("b");
  });

  it("lets exactly one of two concurrent saves of the same revision win", async () => {
    const results = await Promise.allSettled([save(alice, { files: { "main.ts": "tab 1" }, revision: 2 }), save(alice, { files: { "main.ts": "tab 2" }, revision: 2 })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((rejected.reason as AppError).code).toBe("CONFLICT");
    expect((await findSource({ actor: alice, appName: "web" })).revision).toBe(3);
  });

  it("answers NOT_FOUND for another tenant's app, before reading the body", async () => {
    let read = false;
    const e = await errorOf(saveSource({ actor: bob, appName: "web", readInput: async () => ((read = true), { files: {}, revision: 3 }) }));
    expect(e.code).toBe("NOT_FOUND");
    expect(read).toBe(false);
    expect((await errorOf(findSource({ actor: bob, appName: "web" }))).code).toBe("NOT_FOUND");
  });

  it("validates paths and revisions", async () => {
    await expect(save(alice, { files: { "../etc/passwd": "x" }, revision: 3 })).rejects.toThrow(/relative path/);
    await expect(save(alice, { files: { "a b.ts": "x" }, revision: 3 })).rejects.toThrow(/letters, digits/);
    await expect(save(alice, { files: {}, revision: -1 })).rejects.toThrow();
  });
});
