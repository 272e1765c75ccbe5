/**
 * The run step: the guest runs in the worker pool with the request, the app's limits and its
 * key-value session; its writes become durable before its response may leave.
 */
import { buildWagiRequest } from "../../wasm";
import { watchKvSession } from "../database-unavailable";
import type { AppLimits } from "../../deployment-record/record";
import { meterKvSession } from "../kv-bridge";
import type { KvSession } from "../../deployment-record/ports";
import { bytesToPages } from "../../wasm/memory-cap";
import type { PoolJob } from "../worker-pool";
import { outboundLogLine, type OutboundSession } from "../../outbound/outbound-fetch";
import type { WagiJobResult } from "../worker-protocol";
import type { WagiMatch } from "./route";
import { failed, type AppRequest, type GatewayDeps, type RequestContext, type Stop } from "./context";

export interface GuestRun {
  app: AppRequest;
  limits: AppLimits;
  route: WagiMatch;
  body: Uint8Array;
}

/** The guest's response; or the failure that ends the request (deadline, crash, trap, a store that failed). */
export async function runGuest(ctx: RequestContext, deps: GatewayDeps, run: GuestRun): Promise<WagiJobResult | Stop> {
  const { log } = ctx;
  // The app's store comes from the deployment (its tenant and app), never from the request. Each
  // kv call counts in log.kvOps; one that failed because the database is away makes the answer a
  // 503, whatever the guest did with it.
  const storage: { unavailable?: unknown } = {};
  const kv = watchKvSession(meterKvSession(run.app.deployment.kv?.open(), log), storage);
  // Outbound calls end with the request's deadline at the latest (the worker's own starts later).
  const calls: { level: string; message: string }[] = [];
  const outbound = deps.outbound?.openSession({
    allowedHosts: run.app.deployment.allowedHosts,
    deadline: performance.now() + run.limits.timeoutMs,
    caps: deps.outboundCaps,
    onCall: (call) => calls.push(outboundLogLine(call)),
  });
  let outcome;
  try {
    outcome = await deps.pool.run(jobOf(ctx, deps, run, kv, outbound));
  } finally {
    outbound?.close();
    if (outbound && outbound.totals.calls > 0) {
      log.outboundCalls = outbound.totals.calls;
      log.outboundBytesOut = outbound.totals.bytesOut;
      log.outboundBytesIn = outbound.totals.bytesIn;
    }
    log.guestLogs = calls;
  }
  if (outcome.kind !== "ok" || outcome.result.error || storage.unavailable !== undefined) kv?.discard();
  if (outcome.kind !== "ok") return failed({ kind: "pool", outcome, limits: run.limits });
  const result = outcome.result;
  log.stderr = splitLines(result.stderr);
  log.guestLogs = [...result.logs, ...calls];
  log.memoryBytes = result.memoryBytes;
  log.computeMs = result.runMs;
  if (storage.unavailable !== undefined) return failed({ kind: "kv-unavailable", error: storage.unavailable });
  if (result.error) {
    return failed({ kind: "guest", error: result.error, memoryBytes: result.memoryBytes, limits: run.limits, entrypoint: run.route.entrypoint });
  }
  if (kv) {
    // All of the guest's writes or none, before its response leaves.
    try {
      await kv.commit();
    } catch (error) {
      return failed({ kind: "kv-commit-failed", error });
    }
  }
  return result;
}

/** The pool job for a request: the deployment's module and files, the WAGI request, the app's limits. */
export function jobOf(ctx: RequestContext, deps: GatewayDeps, { app, limits, route, body }: GuestRun, kv: KvSession | undefined, outbound?: OutboundSession): PoolJob {
  const { deployment: dep, target } = app;
  const headers: [string, string][] = [];
  const raw = ctx.req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.push([raw[i]!, raw[i + 1]!]);
  return {
    kv,
    outbound,
    // Workers are shared fairly between tenants (fair-share.ts); the app has its own bound.
    tenant: dep.tenantId ?? target.tenant,
    app: dep.appId ?? `${target.tenant}/${target.app}`,
    moduleHash: dep.moduleHash,
    getModule: () => deps.moduleCache.get(dep.moduleHash, () => dep.getModuleBytes()),
    getBytes: () => dep.getModuleBytes(),
    filesKey: dep.files?.key,
    getFiles: dep.files ? () => dep.files!.getEntries() : undefined,
    deadlineMs: limits.timeoutMs,
    input: {
      request: buildWagiRequest({
        method: ctx.req.method ?? "GET",
        url: ctx.href,
        headers,
        body,
        remoteAddr: ctx.req.socket.remoteAddress ?? "",
        mount: target.base,
        pattern: route.pattern,
      }),
      entrypoint: route.entrypoint,
      env: dep.env,
      maxResponseBytes: limits.maxResponseBytes,
      // The memory ceiling holds at run time too (a version published under a higher one).
      maxMemoryPages: bytesToPages(limits.memoryMb * 1024 * 1024),
      ...(kv ? { kv: true } : {}),
      ...(outbound ? { outbound: true } : {}),
    },
  };
}

/** Stderr as lines; a CRLF ends a line like a LF (a lone CR arrives escaped, lib/wasm/guest-text.ts). */
export function splitLines(text: string): string[] {
  if (!text) return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
