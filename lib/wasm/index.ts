/**
 * lib/wasm — WasmCompute's one WebAssembly host, isomorphic: the same code runs
 * in the gateway (Node 20, inside worker_threads) and in the IDE's live preview
 * (a browser tab or Web Worker). It imports no Node or DOM-only API: only
 * WebAssembly, TextEncoder/TextDecoder, crypto.getRandomValues, performance and Date.
 * Everything is synchronous, because a running guest cannot await.
 *
 * Layers:
 * - `runWasi`  — one WASI preview1 command run on a fresh instance (args, env, stdin,
 *                captured stdout/stderr, in-memory preopened directories).
 * - `runWagi`  — one HTTP request through a WAGI (CGI-over-WASI) module:
 *                `wagiEnvironment` + `wagiArgs` + body on stdin in, `parseCgiResponse` out,
 *                plus our `wasmcompute` import module (log, kv_*) backed by `HostCallbacks`.
 * - publish-time helpers: `checkImports` (imports we cannot satisfy) and
 *   `readWagiRoutes`/`parseWagiRoutes` (the `_routes` convention), `matchRoute` and the rest of
 *   route-pattern.ts (the one reading of "/exact" and "/prefix/..." routes).
 *
 * Not handled here, by design: CPU deadlines (the gateway runs guests in a worker it can
 * terminate) and memory caps (publish rewrites the memory maximum; a failing memory.grow
 * makes the guest abort, which comes back as `error.kind === "trap"`, never a host crash).
 *
 * The user-facing ABI (WAGI variables, argv, stdin, CGI output, `wasmcompute` imports and
 * their status codes) is documented in docs/abi.md.
 */
export { runWasi, ERROR_EXIT_CODE, type WasiRunOptions, type WasiRunResult } from "./run-wasi";
export type { GuestError } from "./guest-error";
export { runWagi, APP_FILES_PATH, STDERR_KEPT_BYTES, type WagiRunOptions, type WagiResponse } from "./run-wagi";
export { GUEST_LOG_LIMITS, LogBudget, cutLogLine, type GuestLogLimits, type GuestLogLine } from "./log-budget";
export { wagiEnvironment, wagiArgs, scriptNameOf, type WagiRequest } from "./wagi-environment";
export { buildWagiRequest, type WagiRequestInput } from "./wagi-request";
export { parseCgiResponse, CgiError, type CgiResponse } from "./cgi-response";
export { parseWagiRoutes, readWagiRoutes, type WagiRoute } from "./wagi-routes";
export {
  appendRoute,
  DEFAULT_ROUTE,
  isDefaultRouteTable,
  matchRoute,
  mountModuleRoutes,
  parseRoutePattern,
  rawPathInfoOf,
  routePatternMatches,
  routesOrDefault,
  scriptNameFor,
  WILDCARD_SUFFIX,
  type RoutePattern,
} from "./route-pattern";
export { checkImports } from "./check-imports";
export {
  wasmcomputeImports, KV_STATUS, KV_MAX_KEY_BYTES, KV_PAGE_KEYS, WASMCOMPUTE_FUNCTIONS, KvConflict,
  type HostCallbacks, type KvHost, type LogLevel,
} from "./wasmcompute-imports";
export { HTTP_STATUS, WASI_HTTP_ERROR, WASI_HTTP_MODULE } from "./outbound-http-imports";
export type { OutboundErrorCode, OutboundHttpHost, OutboundRequest, OutboundResult } from "./outbound-http-types";
export { MemFs, MemDir, MemFile, MemSymlink, type MemNode, type MemFsEntryContent } from "./mem-fs";
export type { GuestMemory } from "./guest-memory";
export { snapshotReady, takeSnapshot, SNAPSHOT_INIT_EXPORT, type SnapshotResult, type TakeSnapshotOptions } from "./snapshot";
export type { MemorySnapshot } from "./memory-snapshot";
