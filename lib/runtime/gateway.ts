/**
 * The gateway: a stateless node:http server that maps a request to an app's deployment and
 * runs it as a WAGI guest in the worker pool. It keeps no state that several gateway processes
 * would need to share: deployments come from `resolve`, compiled modules are a local cache.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import { DEFAULT_LIMITS, DeploymentError, type AppLimits, type ResolveDeployment, type ResolvedDeployment } from "./deployment";
import { matchWagiRoute } from "../wasm";
import { isDatabaseBusy } from "@/lib/db/database-errors";
import { isDatabaseUnavailable, watchKvSession } from "./database-unavailable";
import { confineServiceWorkerAllowed, findTarget, noAppMessage, requestUrlOf, type Routing } from "./app-routing";
import { meterKvSession, type KvAccess, type KvSession } from "./kv-bridge";
import { LIMIT_CEILING_DEFAULTS } from "./limit-ceilings";
import { bytesToPages } from "./memory-cap";
import { ModuleCache } from "./module-cache";
import { readBodyWithLimit, BodyTooLarge } from "./read-body";
import { serveStaticFile, StaticFileCache } from "./static-files";
import { spendingCapMessage, writeSpendingCapReached, type SpendingCapCheck } from "./spending-cap";
import { WorkerPool, type PoolOutcome, type WorkerPoolOptions } from "./worker-pool";
import type { GuestFailure } from "./worker-protocol";

export type GatewayErrorCode =
  | "bad-request"
  | "not-found"
  | "app-not-found"
  | "route-not-found"
  | "request-too-large"
  | "deadline-exceeded"
  | "out-of-memory"
  | "guest-trap"
  | "response-too-large"
  | "bad-cgi-response"
  | "missing-entrypoint"
  | "instantiate-failed"
  | "worker-crashed"
  | "invalid-deployment"
  | "overloaded"
  | "too-many-requests"
  | "storage-failed"
  | "database-unavailable"
  | "database-busy"
  | "spending-cap-reached"
  | "internal";

const STATUS: Record<GatewayErrorCode, number> = {
  "bad-request": 400,
  "not-found": 404,
  "app-not-found": 404,
  "route-not-found": 404,
  "request-too-large": 413,
  "deadline-exceeded": 504,
  "out-of-memory": 502,
  "guest-trap": 502,
  "response-too-large": 502,
  "bad-cgi-response": 502,
  "missing-entrypoint": 502,
  "instantiate-failed": 502,
  "worker-crashed": 502,
  "invalid-deployment": 502,
  overloaded: 503,
  "too-many-requests": 429,
  "storage-failed": 503,
  "database-unavailable": 503,
  "database-busy": 503,
  "spending-cap-reached": 402,
  internal: 500,
};

export interface RequestLog {
  requestId: string;
  time: string;
  tenant: string | null;
  app: string | null;
  versionId: string | null;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  /** Guest stderr, one entry per line. */
  stderr: string[];
  /** Lines the guest sent through the host log import. */
  guestLogs: { level: string; message: string }[];
  memoryBytes?: number;
  /** Present when the request failed: the code and an explanation a person can act on. */
  error?: { code: GatewayErrorCode; message: string; detail?: string };
  /** Database ids of the tenant and app, when the deployment carries them (log sink, metering). */
  tenantId?: string;
  appId?: string;
  /** The WAGI route that matched, e.g. "/hello/...". */
  route?: string;
  bytesIn?: number;
  /** Response body bytes sent (its Content-Length). */
  bytesOut?: number;
  /** The app's memory cap for this request (GB-seconds = cap × duration). */
  memoryLimitMb?: number;
  /** Time the guest ran in its worker (instantiate + run), in milliseconds. */
  computeMs?: number;
  /** Key-value operations the request made (metered per day; set where the kv session is known). */
  kvOps?: number;
  /** false: not metered (a request refused by the spending cap); it is still logged. */
  billable?: boolean;
}

