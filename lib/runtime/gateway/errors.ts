/**
 * The gateway's one error table. Every way a request can fail, from a bad Host header to a
 * static file that cannot be read, is a typed `Failure` (its cause, with the figures its
 * message needs); `explain` turns it into the code, HTTP status, public message, log detail and
 * extra headers of the answer, and the request log records that same code, message and detail.
 */
import type http from "node:http";
import { isDatabaseBusy, isDatabaseUnavailable } from "@/lib/db/database-errors";
import { noAppMessage, type Routing } from "../app-routing";
import type { AppLimits, DeploymentError } from "../../deployment-record/record";
import { spendingCapMessage, writeSpendingCapReached } from "../spending-cap";
import type { SpendingCapRefusal } from "../../deployment-record/ports";
import type { StaticMount } from "../static-files";
import type { PoolOutcome } from "../worker-pool";
import type { GuestFailure } from "../worker-protocol";
import type { GatewayErrorCode } from "../../deployment-record/ports";

export type { GatewayErrorCode };

export const STATUS: Record<GatewayErrorCode, number> = {
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
  "no-response": 502,
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
  "method-not-allowed": 405,
  "bad-path": 400,
  "file-not-found": 404,
  "range-not-satisfiable": 416,
  internal: 500,
};

/** Answers the client may retry soon. */
const RETRY_AFTER = new Set<GatewayErrorCode>(["overloaded", "too-many-requests", "database-unavailable", "database-busy"]);

/** Why a request failed, with what its message needs. Steps return these; only `explain` words them. */
export type Failure =
  | { kind: "bad-request"; problem: string }
  | { kind: "no-app"; routing: Routing }
  | { kind: "invalid-deployment"; error: DeploymentError }
  | { kind: "app-not-found"; tenant: string; app: string }
  /** A lookup (the app's deployment, the spending cap) threw: the database's fault, or the gateway's. */
  | { kind: "lookup-failed"; what: string; internal: string; error: unknown; waitMs: number }
  | { kind: "spending-cap"; refusal: SpendingCapRefusal }
  | { kind: "route-not-found"; path: string; routes: string[] }
  | { kind: "body-too-large"; limit: number }
  /** The pool gave no result (deadline, crash, refusals). */
  | { kind: "pool"; outcome: Exclude<PoolOutcome, { kind: "ok" }>; limits: AppLimits }
  /** The guest ran but gave no response. */
  | { kind: "guest"; error: GuestFailure; memoryBytes: number; limits: AppLimits; entrypoint: string }
  | { kind: "kv-unavailable"; error: unknown }
  | { kind: "kv-commit-failed"; error: unknown }
  | { kind: "bad-header"; error: unknown }
  | { kind: "static-method"; path: string; mount: StaticMount }
  | { kind: "static-bad-path" }
  | { kind: "static-not-found"; path: string; mount: StaticMount }
  | { kind: "static-range"; size: number }
  | { kind: "static-read-failed"; path: string; error: unknown }
  | { kind: "internal"; error: unknown };

export interface GatewayError {
  code: GatewayErrorCode;
  /** For the client and the app's logs: what went wrong and what to do. */
  message: string;
  /** For the app's logs only. */
  detail?: string;
  headers?: Record<string, string>;
  /** An answer of its own shape instead of the JSON error body (the spending cap's 402). */
  write?(req: http.IncomingMessage, res: http.ServerResponse): void;
}

/** A wait on the database past the gateway's bound (limits.ts createDatabaseWait). */
export class DatabaseWaitExceeded extends Error {}

const textOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const error = (code: GatewayErrorCode, message: string, detail?: string, headers?: Record<string, string>): GatewayError => ({
  code,
  message,
  ...(detail !== undefined ? { detail } : {}),
  ...(headers ? { headers } : {}),
});

