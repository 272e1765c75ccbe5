/**
 * The outbound fetcher: runs a guest's HTTP calls on the gateway's main thread (and in the
 * console's preview route) under one set of rules, so preview and gateway answer the same.
 *
 * - Only URLs whose scheme, host and port the app lists in `allowed_hosts` (allowed-hosts.ts).
 * - The name is resolved once; every address must pass address-policy.ts, and the connection goes
 *   to the checked address (the socket's lookup answers with it), so a second DNS answer cannot
 *   point it elsewhere (no rebinding). TLS still verifies the certificate against the name.
 * - Redirects are followed by hand, each hop checked like a first call (and counted as one).
 * - Per request: at most `maxCalls` calls, `maxBytesOut` request bytes, `maxBytesIn` response
 *   bytes, and nothing outlives the request's deadline (`close` aborts what is still running).
 */
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import type { OutboundErrorCode, OutboundRequest, OutboundResult } from "../wasm/outbound-http-types";
import { addressRefusal, compileOperatorAllowList, type OperatorAllowList } from "./address-policy";
import { ALLOW_ANY_HOST, compileAllowedHosts, isListed } from "./allowed-hosts";

export interface OutboundRules {
  /** GATEWAY_OUTBOUND_ALLOW: non-public hosts and ranges the operator permits. */
  operatorAllow: readonly string[];
  /** GATEWAY_OUTBOUND_ANY=on: an app's `allowed_hosts: ["*"]` means any public host. */
  allowAnyHost: boolean;
}

export interface OutboundCaps {
  maxCalls: number;
  maxBytesOut: number;
  maxBytesIn: number;
  maxRedirects: number;
}

export const DEFAULT_OUTBOUND_CAPS: OutboundCaps = {
  maxCalls: 20,
  maxBytesOut: 4 * 1024 * 1024,
  maxBytesIn: 16 * 1024 * 1024,
  maxRedirects: 5,
};

/** One call as logged and metered: the host it went to, its status (or error) and its time. */
export interface OutboundCallRecord {
  method: string;
  host: string;
  status?: number;
  error?: { code: OutboundErrorCode; message: string };
  durationMs: number;
  bytesOut: number;
  bytesIn: number;
}

/** One outbound call in the app's log (the gateway's, and the IDE preview's log panel): method, host, status or why it failed, time. */
export function outboundLogLine(call: OutboundCallRecord): { level: "info" | "warn"; message: string } {
  const what = call.error ? `${call.error.code}: ${call.error.message}` : `${call.status}`;
  return { level: call.error ? "warn" : "info", message: `outbound ${call.method} ${call.host || "?"} → ${what} in ${call.durationMs} ms` };
}

export interface OutboundSessionOptions {
  /** The app's `allowed_hosts`. */
  allowedHosts: readonly string[] | undefined;
  /** performance.now() past which no call may run (the request's deadline). */
  deadline: number;
  caps?: Partial<OutboundCaps>;
  onCall?: (call: OutboundCallRecord) => void;
  /**
   * What earlier calls of the same request already used (the IDE preview makes each call through
   * the console on its own, so the caps hold across them as they do within one gateway request).
   */
  spent?: { calls: number; bytesOut: number; bytesIn: number };
}

export interface OutboundSession {
  fetch(request: OutboundRequest): Promise<OutboundResult>;
  /** Totals so far (metering). */
  readonly totals: { calls: number; bytesOut: number; bytesIn: number };
  /** Aborts calls still running (the request ended). */
  close(): void;
}

export interface OutboundFetcher {
  openSession(options: OutboundSessionOptions): OutboundSession;
}

