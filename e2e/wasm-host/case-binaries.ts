// Node side: the bytes of every module the case lists need, by the path the page fetches them
// from (caseModulePath): WAT compiled with wabt, fixtures read from fixtures/wasm. The server
// serves these to the page and the spec compiles the very same bytes for its Node run.
import { readFileSync } from "node:fs";
import path from "node:path";
import { watToBinary } from "../../lib/wasm/test-support/compile-wat";
import { FUZZ_CASE_LISTS, HOST_CASE_LISTS, caseModulePath } from "./case-lists";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");

export async function buildCaseBinaries(): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const [list, cases] of Object.entries(HOST_CASE_LISTS)) {
    for (const [i, c] of cases.entries()) {
      for (const [key, source] of Object.entries(c.wat ?? {})) out.set(caseModulePath(list, i, key), await watToBinary(source));
    }
  }
  for (const [list, cases] of Object.entries(FUZZ_CASE_LISTS)) {
    for (const [i, c] of cases.entries()) {
      for (const [key, file] of Object.entries(c.fixtures ?? {})) {
        out.set(caseModulePath(list, i, key), new Uint8Array(readFileSync(path.join(FIXTURES, path.basename(file)))));
      }
    }
  }
  return out;
}
