// The preview worker itself, in Node (lib/wasm is isomorphic): its message handler gets the jobs the
// page sends, for a WASI 0.2 component's publish-time artifact and for a core module alike.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packComponentArtifact } from "@/lib/wasm/component/artifact";
import { transpileComponent } from "@/lib/wasm/component/transpile";
import { buildPreviewRequest, type CompileModuleResult, type PreviewJob, type PreviewResult, type RoutesResult } from "./preview-protocol";

const ROOT = path.resolve(import.meta.dirname, "../..");
const GATEWAY = "http://127.0.0.1:3001/team/app/";

type Job = { id: number; kind: string; wasm: Uint8Array; moduleKey: string } & Record<string, unknown>;
let post: (job: Job) => unknown;

beforeAll(async () => {
  // The worker's global scope: the handler it installs on `self`, and what it posts back.
  const answers: unknown[] = [];
  const self = { onmessage: null as ((e: { data: Job }) => void) | null, postMessage: (m: unknown) => void answers.push(m) };
  (globalThis as unknown as { self: typeof self }).self = self;
  await import("./preview-worker");
  post = (job) => {
    self.onmessage!({ data: job });
    return answers.pop();
  };
});

async function artifactOf(name: string): Promise<Uint8Array> {
  const component = new Uint8Array(await readFile(path.join(ROOT, "fixtures/component", `${name}.component.wasm`)));
  return packComponentArtifact(await transpileComponent(component, { memoryMb: 16 }));
}

function runJob(wasm: Uint8Array, moduleKey: string, p: string, headers: [string, string][] = []): PreviewResult {
  const built = buildPreviewRequest(GATEWAY, [], { method: "GET", path: p, query: "", headers, body: "" })!;
  const job: Omit<PreviewJob, "id"> = { kind: "run", wasm, moduleKey, ...built, env: {}, files: {}, maxResponseBytes: 1 << 20, kv: null, deadlineMs: 10_000 };
  return post({ id: 7, ...job }) as PreviewResult;
}

describe("the preview worker", () => {
  it("runs a component's artifact: compiled once, no _routes (every path is the component's), the response as on the gateway", async () => {
    const wasm = await artifactOf("hello");
    expect(post({ id: 1, kind: "compile", wasm, moduleKey: "hello" }) as CompileModuleResult).toEqual({ id: 1 });
    expect(post({ id: 2, kind: "routes", wasm, moduleKey: "hello" }) as RoutesResult).toEqual({ id: 2, routes: [] });
    for (const p of ["/", "/any/path"]) {
      const res = runJob(wasm, "hello", p);
      expect(res.error).toBeUndefined();
      expect(res.status).toBe(200);
      expect(new TextDecoder().decode(res.body)).toBe("Hello from a component\n");
      expect(res.memoryBytes).toBeGreaterThan(0);
    }
  });

  it("gives a component's outgoing-handler the preview's outbound host (without the console's route: unavailable, an internal-error)", async () => {
    const wasm = await artifactOf("outbound");
    const res = runJob(wasm, "outbound", "/", [["x-target-authority", "example.com"]]);
    expect(res.error).toBeUndefined();
    expect(res.status).toBe(502);
    // internal-error is case 38 of wasi:http's error-code.
    expect(new TextDecoder().decode(res.body)).toBe("38\n");
  });

  it("still runs a core module (WAGI) after a component, and a component after it", async () => {
    const module = new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm/hello-wat.wasm")));
    const res = runJob(module, "wat", "/");
    expect(res.status).toBe(200);
    expect(new TextDecoder().decode(res.body)).toBe("hello from WAT\n");
    expect(new TextDecoder().decode(runJob(await artifactOf("hello"), "hello-again", "/").body)).toBe("Hello from a component\n");
  });
});
