// The IDE previews an uploaded WASI 0.2 component with the artifact publish would store for it
// (jco's glue and memory-capped core modules, lib/wasm/component): the tab cannot transpile (jco's
// tools are Node-only and megabytes), so the console does, with publish's own check (a worker
// thread, lib/versions/check-component.ts), once per component bytes and memory cap. Kept in this
// process in a small LRU: a preview needs no durable copy (publish transpiles again).
// (Its own folder: lib/versions imports lib/apps, so lib/apps cannot import publish's check.)
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { CEILINGS } from "@/lib/deployment-record/limit-ceilings";
import { AppError } from "@/lib/errors";
import { hitRateLimit } from "@/lib/rate-limit/hit-rate-limit";
import { checkComponent } from "@/lib/versions/check-component";
import { isComponentBinary } from "@/lib/wasm/component/detect";

export const PreviewComponentQuery = z.object({
  /** The draft manifest's limits.memoryMb: the cap written into each core module, as publish writes it. */
  memoryMb: z.coerce.number().int().min(CEILINGS.memoryMb.min).max(CEILINGS.memoryMb.max),
});

/** Artifacts kept, by summed size: a few dozen apps' components, not every upload ever made. */
const CACHE_MAX_BYTES = 64 * 1024 * 1024;
const cache = new Map<string, Uint8Array<ArrayBuffer>>();
let cachedBytes = 0;
/** A transpile under way, shared by requests for the same bytes (a reload while the first runs). */
const running = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

export async function transpileComponentForPreview({ actor, appName, bytes, query }: { actor: Actor; appName: string; bytes: Uint8Array; query: unknown }): Promise<Uint8Array<ArrayBuffer>> {
  await findAppOrThrow({ actor, name: appName });
  const { memoryMb } = PreviewComponentQuery.parse(query);
  if (!isComponentBinary(bytes)) {
    throw new AppError("UNPROCESSABLE", "The body is not a WebAssembly component (its preamble is not \\0asm with layer 1). A core module needs no transpiling: the IDE runs it as it is.", { field: "module" });
  }
  const key = `${createHash("sha256").update(bytes).digest("hex")}:${memoryMb}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  // Only a transpile costs (seconds of a worker thread for a big component); a cached answer is free.
  await hitRateLimit({ key: `preview-component:${actor.tenantId}`, limit: 30, windowSeconds: 60, message: "The IDE asked for too many component transpiles. Wait {retry} and try again." });
  let pending = running.get(key);
  if (!pending) {
    // No routes: the draft's routes are the manifest's business, checked at publish.
    pending = checkComponent({ bytes, memoryMb, routes: [] })
      .then((checked) => checked.artifact)
      .finally(() => running.delete(key));
    running.set(key, pending);
  }
  const packed = await pending;
  remember(key, packed);
  return packed;
}

function remember(key: string, packed: Uint8Array<ArrayBuffer>): void {
  if (cache.has(key) || packed.length > CACHE_MAX_BYTES) return;
  cache.set(key, packed);
  cachedBytes += packed.length;
  for (const [oldest, value] of cache) {
    if (cachedBytes <= CACHE_MAX_BYTES) break;
    cache.delete(oldest);
    cachedBytes -= value.length;
  }
}
