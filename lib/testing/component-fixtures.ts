// Components for publish tests, made on the spot: a world of our choosing, with a dummy core module
// (wasm-tools' `component embed --dummy` + `component new`, shipped in jco-transpile), ~0.1 s.
// Only their worlds matter: they are refused at publish, so no code of theirs ever runs.
import { readFileSync } from "node:fs";
import path from "node:path";
import { componentEmbed, componentNew } from "@bytecodealliance/jco-transpile/wasm-tools";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** A wasi:http/proxy hello (fixtures/component/hello.wat): every request → 200 "Hello from a component\n". */
export function helloComponent(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(path.join(ROOT, "fixtures/component/hello.component.wasm")));
}

/**
 * A component that exports wasi:http/incoming-handler@0.2.0 (a stand-in signature) and imports
 * `imports`, e.g. "wasi:sockets/tcp@0.2.0": each "ns:pkg/iface@version" becomes a package of its own.
 */
export async function componentImporting(imports: string[]): Promise<Uint8Array<ArrayBuffer>> {
  const packages = new Map<string, string[]>([["wasi:http@0.2.0", ["interface incoming-handler { handle: func(); }"]]]);
  for (const name of imports) {
    const m = /^([\w-]+:[\w-]+)\/([\w-]+)@(.+)$/.exec(name);
    if (!m) throw new Error(`not ns:pkg/iface@version: ${name}`);
    const pkg = `${m[1]}@${m[3]}`;
    packages.set(pkg, [...(packages.get(pkg) ?? []), `interface ${m[2]} { call: func(); }`]);
  }
  const witSource = [
    "package test:fixture;",
    ...[...packages].map(([pkg, interfaces]) => `package ${pkg} {\n  ${interfaces.join("\n  ")}\n}`),
    `world app {\n${imports.map((i) => `  import ${i};\n`).join("")}  export wasi:http/incoming-handler@0.2.0;\n}`,
  ].join("\n");
  const embedded = await componentEmbed({ witSource, dummy: true, world: "app" });
  return new Uint8Array(await componentNew(embedded, []));
}

/** The component preamble ("\0asm", version 0x0d, layer 1) followed by bytes that are no component. */
export function garbageWithComponentLayer(): Uint8Array<ArrayBuffer> {
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, ...new TextEncoder().encode("not really a component")]);
}