export interface GatewayOptions {
  resolve: ResolveDeployment;
  /** Defaults for every app; a deployment's own limits override them. */
  limits?: Partial<AppLimits>;
  /**
   * The operator's ceilings: what an app's manifest asks for beyond them is cut down to them
   * (default LIMIT_CEILING_DEFAULTS: 30 s, 256 MiB, 100 MiB bodies; lib/runtime/limit-ceilings.ts).
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
}

export interface Gateway {
  server: http.Server;
  pool: WorkerPool;
  moduleCache: ModuleCache;
  /**
   * Stops accepting connections, lets the requests in flight finish (up to `drainMs`, default
   * 0: cut them at once), closes the connections and (if the gateway owns it) the pool.
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

/** Response headers the gateway owns; a guest cannot set them. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "upgrade",
  "proxy-connection",
  "te",
  "trailer",
  "x-request-id",
]);

class GatewayError extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** A trap with the guest's memory at its cap: it ran out of memory (a failed memory.grow it turned into an abort). */
function explainTrap(message: string, memoryBytes: number, limits: AppLimits): GatewayError {
  if (memoryBytes >= limits.memoryMb * 1024 * 1024) {
    return new GatewayError(
      "out-of-memory",
      `The app ran out of memory: it reached its ${limits.memoryMb} MiB limit and then failed. ` +
        "Reduce its memory use or raise the app's memory limit.",
      message,
    );
  }
  return new GatewayError(
    "guest-trap",
    `The app crashed while handling the request (WebAssembly trap: ${message}). Its stderr is in the app's logs.`,
    message,
  );
}

function outcomeToError(outcome: Exclude<PoolOutcome, { kind: "ok" }>, limits: AppLimits): GatewayError {
  switch (outcome.kind) {
    case "timeout":
      if (outcome.loading) {
        return new GatewayError(
          "deadline-exceeded",
          `The app's module did not even compile within the app's ${limits.timeoutMs} ms limit, so it never ran (and is answered so for a minute). ` +
            "Publish a smaller module (fewer functions, e.g. built with -O2 or -Os), or raise the app's timeout.",
        );
      }
      return new GatewayError(
        "deadline-exceeded",
        `The app did not finish within its ${limits.timeoutMs} ms limit and was stopped. ` +
          "Look for an endless loop or slow work, or raise the app's timeout.",
      );
    case "crashed":
      if (outcome.cause === "load-database") return databaseUnavailable("load the app's code", outcome.message);
      if (outcome.cause === "host-memory") {
        return new GatewayError(
          "out-of-memory",
          "The app made the host hold too much data (for example endless output on stderr, stdout or through the log import) and was stopped. " +
            "Write less output per request.",
          outcome.message,
        );
      }
      return new GatewayError("worker-crashed", "The worker running the app failed unexpectedly. Retry the request.", outcome.message);
    case "overloaded":
      return new GatewayError("overloaded", "The gateway is at capacity. Retry shortly.", `${outcome.queued} requests queued`);
    case "busy":
      return new GatewayError(
        "too-many-requests",
        outcome.scope === "share"
          ? `This tenant's requests are using its whole share of the gateway's workers while other tenants are served, and this one waited ${outcome.limit} ms for a turn. ` +
              "Retry shortly, or send fewer long requests at once."
          : `This ${outcome.scope} already has ${outcome.limit} requests running or waiting on this gateway process, its limit. Retry shortly, or send fewer requests at once.`,
      );
  }
}

/** Answers the client may retry soon: the pool's refusals say when. */
function retryAfter(error: GatewayError): Record<string, string> {
  return error.code === "overloaded" || error.code === "too-many-requests" ? { "retry-after": "1" } : {};
}

class DatabaseWaitExceeded extends Error {}

/**
 * Bounds a wait on the database: the value, or a DatabaseWaitExceeded once `ms` have passed. The
 * requests of each quarter of `ms` (at most 250 ms) share one timer, so the hot
 * path pays no timer per request, and a value already at hand is returned as it is.
 */
function createDatabaseWait(ms: number) {
  let bucket: { until: number; expired: Promise<never> } | null = null;
  const span = Math.min(250, ms / 4);
  return <T>(value: T | Promise<T>): T | Promise<T> => {
    if (!(value instanceof Promise)) return value;
    const now = performance.now();
    if (!bucket || now > bucket.until) {
      const expired = new Promise<never>((_, reject) => setTimeout(() => reject(new DatabaseWaitExceeded()), ms).unref());
      expired.catch(() => {});
      bucket = { until: now + span, expired };
    }
    return Promise.race([value, bucket.expired]);
  };
}

function databaseBusy(what: string, waitMs: number): GatewayError {
  return new GatewayError(
    "database-busy",
    `The gateway's database did not answer within ${waitMs / 1000} s, so it could not ${what}. Retry shortly.`,
  );
}

/** The database's part in a failure to `what`, or null when the database is not to blame. */
function databaseFailure(what: string, err: unknown, waitMs: number): GatewayError | null {
  if (err instanceof DatabaseWaitExceeded || isDatabaseBusy(err)) return databaseBusy(what, waitMs);
  if (isDatabaseUnavailable(err)) return databaseUnavailable(what, err);
  return null;
}

function databaseUnavailable(what: string, detail: unknown): GatewayError {
  return new GatewayError(
    "database-unavailable",
    `The gateway cannot reach its database right now, so it could not ${what}. Retry shortly.`,
    detail instanceof Error ? detail.message : String(detail),
  );
}

function guestErrorToGatewayError(
  error: GuestFailure,
  memoryBytes: number,
  limits: AppLimits,
  entrypoint: string,
): GatewayError {
  switch (error.kind) {
    case "trap":
      return explainTrap(error.message, memoryBytes, limits);
    case "output-too-large":
      return new GatewayError(
        "response-too-large",
        `The app's response exceeded its ${limits.maxResponseBytes} byte limit and was discarded. ` +
          "Send less data per response or raise the app's response limit.",
        error.message,
      );
    case "missing-entrypoint":
      return new GatewayError(
        "missing-entrypoint",
        `The app's module does not export the function "${entrypoint}" that this route calls. Fix the route's entrypoint or rebuild the module.`,
        error.message,
      );
    case "instantiate":
      return new GatewayError("instantiate-failed", `The app's module could not be started: ${error.message}`, error.message);
    case "bad-cgi":
      return new GatewayError(
        "bad-cgi-response",
        "The app's output is not a valid CGI response. Print headers (at least Content-Type), " +
          `then an empty line, then the body. (${error.message})`,
        error.message,
      );
  }
}

function sendError(res: http.ServerResponse, error: GatewayError, extraHeaders: Record<string, string> = {}): number {
  const status = STATUS[error.code];
  if (res.headersSent) {
    res.destroy();
    return status;
  }
  const body = JSON.stringify({ error: { code: error.code, message: error.message } });
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    ...(error.code === "database-unavailable" || error.code === "database-busy" ? { "retry-after": "1" } : {}),
    ...extraHeaders,
  });
  res.end(body);
  return status;
}

