import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXIT } from "./exit-codes";
import { expandFiles, parseManifest, readAppSource } from "./manifest";
import { EMPTY_WASM, tempDir } from "./test-support";

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (tmp = await tempDir()));
afterEach(() => tmp.remove());

async function write(rel: string, data: string | Buffer): Promise<void> {
  const file = path.join(tmp.dir, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, data);
}

describe("parseManifest", () => {
  it("accepts a manifest and keeps keys the server checks", () => {
    const m = parseManifest("name: hello\nmodule: app.wasm\nlimits:\n  memoryMb: 64\n", "wasmcompute.yaml");
    expect(m).toMatchObject({ name: "hello", module: "app.wasm", limits: { memoryMb: 64 } });
  });

  it("names the line and column of a YAML syntax error", () => {
    const err = (() => {
      try {
        parseManifest("name: hello\nmodule: [unclosed\n", "wasmcompute.yaml");
      } catch (e) {
        return e as { message: string; exitCode: number };
      }
    })();
    expect(err?.exitCode).toBe(EXIT.VALIDATION);
    expect(err?.message).toMatch(/^wasmcompute\.yaml:\d+:\d+: invalid YAML/);
  });

  it("names the field at fault", () => {
    expect(() => parseManifest("name: hello\n", "wasmcompute.yaml")).toThrow(/wasmcompute\.yaml: module: is required/);
    expect(() => parseManifest("module: a.wasm\nfiles: static\n", "wasmcompute.yaml")).toThrow(/files: must be a list/);
    expect(() => parseManifest("module: a.wasm\nfiles: [ok, 3]\n", "wasmcompute.yaml")).toThrow(/files\[1\]/);
    expect(() => parseManifest("- a\n- b\n", "wasmcompute.yaml")).toThrow(/must be a YAML mapping/);
    expect(() => parseManifest("", "wasmcompute.yaml")).toThrow(/must be a YAML mapping/);
  });

  it("refuses duplicate keys", () => {
    expect(() => parseManifest("module: a.wasm\nmodule: b.wasm\n", "wasmcompute.yaml")).toThrow(/invalid YAML/);
  });
});

describe("readAppSource", () => {
  it("is a usage error (exit 2) without a manifest", async () => {
    await expect(readAppSource(tmp.dir)).rejects.toMatchObject({ exitCode: EXIT.USAGE, message: expect.stringMatching(/No wasmcompute\.yaml in/) });
  });

  it("is a validation error (exit 6) when the module is missing or not wasm", async () => {
    await write("wasmcompute.yaml", "module: build/app.wasm\n");
    await expect(readAppSource(tmp.dir)).rejects.toMatchObject({
      exitCode: EXIT.VALIDATION,
      message: expect.stringMatching(/module: build\/app\.wasm does not exist/),
    });
    await write("build/app.wasm", "not wasm at all");
    await expect(readAppSource(tmp.dir)).rejects.toMatchObject({ exitCode: EXIT.VALIDATION, message: expect.stringMatching(/not a WebAssembly module/) });
    await mkdir(path.join(tmp.dir, "dir.wasm"));
    await write("wasmcompute.yaml", "module: dir.wasm\n");
    await expect(readAppSource(tmp.dir)).rejects.toMatchObject({ message: expect.stringMatching(/is not a file/) });
  });

  it("reads the module and expands files and folders into sorted relative paths", async () => {
    await write("wasmcompute.yaml", "name: hi\nmodule: build/app.wasm\nfiles:\n  - static\n  - data.json\n  - static/b.css\n");
    await write("build/app.wasm", EMPTY_WASM);
    await write("static/b.css", "b{}");
    await write("static/a/index.html", "<p>");
    await write("data.json", "{}");
    const src = await readAppSource(tmp.dir);
    expect(src.manifest.name).toBe("hi");
    expect(src.module).toMatchObject({ name: "app.wasm", size: 8, source: path.join(tmp.dir, "build/app.wasm") });
    expect(src.files.map((f) => [f.name, f.size])).toEqual([
      ["data.json", 2],
      ["static/a/index.html", 3],
      ["static/b.css", 3],
    ]);
  });
});

describe("expandFiles", () => {
  it("refuses entries outside the app folder", async () => {
    await expect(expandFiles(tmp.dir, ["/etc/passwd"])).rejects.toThrow(/must be relative/);
    await expect(expandFiles(tmp.dir, ["../x"])).rejects.toThrow(/must stay inside/);
    await symlink("/etc", path.join(tmp.dir, "escape"));
    await expect(expandFiles(tmp.dir, ["escape"])).rejects.toThrow(/points outside/);
  });

  it("names a missing entry", async () => {
    await expect(expandFiles(tmp.dir, ["static"])).rejects.toMatchObject({ exitCode: EXIT.VALIDATION, message: expect.stringMatching(/files: static: static does not exist/) });
  });

  it("survives a symlink loop", async () => {
    await write("s/x.txt", "x");
    await symlink("..", path.join(tmp.dir, "s", "up"));
    const files = await expandFiles(tmp.dir, ["s"]);
    expect(files.map((f) => f.name)).toContain("s/x.txt");
  });
});
