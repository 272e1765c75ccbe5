// Writes lib/editor/as-sdk.ts from sdk/assemblyscript/index.ts, the AssemblyScript SDK's one source:
// the editor's compiler gets it as a string (a bundler cannot import an AssemblyScript file as text
// portably). Run after editing the SDK: node scripts/generate-as-sdk.mjs
// lib/editor/as-sdk.test.ts fails when the two differ.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const source = readFileSync(path.join(root, "sdk/assemblyscript/index.ts"), "utf8");
// Kept readable as a String.raw template: it must not contain what would end or interpolate it.
if (source.includes("`") || source.includes("${")) throw new Error("sdk/assemblyscript/index.ts must not contain ` or ${");
writeFileSync(
  path.join(root, "lib/editor/as-sdk.ts"),
  `// Generated from sdk/assemblyscript/index.ts by scripts/generate-as-sdk.mjs: edit that file, then rerun it.
// The AssemblyScript SDK that user code imports as \`import { … } from "wasmcompute"\`: a thin layer
// over WAGI (request in environment variables + stdin, CGI response on stdout) and the
// \`wasmcompute\` host imports of docs/abi.md. It is served to the compiler from memory, beside the
// WASI shim, so that it never appears in (or conflicts with) the user's file tree.
export const AS_SDK_SOURCE = String.raw\`${source}\`;
`,
);
