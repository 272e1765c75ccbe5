// The browser's Binaryen is the npm build split in two: the committed glue (bundled) and the wasm
// the console serves. Both halves together must be the working compiler back-end.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/compiler/[file]/route";
import { binaryenWasmFile, splitBinaryen } from "./binaryen-split";
import { renderBinaryenGlue } from "./generate-binaryen-glue";
import createBinaryen, { BINARYEN_WASM_FILE } from "./binaryen-glue.generated.js";

const parts = splitBinaryen();

describe("Binaryen split for the browser", () => {
  it("the committed glue matches node_modules (rerun generate-binaryen-glue.ts)", () => {
    expect(readFileSync(path.join(import.meta.dirname, "binaryen-glue.generated.js"), "utf8")).toBe(renderBinaryenGlue());
    expect(BINARYEN_WASM_FILE).toBe(binaryenWasmFile(parts.sha256));
    // The point of the split: the bundled half carries no wasm.
    expect(parts.glue.length).toBeLessThan(1_000_000);
    expect(parts.wasm.length).toBeGreaterThan(1_000_000);
  });

  it("the glue instantiated with the served bytes builds and validates a module", async () => {
    const binaryen = (await createBinaryen({
      instantiateWasm(imports, receiveInstance) {
        void WebAssembly.instantiate(parts.wasm as Uint8Array<ArrayBuffer>, imports).then((r) => receiveInstance(r.instance));
        return {};
      },
    })) as {
      Module: new () => {
        addFunction(name: string, params: number, results: number, vars: number[], body: number): void;
        addFunctionExport(internal: string, external: string): void;
        i32: { add(a: number, b: number): number; const(n: number): number };
        validate(): number;
        emitBinary(): Uint8Array;
        dispose(): void;
      };
      none: number;
      i32: number;
    };
    const mod = new binaryen.Module();
    mod.addFunction("answer", binaryen.none, binaryen.i32, [], mod.i32.add(mod.i32.const(40), mod.i32.const(2)));
    mod.addFunctionExport("answer", "answer");
    expect(mod.validate()).toBeTruthy();
    const bytes = mod.emitBinary();
    mod.dispose();
    const { instance } = await WebAssembly.instantiate(bytes as Uint8Array<ArrayBuffer>);
    expect((instance.exports.answer as () => number)()).toBe(42);
  });

  it("the console serves the wasm under its content address, cached, and 404s any other name", async () => {
    const res = await GET(new Request(`http://console.test/compiler/${BINARYEN_WASM_FILE}`), { params: Promise.resolve({ file: BINARYEN_WASM_FILE }) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/wasm");
    expect(res.headers.get("cache-control")).toContain("immutable");
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(parts.wasm))).toBe(true);
    const stale = await GET(new Request("http://console.test/compiler/binaryen.0000000000000000.wasm"), { params: Promise.resolve({ file: "binaryen.0000000000000000.wasm" }) });
    expect(stale.status).toBe(404);
  });
});
