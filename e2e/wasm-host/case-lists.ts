// The lib/wasm case lists as one table, and one way of running them that the page
// (browser-entry.ts) and the Node side of the spec share, so both produce results in the same
// shape: list → [{ name, result }]. Imports lib/wasm only, so it bundles for the browser.
import { CGI_RESPONSE_CASES } from "../../lib/wasm/cgi-response-cases";
import { FUZZ_CGI_WASI_CASES, type FuzzCase } from "../../lib/wasm/fuzz-cgi-wasi-cases";
import { GUEST_TEXT_CASES } from "../../lib/wasm/guest-text-cases";
import type { HostCase, Modules } from "../../lib/wasm/host-cases";
import { WAGI_ENVIRONMENT_CASES } from "../../lib/wasm/wagi-environment-cases";
import { WAGI_ROUTES_CASES } from "../../lib/wasm/wagi-routes-cases";
import { WASI_HOST_CASES } from "../../lib/wasm/wasi-host-cases";

type FastCheck = typeof import("fast-check").default;

/** Keyed by the vitest file that runs the list in Node. */
export const HOST_CASE_LISTS: Record<string, HostCase[]> = {
  "wasi-host": WASI_HOST_CASES,
  "wagi-environment": WAGI_ENVIRONMENT_CASES,
  "cgi-response": CGI_RESPONSE_CASES,
  "wagi-routes": WAGI_ROUTES_CASES,
  "guest-text": GUEST_TEXT_CASES,
};

export const FUZZ_CASE_LISTS: Record<string, FuzzCase[]> = {
  "fuzz-cgi-wasi": FUZZ_CGI_WASI_CASES,
};

export type ListResults = Record<string, Array<{ name: string; result: unknown }>>;

/** Where the test server serves a case's module (compiled WAT or a fixture). */
export function caseModulePath(list: string, index: number, key: string): string {
  return `/cases/${encodeURIComponent(list)}/${index}/${encodeURIComponent(key)}.wasm`;
}

type LoadModule = (path: string) => Promise<WebAssembly.Module>;

async function loadModules(list: string, index: number, keys: string[], load: LoadModule): Promise<Modules> {
  return Object.fromEntries(await Promise.all(keys.map(async (key) => [key, await load(caseModulePath(list, index, key))] as const)));
}

/** A case that throws is a result too: the comparison shows it next to the expected value. */
function settle(run: () => unknown): unknown {
  try {
    return run();
  } catch (e) {
    return { threw: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

export async function runHostCaseLists(load: LoadModule): Promise<ListResults> {
  const out: ListResults = {};
  for (const [list, cases] of Object.entries(HOST_CASE_LISTS)) {
    out[list] = [];
    for (const [i, c] of cases.entries()) {
      const modules = await loadModules(list, i, Object.keys(c.wat ?? {}), load);
      out[list].push({ name: c.name, result: settle(() => c.run(modules)) });
    }
  }
  return out;
}

/** Each fuzz case with its browserRuns and the given seed, so Node and the page draw the same inputs. */
export async function runFuzzCaseLists(fc: FastCheck, seed: number, load: LoadModule): Promise<ListResults> {
  const out: ListResults = {};
  for (const [list, cases] of Object.entries(FUZZ_CASE_LISTS)) {
    out[list] = [];
    for (const [i, c] of cases.entries()) {
      const modules = await loadModules(list, i, Object.keys(c.fixtures ?? {}), load);
      out[list].push({ name: c.name, result: settle(() => c.run(fc, modules, { numRuns: c.browserRuns, seed })) });
    }
  }
  return out;
}
