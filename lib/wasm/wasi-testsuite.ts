// Runs WebAssembly/wasi-testsuite (wasm32-wasip1) against runWasi. Environment
// neutral: the caller hands in the suite's files as a path → bytes map (read
// from disk in Node, fetched over HTTP in the browser), so both report the
// same results. The spec is the suite's doc/specification.md.
import { MemFs } from "./mem-fs";
import { runWasi } from "./run-wasi";

export const TOOLCHAINS = ["assemblyscript", "c", "rust"] as const;
export type Toolchain = (typeof TOOLCHAINS)[number];

/** Suite files keyed by path relative to the suite root ("tests/c/testsuite/wasm32-wasip1/x.wasm"). */
export type SuiteFiles = Map<string, Uint8Array>;

/**
 * Tests we do not run, keyed "toolchain/name", each with the reason. Keep it empty unless
 * preview1 semantics in an in-memory, socket-less host truly cannot pass a test.
 */
export const SKIPPED_TESTS: Record<string, string> = {};

export interface TestOutcome {
  toolchain: Toolchain;
  name: string;
  status: "passed" | "failed" | "skipped";
  /** Why it failed or was skipped. */
  detail?: string;
}

interface LegacySpec {
  args?: string[];
  env?: Record<string, string>;
  dirs?: string[];
  root?: string | null;
  exit_code?: number;
  stdout?: string;
  stderr?: string;
}
type Operation =
  | { type: "run"; args?: string[]; env?: Record<string, string>; root?: string | null; dirs?: string[] }
  | { type: "wait"; exit_code?: number }
  | { type: "read"; id?: "stdout" | "stderr"; payload?: string }
  | { type: "connect" | "send" | "recv" };
interface OperationSpec {
  proposals?: string[];
  operations: Operation[];
}

export function suiteDirectory(toolchain: Toolchain): string {
  return `tests/${toolchain}/testsuite/wasm32-wasip1`;
}

/** Test names of one toolchain, sorted. */
export function listTests(files: SuiteFiles, toolchain: Toolchain): string[] {
  const prefix = `${suiteDirectory(toolchain)}/`;
  const names: string[] = [];
  for (const path of files.keys()) {
    const rest = path.slice(prefix.length);
    if (path.startsWith(prefix) && !rest.includes("/") && rest.endsWith(".wasm")) names.push(rest.slice(0, -5));
  }
  return names.sort();
}

/** Legacy specs become run/read/wait operations, as the reference runner does. */
function operationsOf(raw: unknown): OperationSpec {
  const spec = (raw ?? {}) as LegacySpec & Partial<OperationSpec>;
  if (spec.operations) return { proposals: spec.proposals ?? [], operations: spec.operations };
  const operations: Operation[] = [
    { type: "run", args: spec.args ?? [], env: spec.env ?? {}, root: spec.root ?? null, dirs: spec.dirs ?? [] },
  ];
  if (spec.stdout !== undefined) operations.push({ type: "read", id: "stdout", payload: spec.stdout });
  if (spec.stderr !== undefined && spec.stderr !== "") operations.push({ type: "read", id: "stderr", payload: spec.stderr });
  operations.push({ type: "wait", exit_code: spec.exit_code ?? 0 });
  return { proposals: [], operations };
}

/** A writable in-memory copy of one directory of the suite (the suite itself stays untouched). */
function loadDirectory(files: SuiteFiles, dir: string): MemFs {
  const prefix = `${dir}/`;
  const fs = new MemFs();
  let found = false;
  for (const [path, bytes] of files) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    if (rest.endsWith(".cleanup") || rest.includes(".cleanup/")) continue; // leftovers of other runners
    found = true;
    if (rest.endsWith("/")) fs.mkdirp(rest);
    else if (rest !== "") fs.writeFile(rest, bytes);
  }
  if (!found) throw new Error(`suite directory "${dir}" not found`);
  return fs;
}

const decoder = new TextDecoder();

export function runSuiteTest(files: SuiteFiles, toolchain: Toolchain, name: string): TestOutcome {
  const key = `${toolchain}/${name}`;
  const skipReason = SKIPPED_TESTS[key];
  if (skipReason !== undefined) return { toolchain, name, status: "skipped", detail: skipReason };

  const dir = suiteDirectory(toolchain);
  const wasm = files.get(`${dir}/${name}.wasm`);
  if (!wasm) return { toolchain, name, status: "failed", detail: "missing .wasm" };
  const specBytes = files.get(`${dir}/${name}.json`);
  const spec = operationsOf(specBytes ? JSON.parse(decoder.decode(specBytes)) : undefined);
  if (spec.proposals && spec.proposals.length > 0) {
    return { toolchain, name, status: "skipped", detail: `needs proposals ${spec.proposals.join(", ")}` };
  }

  const failures: string[] = [];
  let result: ReturnType<typeof runWasi> | undefined;
  const module = new WebAssembly.Module(wasm as BufferSource);
  for (const op of spec.operations) {
    if (op.type === "run") {
      const preopens: Record<string, MemFs> = {};
      for (const d of op.dirs ?? []) preopens[d] = loadDirectory(files, `${dir}/${d}`);
      if (op.root) preopens["/"] = loadDirectory(files, `${dir}/${op.root}`);
      result = runWasi({ module, args: [`${name}.wasm`, ...(op.args ?? [])], env: op.env ?? {}, preopens });
      if (result.error) failures.push(`${result.error.kind}: ${result.error.message}`);
    } else if (op.type === "read") {
      const actual = decoder.decode(op.id === "stderr" ? result?.stderr : result?.stdout);
      if (actual !== (op.payload ?? "")) failures.push(`${op.id ?? "stdout"} was ${JSON.stringify(actual)}, expected ${JSON.stringify(op.payload ?? "")}`);
    } else if (op.type === "wait") {
      const expected = op.exit_code ?? 0;
      if (result?.exitCode !== expected) failures.push(`exit code ${result?.exitCode}, expected ${expected}`);
    } else {
      return { toolchain, name, status: "skipped", detail: `operation "${op.type}" needs sockets` };
    }
  }

  if (failures.length === 0) return { toolchain, name, status: "passed" };
  const stderr = result ? decoder.decode(result.stderr).trim() : "";
  return { toolchain, name, status: "failed", detail: [...failures, stderr && `stderr: ${stderr}`].filter(Boolean).join("; ") };
}

export function runSuite(files: SuiteFiles, toolchains: readonly Toolchain[] = TOOLCHAINS): TestOutcome[] {
  return toolchains.flatMap((t) => listTests(files, t).map((name) => runSuiteTest(files, t, name)));
}

/** "wasi-testsuite c: 14 passed, 0 failed, 2 skipped" per toolchain, then one line per skip. */
export function summarizeSuite(outcomes: TestOutcome[]): string[] {
  const lines: string[] = [];
  for (const toolchain of TOOLCHAINS) {
    const mine = outcomes.filter((o) => o.toolchain === toolchain);
    if (mine.length === 0) continue;
    const count = (s: TestOutcome["status"]) => mine.filter((o) => o.status === s).length;
    lines.push(`wasi-testsuite ${toolchain}: ${count("passed")} passed, ${count("failed")} failed, ${count("skipped")} skipped`);
    for (const o of mine) if (o.status === "skipped") lines.push(`  skipped ${toolchain}/${o.name}: ${o.detail}`);
  }
  return lines;
}
