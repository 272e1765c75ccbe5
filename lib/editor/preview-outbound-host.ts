/// <reference lib="webworker" />
// The preview guest's outbound HTTP: each call goes to the console's route
// (POST /api/v1/apps/{app}/preview/outbound), which makes it under the gateway's rules. The guest
// runs synchronously in the preview worker, so the call is a synchronous XMLHttpRequest (allowed in
// workers); its answer is an OutboundResult, turned into the guest's status codes by the same
// lib/wasm host code the gateway's worker uses.
import type { OutboundHttpHost, OutboundRequest, OutboundResult } from "@/lib/wasm";
import { decodePreviewOutbound, type OutboundSpent, type PreviewOutboundInput } from "@/lib/wasm/outbound-wire";
import { bytesToBase64 } from "./base64";
import type { PreviewLogLine } from "./preview-protocol";

export interface PreviewOutboundOptions {
  /** The route's URL for this app. */
  url: string;
  /** The draft manifest's allowed_hosts. */
  allowedHosts: string[];
  /** performance.now() at which the run's deadline passes. */
  deadline: number;
  /** Each call's line, as the gateway logs it. */
  log: (line: PreviewLogLine) => void;
}

/** Past the deadline the page terminates the worker anyway; the margin lets the console's own timeout answer first. */
const XHR_MARGIN_MS = 2_000;

export function previewOutboundHost(options: PreviewOutboundOptions): OutboundHttpHost {
  let spent: OutboundSpent = { calls: 0, bytesOut: 0, bytesIn: 0 };
  return {
    fetch(request: OutboundRequest): OutboundResult {
      const timeoutMs = Math.max(1, Math.floor(options.deadline - performance.now()));
      const input: PreviewOutboundInput = {
        allowedHosts: options.allowedHosts,
        request: { method: request.method, url: request.url, headers: request.headers, body: bytesToBase64(request.body) },
        timeoutMs,
        spent,
      };
      const xhr = new XMLHttpRequest();
      try {
        xhr.open("POST", options.url, false);
        xhr.responseType = "arraybuffer";
        xhr.timeout = timeoutMs + XHR_MARGIN_MS;
        xhr.setRequestHeader("content-type", "application/json");
        xhr.send(JSON.stringify(input));
      } catch (e) {
        return unavailable(`the console did not answer (${e instanceof Error ? e.message : String(e)})`);
      }
      const bytes = new Uint8Array(xhr.response as ArrayBuffer);
      if (xhr.status !== 200) return unavailable(`the console answered ${xhr.status}: ${errorMessage(bytes)}`);
      try {
        const answer = decodePreviewOutbound(bytes);
        spent = answer.spent;
        options.log(answer.log);
        return answer.result;
      } catch (e) {
        return unavailable(`the console's answer could not be read (${e instanceof Error ? e.message : String(e)})`);
      }
    },
  };
}

function unavailable(why: string): OutboundResult {
  return { ok: false, code: "unavailable", message: `the IDE preview could not make the call: ${why}` };
}

function errorMessage(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes);
  try {
    return (JSON.parse(text) as { error: { message: string } }).error.message;
  } catch {
    return text.slice(0, 200);
  }
}
