// One outbound HTTP call of a guest running in the IDE preview, made by the console for the
// signed-in tenant under the gateway's own rules (lib/outbound): the operator's address policy
// (GATEWAY_OUTBOUND_ALLOW/ANY), the draft's allowed_hosts (checked by the manifest's parser), the
// gateway's per-request caps, carried across the preview run's calls (`spent`), and the run's
// deadline cut to the operator's timeout ceiling. The browser cannot call arbitrary hosts; this is
// its only way out. Preview calls are not metered or billed (docs/manifest.md#allowed_hosts).
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { sharedConfig } from "@/lib/config/shared-config";
import { limitCeilingsFromEnv } from "@/lib/deployment-record/limit-ceilings";
import { AllowedHost } from "@/lib/manifest/manifest-schema";
import { MAX_ALLOWED_HOSTS } from "@/lib/outbound/allowed-hosts";
import { createOutboundFetcher, outboundLogLine, type OutboundCallRecord, type OutboundFetcher } from "@/lib/outbound/outbound-fetch";
import { hitRateLimit } from "@/lib/rate-limit/hit-rate-limit";
import { NUL_MESSAGE, noNul } from "@/lib/text/nul";
import type { OutboundResult } from "@/lib/wasm";
import type { OutboundSpent, PreviewOutboundInput as PreviewOutboundInputType, PreviewOutboundMeta } from "@/lib/wasm/outbound-wire";
import { findAppOrThrow } from "./find-app";

/** Largest call body accepted here, decoded: above the gateway's cap, so such a call gets the gateway's own refusal. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;
/** The JSON request's bound for the route (base64 is 4/3 of the body). */
export const PREVIEW_OUTBOUND_MAX_JSON_BYTES = Math.ceil((MAX_BODY_BYTES * 4) / 3) + 256 * 1024;

const Text = (max: number) => z.string().max(max).refine(noNul, NUL_MESSAGE);
const Count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const PreviewOutboundInput = z.object({
  allowedHosts: z.array(AllowedHost.refine(noNul, NUL_MESSAGE)).max(MAX_ALLOWED_HOSTS, `at most ${MAX_ALLOWED_HOSTS} hosts`),
  request: z.object({
    method: Text(20),
    url: Text(8000),
    headers: z.array(z.tuple([Text(200), Text(8000)])).max(100),
    body: z
      .string()
      .max(Math.ceil((MAX_BODY_BYTES * 4) / 3) + 4)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64"),
  }),
  timeoutMs: z.number().int().min(1).max(15 * 60_000),
  spent: z.object({ calls: Count, bytesOut: Count, bytesIn: Count }).default({ calls: 0, bytesOut: 0, bytesIn: 0 }),
}) satisfies z.ZodType<PreviewOutboundInputType, unknown>;

let fetcher: { key: string; fetcher: OutboundFetcher } | null = null;

/** The console's fetcher, built once from the operator's settings (the same ones the gateway reads). */
function consoleFetcher(): OutboundFetcher {
  const { GATEWAY_OUTBOUND_ALLOW, GATEWAY_OUTBOUND_ANY } = sharedConfig();
  const key = JSON.stringify([GATEWAY_OUTBOUND_ALLOW, GATEWAY_OUTBOUND_ANY]);
  if (fetcher?.key !== key) fetcher = { key, fetcher: createOutboundFetcher({ operatorAllow: GATEWAY_OUTBOUND_ALLOW, allowAnyHost: GATEWAY_OUTBOUND_ANY === "on" }) };
  return fetcher.fetcher;
}

export async function callOutboundForPreview({ actor, appName, input }: { actor: Actor; appName: string; input: unknown }): Promise<{
  result: OutboundResult;
  spent: OutboundSpent;
  log: PreviewOutboundMeta["log"];
}> {
  await findAppOrThrow({ actor, name: appName });
  const { allowedHosts, request, timeoutMs, spent } = PreviewOutboundInput.parse(input);
  await hitRateLimit({ key: `preview-outbound:${actor.tenantId}`, limit: 600, windowSeconds: 60, message: "The IDE preview made too many outbound calls. Wait {retry} and try again." });
  const timeout = Math.min(timeoutMs, limitCeilingsFromEnv(process.env).timeoutMs);
  let call: OutboundCallRecord | undefined;
  const session = consoleFetcher().openSession({ allowedHosts, deadline: performance.now() + timeout, spent, onCall: (c) => (call = c) });
  try {
    const result = await session.fetch({ method: request.method, url: request.url, headers: request.headers, body: new Uint8Array(Buffer.from(request.body, "base64")) });
    const line = outboundLogLine(call ?? { method: request.method.toUpperCase(), host: "", durationMs: 0, bytesOut: 0, bytesIn: 0 });
    return { result, spent: { ...session.totals }, log: line };
  } finally {
    session.close();
  }
}
