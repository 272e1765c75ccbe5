// The console's "try it" box: sends a request to the app through the real gateway, server-side,
// and reports what came back.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/actor";
import { gatewayBaseUrl } from "@/lib/platform-urls";
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

export async function tryRequest({ actor, appName, input }: { actor: Actor; appName: string; input: unknown }): Promise<TryResponse> {
  const { method, path, headers, body } = TryRequestInput.parse(input);
  const app = await findAppOrThrow({ actor, name: appName });
  const internal = (process.env.GATEWAY_INTERNAL_URL ?? gatewayBaseUrl()).replace(/\/$/, "");
  const url = `${internal}/${actor.tenantName}/${app.name}${path}`;
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: method === "GET" || method === "HEAD" ? undefined : body, signal: AbortSignal.timeout(30_000), redirect: "manual" });
  } catch (e) {
    throw new AppError("UNAVAILABLE", `The gateway did not answer (${(e as Error).message}). Is it running?`);
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  return {
    status: res.status,
    headers: [...res.headers.entries()],
    body: new TextDecoder().decode(bytes.subarray(0, MAX_BODY)),
    truncated: bytes.byteLength > MAX_BODY,
    durationMs: Math.round(performance.now() - started),
    url: `${gatewayBaseUrl()}/${actor.tenantName}/${app.name}${path}`,
  };
}
