// An uploaded WASI 0.2 component is previewed with the artifact publish stores for it (jco's glue
// and memory-capped core modules): the console makes it (POST /api/v1/apps/{app}/preview/component),
// since the tab cannot transpile. The last answer is kept, so edits to other files rebuild for free.
import { ApiError } from "@/lib/client/api";
import { sha256Hex } from "./module-hash";

/** The console route that transpiles a component for `appName`'s preview. */
export function previewComponentUrl(appName: string, memoryMb: number): string {
  return `/api/v1/apps/${encodeURIComponent(appName)}/preview/component?memoryMb=${memoryMb}`;
}

let last: { key: string; artifact: Promise<Uint8Array> } | null = null;

/**
 * The packed artifact for `bytes` under `memoryMb`, and the key the preview worker caches its
 * compiled form under. Rejects with the console's sentence (e.g. what the component's world lacks).
 */
export async function componentArtifact(appName: string, bytes: Uint8Array, memoryMb: number): Promise<{ artifact: Uint8Array; moduleKey: string }> {
  const key = `component:${appName}:${await sha256Hex(bytes)}:${memoryMb}`;
  let artifact = last?.key === key ? last.artifact : null;
  if (!artifact) {
    const fetched = fetchArtifact(appName, bytes, memoryMb);
    last = { key, artifact: fetched };
    // A failure is not kept: the next build asks again.
    fetched.catch(() => {
      if (last?.artifact === fetched) last = null;
    });
    artifact = fetched;
  }
  return { artifact: await artifact, moduleKey: key };
}

async function fetchArtifact(appName: string, bytes: Uint8Array, memoryMb: number): Promise<Uint8Array> {
  const res = await fetch(previewComponentUrl(appName, memoryMb), { method: "POST", headers: { "content-type": "application/wasm" }, body: bytes.slice() });
  if (!res.ok) throw await ApiError.from(res, "The console could not prepare the component for the preview");
  return new Uint8Array(await res.arrayBuffer());
}