const METHOD = /^[A-Za-z]{1,20}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Set by the fetcher itself: a guest may not choose them.
const HOP_HEADERS = new Set(["host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "proxy-connection", "te", "trailer"]);

class Refusal extends Error {
  constructor(
    readonly code: OutboundErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function createOutboundFetcher(rules: OutboundRules): OutboundFetcher {
  const operator = compileOperatorAllowList(rules.operatorAllow);
  return {
    openSession: (options) => openSession(rules, operator, options),
  };
}

function openSession(rules: OutboundRules, operator: OperatorAllowList, options: OutboundSessionOptions): OutboundSession {
  const caps = { ...DEFAULT_OUTBOUND_CAPS, ...options.caps };
  const totals = { calls: options.spent?.calls ?? 0, bytesOut: options.spent?.bytesOut ?? 0, bytesIn: options.spent?.bytesIn ?? 0 };
  // Every gateway request opens a session and most make no call: what a call needs is made at the
  // first one (an AbortController and its abort on close cost the main thread tens of µs per request).
  let allowed: ReturnType<typeof compileAllowedHosts> | undefined;
  let controller: AbortController | undefined;
  let closed = false;
  const allowedHosts = () => {
    if (!allowed) {
      allowed = compileAllowedHosts(options.allowedHosts);
      if (allowed.any && !rules.allowAnyHost) allowed.any = false;
    }
    return allowed;
  };

  async function fetchOnce(request: OutboundRequest): Promise<OutboundResult> {
    const started = performance.now();
    let host = "";
    const record = (result: OutboundResult, bytesOut: number, bytesIn: number) => {
      options.onCall?.({
        method: request.method.toUpperCase(),
        host,
        ...(result.ok ? { status: result.status } : { error: { code: result.code, message: result.message } }),
        durationMs: Math.round(performance.now() - started),
        bytesOut,
        bytesIn,
      });
      return result;
    };
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return record(refused("invalid", `"${request.url.slice(0, 200)}" is not a URL`), 0, 0);
    }
    host = url.host;
    let hops = 0;
    let current: OutboundRequest = request;
    let bytesOut = 0;
    let bytesIn = 0;
    try {
      for (;;) {
        checkRequest(current, url, allowedHosts(), rules.allowAnyHost, options.allowedHosts);
        if (totals.calls >= caps.maxCalls) throw new Refusal("limit", `more than ${caps.maxCalls} outbound calls in one request`);
        totals.calls++;
        if (totals.bytesOut + current.body.length > caps.maxBytesOut) {
          throw new Refusal("limit", `the request bodies of this request's outbound calls would pass ${caps.maxBytesOut} bytes`);
        }
        totals.bytesOut += current.body.length;
        bytesOut += current.body.length;
        const left = options.deadline - performance.now();
        if (left <= 0) throw new Refusal("timeout", "the request's deadline passed before the call could start");
        const address = await resolveChecked(url, operator, left);
        const response = await send(current, url, address, options.deadline, closed ? AbortSignal.abort() : (controller ??= new AbortController()).signal, caps.maxBytesIn - totals.bytesIn);
        totals.bytesIn += response.bytesIn;
        bytesIn += response.bytesIn;
        const location = response.headers.find(([name]) => name === "location")?.[1];
        if (response.status >= 300 && response.status < 400 && response.status !== 304 && location) {
          if (hops++ >= caps.maxRedirects) throw new Refusal("failed", `more than ${caps.maxRedirects} redirects`);
          const next = new URL(location, url);
          // 303, and 301/302 after a POST, turn into a GET without a body, as browsers do.
          const toGet = response.status === 303 || ((response.status === 301 || response.status === 302) && current.method.toUpperCase() === "POST");
          current = toGet ? { method: "GET", url: next.href, headers: current.headers, body: new Uint8Array(0) } : { ...current, url: next.href };
          if (next.host !== url.host) current = { ...current, headers: current.headers.filter(([n]) => n.toLowerCase() !== "authorization" && n.toLowerCase() !== "cookie") };
          url = next;
          continue;
        }
        return record({ ok: true, status: response.status, headers: response.headers, body: response.body }, bytesOut, bytesIn);
      }
    } catch (error) {
      if (error instanceof Refusal) {
        const message = hops > 0 ? `redirected to ${url.href.slice(0, 200)}: ${error.message}` : error.message;
        return record(refused(error.code, message), bytesOut, bytesIn);
      }
      return record(refused("failed", `${url.host}: ${error instanceof Error ? error.message : String(error)}`), bytesOut, bytesIn);
    }
  }

  return {
    fetch: fetchOnce,
    totals,
    close: () => {
      closed = true;
      controller?.abort();
    },
  };
}

function refused(code: OutboundErrorCode, message: string): OutboundResult {
  return { ok: false, code, message };
}

function checkRequest(request: OutboundRequest, url: URL, allowed: ReturnType<typeof compileAllowedHosts>, allowAnyHost: boolean, listed: readonly string[] | undefined): void {
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Refusal("invalid", `only http:// and https:// URLs can be called, not ${url.protocol}`);
  if (url.username || url.password) throw new Refusal("invalid", "URLs with a user name or password are not supported: send an Authorization header");
  if (!METHOD.test(request.method)) throw new Refusal("invalid", `"${request.method.slice(0, 40)}" is not an HTTP method`);
  for (const [name, value] of request.headers) {
    if (!HEADER_NAME.test(name) || /[\r\n\0]/.test(value)) throw new Refusal("invalid", `the header "${name.slice(0, 60)}" is not a valid HTTP header`);
  }
  if (!isListed(url, allowed)) {
    const origin = `${url.protocol}//${url.host}`;
    const hint =
      listed?.includes(ALLOW_ANY_HOST) && !allowAnyHost
        ? `allowed_hosts: ["*"] is off on this platform (GATEWAY_OUTBOUND_ANY); list ${origin} instead`
        : `add "${origin}" to allowed_hosts in wasmcompute.yaml`;
    throw new Refusal("not-allowed", `${origin} is not in this app's allowed_hosts: ${hint}`);
  }
}

/** The one address the call will connect to, after the address policy passed every answer. */
async function resolveChecked(url: URL, operator: OperatorAllowList, budgetMs: number): Promise<{ address: string; family: 4 | 6 }> {
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  let answers: { address: string; family: number }[];
  if (isIP(hostname)) answers = [{ address: hostname, family: isIP(hostname) }];
  else {
    let timer: NodeJS.Timeout | undefined;
    try {
      answers = await Promise.race([
        dnsLookup(hostname, { all: true, verbatim: true }),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Refusal("timeout", `resolving ${hostname} took past the request's deadline`)), budgetMs))),
      ]);
    } catch (error) {
      if (error instanceof Refusal) throw error;
      throw new Refusal("failed", `${hostname} could not be resolved (${(error as NodeJS.ErrnoException).code ?? "DNS error"})`);
    } finally {
      clearTimeout(timer);
    }
  }
  if (answers.length === 0) throw new Refusal("failed", `${hostname} has no address`);
  // Every answer must pass: a name that also points inside the network is refused outright.
  for (const answer of answers) {
    const refusedAs = addressRefusal(hostname, answer.address, operator);
    if (refusedAs) {
      throw new Refusal("refused-address", `${hostname} resolves to ${answer.address}, a ${refusedAs} address, which apps may not call (the operator can allow it with GATEWAY_OUTBOUND_ALLOW)`);
    }
  }
  const first = answers[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

interface RawResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  bytesIn: number;
}

