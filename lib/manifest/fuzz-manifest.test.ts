// Property-based fuzzing of the manifest parser (fast-check): whatever text arrives as
// wasmcompute.yaml, parseManifest either returns a manifest the schema accepts or throws an
// AppError UNPROCESSABLE naming the manifest with a readable message. Never anything else.
import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { Manifest } from "./manifest-schema";
import { parseManifest } from "./parse-manifest";

const RUNS = 400;

function check(text: string): void {
  let result: Manifest;
  try {
    result = parseManifest(text);
  } catch (e) {
    expect(e, `threw ${String(e)} for ${JSON.stringify(text.slice(0, 200))}`).toBeInstanceOf(AppError);
    const error = e as AppError;
    expect(error.code).toBe("UNPROCESSABLE");
    expect(error.details?.field).toBe("manifest");
    expect(error.message).toMatch(/^wasmcompute\.yaml/);
    expect(error.message.length).toBeLessThan(2000);
    return;
  }
  // Accepted: the result is a resolved manifest, and it survives a round trip unchanged.
  expect(Manifest.safeParse(result).success).toBe(true);
  expect(parseManifest(stringify(result))).toEqual(result);
}

// Values a manifest's fields might get: right shapes, wrong shapes, odd strings.
const oddString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom("/", "/...", "/v/1", "../x", "/abs", "a/../../b", "_start", "", " ", "\0", "~", "null", "NaN", "1e999", "-1", "0x10"),
);
const leaf = fc.oneof(oddString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, fc.array(tie("any"), { maxLength: 4 }), fc.dictionary(oddString, tie("any"), { maxKeys: 4 })),
})).any;

const route = fc.record({ path: fc.oneof(oddString, fc.constantFrom("/", "/api/...", "/x")), entrypoint: fc.oneof(oddString, value) }, { requiredKeys: [] });
const manifestLike = fc.record(
  {
    name: fc.oneof(oddString, fc.constantFrom("shop", "a", "a-", "A"), value),
    module: fc.oneof(oddString, fc.constantFrom("main.wasm", "build/app.wasm"), value),
    routes: fc.oneof(fc.array(fc.oneof(route, value), { maxLength: 4 }), value),
    files: fc.oneof(fc.array(oddString, { maxLength: 4 }), value),
    static: fc.oneof(fc.array(fc.record({ path: oddString, dir: oddString }, { requiredKeys: [] }), { maxLength: 3 }), value),
    env: fc.oneof(fc.dictionary(oddString, fc.oneof(leaf, value), { maxKeys: 5 }), value),
    limits: fc.oneof(fc.record({ memoryMb: fc.oneof(fc.integer(), fc.double(), oddString), timeoutMs: fc.oneof(fc.integer(), fc.double(), oddString) }, { requiredKeys: [] }), value),
    datastores: fc.oneof(fc.array(fc.record({ name: oddString, schema: fc.oneof(fc.integer(), fc.double(), oddString) }, { requiredKeys: [] }), { maxLength: 3 }), value),
    extra: value,
  },
  { requiredKeys: [] },
);

// YAML's own syntax: anchors and aliases (exponential expansion), tags, flow/block mixes,
// directives, multiple documents, deep nesting, tabs and stray indentation.
const yamlToken = fc.constantFrom(
  "&a [x, x]", "*a", "&b {k: *a}", "*b", "!!binary aGVsbG8=", "!!js/function 'x'", "!custom x", "%YAML 1.2\n---", "---", "...", "? key\n: value",
  "[", "]", "{", "}", ":", "- ", "  ", "\t", "\n", "#", "|", ">", "'", '"', "\\u0000", "<<: *a", "0o17", ".inf", "~", "name: x", "routes:", "  - path: /", "    entrypoint: y",
);
const yamlish = fc.array(fc.oneof(yamlToken, fc.string({ maxLength: 8 })), { maxLength: 30 }).map((parts) => parts.join(""));

// The billion-laughs shape: each alias doubles the one before.
const aliasBomb = fc.integer({ min: 1, max: 40 }).map((levels) => {
  const lines = ["a0: &a0 [lol, lol]"];
  for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}]`);
  return lines.join("\n");
});
const deepNesting = fc.integer({ min: 1, max: 5000 }).map((depth) => `routes: ${"[".repeat(depth)}${"]".repeat(depth)}`);

describe("parseManifest under fuzzing", () => {
  it("arbitrary text", () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme-ascii", maxLength: 400 })), check), { numRuns: RUNS });
  });

  it("YAML-ish token soup: anchors, aliases, tags, directives, stray indentation", () => {
    fc.assert(fc.property(yamlish, check), { numRuns: RUNS });
  });

  it("manifest-shaped documents with wrong, odd and extra values", () => {
    fc.assert(fc.property(manifestLike, (doc) => check(stringify(doc))), { numRuns: RUNS });
  });

  it("alias bombs and deep nesting are refused with a message, not a crash", () => {
    fc.assert(fc.property(fc.oneof(aliasBomb, deepNesting), check), { numRuns: 60 });
  });
});