/** Stderr as lines; a CRLF ends a line like a LF (a lone CR arrives escaped, lib/wasm/guest-text.ts). */
function splitLines(text: string): string[] {
  if (!text) return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const defaults: AppLimits = { ...DEFAULT_LIMITS, ...options.limits };
  // The operator's ceilings, read once.
  const ceilings = Object.entries({ ...LIMIT_CEILING_DEFAULTS, ...options.maxLimits }).filter(([, v]) => v !== undefined) as [keyof AppLimits, number][];
  const ownsPool = !options.pool;
  const pool = options.pool ?? (await WorkerPool.create(options.poolOptions));
  const moduleCache = options.moduleCache ?? new ModuleCache();
  const staticFiles = new StaticFileCache();
  const onLog = options.onLog ?? (() => {});
  const databaseWaitMs = options.databaseWaitMs ?? 5000;
  const withinDatabaseWait = createDatabaseWait(databaseWaitMs);
  const routing: Routing = {
    domain: (options.gatewayDomain ?? "localhost").toLowerCase(),
    pathRouting: options.pathRouting ?? false,
    scheme: options.publicScheme ?? "http",
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, requestId: string): Promise<void> {
    const started = performance.now();
    // One URL for routing and for the guest (X_FULL_URL, SERVER_NAME, PATH_INFO): the Host is checked first.
    const requestUrl = requestUrlOf(req, routing.scheme);
    const url = "url" in requestUrl ? requestUrl.url : new URL(`${routing.scheme}://gateway.invalid/`);
    const log: RequestLog = {
      requestId,
      time: new Date().toISOString(),
      tenant: null,
      app: null,
      versionId: null,
      method: req.method ?? "GET",
      path: url.pathname,
      status: 0,
      durationMs: 0,
      stderr: [],
      guestLogs: [],
    };
    const finish = (status: number, error?: GatewayError, bytesOut?: number) => {
      log.status = status;
      log.durationMs = Math.round((performance.now() - started) * 1000) / 1000;
      log.bytesOut = bytesOut ?? (Number(res.getHeader("content-length") ?? 0) || 0);
      if (error) log.error = { code: error.code, message: error.message, detail: error.detail };
      onLog(log);
    };

    if ("problem" in requestUrl) {
      log.path = (req.url ?? "").slice(0, 2000);
      const error = new GatewayError("bad-request", requestUrl.problem);
      return finish(sendError(res, error), error);
    }
    const target = findTarget(url.hostname, url.pathname, routing);
    if (!target) {
      if (url.pathname === "/healthz") {
        const body = JSON.stringify({ ok: true, pid: process.pid, pool: pool.stats(), modules: moduleCache.size });
        res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
        res.end(body);
        return;
      }
      const error = new GatewayError("not-found", noAppMessage(routing));
      return finish(sendError(res, error), error);
    }
    log.tenant = target.tenant;
    log.app = target.app;

    let deployment: ResolvedDeployment | null;
    try {
      deployment = await withinDatabaseWait(options.resolve(target.tenant, target.app, target.path));
    } catch (err) {
      const error =
        err instanceof DeploymentError
          ? new GatewayError("invalid-deployment", `The app's deployment cannot run: ${err.message}`, err.problems.join("\n"))
          : (databaseFailure("look up this app", err, databaseWaitMs) ??
            new GatewayError("internal", "The gateway could not look up the app. Retry shortly.", String(err)));
      return finish(sendError(res, error), error);
    }
    if (!deployment) {
      const error = new GatewayError(
        "app-not-found",
        `No app "${target.app}" is deployed for tenant "${target.tenant}". Check the URL, or deploy the app first.`,
      );
      return finish(sendError(res, error), error);
    }
    // The app's own part of the origin, before a version route's mount: its service workers' bound.
    const appBase = target.base;
    if (deployment.mount) {
      target.base += deployment.mount;
      target.path = target.path.slice(deployment.mount.length) || "/";
    }
    log.versionId = deployment.versionId;
    log.tenantId = deployment.tenantId;
    log.appId = deployment.appId;
    const limits: AppLimits = { ...defaults, ...deployment.limits };
    for (const [key, ceiling] of ceilings) if (limits[key] > ceiling) limits[key] = ceiling;
    log.memoryLimitMb = limits.memoryMb;
    if (options.spendingCap && deployment.tenantId) {
      let refusal: Awaited<ReturnType<SpendingCapCheck["check"]>>;
      try {
        refusal = await withinDatabaseWait(options.spendingCap.check(deployment.tenantId));
      } catch (err) {
        const error =
          databaseFailure("check the tenant's spending cap", err, databaseWaitMs) ??
          new GatewayError("internal", "The gateway could not check the tenant's spending cap. Retry shortly.", String(err));
        return finish(sendError(res, error), error);
      }
      if (refusal) {
        // Refused before the guest runs: logged, never metered.
        log.billable = false;
        return finish(writeSpendingCapReached(req, res, refusal), new GatewayError("spending-cap-reached", spendingCapMessage(refusal)));
      }
    }

    const servedStatic = await serveStaticFile({ req, res, deployment, target, search: url.search, log, cache: staticFiles });
    if (servedStatic) return finish(servedStatic.status, undefined, servedStatic.bytesOut);

    const routes = deployment.routes.length > 0 ? deployment.routes : [{ prefix: "/...", entrypoint: "_start" }];
    // WAGI precedence (the last matching route wins), the same function the IDE preview uses.
    const match = matchWagiRoute(
      routes.map((r) => ({ path: r.prefix, entrypoint: r.entrypoint, wildcard: r.prefix.endsWith("/...") })),
      target.path,
    );
    if (!match) {
      const error = new GatewayError(
        "route-not-found",
        `The app has no route for ${target.path}. Its routes: ${routes.map((r) => r.prefix).join(", ")}.`,
      );
      return finish(sendError(res, error), error);
    }
    log.route = match.path;

    let body: Uint8Array;
    try {
      body = await readBodyWithLimit(req, limits.maxRequestBytes);
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        const error = new GatewayError(
          "request-too-large",
          `The request body is larger than this app's ${limits.maxRequestBytes} byte limit. Send a smaller body.`,
        );
        // The rest of the body is not read: close the connection instead of draining it.
        const status = sendError(res, error, { connection: "close" });
        res.once("finish", () => req.socket.destroySoon?.());
        return finish(status, error);
      }
      // The client went away mid-body: nothing to answer.
      res.destroy();
      return;
    }

    log.bytesIn = body.byteLength;
    const headers: [string, string][] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);

    const dep = deployment;
    // The app's store comes from the deployment (its tenant and app), never from the request.
    // Each guest kv call counts in log.kvOps (metered into UsageDaily.kvOps).
    // A kv call that failed because the database is away makes the answer a 503, whatever the guest did with it.
    const storage: { unavailable?: unknown } = {};
    const kv: KvSession | undefined = watchKvSession(meterKvSession((dep as ResolvedDeployment & { kv?: KvAccess }).kv?.open(), log), storage);
    const outcome = await pool.run({
      kv,
      // Workers are shared fairly between tenants (fair-share.ts); the app has its own bound.
      tenant: dep.tenantId ?? target.tenant,
      app: dep.appId ?? `${target.tenant}/${target.app}`,
      moduleHash: dep.moduleHash,
      getModule: () => moduleCache.get(dep.moduleHash, () => dep.getModuleBytes()),
      getBytes: () => dep.getModuleBytes(),
      filesKey: dep.files?.key,
      getFiles: dep.files ? () => dep.files!.getEntries() : undefined,
      deadlineMs: limits.timeoutMs,
      input: {
        request: {
          method: req.method ?? "GET",
          url: requestUrl.href,
          headers,
          body,
          remoteAddr: req.socket.remoteAddress ?? "",
          route: target.base + match.path,
          // SCRIPT_NAME: the mount point plus the route without its wildcard; PATH_INFO is the rest.
          scriptName: target.base + (match.wildcard ? match.path.slice(0, -4) : match.path) || "/",
        },
        entrypoint: match.entrypoint,
        env: dep.env,
        maxResponseBytes: limits.maxResponseBytes,
        // The memory ceiling holds at run time too (a version published under a higher one).
        maxMemoryPages: bytesToPages(limits.memoryMb * 1024 * 1024),
        ...(kv ? { kv: true } : {}),
      },
    });

    if (outcome.kind !== "ok" || outcome.result.error || storage.unavailable !== undefined) kv?.discard();
    if (outcome.kind !== "ok") {
      const error = outcomeToError(outcome, limits);
      return finish(sendError(res, error, retryAfter(error)), error);
    }
    const result = outcome.result;
    log.stderr = splitLines(result.stderr);
    log.guestLogs = result.logs;
    log.memoryBytes = result.memoryBytes;
    log.computeMs = result.runMs;
    if (storage.unavailable !== undefined) {
      const error = databaseUnavailable("use the app's key-value store", storage.unavailable);
      return finish(sendError(res, error), error);
    }
    if (result.error) {
      const error = guestErrorToGatewayError(result.error, result.memoryBytes, limits, match.entrypoint);
      return finish(sendError(res, error), error);
    }

    if (kv) {
      // The guest's writes become durable before its response leaves, all of them or none.
      try {
        await kv.commit();
      } catch (err) {
        const error = new GatewayError(
          "storage-failed",
          "The app's key-value writes could not be saved, so its response was not sent. Retry the request.",
          err instanceof Error ? err.message : String(err),
        );
        return finish(sendError(res, error), error);
      }
    }

    const responseHeaders: Record<string, string | string[]> = {};
    for (const [name, rawValue] of result.headers) {
      const key = name.toLowerCase();
      if (HOP_BY_HOP.has(key)) continue;
      let value = rawValue;
      if (key === "service-worker-allowed") {
        const confined = confineServiceWorkerAllowed(value, url, appBase);
        if (confined === null) continue;
        value = confined;
      }
      const existing = responseHeaders[key];
      if (existing === undefined) responseHeaders[key] = value;
      else responseHeaders[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
    responseHeaders["content-length"] = String(result.body.byteLength);
    try {
      res.writeHead(result.status, responseHeaders);
    } catch (err) {
      // Node refuses header names/values with invalid characters: the guest's CGI output is at fault.
      for (const name of res.getHeaderNames()) if (name !== "x-request-id") res.removeHeader(name);
      const error = new GatewayError(
        "bad-cgi-response",
        `The app's response has a header HTTP cannot carry (${err instanceof Error ? err.message : String(err)}).`,
      );
      return finish(sendError(res, error), error);
    }
    res.end(result.body);
    finish(result.status);
  }

  // Responses not finished yet: a drain waits for them and asks their clients not to reuse the connection.
  const inFlight = new Set<http.ServerResponse>();
  let draining = false;
  const server = http.createServer((req, res) => {
    const requestId = randomUUID();
    res.setHeader("x-request-id", requestId);
    if (draining) res.setHeader("connection", "close");
    inFlight.add(res);
    res.once("close", () => inFlight.delete(res));
    handle(req, res, requestId).catch((err: unknown) => {
      const error = new GatewayError("internal", "The gateway failed while handling the request.", String(err));
      sendError(res, error);
      options.onLog?.({
        requestId,
        time: new Date().toISOString(),
        tenant: null,
        app: null,
        versionId: null,
        method: req.method ?? "GET",
        path: req.url ?? "/",
        status: 500,
        durationMs: 0,
        stderr: [],
        guestLogs: [],
        error: { code: "internal", message: error.message, detail: error.detail },
      });
    });
  });
  // Apps must not hold sockets for ever: bound how long a client may take to send headers/body.
  server.headersTimeout = 30_000;
  server.requestTimeout = 120_000;

  return {
    server,
    pool,
    moduleCache,
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
