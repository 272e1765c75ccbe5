/** The respond step: the guest's CGI response as the HTTP answer, with the headers the gateway owns kept its own. */
import { confineServiceWorkerAllowed } from "../app-routing";
import type { WagiJobResult } from "../worker-protocol";
import { failed, type AppRequest, type RequestContext, type Stop } from "./context";

/** Response headers the gateway owns; a guest cannot set them. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "upgrade", "proxy-connection", "te", "trailer", "x-request-id"]);

export function respond(ctx: RequestContext, app: AppRequest, result: WagiJobResult): Stop {
  const headers = responseHeaders(result.headers, ctx.url, app.appBase);
  headers["content-length"] = String(result.body.byteLength);
  try {
    ctx.res.writeHead(result.status, headers);
  } catch (error) {
    // Node refuses header names/values with invalid characters: the guest's CGI output is at fault.
    for (const name of ctx.res.getHeaderNames()) if (name !== "x-request-id") ctx.res.removeHeader(name);
    return failed({ kind: "bad-header", error });
  }
  ctx.res.end(result.body);
  return { stop: "answered", status: result.status };
}

/** The guest's headers, lower-cased and grouped, without the gateway's own; Service-Worker-Allowed confined to the app. */
export function responseHeaders(guestHeaders: [string, string][], url: URL, appBase: string): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, rawValue] of guestHeaders) {
    const key = name.toLowerCase();
    if (HOP_BY_HOP.has(key)) continue;
    let value = rawValue;
    if (key === "service-worker-allowed") {
      const confined = confineServiceWorkerAllowed(value, url, appBase);
      if (confined === null) continue;
      value = confined;
    }
    const existing = headers[key];
    if (existing === undefined) headers[key] = value;
    else headers[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return headers;
}
