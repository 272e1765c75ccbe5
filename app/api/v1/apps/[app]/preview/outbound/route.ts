import { callOutboundForPreview, PREVIEW_OUTBOUND_MAX_JSON_BYTES } from "@/lib/apps/call-outbound-for-preview";
import { readJson } from "@/lib/http/route";
import { withTenant } from "@/lib/http/with-tenant";
import { encodePreviewOutbound, PREVIEW_OUTBOUND_TYPE } from "@/lib/wasm/outbound-wire";

// One outbound call of the IDE preview's guest, under the gateway's rules; answered in the
// binary form of lib/wasm/outbound-wire.ts (a refused call is a 200 that says why, as the guest hears it).
export const POST = withTenant<{ app: string }>("deploy", async ({ req, actor, params }) => {
  const { result, spent, log } = await callOutboundForPreview({ actor, appName: params.app, input: await readJson(req, PREVIEW_OUTBOUND_MAX_JSON_BYTES) });
  return new Response(encodePreviewOutbound(result, spent, log) as Uint8Array<ArrayBuffer>, { headers: { "content-type": PREVIEW_OUTBOUND_TYPE, "cache-control": "no-store" } });
});
