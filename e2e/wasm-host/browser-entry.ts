// Browser side of the wasm-host e2e run: fetches the wasi-testsuite files and
// the pre-compiled core-case modules from the test server, runs them through
// the very same lib/wasm code as Node, and hands the results back to Playwright.
// The lib/wasm case lists (case-lists.ts), fast-check included, run here too.
import fc from "fast-check";
import { CORE_CASES } from "../../lib/wasm/core-cases";
import { runFuzzCaseLists, runHostCaseLists, type ListResults } from "./case-lists";
import { COMPONENT_CASES, artifactKey } from "../../lib/wasm/component/component-cases";
import { loadComponent } from "../../lib/wasm/component/run-component";
import { runSuite, summarizeSuite, type SuiteFiles, type TestOutcome } from "../../lib/wasm/wasi-testsuite";

export interface BrowserResults {
  suite: TestOutcome[];
  summary: string[];
  core: Array<{ name: string; result: unknown }>;
  environment: { userAgent: string; hasNodeProcess: boolean };
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function runAll(): Promise<BrowserResults> {
  const paths = (await (await fetch("/suite-manifest.json")).json()) as string[];
  const files: SuiteFiles = new Map();
  await Promise.all(
    paths.map(async (p) => files.set(p, p.endsWith("/") ? new Uint8Array(0) : await fetchBytes(`/suite/${p}`))),
  );
  const suite = runSuite(files);

  const core: BrowserResults["core"] = [];
  for (const [i, c] of CORE_CASES.entries()) {
    const module = await WebAssembly.compile((await fetchBytes(`/core/${i}.wasm`)) as BufferSource);
    let result: unknown;
    try {
      result = c.run(module);
    } catch (e) {
      result = { threw: e instanceof Error ? e.message : String(e) };
    }
    core.push({ name: c.name, result });
  }

  return {
    suite,
    summary: summarizeSuite(suite),
    core,
    environment: { userAgent: navigator.userAgent, hasNodeProcess: "process" in globalThis },
  };
}

const fetchModule = async (path: string) => WebAssembly.compile((await fetchBytes(path)) as BufferSource);

/** The component case list on artifacts the server made (the Node side runs the same bytes). */
async function runComponentCases(): Promise<Array<{ name: string; result: unknown }>> {
  const out: Array<{ name: string; result: unknown }> = [];
  for (const c of COMPONENT_CASES) {
    const component = loadComponent(await fetchBytes(`/components/${encodeURIComponent(artifactKey(c.fixture))}`));
    let result: unknown;
    try {
      result = c.run(component);
    } catch (e) {
      result = { threw: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
    out.push({ name: c.name, result });
  }
  return out;
}

export interface WasmHostPage {
  runWasmHostTests: typeof runAll;
  runComponentCases: typeof runComponentCases;
  runWasmCaseLists(): Promise<ListResults>;
  runWasmFuzzCases(seed: number): Promise<ListResults>;
}

const page: WasmHostPage = {
  runWasmHostTests: runAll,
  runComponentCases,
  runWasmCaseLists: () => runHostCaseLists(fetchModule),
  runWasmFuzzCases: (seed) => runFuzzCaseLists(fc, seed, fetchModule),
};
Object.assign(globalThis, page);
document.title = "wasm-host tests ready";
