// API routes of the editor's saved requests and preview data (issue #5); joined into API_ROUTES in ./api-routes.ts.
import { SaveRequestInput } from "@/lib/saved-requests/saved-request-schemas";
import { SavedRequestResponse, SavedRequestsResponse } from "@/lib/api-shapes/saved-request-shapes";
import { PreviewOutboundInput } from "@/lib/apps/call-outbound-for-preview";
import type { ApiRoute } from "./api-routes";

export const EDITOR_ROUTES: ApiRoute[] = [
  { method: "GET", path: "/apps/{app}/requests", summary: "The editor preview's saved requests, by name", scope: "read", status: 200, response: SavedRequestsResponse },
  {
    method: "PUT",
    path: "/apps/{app}/requests/{name}",
    summary: "Save a preview request under a name (creates or replaces; body ≤ 64 KiB, ≤ 100 per app)",
    scope: "deploy",
    body: SaveRequestInput,
    status: 200,
    response: SavedRequestResponse,
  },
  { method: "DELETE", path: "/apps/{app}/requests/{name}", summary: "Delete a saved preview request", scope: "deploy", status: 204 },
  {
    method: "POST",
    path: "/apps/{app}/preview/outbound",
    summary:
      "One outbound HTTP call of the IDE preview's guest, under the gateway's rules (operator address policy, the draft's allowedHosts, per-request caps carried in spent, the deadline); answers application/vnd.wasmcompute.outbound (lib/wasm/outbound-wire.ts), a refused call included; not metered",
    scope: "deploy",
    body: PreviewOutboundInput,
    status: 200,
  },
  {
    method: "POST",
    path: "/apps/{app}/preview/component",
    summary:
      "The IDE preview's artifact for a WASI 0.2 component (body: its bytes, capped like uploads; query: memoryMb, the draft's memory limit): what publish would store, packed (lib/wasm/component/artifact.ts), transpiled once per bytes and cap; 422 naming what the component's world lacks",
    scope: "deploy",
    body: "wasm",
    status: 200,
  },
];
