// The IDE preview's outbound calls go through the console (POST /api/v1/apps/{app}/preview/outbound,
// lib/apps/call-outbound-for-preview.ts), which applies the gateway's rules. Its answer is binary, so
// the upstream's body arrives as it was sent (the preview worker reads it with a synchronous
// XMLHttpRequest, responseType "arraybuffer"):
//
//   [u32 big-endian: n] [n bytes: JSON of PreviewOutboundMeta] [the response body, when ok]
//
// Isomorphic (console and browser); no dependency.
import type { OutboundErrorCode, OutboundResult } from "./outbound-http-types";

export const PREVIEW_OUTBOUND_TYPE = "application/vnd.wasmcompute.outbound";

/** What a preview run's calls used so far: the caps hold across the run's calls (outbound-fetch.ts). */
export interface OutboundSpent {
  calls: number;
  bytesOut: number;
  bytesIn: number;
}

/** The request the preview worker sends (JSON; the call's body in base64). */
export interface PreviewOutboundInput {
  /** The draft manifest's `allowed_hosts`. */
  allowedHosts: string[];
  request: { method: string; url: string; headers: [string, string][]; body: string };
  /** Time left until the preview run's deadline (the console cuts it to the operator's ceiling). */
  timeoutMs: number;
  spent: OutboundSpent;
}

export interface PreviewOutboundMeta {
  result: { ok: true; status: number; headers: [string, string][] } | { ok: false; code: OutboundErrorCode; message: string };
  /** The run's totals after this call, to send with the next one. */
  spent: OutboundSpent;
  /** The call's line for the preview's log, as the gateway logs it. */
  log: { level: "info" | "warn"; message: string };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodePreviewOutbound(result: OutboundResult, spent: OutboundSpent, log: PreviewOutboundMeta["log"]): Uint8Array {
  const meta: PreviewOutboundMeta = {
    result: result.ok ? { ok: true, status: result.status, headers: result.headers } : { ok: false, code: result.code, message: result.message },
    spent,
    log,
  };
  const json = encoder.encode(JSON.stringify(meta));
  const body = result.ok ? result.body : new Uint8Array(0);
  const out = new Uint8Array(4 + json.length + body.length);
  new DataView(out.buffer).setUint32(0, json.length);
  out.set(json, 4);
  out.set(body, 4 + json.length);
  return out;
}

/** The call's result as the guest's host needs it, with the run's totals and log line; throws on a malformed answer. */
export function decodePreviewOutbound(bytes: Uint8Array): { result: OutboundResult; spent: OutboundSpent; log: PreviewOutboundMeta["log"] } {
  if (bytes.length < 4) throw new Error("the answer is too short");
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (4 + length > bytes.length) throw new Error("the answer is cut short");
  const meta = JSON.parse(decoder.decode(bytes.subarray(4, 4 + length))) as PreviewOutboundMeta;
  const result: OutboundResult = meta.result.ok
    ? { ok: true, status: meta.result.status, headers: meta.result.headers, body: bytes.slice(4 + length) }
    : { ok: false, code: meta.result.code, message: meta.result.message };
  return { result, spent: meta.spent, log: meta.log };
}