const databaseUnavailable = (what: string, detail: unknown) =>
  error("database-unavailable", `The gateway cannot reach its database right now, so it could not ${what}. Retry shortly.`, textOf(detail));

type Explain = { [K in Failure["kind"]]: (failure: Extract<Failure, { kind: K }>) => GatewayError };

const EXPLAIN: Explain = {
  "bad-request": (f) => error("bad-request", f.problem),
  "no-app": (f) => error("not-found", noAppMessage(f.routing)),
  "invalid-deployment": (f) => error("invalid-deployment", `The app's deployment cannot run: ${f.error.message}`, f.error.problems.join("\n")),
  "app-not-found": (f) => error("app-not-found", `No app "${f.app}" is deployed for tenant "${f.tenant}". Check the URL, or deploy the app first.`),
  "lookup-failed": explainLookup,
  "spending-cap": (f) => ({ code: "spending-cap-reached", message: spendingCapMessage(f.refusal), write: (req, res) => writeSpendingCapReached(req, res, f.refusal) }),
  "route-not-found": (f) => error("route-not-found", `The app has no route for ${f.path}. Its routes: ${f.routes.join(", ")}.`),
  "body-too-large": (f) =>
    // The rest of the body is not read: the connection closes instead of draining it.
    error("request-too-large", `The request body is larger than this app's ${f.limit} byte limit. Send a smaller body.`, undefined, { connection: "close" }),
  pool: (f) => explainPool(f.outcome, f.limits),
  guest: (f) => explainGuest(f),
  "kv-unavailable": (f) => databaseUnavailable("use the app's key-value store", f.error),
  "kv-commit-failed": (f) =>
    error("storage-failed", "The app's key-value writes could not be saved, so its response was not sent. Retry the request.", textOf(f.error)),
  // Node refuses header names/values with invalid characters: the guest's CGI output is at fault.
  "bad-header": (f) => error("bad-cgi-response", `The app's response has a header HTTP cannot carry (${textOf(f.error)}).`),
  "static-method": (f) =>
    error("method-not-allowed", `${f.path} is a static file path (manifest static: ${f.mount.path}); it answers GET and HEAD only.`, undefined, { allow: "GET, HEAD" }),
  "static-bad-path": () => error("bad-path", "The path has an invalid segment (., .., or an encoded /, \\ or NUL). Request the file by its plain path."),
  "static-not-found": (f) =>
    error(
      "file-not-found",
      `No file "${f.path}" in this version. The manifest serves ${f.mount.path} from ${f.mount.dir ? `${f.mount.dir}/` : "the files' root"}; publish the file to serve it.`,
    ),
  "static-range": (f) => error("range-not-satisfiable", `The file has ${f.size} bytes; the requested range is outside it.`, undefined, { "content-range": `bytes */${f.size}` }),
  "static-read-failed": (f) => error("storage-failed", `The file "${f.path}" could not be read. Retry shortly.`, textOf(f.error)),
  internal: (f) => error("internal", "The gateway failed while handling the request.", String(f.error)),
};

export function explain(failure: Failure): GatewayError {
  return (EXPLAIN[failure.kind] as (f: Failure) => GatewayError)(failure);
}

export function statusOf(error: GatewayError): number {
  return STATUS[error.code];
}

function explainLookup(f: Extract<Failure, { kind: "lookup-failed" }>): GatewayError {
  if (f.error instanceof DatabaseWaitExceeded || isDatabaseBusy(f.error)) {
    return error("database-busy", `The gateway's database did not answer within ${f.waitMs / 1000} s, so it could not ${f.what}. Retry shortly.`);
  }
  if (isDatabaseUnavailable(f.error)) return databaseUnavailable(f.what, f.error);
  return error("internal", `The gateway could not ${f.internal}. Retry shortly.`, String(f.error));
}

