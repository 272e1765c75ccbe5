// Fakes for the gateway steps' own tests: a real IncomingMessage/ServerResponse pair on an
// unconnected socket (so Node's header checks are the real ones), and ports that record calls.
import http from "node:http";
import net from "node:net";
import { DEFAULT_LIMITS, type ResolvedDeployment } from "../../deployment-record/record";
import { StaticFileCache } from "../static-files";
import type { PoolOutcome } from "../worker-pool";
import type { GatewayDeps, RequestContext, Stop } from "./context";
import { explain, type GatewayError } from "./errors";
import { requestContext } from "./handle-request";
import type { RequestLog } from "../../deployment-record/ports";

export interface Exchange {
  ctx: RequestContext;
  /** The response body written so far. */
  body(): string;
}

/** A request as the gateway's server hands it over (x-request-id already set on the response). */
export function exchange(options: { method?: string; url?: string; headers?: Record<string, string>; body?: Uint8Array } = {}, deps: Pick<GatewayDeps, "routing"> = fakeDeps()): Exchange {
  const req = new http.IncomingMessage(new net.Socket());
  req.method = options.method ?? "GET";
  req.url = options.url ?? "/";
  req.headers = { host: "hello--acme.localhost", ...options.headers };
  req.rawHeaders = Object.entries(req.headers).flatMap(([k, v]) => [k, String(v)]);
  if (options.body) {
    req.push(Buffer.from(options.body));
    req.push(null);
  }
  const res = new http.ServerResponse(req);
  res.setHeader("x-request-id", "req-1");
  const chunks: Buffer[] = [];
  const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (chunk && typeof chunk !== "function") chunks.push(Buffer.from(chunk as Uint8Array));
    return end(chunk, ...rest);
  }) as typeof res.end;
  return { ctx: requestContext(req, res, "req-1", deps, performance.now()), body: () => Buffer.concat(chunks).toString() };
}

export function fakeDeployment(over: Partial<ResolvedDeployment> = {}): ResolvedDeployment {
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
  return { versionId: "v1", moduleHash: "hash", getModuleBytes: async () => bytes, routes: [], env: {}, files: null, limits: {}, ...over };
}

export function fakeDeps(over: Partial<GatewayDeps> & { outcome?: PoolOutcome } = {}): GatewayDeps & { logs: RequestLog[] } {
  const logs: RequestLog[] = [];
  const { outcome, ...rest } = over;
  return {
    resolve: async () => fakeDeployment(),
    routing: { domain: "localhost", pathRouting: false, scheme: "http" },
    health: () => ({ pool: { workers: 0 } }),
    pool: { run: async () => outcome ?? { kind: "overloaded", queued: 0 } },
    moduleCache: { get: async () => ({ module: new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])), memory: null }) },
    staticFiles: new StaticFileCache(),
    onLog: (record) => logs.push(record),
    defaults: { ...DEFAULT_LIMITS },
    ceilings: [],
    databaseWaitMs: 5000,
    withinDatabaseWait: (value) => value,
    logs,
    ...rest,
  };
}

/** What a step's failure answers (its code, message, detail) through the error table; null when it did not fail. */
export function errorOf(stop: unknown): GatewayError | null {
  const s = stop as Stop;
  return s && typeof s === "object" && "stop" in s && s.stop === "failed" ? explain(s.failure) : null;
}
