// The hashes the editor shows beside the server's. The server caps a module's memory at publish
// (lib/wasm/memory-cap.ts rewrites the memory maximum), so the stored module is not the uploaded
// bytes; the editor applies the same pure rewrite before hashing, so its "stored module" hash can be
// compared with the server's moduleSha256 exactly.
import { parseManifest } from "@/lib/manifest/parse-manifest";
import { DEFAULT_LIMITS } from "@/lib/deployment-record/record";
import { bytesToPages, capMemory } from "@/lib/wasm/memory-cap";

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes.slice().buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The manifest's memory limit in MiB (the platform default when absent or unparsable). */
export function memoryMbOf(manifestText: string | undefined): number {
  if (!manifestText) return DEFAULT_LIMITS.memoryMb;
  try {
    return parseManifest(manifestText).limits.memoryMb ?? DEFAULT_LIMITS.memoryMb;
  } catch {
    return DEFAULT_LIMITS.memoryMb;
  }
}

/** What publish will store for these bytes: the memory-capped module. */
export function cappedModule(bytes: Uint8Array, memoryMb: number): Uint8Array {
  return capMemory(bytes, bytesToPages(memoryMb * 1024 * 1024));
}

export async function moduleHashes(bytes: Uint8Array, manifestText: string | undefined): Promise<{ uploaded: string; stored: string | null; storedError?: string }> {
  const uploaded = await sha256Hex(bytes);
  try {
    return { uploaded, stored: await sha256Hex(cappedModule(bytes, memoryMbOf(manifestText))) };
  } catch (e) {
    return { uploaded, stored: null, storedError: e instanceof Error ? e.message : String(e) };
  }
}
