import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseManifest } from "./parse-manifest";

function messageOf(text: string): string {
  try {
    parseManifest(text);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).message;
  }
  throw new Error("expected the manifest to be refused");
}

describe("parseManifest", () => {
  it("fills defaults: one catch-all route to _start", () => {
    expect(parseManifest("")).toEqual({ routes: [{ path: "/...", entrypoint: "_start" }], files: [], static: [], env: {}, limits: {}, allowed_hosts: [], datastores: [] });
  });

  it("resolves a full manifest; env values become strings", () => {
    const m = parseManifest(`
name: shop
module: build/app.wasm
routes:
  - path: /api/...
    entrypoint: api
  - path: /
files: [static]
static:
  - path: /assets
    dir: static
env: { RETRIES: 3, DEBUG: false, NAME: shop }
limits: { memoryMb: 64, timeoutMs: 2000, maxRequestBytes: 1024, maxResponseBytes: 65536 }
datastores: [{ name: default, schema: 2 }]
`);
    expect(m.routes).toEqual([
      { path: "/api/...", entrypoint: "api" },
      { path: "/", entrypoint: "_start" },
    ]);
    expect(m.env).toEqual({ RETRIES: "3", DEBUG: "false", NAME: "shop" });
    expect(m.limits).toEqual({ memoryMb: 64, timeoutMs: 2000, maxRequestBytes: 1024, maxResponseBytes: 65536 });
  });

  it.each([
    ["routes:\n  - path: api\n", 'wasmcompute.yaml: routes[0].path: must start with "/"'],
    ["routes:\n  - path: /v/1\n", "routes[0].path: must not start with \"/v/\""],
    ["limits:\n  memoryMb: 0\n", "limits.memoryMb:"],
    ["limits:\n  cpu: 2\n", "limits: Unrecognized key"],
    ["limits:\n  maxRequestBytes: 200000000\n", "limits.maxRequestBytes: at most 104857600 (100 MiB)"],
    ["limits:\n  maxResponseBytes: 0\n", "limits.maxResponseBytes:"],
    ["module: ../outside.wasm\n", "module: must be a path inside the app folder"],
    ["env:\n  1BAD: x\n", "env.1BAD: must be a valid environment variable name"],
    ["colour: blue\n", 'Unrecognized key: "colour"'],
    ["name: Not Valid\n", "name: App name may use lowercase letters"],
    ["allowed_hosts: [api.example.com]\n", 'allowed_hosts[0]: "api.example.com" is not a URL'],
    ["allowed_hosts: [ftp://files.example.com]\n", "allowed_hosts[0]: \"ftp://files.example.com\" must start with http:// or https://"],
    ["allowed_hosts: [https://api.example.com/v1]\n", "allowed_hosts[0]: \"https://api.example.com/v1\" must name only a scheme, a host and a port"],
    ["allowed_hosts: ['https://*.example.com']\n", "wildcards in host names are not supported"],
  ])("points at the field: %j", (text, expected) => {
    expect(messageOf(text)).toContain(expected);
  });

  it("reads allowed_hosts in WAGI/Spin spelling; none by default", () => {
    const m = parseManifest("allowed_hosts: [https://api.example.com, 'http://10.0.0.5:8080', '*']\n");
    expect(m.allowed_hosts).toEqual(["https://api.example.com", "http://10.0.0.5:8080", "*"]);
  });

  it("reports YAML syntax errors with the line", () => {
    expect(messageOf("name: a\nroutes: [\n")).toMatch(/^wasmcompute\.yaml is not valid YAML \(line \d+\)/);
    expect(messageOf("name: a\nname: b\n")).toMatch(/not valid YAML/);
  });
});
