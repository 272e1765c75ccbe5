// The worker thread of transpile-component-in-worker.ts (bundled by it; never imported by the
// console): transpiles one component, packs the artifact and hashes both, then answers once.
import { createHash } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import { packComponentArtifact } from "@/lib/wasm/component/artifact";
import { ComponentRejected, transpileComponent } from "@/lib/wasm/component/transpile";
import type { TranspileAnswer, TranspileRequest } from "./transpile-component-in-worker";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function answer({ bytes, memoryMb }: TranspileRequest): Promise<TranspileAnswer> {
  try {
    const built = await transpileComponent(bytes, { memoryMb });
    const artifact = packComponentArtifact(built);
    return { ok: true, artifact, artifactSha256: sha256(artifact), sourceSha256: sha256(bytes), imports: built.imports, exports: built.exports };
  } catch (e) {
    if (e instanceof ComponentRejected) return { ok: false, problems: e.problems };
    return { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

const result = await answer(workerData as TranspileRequest);
parentPort!.postMessage(result, result.ok ? [result.artifact.buffer] : []);