function explainPool(outcome: Exclude<PoolOutcome, { kind: "ok" }>, limits: AppLimits): GatewayError {
  switch (outcome.kind) {
    case "timeout":
      return outcome.loading
        ? error(
            "deadline-exceeded",
            `The app's module did not even compile within the app's ${limits.timeoutMs} ms limit, so it never ran (and is answered so for a minute). ` +
              "Publish a smaller module (fewer functions, e.g. built with -O2 or -Os), or raise the app's timeout.",
          )
        : error(
            "deadline-exceeded",
            `The app did not finish within its ${limits.timeoutMs} ms limit and was stopped. Look for an endless loop or slow work, or raise the app's timeout.`,
          );
    case "crashed":
      if (outcome.cause === "load-database") return databaseUnavailable("load the app's code", outcome.message);
      if (outcome.cause === "host-memory") {
        return error(
          "out-of-memory",
          "The app made the host hold too much data (for example endless output on stderr, stdout or through the log import) and was stopped. " +
            "Write less output per request.",
          outcome.message,
        );
      }
      return error("worker-crashed", "The worker running the app failed unexpectedly. Retry the request.", outcome.message);
    case "overloaded":
      return error("overloaded", "The gateway is at capacity. Retry shortly.", `${outcome.queued} requests queued`);
    case "busy":
      return error(
        "too-many-requests",
        outcome.scope === "share"
          ? `This tenant's requests are using its whole share of the gateway's workers while other tenants are served, and this one waited ${outcome.limit} ms for a turn. ` +
              "Retry shortly, or send fewer long requests at once."
          : `This ${outcome.scope} already has ${outcome.limit} requests running or waiting on this gateway process, its limit. Retry shortly, or send fewer requests at once.`,
      );
  }
}

function explainGuest({ error: guest, memoryBytes, limits, entrypoint }: Extract<Failure, { kind: "guest" }>): GatewayError {
  const { message } = guest;
  switch (guest.kind) {
    case "trap":
      // Its memory at the cap: a failed memory.grow that the guest turned into an abort.
      return memoryBytes >= limits.memoryMb * 1024 * 1024
        ? error("out-of-memory", `The app ran out of memory: it reached its ${limits.memoryMb} MiB limit and then failed. Reduce its memory use or raise the app's memory limit.`, message)
        : error("guest-trap", `The app crashed while handling the request (WebAssembly trap: ${message}). Its stderr is in the app's logs.`, message);
    case "output-too-large":
      return error(
        "response-too-large",
        `The app's response exceeded its ${limits.maxResponseBytes} byte limit and was discarded. Send less data per response or raise the app's response limit.`,
        message,
      );
    case "missing-entrypoint":
      return error(
        "missing-entrypoint",
        `The app's module does not export the function "${entrypoint}" that this route calls. Fix the route's entrypoint or rebuild the module.`,
        message,
      );
    case "instantiate":
      return error("instantiate-failed", `The app's module could not be started: ${message}`, message);
    case "bad-cgi":
      return error(
        "bad-cgi-response",
        `The app's output is not a valid CGI response. Print headers (at least Content-Type), then an empty line, then the body. (${message})`,
        message,
      );
    case "no-response":
      return error(
        "no-response",
        `The app's component gave no response: ${message}. Call response-outparam.set with an outgoing-response before handle returns.`,
        message,
      );
  }
}

/**
 * Sends the error's answer (the JSON body `{ error: { code, message } }` unless it has its own)
 * and returns its status; a response already under way can only be cut off.
 */
export function sendError(req: http.IncomingMessage, res: http.ServerResponse, failure: GatewayError): number {
  const status = STATUS[failure.code];
  if (res.headersSent) {
    res.destroy();
    return status;
  }
  if (failure.write) {
    failure.write(req, res);
    return status;
  }
  const body = JSON.stringify({ error: { code: failure.code, message: failure.message } });
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    ...(RETRY_AFTER.has(failure.code) ? { "retry-after": "1" } : {}),
    ...failure.headers,
  });
  res.end(body);
  return status;
}
