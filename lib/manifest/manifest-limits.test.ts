// wasmcompute.yaml's size and count limits (docs/manifest.md, "Limits"): refused with a message
// naming the limit, before the quadratic or recursive parts of the YAML parser run, and the same
// way by every reader: the console's publish (parseManifest), the IDE (manifestSettings, the
// preview's route table) and the CLI.
import { describe, expect, it } from "vitest";
import { parseManifest as parseManifestInCli } from "@/cli/manifest";
import { manifestSettings } from "@/lib/editor/manifest-settings";
import { manifestDeclaresRoutes } from "@/lib/editor/preview-routes";
import { AppError } from "@/lib/errors";
import { MANIFEST_LIMITS, readManifestYaml } from "./manifest-limits";
import { parseManifest } from "./parse-manifest";

function refusal(text: string): AppError {
  try {
    parseManifest(text);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("expected the manifest to be refused");
}

const lines = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join("\n");
const routes = (n: number) => `module: app.wasm\nroutes:\n${lines(n, (i) => `  - path: /r${i}`)}\n`;
const env = (n: number) => `module: app.wasm\nenv:\n${lines(n, (i) => `  K${i}: v`)}\n`;

describe("manifest limits", () => {
  it("refuses the 224 KiB manifest with 20,000 env keys by its size (413), before parsing it", () => {
    const text = env(20_000);
    expect(text.length).toBeGreaterThan(220 * 1024);
    const e = refusal(text);
    expect(e.status).toBe(413);
    expect(e.details?.field).toBe("manifest");
    expect(e.message).toMatch(/^wasmcompute\.yaml is \d+ bytes; a manifest is at most 65536 bytes \(64 KiB\)/);
  });

  it("refuses 100,000 routes by size, and 101 routes by count (422 naming the limit and the line)", () => {
    expect(refusal(routes(100_000)).status).toBe(413);
    const e = refusal(routes(101));
    expect(e.status).toBe(422);
    expect(e.message).toBe("wasmcompute.yaml: routes: 101 routes; at most 100 (line 3)");
  });

  it("refuses too many env variables, static mounts, datastores and files entries by count", () => {
    expect(refusal(env(101)).message).toBe("wasmcompute.yaml: env: 101 variables; at most 100 (line 3)");
    // 6,000 keys fit in 64 KiB: refused by count, before the duplicate-key check (keys²) runs.
    expect(refusal(env(6000)).message).toBe("wasmcompute.yaml: env: 6000 variables; at most 100 (line 3)");
    expect(refusal(`static:\n${lines(51, (i) => `  - { path: /s${i}, dir: d }`)}\n`).message).toBe("wasmcompute.yaml: static: 51 static mounts; at most 50 (line 2)");
    expect(refusal(`datastores:\n${lines(21, (i) => `  - name: d${i}`)}\n`).message).toBe("wasmcompute.yaml: datastores: 21 datastores; at most 20 (line 2)");
    expect(refusal(`files: [${lines(1001, (i) => `f${i}`).replaceAll("\n", ", ")}]\n`).message).toBe("wasmcompute.yaml: files: 1001 entries; at most 1000 (line 1)");
  });

  it("refuses any mapping with more than 100 keys and any list with more than 1000 entries, wherever it is", () => {
    expect(refusal(`limits:\n${lines(101, (i) => `  k${i}: 1`)}\n`).message).toBe("wasmcompute.yaml: limits: a mapping with 101 keys; at most 100 (line 2)");
    expect(refusal(`routes:\n  - path: /\n    entrypoint: [${"x, ".repeat(1001)}]\n`).message).toBe("wasmcompute.yaml: routes[0].entrypoint: a list with 1001 entries; at most 1000 (line 3)");
    expect(refusal(`x${lines(101, (i) => `k${i}: 1`)}`).message).toMatch(/^wasmcompute\.yaml: a mapping with 101 keys; at most 100/);
  });

  it("refuses nesting deeper than 8 levels, flow or block, even 30,000 levels (no stack overflow, no crash)", () => {
    const at9 = `routes: ${"[".repeat(8)}x${"]".repeat(8)}\n`;
    expect(refusal(at9).message).toBe("wasmcompute.yaml: nested more than 8 levels deep (mappings and lists inside one another); at most 8 (line 1)");
    expect(() => parseManifest(`routes: ${"[".repeat(7)}x${"]".repeat(7)}\n`)).toThrow(/routes\[0\]/); // 8 deep: a schema error, not a limit
    expect(refusal(`routes: ${"[".repeat(30_000)}${"]".repeat(30_000)}`).message).toMatch(/nested more than 8 levels deep/);
    expect(refusal(`files:\n${"  - ".repeat(20)}x\n`).message).toMatch(/nested more than 8 levels deep.*\(line 2\)/);
    expect(refusal(`${"- ".repeat(30_000)}x`).message).toMatch(/nested more than 8 levels deep/);
    // Brackets inside quotes and comments are text.
    expect(parseManifest(`env:\n  A: "${"[".repeat(100)}"\n# ${"{".repeat(100)}\n`).env.A).toBe("[".repeat(100));
  });

  it("refuses more than 50 aliases, and alias bombs", () => {
    expect(parseManifest(`env:\n  A: &a x\n${lines(50, (i) => `  B${i}: *a`)}\n`).env.B49).toBe("x");
    expect(refusal(`files: &f [a]\nx: [${lines(51, () => "*f").replaceAll("\n", ", ")}]\n`).message).toBe("wasmcompute.yaml: more than 50 aliases (*name); at most 50 (line 2)");
    const bomb = lines(20, (i) => (i === 0 ? "a0: &a0 [lol, lol]" : `a${i}: &a${i} [*a${i - 1}, *a${i - 1}]`));
    expect(refusal(bomb).message).toMatch(/^wasmcompute\.yaml is not valid YAML: Excessive alias count/);
  });

  it("refuses a NUL anywhere (value or key) naming where it is", () => {
    expect(refusal('env:\n  A: "a\\0b"\n').message).toBe("wasmcompute.yaml: env.A: must not contain a NUL character (\\0)");
    expect(refusal('routes:\n  - path: /\n    entrypoint: "x\\x00"\n').message).toBe("wasmcompute.yaml: routes[0].entrypoint: must not contain a NUL character (\\0)");
    expect(refusal('env:\n  "A\\0": b\n').message).toBe("wasmcompute.yaml: env.A\0: must not contain a NUL character (\\0)");
  });

  it("accepts a manifest at every count limit", () => {
    const text = [
      "module: app.wasm",
      `routes:\n${lines(MANIFEST_LIMITS.routes, (i) => `  - path: /r${i}\n    entrypoint: _start`)}`,
      `env:\n${lines(MANIFEST_LIMITS.env, (i) => `  K${i}: v${i}`)}`,
      `static:\n${lines(MANIFEST_LIMITS.static, (i) => `  - { path: /s${i}, dir: d${i} }`)}`,
      `datastores:\n${lines(MANIFEST_LIMITS.datastores, (i) => `  - name: d${i}`)}`,
      `files:\n${lines(MANIFEST_LIMITS.files, (i) => `  - f${i}`)}`,
    ].join("\n");
    expect(text.length).toBeLessThan(MANIFEST_LIMITS.bytes);
    const m = parseManifest(text);
    expect([m.routes.length, Object.keys(m.env).length, m.static.length, m.datastores.length, m.files.length]).toEqual([100, 100, 50, 20, 1000]);
  });

  it("still refuses duplicate keys as invalid YAML", () => {
    expect(refusal("name: a\nname: b\n").message).toMatch(/^wasmcompute\.yaml is not valid YAML \(line 2\): Map keys must be unique/);
  });

  describe("every reader refuses the same documents the same way", () => {
    const cases: [string, string][] = [
      [env(20_000), "a manifest is at most 65536 bytes (64 KiB)"],
      [routes(101), "routes: 101 routes; at most 100"],
      [`module: app.wasm\nroutes: ${"[".repeat(30_000)}${"]".repeat(30_000)}`, "nested more than 8 levels deep"],
      [`module: app.wasm\nenv:\n  A: "\\0"\n`, "env.A: must not contain a NUL character"],
    ];
    it.each(cases.map(([text, message]) => [message, text]))("%s", (message, text) => {
      expect(refusal(text).message).toContain(message);
      expect(() => parseManifestInCli(text, "wasmcompute.yaml")).toThrow(message);
      expect(manifestSettings(text).diagnostics[0]?.message).toContain(message);
      expect(() => readManifestYaml(text)).toThrow(message);
      expect(manifestDeclaresRoutes(text)).toBe(false);
    });
  });
});
