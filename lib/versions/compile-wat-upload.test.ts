// A .wat upload is compiled on the way in (as WAGI serves .wat); broken text is a 400 naming line:column.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { looksLikeWat, moduleBinaryOf } from "./compile-wat-upload";

const ROOT = path.resolve(import.meta.dirname, "../..");
const text = (s: string) => new TextEncoder().encode(s);

describe("moduleBinaryOf", () => {
  it("compiles WAT, comments first included, and passes binaries through untouched", async () => {
    const wat = await readFile(path.join(ROOT, "fixtures/wat/hello.wat"));
    const binary = await moduleBinaryOf(new Uint8Array(wat), "hello.wat");
    expect(WebAssembly.Module.exports(new WebAssembly.Module(binary as BufferSource)).map((e) => e.name)).toContain("_start");
    const wasm = new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm/hello-c.wasm")));
    expect(await moduleBinaryOf(wasm)).toBe(wasm);
    expect(looksLikeWat(text(";; a comment\n(; block ;)\n  (module)"))).toBe(true);
    expect(looksLikeWat(text("not wasm at all"))).toBe(false);
  });

  it("refuses text that does not compile with a 400 naming the file, line and column", async () => {
    const broken = text('(module\n  (func (export "_start")\n    (i32.add (i32.const 1))))\n  (oops)\n');
    const error = await moduleBinaryOf(broken, "app.wat").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "BAD_REQUEST", status: 400, details: { field: "module" } });
    expect((error as AppError).message).toMatch(/^The module is WebAssembly text \(WAT\) that does not compile: app\.wat:\d+:\d+: /);
  });
});
