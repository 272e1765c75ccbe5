/**
 * What the gateway's steps share: the request's context, the ports they reach the rest of the
 * system through (each a narrow interface, so a step's test passes a fake), and how a step says
 * "stop here" (failed, answered, or nothing to record).
 */
import type http from "node:http";
import type { Routing, Target } from "../app-routing";
import type { AppLimits, ResolveDeployment, ResolvedDeployment } from "../../deployment-record/record";
import type { ModuleCache } from "../module-cache";
import type { SpendingCapCheck } from "../../deployment-record/ports";
import type { StaticFileCache } from "../static-files";
import type { WorkerPool } from "../worker-pool";
import type { Failure } from "./errors";
import type { RequestLog } from "../../deployment-record/ports";
import type { OutboundCaps, OutboundFetcher } from "../../outbound/outbound-fetch";

export interface RequestContext {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  requestId: string;
  /** performance.now() when the request arrived. */
  started: number;
  /** The absolute URL the guest is given (X_FULL_URL, SERVER_NAME, PATH_INFO): routing reads the same one. */
  href: string;
  url: URL;
  /** Why the request has no such URL (a Host that is not a host, a target that is not a path). */
  urlProblem?: string;
  /** Filled in by the steps as they learn things; the record step sends it. */
  log: RequestLog;
}

/** The app a request is for, once the route step found its deployment. */
export interface AppRequest {
  target: Target;
  /** The app's own part of the origin, before a version route's mount: its service workers' bound. */
  appBase: string;
  deployment: ResolvedDeployment;
}

/** Bounds a wait on the database (limits.ts createDatabaseWait). */
export type DatabaseWait = <T>(value: T | Promise<T>) => T | Promise<T>;

/** The ports and settings the steps use; createGateway builds one for the gateway's life. */
export interface GatewayDeps {
  resolve: ResolveDeployment;
  routing: Routing;
  /** /healthz's figures. */
  health(): Record<string, unknown>;
  pool: Pick<WorkerPool, "run">;
  moduleCache: Pick<ModuleCache, "get">;
  staticFiles: StaticFileCache;
  onLog(record: RequestLog): void;
  /** Every app's limits before its own, and the operator's ceilings over them. */
  defaults: AppLimits;
  ceilings: [keyof AppLimits, number][];
  spendingCap?: SpendingCapCheck;
  databaseWaitMs: number;
  withinDatabaseWait: DatabaseWait;
  /** Guests' outbound HTTP (lib/outbound): one session per request, under the request's deadline. */
  outbound?: OutboundFetcher;
  outboundCaps?: Partial<OutboundCaps>;
}

/** Where a step ends the request: its failure goes through the error table; `bytesOut` overrides the Content-Length. */
export type Stop =
  | { stop: "failed"; failure: Failure; bytesOut?: number }
  | { stop: "answered"; status: number; bytesOut?: number }
  /** Nothing to record: /healthz, or a client gone before there was anything to answer. */
  | { stop: "unrecorded" };

export const failed = (failure: Failure): Stop => ({ stop: "failed", failure });

export function isStop(value: object): value is Stop {
  return "stop" in value;
}

export function newRequestLog(requestId: string, method: string, path: string): RequestLog {
  return { requestId, time: new Date().toISOString(), tenant: null, app: null, versionId: null, method, path, status: 0, durationMs: 0, stderr: [], guestLogs: [] };
}
