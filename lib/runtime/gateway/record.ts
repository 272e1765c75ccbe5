/** The record step: the request's log entry, once its answer is sent (every request but /healthz). */
import type { GatewayError } from "./errors";
import type { RequestContext } from "./context";
import type { RequestLog } from "../../deployment-record/ports";

export function recordRequest(ctx: RequestContext, onLog: (record: RequestLog) => void, status: number, error?: GatewayError, bytesOut?: number): void {
  const { log } = ctx;
  log.status = status;
  log.durationMs = Math.round((performance.now() - ctx.started) * 1000) / 1000;
  log.bytesOut = bytesOut ?? (Number(ctx.res.getHeader("content-length") ?? 0) || 0);
  if (error) log.error = { code: error.code, message: error.message, detail: error.detail };
  onLog(log);
}