function send(request: OutboundRequest, url: URL, target: { address: string; family: 4 | 6 }, deadline: number, signal: AbortSignal, maxBytesIn: number): Promise<RawResponse> {
  // The socket asks this for the name's address: always the checked one.
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of request.headers) {
    const key = name.toLowerCase();
    if (HOP_HEADERS.has(key)) continue;
    const prior = headers[key];
    headers[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  if (request.body.length > 0 || !["GET", "HEAD"].includes(request.method.toUpperCase())) headers["content-length"] = String(request.body.length);
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request({
      method: request.method.toUpperCase(),
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      headers,
      lookup,
      agent: false,
      signal,
    });
    let settled = false;
    const timer = setTimeout(() => fail(new Refusal("timeout", `${url.host} did not answer inside the request's deadline`)), Math.max(0, deadline - performance.now()));
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      if (error instanceof Refusal) reject(error);
      else if ((error as Error).name === "AbortError") reject(new Refusal("timeout", `the request ended while ${url.host} was still answering`));
      else reject(new Refusal("failed", `${url.host}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`));
    };
    req.on("error", fail);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytesIn) {
          fail(new Refusal("limit", `the responses to this request's outbound calls passed ${maxBytesIn} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on("error", fail);
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const out: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) out.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
        const body = new Uint8Array(Buffer.concat(chunks));
        resolve({ status: res.statusCode ?? 502, headers: out, body, bytesIn: size });
      });
    });
    req.end(request.body.length > 0 ? Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength) : undefined);
  });
}
