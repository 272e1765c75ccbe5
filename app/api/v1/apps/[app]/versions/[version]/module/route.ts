import { withTenant } from "@/lib/http/with-tenant";
import { readVersionModule } from "@/lib/versions/find-versions";

export const GET = withTenant<{ app: string; version: string }>("read", async ({ actor, params }) => {
  const bytes = await readVersionModule({ actor, appName: params.app, version: params.version });
  return new Response(Buffer.from(bytes), {
    headers: { "content-type": "application/wasm", "content-disposition": `attachment; filename="${params.app}-${params.version}.wasm"` },
  });
});
