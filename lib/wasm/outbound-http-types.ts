// One outbound HTTP call as the guest's host asks for it and hears back (lib/outbound runs it on
// the gateway's main thread, or the console's preview route). Structured-clone safe.

export interface OutboundRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: Uint8Array;
}

/**
 * Why a call got no response, as the guest learns it:
 * - not-allowed: the URL's scheme, host and port are not in the app's `allowed_hosts`
 * - refused-address: the host is (or redirects to) a loopback, private, link-local or metadata address
 * - invalid: not an http(s) URL, a bad method or header
 * - limit: past the request's outbound caps (calls, bytes out, bytes in)
 * - timeout: no answer inside the request's deadline
 * - failed: the connection or the upstream failed
 * - unavailable: nothing serves outbound calls here
 */
export type OutboundErrorCode = "not-allowed" | "refused-address" | "invalid" | "limit" | "timeout" | "failed" | "unavailable";

export type OutboundResult =
  | { ok: true; status: number; headers: [string, string][]; body: Uint8Array }
  | { ok: false; code: OutboundErrorCode; message: string };

/** What the wasm host calls, synchronously (the worker blocks on the bridge meanwhile). */
export interface OutboundHttpHost {
  fetch(request: OutboundRequest): OutboundResult;
}
