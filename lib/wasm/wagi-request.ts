// The WAGI request for a routed HTTP request, built the same way by the gateway
// (lib/runtime/gateway.ts) and the IDE preview (lib/editor/preview-protocol.ts), so that a module
// sees the same X_MATCHED_ROUTE, SCRIPT_NAME and PATH_INFO (wagi-environment.ts) in the tab as in
// production: X_MATCHED_ROUTE relative to the app, SCRIPT_NAME with the app's mount point.
import { scriptNameFor, type RoutePattern } from "./route-pattern";
import type { WagiRequest } from "./wagi-environment";

export interface WagiRequestInput {
  method: string;
  /** The full URL the client asked for (its path includes the mount point). */
  url: string;
  headers: [string, string][];
  body: Uint8Array;
  remoteAddr: string;
  /**
   * Where the app sits in the URL path: "" on its own origin, "/<tenant>/<app>" under path
   * routing, plus a version route's "/v/<version>".
   */
  mount: string;
  /** The route that matched the path below `mount` (route-pattern.ts matchRoute). */
  pattern: RoutePattern;
}

export function buildWagiRequest(input: WagiRequestInput): WagiRequest {
  return {
    method: input.method,
    url: input.url,
    headers: input.headers,
    body: input.body,
    remoteAddr: input.remoteAddr,
    // X_MATCHED_ROUTE: the route as the app wrote it (WAGI's meaning), wherever the app is mounted.
    route: input.pattern.text,
    // SCRIPT_NAME: the mount point plus the route without its wildcard, so links built on it work
    // under the path form and a version route; PATH_INFO is the rest.
    scriptName: scriptNameFor(input.pattern, input.mount),
  };
}
