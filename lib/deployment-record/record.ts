import { z } from "zod";
import type { KvAccess } from "./ports";
import type { StaticSite } from "./static-site";

/** Per-app limits; each request runs under the app's values merged over the gateway defaults. */
export const AppLimits = z.object({
  /** Linear memory cap in MiB, applied to the module's bytes at publish time. */
  memoryMb: z.number().int().min(1).max(4096),
  /** Wall-clock budget of one request in the guest (504 past it). */
  timeoutMs: z.number().int().min(1).max(15 * 60_000),
  /** Request body cap, counted on the stream (413 past it). */
  maxRequestBytes: z.number().int().min(0),
  /** Response (CGI stdout) cap (502 past it). */
  maxResponseBytes: z.number().int().min(1),
});
export type AppLimits = z.infer<typeof AppLimits>;

/** The largest request body or response an app may allow itself (limits.maxRequestBytes, maxResponseBytes). */
export const MAX_APP_BODY_BYTES = 100 * 1024 * 1024;

export const DEFAULT_LIMITS: AppLimits = {
  memoryMb: 128,
  timeoutMs: 10_000,
  maxRequestBytes: 10 * 1024 * 1024,
  maxResponseBytes: 16 * 1024 * 1024,
};

/**
 * A route of a deployment. WAGI syntax: "/hello" matches only /hello; "/hello/..." matches
 * /hello and everything below it.
 */
export const RouteSpec = z.object({
  prefix: z.string().startsWith("/"),
  entrypoint: z.string().min(1).default("_start"),
});
export type RouteSpec = z.infer<typeof RouteSpec>;

/**
 * An immutable, fully resolved deployment: content-hashed module bytes (already memory-capped
 * at publish time), resolved routes (the manifest's, plus the module's own `_routes` that a
 * gateway discovers when it first loads the version), env and files. Everything a gateway process needs comes
 * from here, so any number of gateways can serve from one shared store.
 */
export interface ResolvedDeployment {
  versionId: string;
  /** Database ids, when the deployment comes from the database (request logs and metering). */
  tenantId?: string;
  appId?: string;
  /** sha256 (hex) of the bytes getModuleBytes returns. */
  moduleHash: string;
  getModuleBytes(): Promise<Uint8Array>;
  routes: RouteSpec[];
  env: Record<string, string>;
  /** Read-only files mounted at /app; `key` names the content (e.g. its hash) for caching. */
  files: { key: string; getEntries(): Promise<Record<string, Uint8Array>> } | null;
  limits: Partial<AppLimits>;
  /** The manifest's `static:` prefixes, answered from `files` without running wasm (lib/runtime/static-files.ts). */
  static?: StaticSite;
  /** The manifest's `allowed_hosts`: where the guest may call out over HTTP (none: nowhere). */
  allowedHosts?: string[];
  /** The app's key-value store when it has one (lib/kv): the gateway opens one session per request. */
  kv?: KvAccess;
  /**
   * The path prefix inside the app this deployment was found under, for explicit routes such as
   * "/v/0.0.1" that serve another version beside the default one; the gateway strips it before
   * WAGI routing. Empty or absent for the default route.
   */
  mount?: string;
}

/**
 * Looks up the live deployment of an app for a path inside it; null when there is none.
 * May throw DeploymentError.
 */
export type ResolveDeployment = (tenant: string, app: string, path: string) => Promise<ResolvedDeployment | null>;

/** The deployment exists but cannot run (e.g. its module failed validation). */
export class DeploymentError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = "DeploymentError";
  }
}
