/**
 * The gateway: a stateless node:http server that maps a request to an app's deployment and
 * runs it as a WAGI guest in the worker pool. It keeps no state that several gateway processes
 * would need to share: deployments come from `resolve`, compiled modules are a local cache.
 *
 * A request goes through named steps (gateway/handle-request.ts): route → limits → body → run →
 * respond → record; every failure is answered through one error table (gateway/errors.ts).
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import { DEFAULT_LIMITS, type AppLimits, type ResolveDeployment } from "../deployment-record/record";
import { newRequestLog, type GatewayDeps } from "./gateway/context";
import { explain, sendError } from "./gateway/errors";
import { handleRequest } from "./gateway/handle-request";
import { createDatabaseWait } from "./gateway/limits";
import type { RequestLog, SpendingCapCheck } from "../deployment-record/ports";
import { LIMIT_CEILING_DEFAULTS } from "../deployment-record/limit-ceilings";
import { ModuleCache } from "./module-cache";
import { StaticFileCache } from "./static-files";
import { WorkerPool, type WorkerPoolOptions } from "./worker-pool";
import { createOutboundFetcher, type OutboundCaps, type OutboundRules } from "../outbound/outbound-fetch";

export type { GatewayErrorCode, RequestLog } from "../deployment-record/ports";

export interface GatewayOptions {
  resolve: ResolveDeployment;
  /** Defaults for every app; a deployment's own limits override them. */
  limits?: Partial<AppLimits>;
  /**
   * The operator's ceilings: what an app's manifest asks for beyond them is cut down to them
   * (default LIMIT_CEILING_DEFAULTS: 30 s, 256 MiB, 100 MiB bodies; lib/deployment-record/limit-ceilings.ts).
   */
  maxLimits?: Partial<AppLimits>;
  onLog?: (record: RequestLog) => void;
  /**
   * Apps answer at `<app>--<tenant>.<gatewayDomain>`, each its own browser origin (lib/runtime/app-routing.ts).
   * Default `localhost`: browsers and curl resolve `*.localhost` to this machine.
   */
  gatewayDomain?: string;
  /** Also answer `/<tenant>/<app>/...` (GATEWAY_PATH_ROUTING=on): one origin for every app, API-only use. */
  pathRouting?: boolean;
  /** The scheme clients reach apps with (GATEWAY_PUBLIC_URL's; default http): the guest's X_FULL_URL uses it. */
  publicScheme?: "http" | "https";
  /** An existing pool to share; otherwise the gateway creates one and closes it with the server. */
  pool?: WorkerPool;
  poolOptions?: WorkerPoolOptions;
  moduleCache?: ModuleCache;
  /** The tenant's spending cap: a refusal answers 402 before the guest runs (lib/runtime/spending-cap.ts). */
  spendingCap?: SpendingCapCheck;
  /**
   * How long a request may wait for the database (the app's deployment, the spending cap) before
   * it answers 503 database-busy (default 5000 ms, GATEWAY_DB_WAIT_MS).
   */
  databaseWaitMs?: number;
  /**
   * Guests' outbound HTTP: the operator's exceptions (GATEWAY_OUTBOUND_ALLOW), whether `*` may be
   * used (GATEWAY_OUTBOUND_ANY), and per-request caps (default DEFAULT_OUTBOUND_CAPS). Default: no
   * exceptions, no `*`; an app still reaches the public hosts its allowed_hosts lists.
   */
  outbound?: Partial<OutboundRules> & { caps?: Partial<OutboundCaps> };
}

export interface Gateway {
  server: http.Server;
  pool: WorkerPool;
  moduleCache: ModuleCache;
  /**
   * Answers a schedule's run through the same steps as any request, logged with the time it was
   * due; only lib/runtime/scheduled-requests.ts calls it, from its loopback server.
   */
  serveScheduled(req: http.IncomingMessage, res: http.ServerResponse, scheduledAt: string): void;
  /**
   * Stops accepting connections, lets the requests in flight finish (up to `drainMs`, default
   * 0: cut them at once), closes the connections and (if the gateway owns it) the pool.
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const ownsPool = !options.pool;
  const pool = options.pool ?? (await WorkerPool.create(options.poolOptions));
  const moduleCache = options.moduleCache ?? new ModuleCache();
  const deps = gatewayDeps(options, pool, moduleCache);
  // Responses not finished yet: a drain waits for them and asks their clients not to reuse the connection.
  const inFlight = new Set<http.ServerResponse>();
  let draining = false;
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse, scheduledAt?: string) => {
    const requestId = randomUUID();
    res.setHeader("x-request-id", requestId);
    if (draining) res.setHeader("connection", "close");
    inFlight.add(res);
    res.once("close", () => inFlight.delete(res));
    handleRequest(req, res, requestId, deps, scheduledAt).catch((err: unknown) => {
      const error = explain({ kind: "internal", error: err });
      sendError(req, res, error);
      deps.onLog({ ...newRequestLog(requestId, req.method ?? "GET", req.url ?? "/"), status: 500, scheduledAt, error: { code: error.code, message: error.message, detail: error.detail } });
    });
  };
  const server = http.createServer((req, res) => onRequest(req, res));
  // Apps must not hold sockets for ever: bound how long a client may take to send headers/body.
  server.headersTimeout = 30_000;
  server.requestTimeout = 120_000;

  return {
    server,
    pool,
    moduleCache,
    serveScheduled: onRequest,
    async close({ drainMs = 0 } = {}) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const res of inFlight) if (!res.headersSent) res.setHeader("connection", "close");
      const deadline = performance.now() + drainMs;
      while (inFlight.size > 0 && performance.now() < deadline) {
        // Keep-alive connections whose request just ended would otherwise stay open.
        server.closeIdleConnections();
        await new Promise((r) => setTimeout(r, 20));
      }
      server.closeAllConnections();
      await closed;
      if (ownsPool) await pool.close();
    },
  };
}

/** The steps' ports and settings, read once from the options. */
function gatewayDeps(options: GatewayOptions, pool: WorkerPool, moduleCache: ModuleCache): GatewayDeps {
  const databaseWaitMs = options.databaseWaitMs ?? 5000;
  return {
    resolve: options.resolve,
    routing: { domain: (options.gatewayDomain ?? "localhost").toLowerCase(), pathRouting: options.pathRouting ?? false, scheme: options.publicScheme ?? "http" },
    health: () => ({ pool: pool.stats(), modules: moduleCache.size }),
    pool,
    moduleCache,
    staticFiles: new StaticFileCache(),
    onLog: options.onLog ?? (() => {}),
    defaults: { ...DEFAULT_LIMITS, ...options.limits },
    // The operator's ceilings, read once.
    ceilings: Object.entries({ ...LIMIT_CEILING_DEFAULTS, ...options.maxLimits }).filter(([, v]) => v !== undefined) as [keyof AppLimits, number][],
    spendingCap: options.spendingCap,
    databaseWaitMs,
    withinDatabaseWait: createDatabaseWait(databaseWaitMs),
    outbound: createOutboundFetcher({ operatorAllow: options.outbound?.operatorAllow ?? [], allowAnyHost: options.outbound?.allowAnyHost ?? false }),
    outboundCaps: options.outbound?.caps,
  };
}
