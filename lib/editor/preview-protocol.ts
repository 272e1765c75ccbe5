// Messages between the editor page and its preview worker, and the request the preview builds the
// same way the gateway does (lib/runtime/gateway.ts), so that a module sees the same WAGI variables
// in the tab as in production.
import { buildWagiRequest, matchRoute, routesOrDefault, type WagiRequest } from "@/lib/wasm";

export interface PreviewRequestInput {
  method: string;
  /** Path below the app, e.g. "/items/1". */
  path: string;
  /** Raw query string without "?". */
  query: string;
  headers: [string, string][];
  body: string;
}

export interface PreviewRoute {
  path: string;
  entrypoint: string;
}

export interface PreviewJob {
  id: number;
  kind: "run";
  wasm: Uint8Array;
  /** Identifies `wasm` so the worker compiles each module once. */
  moduleKey: string;
  request: WagiRequest;
  entrypoint: string;
  env: Record<string, string>;
  files: Record<string, Uint8Array>;
  maxResponseBytes: number;
  /** The in-browser key-value store (null: none attached, kv calls answer UNAVAILABLE). */
  kv: Record<string, Uint8Array> | null;
  /** Outbound HTTP through the console (preview-outbound-host.ts); absent: calls answer UNAVAILABLE. */
  outbound?: { url: string; allowedHosts: string[] };
  /** The run's deadline (the app's timeoutMs), set by PreviewRunner: outbound calls end before it. */
  deadlineMs: number;
}

/** The console route that makes the preview's outbound calls for `appName`. */
export function previewOutboundUrl(appName: string): string {
  return `/api/v1/apps/${encodeURIComponent(appName)}/preview/outbound`;
}

/** Runs the module's WAGI `_routes` export (lib/wasm readWagiRoutes, as a gateway does when it first loads a version). */
export interface RoutesJob {
  id: number;
  kind: "routes";
  wasm: Uint8Array;
  moduleKey: string;
}

/**
 * Compiles the module ahead of a run, outside the run's deadline: a gateway compiles a version once,
 * before any request's clock starts (the JavaScript engine is ~1 MB: seconds on a busy machine).
 */
export interface CompileModuleJob {
  id: number;
  kind: "compile";
  wasm: Uint8Array;
  moduleKey: string;
  /**
   * The JavaScript engine: also run it once on a trivial script, so that the engine's own start
   * (compiled lazily by the browser on first call) is not paid inside the app's first deadline.
   */
  warmJsEngine?: boolean;
}

export interface CompileModuleResult {
  id: number;
  error?: string;
}

export interface RoutesResult {
  id: number;
  /** [] when the module exports no `_routes`. */
  routes: PreviewRoute[];
  error?: string;
}

export interface PreviewLogLine {
  level: "debug" | "info" | "warn" | "error";
  message: string;
}

export interface PreviewResult {
  id: number;
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  stderr: string;
  logs: PreviewLogLine[];
  exitCode: number;
  memoryBytes: number;
  durationMs: number;
  /** Set when the guest failed (the gateway would answer 500) or the worker stopped it. */
  error?: { kind: string; message: string };
  kv: Record<string, Uint8Array> | null;
}

export function previewUrl(gatewayUrl: string, input: Pick<PreviewRequestInput, "path" | "query">): string {
  const base = gatewayUrl.replace(/\/$/, "");
  const path = input.path.startsWith("/") ? input.path : `/${input.path}`;
  return `${base}${path}${input.query ? `?${input.query.replace(/^\?/, "")}` : ""}`;
}

/**
 * The WAGI request and entry point for `input`, or null when no route matches. `gatewayUrl` is
 * the app's address on the gateway (its own origin, `http://<app>--<tenant>.<domain>/`, or under the
 * path opt-in `…/<tenant>/<app>/`): its path is the mount point.
 */
export function buildPreviewRequest(gatewayUrl: string, routes: PreviewRoute[], input: PreviewRequestInput): { request: WagiRequest; entrypoint: string } | null {
  const url = new URL(previewUrl(gatewayUrl, input));
  const base = new URL(gatewayUrl).pathname.replace(/\/$/, "");
  const path = url.pathname.slice(base.length) || "/";
  const match = matchRoute(routesOrDefault(routes), path);
  if (!match) return null;
  const body = new TextEncoder().encode(input.method === "GET" || input.method === "HEAD" ? "" : input.body);
  const headers: [string, string][] = [["host", url.host], ...input.headers.filter(([k]) => k.trim() !== "" && k.toLowerCase() !== "host" && k.toLowerCase() !== "content-length")];
  if (body.length > 0) headers.push(["content-length", String(body.length)]);
  return {
    request: buildWagiRequest({ method: input.method, url: url.toString(), headers, body, remoteAddr: "127.0.0.1", mount: base, pattern: match.pattern }),
    entrypoint: match.route.entrypoint,
  };
}
