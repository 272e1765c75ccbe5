// The shape of the import graph, checked (docs/architecture.md, CONVENTIONS.md):
// (a) lib/runtime (the gateway, Node only) is a leaf: only scripts/, bench/, tests and lib/runtime
//     itself import it, so nothing the browser or the console loads can pull it in;
// (b) the folders of lib/ import each other without a loop, so each can be read, tested and moved
//     on its own, lower folders never knowing about higher ones.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const SCANNED = ["lib", "app", "components", "cli", "scripts", "bench", "e2e"];

/** Test code and its support may import anything (lib/runtime included). */
function isTestCode(file: string): boolean {
  return (
    /\.(test|spec|suite|test-worker)\.tsx?$/.test(file) ||
    file.startsWith("e2e/") ||
    file.startsWith("lib/testing/") ||
    file.includes("/test-support/") ||
    file === "lib/runtime/fault-test-support.ts"
  );
}

function listSources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const rel = `${dir}/${name}`;
    if (name === "node_modules" || name === "generated" || name.startsWith(".")) continue;
    if (statSync(path.join(ROOT, rel)).isDirectory()) listSources(rel, out);
    else if (/\.(ts|tsx|mts|mjs)$/.test(name) && !name.endsWith(".d.ts")) out.push(rel);
  }
  return out;
}

/** The repository file a specifier names, or null for a package. */
function resolveSpecifier(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("@/")) base = spec.slice(2);
  else if (spec.startsWith(".")) base = path.posix.join(path.posix.dirname(from), spec);
  else return null;
  const stem = base.replace(/\.(js|mjs)$/, "");
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}/index.ts`, `${stem}/index.tsx`]) {
    const full = path.join(ROOT, candidate);
    if (existsSync(full) && statSync(full).isFile()) return candidate;
  }
  return base;
}

/** Every import of `file` (static, dynamic, re-exports, workers started with `new URL(…)`), resolved. */
function importsOf(file: string): string[] {
  const code = readFileSync(path.join(ROOT, file), "utf8");
  const specs = ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
  for (const m of code.matchAll(/new URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url/g)) specs.push(m[1]!);
  return specs.map((spec) => resolveSpecifier(file, spec)).filter((t): t is string => t !== null);
}

/** lib/<folder>/… → folder; a file directly in lib/ is a node of its own. */
function folderOf(file: string): string {
  const [, first] = file.split("/");
  return file.split("/").length > 2 ? first! : first!.replace(/\.\w+$/, "");
}

/** The folder graph's loops (strongly connected components of more than one folder, or a self-edge). */
function findLoops(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const loops: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || edges.get(v)?.has(v)) loops.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return loops;
}

const files = SCANNED.filter((d) => existsSync(path.join(ROOT, d))).flatMap((d) => listSources(d));
const imports = files.map((file) => ({ file, targets: importsOf(file) }));

describe("the import graph", () => {
  it("keeps lib/runtime a leaf: only scripts/, bench/, tests and lib/runtime itself import it", () => {
    const offenders = imports.flatMap(({ file, targets }) =>
      /^(lib\/runtime|scripts|bench)\//.test(file) || isTestCode(file) ? [] : targets.filter((t) => t.startsWith("lib/runtime/")).map((t) => `${file} -> ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it("has no loop between the folders of lib/ (test code aside)", () => {
    const edges = new Map<string, Set<string>>();
    const via = new Map<string, string[]>();
    for (const { file, targets } of imports) {
      if (!file.startsWith("lib/") || isTestCode(file)) continue;
      for (const target of targets) {
        if (!target.startsWith("lib/")) continue;
        const [from, to] = [folderOf(file), folderOf(target)];
        if (from === to) continue;
        if (!edges.has(from)) edges.set(from, new Set());
        edges.get(from)!.add(to);
        via.set(`${from} -> ${to}`, [...(via.get(`${from} -> ${to}`) ?? []), `${file} -> ${target}`]);
      }
    }
    const loops = findLoops(edges).map((loop) => ({
      loop,
      imports: [...via].filter(([edge]) => loop.includes(edge.split(" -> ")[0]!) && loop.includes(edge.split(" -> ")[1]!)).flatMap(([, v]) => v),
    }));
    expect(loops).toEqual([]);
  });

  it("finds loops, so the check above can fail", () => {
    const graph = (pairs: string[]) => {
      const edges = new Map<string, Set<string>>();
      for (const pair of pairs) {
        const [a, b] = pair.split(">") as [string, string];
        edges.set(a, (edges.get(a) ?? new Set()).add(b));
      }
      return edges;
    };
    expect(findLoops(graph(["apps>auth", "auth>db", "apps>db"]))).toEqual([]);
    expect(findLoops(graph(["apps>deployments", "deployments>kv", "kv>apps", "kv>db"]))).toEqual([["apps", "deployments", "kv"]]);
  });
});
