// The console's "try it" box: sends a request to the app through the real gateway, server-side,
// and reports what came back.
//
// The app is named by the Host header, `<app>--<tenant>.<domain>`, never by the path: whatever the
// path says (`/../../<other-tenant>/<app>/`, `/healthz`, `//evil/`), it is a path inside this app.
import http from "node:http";
import https from "node:https";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/actor";
import { appOrigin, gatewayInternalUrl } from "@/lib/platform-urls";
import { NUL_MESSAGE, noNul } from "@/lib/text/nul";
import { findAppOrThrow } from "./find-app";

export const TryRequestInput = z.object({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]).default("GET"),
  path: z.string().max(2000).refine(noNul, `${NUL_MESSAGE}: percent-encode it (%00)`).default("/").transform((p) => (p.startsWith("/") ? p : `/${p}`)),
  // No HTTP header can carry a NUL: refused here rather than as a failed request to the gateway.
  headers: z.record(z.string().max(200).refine(noNul, NUL_MESSAGE), z.string().max(8000).refine(noNul, NUL_MESSAGE)).default({}),
  body: z.string().max(1024 * 1024).optional(),
});

export interface TryResponse {
  status: number;
  headers: [string, string][];
  body: string;
  truncated: boolean;
  durationMs: number;
  url: string;
}

const MAX_BODY = 256 * 1024;
const TIMEOUT_MS = 30_000;

/** Headers the console sets itself: the Host names the app; the rest describe the connection. */
const OWN_HEADERS = new Set(["host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer", "expect"]);

/**
 * The app's URL for a path typed into the box: dot segments resolved inside the app (`/a/../../x`
 * is `/x`), and never another host (`//evil/x` is the path `//evil/x`).
 */
export function appRequestUrl(origin: string, path: string): URL {
  const url = new URL(`${origin}${path.startsWith("/") ? path : `/${path}`}`);
  url.hash = "";
  if (url.origin !== new URL(origin).origin) throw new AppError("UNPROCESSABLE", "The path must be a path inside the app, like /items?id=3.", { field: "path" });
  return url;
}

export async function tryRequest({ actor, appName, input }: { actor: Actor; appName: string; input: unknown }): Promise<TryResponse> {
  const { method, path, headers, body } = TryRequestInput.parse(input);
  const app = await findAppOrThrow({ actor, name: appName });
  const url = appRequestUrl(appOrigin(actor.tenantName, app.name, process.env), path);
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!OWN_HEADERS.has(name.toLowerCase())) sent[name] = value;
  sent.host = url.host;
  const payload = method === "GET" || method === "HEAD" || body === undefined ? undefined : Buffer.from(body);
  if (payload) sent["content-length"] = String(payload.byteLength);

  const started = performance.now();
  const answer = await send(new URL(gatewayInternalUrl(process.env)), url, method, sent, payload);
  return {
    status: answer.status,
    headers: answer.headers,
    body: new TextDecoder().decode(answer.body),
    truncated: answer.truncated,
    durationMs: Math.round(performance.now() - started),
    url: url.href,
  };
}

interface Answer {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  truncated: boolean;
}

/** One request to the gateway at `gateway`, for `url` (its Host and path); the first 256 KiB of the body are kept. */
function send(gateway: URL, url: URL, method: string, headers: Record<string, string>, payload: Buffer | undefined): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const client = gateway.protocol === "https:" ? https : http;
    let req: http.ClientRequest;
    try {
      req = client.request({
        protocol: gateway.protocol,
        hostname: gateway.hostname.replace(/^\[|\]$/g, ""),
        port: gateway.port || undefined,
        method,
        path: `${url.pathname}${url.search}`,
        headers,
        // Behind TLS, the app's own name (what its certificate covers), not the gateway's address.
        ...(gateway.protocol === "https:" ? { servername: url.hostname } : {}),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      // Node refuses header names and values HTTP cannot carry before anything is sent.
      reject(new AppError("UNPROCESSABLE", `A header is not valid HTTP: ${(e as Error).message}`, { field: "headers" }));
      return;
    }
    req.on("error", (e) => reject(new AppError("UNAVAILABLE", `The gateway did not answer (${e.message}). Is it running?`)));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      let received = 0;
      res.on("data", (chunk: Buffer) => {
        received += chunk.byteLength;
        if (kept >= MAX_BODY) return;
        const part = chunk.subarray(0, MAX_BODY - kept);
        chunks.push(part);
        kept += part.byteLength;
      });
      res.on("error", (e) => reject(new AppError("UNAVAILABLE", `The gateway's answer broke off (${e.message}).`)));
      res.on("end", () => {
        // As fetch shows them: names in lower case, sorted, repeated ones joined (Set-Cookie kept apart).
        const seen = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) seen.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        resolve({ status: res.statusCode ?? 502, headers: [...seen.entries()], body: Buffer.concat(chunks), truncated: received > MAX_BODY });
      });
    });
    req.end(payload);
  });
}
