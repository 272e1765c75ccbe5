/**
 * How a schedule's run enters the gateway: as an HTTP request to a loopback server of this process
 * whose handler is the gateway's own (`serveScheduled`), so it takes every step a client's request
 * takes (route, limits and spending cap, body, run with env and KV, respond, record with metering)
 * and is logged with the time it was due. Its own server, not the public port: under node:cluster
 * the public port may hand the request to another process, and a client must not be able to mark
 * its request as scheduled (a per-process token in a header, removed before the guest sees headers).
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { appHostname } from "../app-host";
import type { Gateway } from "./gateway";

const TOKEN_HEADER = "x-wasmcompute-run-token";
const SCHEDULED_AT_HEADER = "x-wasmcompute-scheduled-at";

export interface ScheduledRequest {
  tenant: string;
  app: string;
  method: string;
  path: string;
  body?: string;
  /** ISO 8601 UTC, or "manual" (Run now); the guest sees it as HTTP_X_WASMCOMPUTE_SCHEDULED_AT. */
  scheduledAt: string;
  /** How long to wait for the answer: the app's deadline plus a margin (the gateway enforces the deadline). */
  waitMs: number;
}

export interface ScheduledOutcome {
  status: number;
  durationMs: number;
  requestId: string | null;
  /** The gateway's error message, for a status of 400 or more. */
  error?: string;
}

export interface ScheduledRequests {
  send(request: ScheduledRequest): Promise<ScheduledOutcome>;
  close(): Promise<void>;
}

export async function createScheduledRequests(gateway: Pick<Gateway, "serveScheduled">, domain: string): Promise<ScheduledRequests> {
  const token = randomBytes(24).toString("hex");
  const server = http.createServer((req, res) => {
    if (req.headers[TOKEN_HEADER] !== token) {
      res.writeHead(403, { "content-type": "text/plain" }).end("not a scheduled run\n");
      return;
    }
    delete req.headers[TOKEN_HEADER];
    stripRawHeader(req, TOKEN_HEADER);
    gateway.serveScheduled(req, res, String(req.headers[SCHEDULED_AT_HEADER] ?? "manual"));
  });
  // exclusive: under node:cluster a port-0 listen is otherwise shared by every process, and the
  // run would reach a process whose token differs.
  await new Promise<void>((resolve) => server.listen({ port: 0, host: "127.0.0.1", exclusive: true }, resolve));
  const port = (server.address() as AddressInfo).port;

  function send(request: ScheduledRequest): Promise<ScheduledOutcome> {
    const started = performance.now();
    return new Promise((resolve) => {
      const body = request.body ?? "";
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          method: request.method,
          path: request.path,
          agent: false,
          timeout: request.waitMs,
          headers: {
            host: appHostname(request.tenant, request.app, domain),
            [TOKEN_HEADER]: token,
            [SCHEDULED_AT_HEADER]: request.scheduledAt,
            "user-agent": "wasmcompute-scheduler",
            "content-length": String(Buffer.byteLength(body)),
            ...(body ? { "content-type": "text/plain; charset=utf-8" } : {}),
          },
        },
        (res) => {
          const requestId = typeof res.headers["x-request-id"] === "string" ? res.headers["x-request-id"] : null;
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (chunk: Buffer) => {
            // Only an error's message is kept; an answer's body is read and dropped.
            if (size < 64 * 1024) chunks.push(chunk);
            size += chunk.length;
          });
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            const outcome: ScheduledOutcome = { status, durationMs: performance.now() - started, requestId };
            if (status >= 400) outcome.error = errorMessage(Buffer.concat(chunks).toString("utf8"), status);
            resolve(outcome);
          });
          res.on("error", (e) => resolve({ status: 0, durationMs: performance.now() - started, requestId, error: `the answer was cut: ${e.message}` }));
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer within ${request.waitMs} ms`)));
      req.on("error", (e) => resolve({ status: 0, durationMs: performance.now() - started, requestId: null, error: e.message }));
      req.end(body);
    });
  }

  return {
    send,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The gateway's `{ "error": { "message" } }`, or the start of the guest's body. */
function errorMessage(text: string, status: number): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === "string") return parsed.error.message;
  } catch {
    // Not the gateway's JSON: the guest's own answer.
  }
  return text.trim().slice(0, 500) || `HTTP ${status}`;
}

function stripRawHeader(req: http.IncomingMessage, name: string): void {
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i]!.toLowerCase() === name) raw.splice(i, 2);
}
