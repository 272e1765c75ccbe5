// One request through the JavaScript engine on lib/wasm's host, run the way the gateway runs it:
// from a snapshot of the engine with the script loaded (lib/wasm/snapshot.ts) when the script
// allows one, otherwise loading the script itself; `snapshot: false` always loads it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { APP_FILES_PATH, runWagi, snapshotReady, takeSnapshot, type SnapshotResult, type WagiResponse } from "@/lib/wasm";
import { MemFs } from "@/lib/wasm/mem-fs";
import type { LogLevel } from "@/lib/wasm/wasmcompute-imports";
import type { memoryKv } from "@/lib/editor/preview-kv-host";
import { JS_ENGINE_PATH, jsAppFiles } from "@/lib/javascript/js-app";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The engine as the gateway compiles it (snapshotReady's rewrite). */
export const jsEngine = new WebAssembly.Module(snapshotReady(readFileSync(path.join(ROOT, JS_ENGINE_PATH)))!);

export interface SentRequest {
  method?: string;
  url?: string;
  headers?: [string, string][];
  body?: string;
  env?: Record<string, string>;
  kv?: ReturnType<typeof memoryKv>;
  /** More files beside _worker.js (e.g. _worker.js.map). */
  files?: Record<string, Uint8Array>;
}

export interface JsRun {
  response: WagiResponse;
  logs: { level: LogLevel; message: string }[];
  /** The snapshot taken for this run, or why none was (null with `snapshot: false`). */
  snapshot: SnapshotResult | null;
}

/** The script's snapshot, to run several requests from one (as a gateway worker does). */
export function snapshotJs(script: string, files: Record<string, Uint8Array> = {}): SnapshotResult {
  return takeSnapshot({ module: jsEngine, preopens: { [APP_FILES_PATH]: MemFs.fromEntries(jsAppFiles(script, files), { readOnly: true }) } });
}

export function runJs(script: string, sent: SentRequest = {}, options: { snapshot?: boolean | SnapshotResult } = {}): JsRun {
  const logs: JsRun["logs"] = [];
  const files = MemFs.fromEntries(jsAppFiles(script, sent.files), { readOnly: true });
  const snapshot =
    options.snapshot === false ? null
    : typeof options.snapshot === "object" ? options.snapshot
    : takeSnapshot({ module: jsEngine, preopens: { [APP_FILES_PATH]: files } });
  const response = runWagi({
    module: jsEngine,
    request: {
      method: sent.method ?? "GET",
      url: sent.url ?? "http://hello--acme.localhost/",
      headers: sent.headers ?? [],
      body: new TextEncoder().encode(sent.body ?? ""),
      remoteAddr: "203.0.113.9",
      route: "/...",
    },
    env: sent.env,
    files,
    host: { log: (level, message) => logs.push({ level, message }), kv: sent.kv?.host },
    ...(snapshot && "snapshot" in snapshot ? { snapshot: snapshot.snapshot } : {}),
  });
  return { response, logs, snapshot };
}
