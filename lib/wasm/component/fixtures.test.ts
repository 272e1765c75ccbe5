import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { transpileBytes } from "@bytecodealliance/jco-transpile";
import { describe, expect, it } from "vitest";

// The component fixtures (fixtures/component/, built by scripts/build-component-fixtures.mjs) are
// what the component host's tests run: check they are components of the world they claim, with
// the imports and exports each one's source comment promises. How they behave is the host's tests' job.
const ROOT = path.resolve(import.meta.dirname, "../../..");
const DIR = path.join(ROOT, "fixtures/component");
const read = (file: string) => new Uint8Array(readFileSync(path.join(DIR, file)));

const HANDLER = [
  ["incomingHandler", "instance"],
  ["wasi:http/incoming-handler@0.2.0", "instance"],
];
const HTTP = ["wasi:http/types"];
const STREAMS = [...HTTP, "wasi:io/error", "wasi:io/streams"];
// jco lists imports unversioned and sorted.
const EXPECTED: Record<string, { imports: string[]; exports: string[][] }> = {
  hello: { imports: STREAMS, exports: HANDLER },
  echo: { imports: STREAMS, exports: HANDLER },
  status: { imports: HTTP, exports: HANDLER },
  stream: { imports: STREAMS, exports: HANDLER },
  headers: { imports: STREAMS, exports: HANDLER },
  outbound: {
    imports: ["wasi:http/outgoing-handler", "wasi:http/types", "wasi:io/error", "wasi:io/poll", "wasi:io/streams"],
    exports: HANDLER,
  },
  trap: { imports: HTTP, exports: HANDLER },
  loop: { imports: HTTP, exports: HANDLER },
  grow: { imports: STREAMS, exports: HANDLER },
  big: { imports: STREAMS, exports: HANDLER },
  logs: { imports: ["wasi:cli/stderr", "wasi:cli/stdout", ...STREAMS], exports: HANDLER },
  "wrong-world": {
    imports: ["wasi:cli/stdout", "wasi:io/error", "wasi:io/streams"],
    exports: [
      ["run", "instance"],
      ["wasi:cli/run@0.2.0", "instance"],
    ],
  },
};

describe("component fixtures", () => {
  it("has an expectation for every source", () => {
    const sources = readdirSync(DIR)
      .filter((f) => f.endsWith(".wat"))
      .map((f) => f.slice(0, -".wat".length));
    expect(sources.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it("are component binaries (layer 1), unlike a core module", () => {
    const COMPONENT = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];
    for (const name of Object.keys(EXPECTED)) {
      expect([...read(`${name}.component.wasm`).subarray(0, 8)], name).toEqual(COMPONENT);
    }
    const core = new Uint8Array(readFileSync(path.join(ROOT, "fixtures/wasm/hello-wat.wasm")));
    expect([...core.subarray(4, 8)]).toEqual([0x01, 0x00, 0x00, 0x00]);
  });

  it("transpile (jco, sync instantiation) with the imports and exports their world gives them", async () => {
    for (const [name, expected] of Object.entries(EXPECTED)) {
      const result = await transpileBytes(read(`${name}.component.wasm`), { name: "component", instantiation: "sync" });
      expect({ imports: result.imports, exports: result.exports }, name).toEqual(expected);
      expect(Object.keys(result.files), name).toContain("component.js");
    }
  });

  it("match their sources (rebuilding gives the committed bytes)", () => {
    execFileSync(process.execPath, [path.join(ROOT, "scripts/build-component-fixtures.mjs"), "--check"], {
      stdio: "pipe",
    });
  });
});
