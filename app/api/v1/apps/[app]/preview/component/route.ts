import { transpileComponentForPreview } from "@/lib/previews/transpile-component-for-preview";
import { uploadCap } from "@/lib/http/read-publish-form";
import { describeBytes, readBodyBytes } from "@/lib/http/read-body";
import { AppError } from "@/lib/errors";
import { withTenant } from "@/lib/http/with-tenant";

// The IDE preview's artifact for an uploaded WASI 0.2 component (the body, application/wasm):
// what publish would store for it, packed (lib/wasm/component/artifact.ts). Capped like uploads.
export const POST = withTenant<{ app: string }>("deploy", async ({ req, actor, params }) => {
  const cap = uploadCap();
  const bytes = await readBodyBytes(req, cap.bytes, () => new AppError("PAYLOAD_TOO_LARGE", `The component is larger than ${describeBytes(cap.bytes)}, ${cap.source}. Upload a smaller one.`));
  const query = Object.fromEntries(new URL(req.url).searchParams);
  const artifact = await transpileComponentForPreview({ actor, appName: params.app, bytes, query });
  return new Response(artifact, { headers: { "content-type": "application/octet-stream", "cache-control": "no-store" } });
});
