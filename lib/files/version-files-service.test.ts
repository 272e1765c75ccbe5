// The files services on both databases the platform supports: listing, a whole file, the first
// bytes of a large one (the console's 64 KiB preview reads no more), and another tenant's miss.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpActor } from "@/lib/testing/actors";
import type { Actor } from "@/lib/auth/actor";
import { createApp } from "@/lib/apps/create-app";
import { AppError } from "@/lib/errors";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "@/lib/testing/test-database";
import { publishVersion } from "@/lib/versions/publish-version";
import { decodeTextPreview, previewKindOf, rawFileHeaders, TEXT_PREVIEW_BYTES } from "./file-preview";
import { findVersionFiles } from "./find-version-files";
import { readVersionFile } from "./read-version-file";

const ROOT = path.resolve(import.meta.dirname, "../..");
// 100 KiB of text with a multi-byte character across the 64 KiB mark.
const BIG = new TextEncoder().encode("a".repeat(TEXT_PREVIEW_BYTES - 1) + "é" + "b".repeat(100 * 1024 - TEXT_PREVIEW_BYTES - 1));

describe.each(["embedded", "postgres"] as DatabaseKind[])("files services on %s", (kind) => {
  let database: TestDatabase;
  let alice: Actor;
  let bob: Actor;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const actor = async (name: string): Promise<Actor> => {
      return await signUpActor(name);
    };
    alice = await actor("alice");
    bob = await actor("bob");
    for (const a of [alice, bob]) await createApp({ actor: a, input: { name: "site" } });
    const module = new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm/hello-wat.wasm")));
    await publishVersion({
      actor: alice,
      appName: "site",
      input: { version: "1.0.0", module, files: [{ path: "docs/big.txt", data: BIG }, { path: "a.txt", data: new TextEncoder().encode("A\n") }] },
    });
  }, 120_000);

  afterAll(async () => {
    await database?.close();
  });

  it("publishes a static mount of the files' root (dir: .), and refuses a mount whose folder has no file", async () => {
    const module = new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm/hello-wat.wasm")));
    const page = { path: "index.html", data: new TextEncoder().encode("<h1>root</h1>\n") };
    for (const dir of [".", "./"]) {
      const version = dir === "." ? "2.0.0" : "2.0.1";
      const manifestText = `static:\n  - path: /site\n    dir: "${dir}"\n`;
      await publishVersion({ actor: alice, appName: "site", input: { version, module, manifestText, files: [page] } });
      expect((await findVersionFiles({ actor: alice, appName: "site", version })).map((f) => f.path)).toEqual(["index.html"]);
    }
    const refused = await publishVersion({
      actor: alice,
      appName: "site",
      input: { version: "2.0.2", module, manifestText: "static:\n  - path: /site\n    dir: public\n", files: [page] },
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toBe('wasmcompute.yaml: static[0].dir: no uploaded file is under "public/".');
  });

  it("lists the files sorted by path", async () => {
    const files = await findVersionFiles({ actor: alice, appName: "site", version: "1.0.0" });
    expect(files.map((f) => [f.path, f.size, f.contentType])).toEqual([
      ["a.txt", 2, "text/plain; charset=utf-8"],
      ["docs/big.txt", BIG.byteLength, "text/plain; charset=utf-8"],
    ]);
  });

  it("reads a whole file, or only its first bytes", async () => {
    const whole = await readVersionFile({ actor: alice, appName: "site", version: "1.0.0", path: "docs/big.txt" });
    expect(whole.truncated).toBe(false);
    expect(whole.bytes).toEqual(BIG);
    const head = await readVersionFile({ actor: alice, appName: "site", version: "1.0.0", path: "docs/big.txt", maxBytes: TEXT_PREVIEW_BYTES });
    expect(head.truncated).toBe(true);
    expect(head.bytes).toEqual(BIG.subarray(0, TEXT_PREVIEW_BYTES));
    // The cut lands inside "é": one replacement character, still shown as text.
    expect(decodeTextPreview(head.bytes)).toBe("a".repeat(TEXT_PREVIEW_BYTES - 1) + "\uFFFD");
    const small = await readVersionFile({ actor: alice, appName: "site", version: "1.0.0", path: "a.txt", maxBytes: TEXT_PREVIEW_BYTES });
    expect(small).toMatchObject({ truncated: false, bytes: new TextEncoder().encode("A\n") });
  });

  it("is not found for another tenant, a missing version or a missing path", async () => {
    const notFound = (p: Promise<unknown>) => expect(p).rejects.toSatisfy((e) => e instanceof AppError && e.code === "NOT_FOUND");
    await notFound(findVersionFiles({ actor: bob, appName: "site", version: "1.0.0" }));
    await notFound(readVersionFile({ actor: bob, appName: "site", version: "1.0.0", path: "a.txt" }));
    await notFound(readVersionFile({ actor: alice, appName: "site", version: "2.0.0", path: "a.txt" }));
    await notFound(readVersionFile({ actor: alice, appName: "site", version: "1.0.0", path: "../a.txt" }));
  });
});

describe("file previews", () => {
  it("previews images and text, and nothing else", () => {
    expect(["image/png", "image/svg+xml", "text/html; charset=utf-8", "application/json", "application/wasm", "application/octet-stream"].map(previewKindOf)).toEqual([
      "image",
      "image",
      "text",
      "text",
      "none",
      "none",
    ]);
    expect(decodeTextPreview(new Uint8Array([104, 105, 0, 1]))).toBeNull();
    expect(decodeTextPreview(new Uint8Array(Array.from({ length: 100 }, () => 0xff)))).toBeNull();
  });

  it("never lets a file render as a document on the console's origin", () => {
    const file = (p: string, contentType: string) => rawFileHeaders({ path: p, size: 1, sha256: "ab", contentType });
    expect(file("x/logo.png", "image/png")).toMatchObject({ "content-type": "image/png", "content-disposition": "inline; filename*=UTF-8''logo.png" });
    expect(file("x.svg", "image/svg+xml")).toMatchObject({ "content-type": "image/svg+xml", "content-disposition": expect.stringMatching(/^attachment/) });
    expect(file("a b.html", "text/html; charset=utf-8")).toMatchObject({
      "content-type": "application/octet-stream",
      "content-disposition": "attachment; filename*=UTF-8''a%20b.html",
      "x-file-content-type": "text/html; charset=utf-8",
    });
    for (const type of ["image/png", "image/svg+xml", "text/html"]) expect(file("f", type)["content-security-policy"]).toMatch(/sandbox/);
  });
});
